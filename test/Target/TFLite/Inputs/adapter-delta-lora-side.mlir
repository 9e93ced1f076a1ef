// Delta deployment of a LoRA side path, y = base(x) + s (x A^T) B^T, as
// explicit integer-lowerable ops: the base FULLY_CONNECTED stays as it is,
// the adapter is two small FULLY_CONNECTED layers (A: 2x8, B: 4x2 with the
// scaling s folded in) and one ADD, each output fake quantized on its own
// grid (the QA-PEFT form such a side path needs). Used by
// conformance-adapter-delta.test.
func.func @forward(%x: tensor<?x8xf32>) -> tensor<?x4xf32> {
  %xs = "tosa.const"() {values = dense<0.05> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<-3.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %base_s4 = tosa.const_shape {values = dense<[-1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %base_in = tosa.reshape %xq, %base_s4 : (tensor<?x8xf32>, !tosa.shape<4>) -> tensor<?x1x1x8xf32>
  %base_w = "tosa.const"() {values = dense<[[[[-0.1820, -0.0780, 0.0260, 0.1300, -0.1430, -0.0390, 0.0650, 0.1690]]], [[[-0.1040, 0.0000, 0.1040, -0.1690, -0.0650, 0.0390, 0.1430, -0.1300]]], [[[-0.0260, 0.0780, 0.1820, -0.0910, 0.0130, 0.1170, -0.1560, -0.0520]]], [[[0.0520, 0.1560, -0.1170, -0.0130, 0.0910, -0.1820, -0.0780, 0.0260]]]]> : tensor<4x1x1x8xf32>} : () -> tensor<4x1x1x8xf32> loc("base.weight")
  %base_ws, %base_wz = qapeft.weight_range %base_w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<4x1x1x8xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  %base_wq = qapeft.fake_quant %base_w scale %base_ws zero_point %base_wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<4x1x1x8xf32>, tensor<4xf32>
  %base_b = "tosa.const"() {values = dense<[0.1000, -0.2000, 0.0500, 0.0000]> : tensor<4xf32>} : () -> tensor<4xf32>
  %base_zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %base_y = tosa.conv2d %base_in, %base_wq, %base_b, %base_zp, %base_zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<4x1x1x8xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x4xf32> loc("base")
  %base_s2 = tosa.const_shape {values = dense<[-1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %base_o = tosa.reshape %base_y, %base_s2 : (tensor<?x1x1x4xf32>, !tosa.shape<2>) -> tensor<?x4xf32>
  %base_os = "tosa.const"() {values = dense<0.08> : tensor<f32>} : () -> tensor<f32>
  %base_oz = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %base_q = qapeft.fake_quant %base_o scale %base_os zero_point %base_oz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %lora_a_s4 = tosa.const_shape {values = dense<[-1, 1, 1, 8]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %lora_a_in = tosa.reshape %xq, %lora_a_s4 : (tensor<?x8xf32>, !tosa.shape<4>) -> tensor<?x1x1x8xf32>
  %lora_a_w = "tosa.const"() {values = dense<[[[[-0.2200, 0.1200, 0.0000, -0.1200, 0.2200, 0.1000, -0.0200, -0.1400]]], [[[0.2000, 0.0800, -0.0400, -0.1600, 0.1800, 0.0600, -0.0600, -0.1800]]]]> : tensor<2x1x1x8xf32>} : () -> tensor<2x1x1x8xf32> loc("lora_a.weight")
  %lora_a_ws, %lora_a_wz = qapeft.weight_range %lora_a_w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<2x1x1x8xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %lora_a_wq = qapeft.fake_quant %lora_a_w scale %lora_a_ws zero_point %lora_a_wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<2x1x1x8xf32>, tensor<2xf32>
  %lora_a_b = "tosa.const"() {values = dense<[0.0000, 0.0000]> : tensor<2xf32>} : () -> tensor<2xf32>
  %lora_a_zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %lora_a_y = tosa.conv2d %lora_a_in, %lora_a_wq, %lora_a_b, %lora_a_zp, %lora_a_zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<2x1x1x8xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32> loc("lora_a")
  %lora_a_s2 = tosa.const_shape {values = dense<[-1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %lora_a_o = tosa.reshape %lora_a_y, %lora_a_s2 : (tensor<?x1x1x2xf32>, !tosa.shape<2>) -> tensor<?x2xf32>
  %lora_a_os = "tosa.const"() {values = dense<0.03> : tensor<f32>} : () -> tensor<f32>
  %lora_a_oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %lora_a_q = qapeft.fake_quant %lora_a_o scale %lora_a_os zero_point %lora_a_oz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  %lora_b_s4 = tosa.const_shape {values = dense<[-1, 1, 1, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %lora_b_in = tosa.reshape %lora_a_q, %lora_b_s4 : (tensor<?x2xf32>, !tosa.shape<4>) -> tensor<?x1x1x2xf32>
  %lora_b_w = "tosa.const"() {values = dense<[[[[-0.1500, -0.0900]]], [[[-0.0300, 0.0300]]], [[[0.0900, 0.1500]]], [[[-0.1200, -0.0600]]]]> : tensor<4x1x1x2xf32>} : () -> tensor<4x1x1x2xf32> loc("lora_b.weight")
  %lora_b_ws, %lora_b_wz = qapeft.weight_range %lora_b_w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<4x1x1x2xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  %lora_b_wq = qapeft.fake_quant %lora_b_w scale %lora_b_ws zero_point %lora_b_wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<4x1x1x2xf32>, tensor<4xf32>
  %lora_b_b = "tosa.const"() {values = dense<[0.0000, 0.0000, 0.0000, 0.0000]> : tensor<4xf32>} : () -> tensor<4xf32>
  %lora_b_zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %lora_b_y = tosa.conv2d %lora_b_in, %lora_b_wq, %lora_b_b, %lora_b_zp, %lora_b_zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x2xf32>, tensor<4x1x1x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x4xf32> loc("lora_b")
  %lora_b_s2 = tosa.const_shape {values = dense<[-1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %lora_b_o = tosa.reshape %lora_b_y, %lora_b_s2 : (tensor<?x1x1x4xf32>, !tosa.shape<2>) -> tensor<?x4xf32>
  %lora_b_os = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %lora_b_oz = "tosa.const"() {values = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %lora_b_q = qapeft.fake_quant %lora_b_o scale %lora_b_os zero_point %lora_b_oz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %sum = tosa.add %base_q, %lora_b_q : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32> loc("base.delta")
  %ss = "tosa.const"() {values = dense<0.09> : tensor<f32>} : () -> tensor<f32>
  %sz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %sq = qapeft.fake_quant %sum scale %ss zero_point %sz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %sq : tensor<?x4xf32>
}
