// RUN: qapeft-opt %s --qapeft-lower-to-integer | FileCheck %s
// RUN: not qapeft-opt %s --qapeft-lower-to-integer=function=missing 2>&1 | FileCheck %s --check-prefix=MISSING

// Only @forward (the default) becomes integer; @other keeps its float
// fake quant although its input is quantized too.
// CHECK-LABEL: func.func @forward(%arg0: tensor<4xi8>
// CHECK-LABEL: func.func @other(%arg0: tensor<4xf32>
// CHECK: qapeft.fake_quant
// MISSING: error: no function @missing to lower to integer
func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %q : tensor<4xf32>
}
func.func @other(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %q : tensor<4xf32>
}
