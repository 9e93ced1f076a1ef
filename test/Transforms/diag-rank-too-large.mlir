// A LoRA rank larger than the weight matrix allows is an error at the layer,
// for each adaptable op kind. The layers' locations are bare names
// (loc("conv")), which carry no file position: hence @unknown.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-insert-adapters="adapter=lora rank=5 ops=conv2d,depthwise_conv2d,matmul"

func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x4x4x2xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x3xf32>} : () -> tensor<2x1x1x3xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @unknown {{rank 5 is larger than the weight of layer 'conv' allows: its 2x3 matrix has rank at most 2}}
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x2xf32> loc("conv")
  return %c : tensor<?x4x4x2xf32>
}

// -----

// Depthwise [KH, KW, C, M] with M = 1: C = 3 output channels, 2x2 taps.
func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x3x3x3xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<2x2x3x1xf32>} : () -> tensor<2x2x3x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @unknown {{rank 5 is larger than the weight of layer 'dw' allows: its 3x4 matrix has rank at most 3}}
  %c = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x2x3x1xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x3x3xf32> loc("dw")
  return %c : tensor<?x3x3x3xf32>
}

// -----

func.func @forward(%x: tensor<1x?x4xf32>) -> tensor<1x?x3xf32> {
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x4x3xf32>} : () -> tensor<1x4x3xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @unknown {{rank 5 is larger than the weight of layer 'mm' allows: its 3x4 matrix has rank at most 3}}
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x?x4xf32>, tensor<1x4x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x3xf32> loc("mm")
  return %y : tensor<1x?x3xf32>
}
