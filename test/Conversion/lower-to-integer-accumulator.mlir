// RUN: qapeft-opt %s --split-input-file --verify-diagnostics --qapeft-lower-to-integer="function= accumulator-bits=16"

// Worst case with a 16-bit accumulator: input codes reach |-128 - 0| = 128,
// channel 0 has sum |w| = 4 * 127 = 508: 128 * 508 = 65024 > 32767.
// Channel 1 (sum |w| = 127 * 2 = 254: 32512) would still fit.
func.func @acc16(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x2xf32> {
  %s = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x4xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[127.0, -127.0, 127.0, -127.0]]], [[[127.0, 0.0, 0.0, -127.0]]]]> : tensor<2x1x1x4xf32>} : () -> tensor<2x1x1x4xf32>
  %wq = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x4xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error@+1 {{accumulator overflow possible: output channel 0 can reach 65024 in the worst case, beyond the 16-bit accumulator}}
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// Same weights, channel 1 only: 32512 fits the 16-bit accumulator.
func.func @acc16_fits(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x1xf32> {
  %s = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x4xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[127.0, 0.0, 0.0, -127.0]]]]> : tensor<1x1x1x4xf32>} : () -> tensor<1x1x1x4xf32>
  %wq = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<1x1x1x4xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x1xf32>, tensor<f32>
  return %o : tensor<1x1x1x1xf32>
}
