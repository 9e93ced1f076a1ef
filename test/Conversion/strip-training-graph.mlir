// RUN: qapeft-opt %s --qapeft-strip-training-graph | FileCheck %s

// The step function emitted by --qapeft-training-graph goes; the model and
// any other function stay.

// CHECK-NOT: @train_step
// CHECK-LABEL: func.func @forward
// CHECK-LABEL: func.func @helper
// CHECK-NOT: @train_step
func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
func.func @train_step(%p: tensor<2xf32> {qapeft.param = "p"}) -> tensor<2xf32>
    attributes {qapeft.optimizer = "sgd"} {
  return %p : tensor<2xf32>
}
func.func @helper(%x: tensor<2xf32>) -> tensor<2xf32> {
  return %x : tensor<2xf32>
}
