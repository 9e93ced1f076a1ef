// depthwise-conv2d.mlir with XNNPACK requantization (fp32 multiply by qapeft.fp32_scale =
// float(float(s_in) * float(s_w)) / float(s_out), ties to even): the form
// --qapeft-lower-to-integer emits for the tflite-int8-xnnpack target.

func.func @forward(%x: tensor<?x3x3x4xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x2x2x4xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}) {
  %w = "tosa.const"() {values = dense<[[[[1], [2], [3], [4]], [[5], [6], [7], [8]]], [[[-1], [-2], [-3], [-4]], [[-5], [-6], [-7], [-8]]]]> : tensor<2x2x4x1xi8>,
                        qapeft.scale = [0.1 : f32, 0.05 : f32, 0.02 : f32, 0.04 : f32], qapeft.zero_point = [0, 0, 0, 0], qapeft.quantized_dimension = 2 : i64} : () -> tensor<2x2x4x1xi8> loc("dw1.weight")
  %b = "tosa.const"() {values = dense<[0, 10, -10, 5]> : tensor<4xi32>} : () -> tensor<4xi32> loc("dw1.bias")
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %acc = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>}
      : (tensor<?x3x3x4xi8>, tensor<2x2x4x1xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x4xi32> loc("dw1")
  %m = "tosa.const"() {values = dense<[1717986944, 1717986944, 1374389504, 1374389504]> : tensor<4xi32>} : () -> tensor<4xi32>
  %s = "tosa.const"() {values = dense<[34, 35, 36, 35]> : tensor<4xi8>} : () -> tensor<4xi8>
  %rzp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.rescale %acc, %m, %s, %rzp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.10000000149011612 : f32, 0.05000000074505806 : f32, 0.019999999552965164 : f32, 0.03999999910593033 : f32], per_channel = true, input_unsigned = false, output_unsigned = false,
                                              qapeft.scale = [0.03 : f32], qapeft.zero_point = [2]}
      : (tensor<?x2x2x4xi32>, tensor<4xi32>, tensor<4xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x2x2x4xi8> loc("dw1.out")
  return %y : tensor<?x2x2x4xi8>
}
