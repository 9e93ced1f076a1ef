// Every op or quantization scheme TFLite cannot express is an error at its
// location, and no model is written.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  // expected-error @+1 {{clamp [0, 100] is not the quantized range of RELU, RELU6 or RELU_N1_TO_1 for the output scale 5.000000e-01 and zero point 0}}
  %c = tosa.clamp %r {min_val = 0 : i8, max_val = 100 : i8} : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi8>
  return %c : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x1xi32>
  %m = "tosa.const"() {values = dense<1073741823> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{channel 0 rescales by multiplier 1073741823 shift 31, but TFLite derives multiplier 1073741824 shift 31 from the scales}}
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  return %r : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [2]} : () -> tensor<1x1x1x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{unsupported quantization scheme: TFLite needs symmetric weights (weight zero point 0)}}
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  return %r : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x4x4x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  // TOSA pads max pooling with -inf; TFLite has only VALID and SAME for it.
  // expected-error @+1 {{padding [1, 0, 1, 0] is neither VALID nor TFLite's SAME padding for this shape}}
  %y = tosa.max_pool2d %x {kernel = array<i64: 3, 3>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x4x4x1xi8>) -> tensor<?x2x2x1xi8>
  return %y : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi4>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x1xi4>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi4>} : () -> tensor<1xi4>
  // expected-error @+1 {{unsupported quantization scheme 'i8' x 'i4' -> 'i8' (TFLite has int8 and int16x8 convolutions)}}
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi4>, tensor<1xi32>, tensor<1xi8>, tensor<1xi4>) -> tensor<?x2x2x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  return %r : tensor<?x2x2x1xi8>
}

// -----

// An integer function argument without qapeft.scale cannot be written.
// expected-error @+1 {{integer tensor has no quantization parameters (qapeft.scale / qapeft.zero_point)}}
func.func @forward(%x: tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi8> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  return %r : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  // expected-error @+1 {{'tosa.add' has no TFLite operator mapping}}
  %y = tosa.add %x, %x : (tensor<?x2x2x1xi8>, tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi8>
  return %y : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi8> {
  // expected-error @+1 {{pooling must keep the input's scale and zero point}}
  %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>, qapeft.scale = [0.25 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi8>) -> tensor<?x1x1x1xi8>
  return %y : tensor<?x1x1x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi32> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{a tosa.rescale from 'i32' to 'i8' is neither a convolution's requantization nor a requantization between int8/int16 activations}}
  %r = tosa.rescale %x, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x2x2x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x1xi8>
  return %r : tensor<?x2x2x1xi8>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x2x2x1xi32> {
  %w = "tosa.const"() {values = dense<1> : tensor<1x1x1x1xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x1xi8>
  %b = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{the accumulator of tosa.conv2d must feed exactly one tosa.rescale (TFLite fuses the requantization into the convolution)}}
  %acc = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xi8>, tensor<1x1x1x1xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x1xi32>
  return %acc : tensor<?x2x2x1xi32>
}

// -----

// expected-error @+1 {{only the batch (first) dimension may be dynamic, got 'tensor<1x?x2x1xi8>'}}
func.func @forward(%x: tensor<1x?x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<1x?x2x1xi8> {
  return %x : tensor<1x?x2x1xi8>
}


// -----

func.func @forward(%x: tensor<?x2xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [0]}) -> tensor<?x2xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // The multiplier of 0.1 / 0.2 on a tensor whose output scale is 0.3.
  // expected-error @+1 {{rescale by multiplier 1073741824 shift 31, but TFLite derives multiplier 1431655730 shift 32 from the scales}}
  %r = tosa.rescale %x, %m, %s, %zp, %zp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.3 : f32], qapeft.zero_point = [0]} : (tensor<?x2xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2xi8>
  return %r : tensor<?x2xi8>
}
