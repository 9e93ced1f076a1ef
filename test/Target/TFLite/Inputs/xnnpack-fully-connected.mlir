// fully-connected.mlir with XNNPACK requantization (fp32 multiply by qapeft.fp32_scale =
// float(float(s_in) * float(s_w)) / float(s_out), ties to even): the form
// --qapeft-lower-to-integer emits for the tflite-int8-xnnpack target.

func.func @forward(%x: tensor<?x2x2x3xi8> {qapeft.scale = [0.02 : f32], qapeft.zero_point = [1]})
    -> (tensor<?x4xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]}) {
  %shape4 = tosa.const_shape {values = dense<[-1, 1, 1, 12]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %x4 = tosa.reshape %x, %shape4 : (tensor<?x2x2x3xi8>, !tosa.shape<4>) -> tensor<?x1x1x12xi8> loc("fc1.flatten")
  %w = "tosa.const"() {values = dense<[[[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]], [[[-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12]]],
                                       [[[12, -11, 10, -9, 8, -7, 6, -5, 4, -3, 2, -1]]], [[[127, -127, 64, -64, 32, -32, 16, -16, 8, -8, 4, -4]]]]> : tensor<4x1x1x12xi8>,
                        qapeft.scale = [0.005 : f32, 0.01 : f32, 0.0125 : f32, 0.02 : f32], qapeft.zero_point = [0, 0, 0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<4x1x1x12xi8> loc("fc1.weight")
  %b = "tosa.const"() {values = dense<[1000, -2000, 300, 0]> : tensor<4xi32>} : () -> tensor<4xi32> loc("fc1.bias")
  %izp = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x4, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<?x1x1x12xi8>, tensor<4x1x1x12xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x1x1x4xi32> loc("fc1")
  %m = "tosa.const"() {values = dense<[1099511562, 1099511562, 1374389504, 1099511562]> : tensor<4xi32>} : () -> tensor<4xi32>
  %s = "tosa.const"() {values = dense<[39, 38, 38, 37]> : tensor<4xi8>} : () -> tensor<4xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<-10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.001999999862164259 : f32, 0.003999999724328518 : f32, 0.005000000353902578 : f32, 0.007999999448657036 : f32], per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]}
      : (tensor<?x1x1x4xi32>, tensor<4xi32>, tensor<4xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x4xi8> loc("fc1.rescale")
  %c = tosa.clamp %r {min_val = -10 : i8, max_val = 127 : i8, qapeft.scale = [0.05 : f32], qapeft.zero_point = [-10]} : (tensor<?x1x1x4xi8>) -> tensor<?x1x1x4xi8> loc("fc1.relu")
  %shape2 = tosa.const_shape {values = dense<[-1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %c, %shape2 : (tensor<?x1x1x4xi8>, !tosa.shape<2>) -> tensor<?x4xi8> loc("fc1.out")
  return %y : tensor<?x4xi8>
}
