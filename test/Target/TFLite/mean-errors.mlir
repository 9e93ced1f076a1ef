// An int8 MEAN is written in XNNPACK's form, with the offset and float32
// scale XNNPACK derives from the scales, or in the builtin kernel's form, with
// the multiplier, shift and bias it derives; otherwise an error and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// Single rounding: no TFLite MEAN kernel computes this.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<32> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: an int8 MEAN is exported in XNNPACK's form (fp32_half_even rescale with one qapeft.fp32_scale) or the builtin kernel's (DOUBLE_ROUND rescale of the code sum)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}

// -----

// The float32 scale must be (0.5 / 0.5) / 4 = 0.25.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: MEAN (offset 0, fp32 scale 5.000000e-01, zero points 0 and 0) differs from what XNNPACK derives from the scales (offset 0, fp32 scale 2.500000e-01, zero points 0 and 0)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.5 : f32], qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}

// -----

// The builtin form: s_in 0.5, zp_in -1, s_out 0.25, zp_out 3 over 2x2 give
// multiplier 2^30, shift 31 and bias 3 - int(-2 - 0.5) = 5, not 3.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [-1]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<3> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: MEAN (multiplier 1073741824, shift 31, input zero point 0, bias 3) differs from what TFLite's builtin kernel derives from the scales (multiplier 1073741824, shift 31, input zero point 0, bias 5)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.25 : f32], qapeft.zero_point = [3]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}

// -----

// The builtin form requantizes with one 32-bit multiplier.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [-1]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: the builtin int8 MEAN requantizes with one signed 32-bit multiplier}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = true, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.25 : f32], qapeft.zero_point = [3]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}

// -----

// An int32 requantization must be followed by the bias add and the identity
// rescale to int8.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [-1]}) -> tensor<?x1x1x1xi32> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  // expected-error @+1 {{TFLite export: an int32 MEAN requantization must be followed by a constant bias add and an identity rescale (2^30, shift 30) to int8}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<?x1x1x1xi32>
  return %o : tensor<?x1x1x1xi32>
}
