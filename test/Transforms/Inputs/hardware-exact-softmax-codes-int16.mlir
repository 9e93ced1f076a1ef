// Softmaxes over rows of 16 int16 codes (TFLite's int16 SOFTMAX) for
// hardware-exact-softmax-codes.test: input values -128 .. 127 on the grid
// 1/16 (codes -2048 .. 2032), reshaped to 16 x 16; one softmax onto
// TFLite's fixed grid (1/32768, 0), one onto 1/20000, which the integer
// graph reaches with a requantization after the SOFTMAX.
func.func @forward(%x: tensor<?x256xf32>) -> (tensor<?x16x16xf32>, tensor<?x16x16xf32>) {
  %sixteenth = "tosa.const"() {values = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %sixteenth zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x256xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %rows_shape = tosa.const_shape {values = dense<[-1, 16, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %rows = tosa.reshape %xq, %rows_shape : (tensor<?x256xf32>, !tosa.shape<3>) -> tensor<?x16x16xf32>
  %p_m = tosa.reduce_max %rows {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %p_d = tosa.sub %rows, %p_m : (tensor<?x16x16xf32>, tensor<?x16x1xf32>) -> tensor<?x16x16xf32>
  %p_e = tosa.exp %p_d : (tensor<?x16x16xf32>) -> tensor<?x16x16xf32>
  %p_s = tosa.reduce_sum %p_e {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %p_r = tosa.reciprocal %p_s : (tensor<?x16x1xf32>) -> tensor<?x16x1xf32>
  %p_y = tosa.mul %p_e, %p_r, %sh : (tensor<?x16x16xf32>, tensor<?x16x1xf32>, tensor<1xi8>) -> tensor<?x16x16xf32>
  %p_os = "tosa.const"() {values = dense<3.05175781e-05> : tensor<f32>} : () -> tensor<f32>
  %p = qapeft.fake_quant %p_y scale %p_os zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x16x16xf32>, tensor<f32>
  %q_m = tosa.reduce_max %rows {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %q_d = tosa.sub %rows, %q_m : (tensor<?x16x16xf32>, tensor<?x16x1xf32>) -> tensor<?x16x16xf32>
  %q_e = tosa.exp %q_d : (tensor<?x16x16xf32>) -> tensor<?x16x16xf32>
  %q_s = tosa.reduce_sum %q_e {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %q_r = tosa.reciprocal %q_s : (tensor<?x16x1xf32>) -> tensor<?x16x1xf32>
  %q_y = tosa.mul %q_e, %q_r, %sh : (tensor<?x16x16xf32>, tensor<?x16x1xf32>, tensor<1xi8>) -> tensor<?x16x16xf32>
  %q_os = "tosa.const"() {values = dense<5.0e-05> : tensor<f32>} : () -> tensor<f32>
  %q = qapeft.fake_quant %q_y scale %q_os zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x16x16xf32>, tensor<f32>
  return %p, %q : tensor<?x16x16xf32>, tensor<?x16x16xf32>
}
