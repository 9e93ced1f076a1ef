// An int16 MEAN is written only in the form TFLite's kernel computes for
// the scales in the file (the integer division for equal scales, else the
// float32 path with the divisor and scale it derives); otherwise an error
// and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// The integer division is what the runtime computes only when the scales
// are equal; 0.5 and 0.25 take the float32 path.
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %n = "tosa.const"() {values = dense<4> : tensor<1x1x1x1xi32>} : () -> tensor<1x1x1x1xi32>
  %q = tosa.intdiv %s, %n : (tensor<?x1x1x1xi32>, tensor<1x1x1x1xi32>) -> tensor<?x1x1x1xi32>
  // expected-error @+1 {{TFLite export: an int16 MEAN with input scale 5.000000e-01 and output scale 2.500000e-01 runs TFLite's float32 path, not the integer division}}
  %o = tosa.cast %q {qapeft.scale = [0.25 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}

// -----

// The divisor is the window size, 2 x 2.
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %n = "tosa.const"() {values = dense<3> : tensor<1x1x1x1xi32>} : () -> tensor<1x1x1x1xi32>
  // expected-error @+1 {{TFLite export: an int16 MEAN over 2 x 2 divides by 4, not 3}}
  %q = tosa.intdiv %s, %n : (tensor<?x1x1x1xi32>, tensor<1x1x1x1xi32>) -> tensor<?x1x1x1xi32>
  %o = tosa.cast %q {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}

// -----

// TFLite refuses an int16 MEAN with a non-zero zero point.
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [2]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %n = "tosa.const"() {values = dense<4> : tensor<1x1x1x1xi32>} : () -> tensor<1x1x1x1xi32>
  %q = tosa.intdiv %s, %n : (tensor<?x1x1x1xi32>, tensor<1x1x1x1xi32>) -> tensor<?x1x1x1xi32>
  // expected-error @+1 {{TFLite export: TFLite's int16 MEAN needs zero point 0 on its input and output, got 2 and 0}}
  %o = tosa.cast %q {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}

// -----

// Equal scales run the integer division, not the float32 path.
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<32> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @+1 {{TFLite export: an int16 MEAN with equal scales runs TFLite's integer division, not the float32 path}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_mean_half_away", qapeft.fp32_divisor = 4 : i64, qapeft.fp32_scale = [1.0 : f32], qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}

// -----

// The float32 scale must be 0.5 / 0.25 = 2 and the divisor 4.
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<32> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @+1 {{TFLite export: int16 MEAN (divisor 5, fp32 scale 2.500000e+00, zero points 0 and 0) differs from what TFLite's kernel derives from the scales (divisor 4, fp32 scale 2.000000e+00, zero points 0 and 0)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_mean_half_away", qapeft.fp32_divisor = 5 : i64, qapeft.fp32_scale = [2.5 : f32], qapeft.scale = [0.25 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}

// -----

// No fixed-point rounding computes the int16 MEAN (its arithmetic is
// float32).
func.func @forward(%x: tensor<?x2x2x1xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi16> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi16>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<32> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @+1 {{TFLite export: an int16 MEAN is exported as TFLite's kernel computes it (a tosa.intdiv of the code sum, or an fp32_mean_half_away rescale)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.25 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<?x1x1x1xi16>
  return %o : tensor<?x1x1x1xi16>
}
