// conv2d-explicit-pad.mlir with XNNPACK requantization (fp32 multiply by qapeft.fp32_scale =
// float(float(s_in) * float(s_w)) / float(s_out), ties to even): the form
// --qapeft-lower-to-integer emits for the tflite-int8-xnnpack target.

func.func @forward(%x: tensor<?x4x4x2xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]})
    -> (tensor<?x2x2x2xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}) {
  %w = "tosa.const"() {values = dense<[[[[1, -2], [3, 4], [-5, 6]], [[7, -8], [9, 10], [-11, 12]], [[13, -14], [15, 16], [-17, 18]]],
                                       [[[-1, 2], [-3, -4], [5, -6]], [[-7, 8], [-9, -10], [11, -12]], [[-13, 14], [-15, -16], [17, -18]]]]> : tensor<2x3x3x2xi8>,
                        qapeft.scale = [0.01 : f32, 0.02 : f32], qapeft.zero_point = [0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x3x3x2xi8> loc("conv1.weight")
  %b = "tosa.const"() {values = dense<[100, -50]> : tensor<2xi32>} : () -> tensor<2xi32> loc("conv1.bias")
  %izp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>}
      : (tensor<?x4x4x2xi8>, tensor<2x3x3x2xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x2xi32> loc("conv1")
  %m = "tosa.const"() {values = dense<[1374389504, 1374389504]> : tensor<2xi32>} : () -> tensor<2xi32>
  %s = "tosa.const"() {values = dense<[38, 37]> : tensor<2xi8>} : () -> tensor<2xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<5> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.005000000353902578 : f32, 0.010000000707805157 : f32], per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]}
      : (tensor<?x2x2x2xi32>, tensor<2xi32>, tensor<2xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x2xi8> loc("conv1.rescale")
  %y = tosa.clamp %r {min_val = 5 : i8, max_val = 65 : i8, qapeft.scale = [0.1 : f32], qapeft.zero_point = [5]} : (tensor<?x2x2x2xi8>) -> tensor<?x2x2x2xi8> loc("conv1.relu6")
  return %y : tensor<?x2x2x2xi8>
}
