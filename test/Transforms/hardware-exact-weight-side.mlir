// RUN: qapeft-opt %s --qapeft-hardware-exact | FileCheck %s

// An elementwise op on the weight side (here a weight update added before
// the weight's quantizer, as a merged adapter would be) is not part of the
// integer graph: it is left alone, and the conv is shadowed as usual.

// CHECK-LABEL: func.func @forward
// CHECK: tosa.add %{{.*}}, %{{.*}} : (tensor<2x1x1x1xf32>, tensor<2x1x1x1xf32>)
// CHECK-NOT: qapeft.exact_elementwise
// CHECK: qapeft.exact_conv
// CHECK-NOT: qapeft.exact_elementwise
func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %s = qapeft.param "x.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w0 = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %dw = qapeft.param "conv.delta" trainable dense<0.25> : tensor<2x1x1x1xf32>
  %w = tosa.add %w0, %dw : (tensor<2x1x1x1xf32>, tensor<2x1x1x1xf32>) -> tensor<2x1x1x1xf32>
  %ws = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true> : tensor<2x1x1x1xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %a = qapeft.fake_quant %y scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %a : tensor<?x2x2x2xf32>
}
