// RUN: qapeft-opt %s --split-input-file --verify-diagnostics --qapeft-lower-to-integer=function=
// RUN: not qapeft-opt %s --qapeft-lower-to-integer="function= rounding=nearest" 2>&1 | FileCheck %s --check-prefix=OPT

// OPT: unknown rounding 'nearest': expected single, double, fp32-half-even or half-away

// The bias 3e8 at s_in * s_w = 1e-4 is 3e12: it does not fit 32 bits.
func.func @bias_overflow(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %wq = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  // expected-error@+1 {{bias of output channel 1 (3.000000e+08) does not fit 32 signed bits}}
  %bias = "tosa.const"() {values = dense<[0.0, 3.0e8]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// A conv whose input is not fake quantized cannot become integer.
func.func @float_input(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %e = tosa.exp %xq : (tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32>
  return %e : tensor<1x1x1x2xf32>
}
// expected-error@-3 {{cannot lower to integer: no integer lowering for tosa.exp}}

// -----

func.func @lora_left(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %a = qapeft.param "c.lora_a" trainable dense<0.0> : tensor<1x2xf32>
  %b = qapeft.param "c.lora_b" trainable dense<0.0> : tensor<2x1xf32>
  // expected-error@+1 {{cannot lower to integer: run --qapeft-merge-adapters first}}
  %m = qapeft.lora_delta %w, %a, %b {alpha = 1.0 : f32, rank = 1 : i64} : tensor<2x1x1x2xf32>, tensor<1x2xf32>, tensor<2x1xf32>
  %wq = qapeft.fake_quant %m scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// A conv without an output quantizer.
func.func @no_output_quantizer(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %wq = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  // expected-error@+1 {{cannot lower to integer: no integer lowering for this op between a tosa.conv2d and its output quantizer}}
  return %y : tensor<1x1x1x2xf32>
}
