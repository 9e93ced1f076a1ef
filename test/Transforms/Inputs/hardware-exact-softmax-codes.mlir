// Softmaxes over rows of 16 int8 codes for hardware-exact-softmax-codes.test.
// Input value v in [0, 255] (scale 1, zero point -128) becomes code v - 128
// on the grid 1/16 (an exact tosa.sub of 128 and tosa.mul by 1/16, as in
// hardware-exact-activation-codes.mlir), plus a quantized constant of
// pseudo-random codes in [-60, 60] on the same grid, so that rows differ.
// Two softmaxes of the 16 x 16 result: one onto TFLite's fixed grid
// (1/256, -128), one onto another grid (1/200, -100), which the integer
// graph reaches with a requantization after the SOFTMAX.
func.func @forward(%x: tensor<?x256xf32>) -> (tensor<?x16x16xf32>, tensor<?x16x16xf32>) {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %two = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %sixteenth = "tosa.const"() {values = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %m128 = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %m128 scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %c = "tosa.const"() {values = dense<128.0> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %cq = qapeft.fake_quant %c scale %two zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1xf32>, tensor<f32>
  %d = tosa.sub %xq, %cq : (tensor<?x256xf32>, tensor<1x1xf32>) -> tensor<?x256xf32>
  %dq = qapeft.fake_quant %d scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %k = "tosa.const"() {values = dense<0.0625> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %kq = qapeft.fake_quant %k scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %a = tosa.mul %dq, %kq, %sh : (tensor<?x256xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x256xf32>
  %aq = qapeft.fake_quant %a scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %n = "tosa.const"() {values = dense<[[0.9375, -1.1875, -1.1875, -0.6875, 1.3125, -0.625, -0.75, -2.125, -0.0625, -3.25, 1.9375, 3.0, -2.875, 3.25, 1.5, 0.0, 3.6875, -0.625, -2.3125, 1.5625, -0.75, -1.0, 3.75, -3.0, -1.625, 0.9375, -2.875, 3.3125, 0.3125, 1.375, -1.8125, 0.5, -0.25, -1.5625, 2.6875, 2.125, -0.875, -3.5625, -1.1875, -1.6875, -3.6875, 1.75, -3.4375, -0.3125, 2.1875, 3.625, 1.0, 2.375, 0.9375, -2.0625, -0.875, -3.1875, -2.1875, 2.75, -3.3125, -1.4375, 0.125, -2.8125, 3.0625, -1.25, 0.375, 1.1875, -0.25, -0.0625, 3.3125, 2.8125, 0.375, -2.875, -0.0625, -3.5625, -0.8125, 2.4375, -1.9375, 2.8125, -3.375, 3.5625, -2.4375, -3.0, -2.3125, -1.25, -2.5, -2.125, -1.3125, -0.625, -2.125, -2.625, 0.5, -0.75, 0.875, -1.4375, -2.75, -2.375, -2.8125, -2.5, -0.5, -0.4375, 1.75, -0.9375, -2.5, -1.5, -2.8125, -1.6875, -2.3125, -0.6875, -0.6875, 2.5, 0.125, -3.375, -1.6875, -3.4375, -1.0625, -2.375, -3.0, 0.25, -0.375, 2.5, -3.125, 1.375, 0.6875, 3.0, -2.9375, 2.75, 1.1875, 2.5, -1.25, -3.0625, -3.3125, -3.375, -2.6875, 2.125, 2.3125, 1.25, -0.1875, 2.375, -2.0625, 0.125, -1.375, 1.1875, -0.125, 2.25, -2.25, 2.1875, 3.375, 0.0, 0.0625, -3.5, 0.1875, 3.125, 0.4375, -2.875, -3.5, -1.5, -3.0625, -2.125, 1.75, -2.8125, -1.25, 0.3125, -3.0625, 3.0625, -3.5, 2.4375, 3.125, -3.4375, 2.5625, 3.1875, 2.4375, 0.9375, -1.0, -2.75, -1.0, 2.0, -2.75, 0.5, 1.0, -1.0, -3.1875, -1.5625, 1.3125, 1.625, -0.0625, -1.1875, 1.0625, -3.4375, -1.625, -0.0625, 3.1875, -1.1875, -1.125, 2.3125, -2.875, 0.8125, 2.9375, 3.3125, -1.6875, 1.625, 1.0, -2.9375, -2.5625, -2.5, 0.5, 1.75, 3.0625, 3.6875, -0.875, 2.125, 3.125, 2.5625, -3.3125, 0.8125, -1.1875, 2.0, 2.375, -0.1875, -3.5625, 0.4375, 3.4375, 0.3125, -2.625, -1.8125, 1.75, -0.375, 0.4375, 1.3125, 2.1875, -1.625, -3.625, -0.4375, -1.3125, -3.1875, -1.875, 0.5, 0.0625, 1.4375, -2.3125, 3.5, -1.3125, -3.0, -2.625, 3.375, -1.1875, 3.75, -1.25, -3.4375, 0.5625, 2.4375, 0.8125, -2.0, -3.5625, 3.3125, 1.3125, -3.0, 3.125, -2.1875, 1.5, 1.0]]> : tensor<1x256xf32>} : () -> tensor<1x256xf32>
  %nq = qapeft.fake_quant %n scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x256xf32>, tensor<f32>
  %b = tosa.add %aq, %nq : (tensor<?x256xf32>, tensor<1x256xf32>) -> tensor<?x256xf32>
  %bq = qapeft.fake_quant %b scale %sixteenth zero_point %zero scheme <bits = 8, storage = i8> : tensor<?x256xf32>, tensor<f32>
  %rows_shape = tosa.const_shape {values = dense<[-1, 16, 16]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %rows = tosa.reshape %bq, %rows_shape : (tensor<?x256xf32>, !tosa.shape<3>) -> tensor<?x16x16xf32>
  %p_m = tosa.reduce_max %rows {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %p_d = tosa.sub %rows, %p_m : (tensor<?x16x16xf32>, tensor<?x16x1xf32>) -> tensor<?x16x16xf32>
  %p_e = tosa.exp %p_d : (tensor<?x16x16xf32>) -> tensor<?x16x16xf32>
  %p_s = tosa.reduce_sum %p_e {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %p_r = tosa.reciprocal %p_s : (tensor<?x16x1xf32>) -> tensor<?x16x1xf32>
  %p_y = tosa.mul %p_e, %p_r, %sh : (tensor<?x16x16xf32>, tensor<?x16x1xf32>, tensor<1xi8>) -> tensor<?x16x16xf32>
  %p_os = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %p_oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %p = qapeft.fake_quant %p_y scale %p_os zero_point %p_oz scheme <bits = 8, storage = i8> : tensor<?x16x16xf32>, tensor<f32>
  %q_m = tosa.reduce_max %rows {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %q_d = tosa.sub %rows, %q_m : (tensor<?x16x16xf32>, tensor<?x16x1xf32>) -> tensor<?x16x16xf32>
  %q_e = tosa.exp %q_d : (tensor<?x16x16xf32>) -> tensor<?x16x16xf32>
  %q_s = tosa.reduce_sum %q_e {axis = 2 : i32} : (tensor<?x16x16xf32>) -> tensor<?x16x1xf32>
  %q_r = tosa.reciprocal %q_s : (tensor<?x16x1xf32>) -> tensor<?x16x1xf32>
  %q_y = tosa.mul %q_e, %q_r, %sh : (tensor<?x16x16xf32>, tensor<?x16x1xf32>, tensor<1xi8>) -> tensor<?x16x16xf32>
  %q_os = "tosa.const"() {values = dense<0.005> : tensor<f32>} : () -> tensor<f32>
  %q_oz = "tosa.const"() {values = dense<-100.0> : tensor<f32>} : () -> tensor<f32>
  %q = qapeft.fake_quant %q_y scale %q_os zero_point %q_oz scheme <bits = 8, storage = i8> : tensor<?x16x16xf32>, tensor<f32>
  return %p, %q : tensor<?x16x16xf32>, tensor<?x16x16xf32>
}
