// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-assign-precision="overrides=fc:int16x8" | FileCheck %s
// The training graph computes through regions (their bodies are inlined).
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="rank=2" --qapeft-assign-precision="overrides=fc:int16x8" --qapeft-training-graph | FileCheck %s --check-prefix=TRAIN
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-assign-precision="overrides=fc:int12" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-assign-precision="overrides=softmax:f32" 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not qapeft-opt %s --qapeft-assign-precision="overrides=conv:int16x8" 2>&1 | FileCheck %s --check-prefix=TARGET

// The region holds the layer's whole kernel: the conv and the reshape of
// the fully connected form that follows it (no fake quants here: see
// assign-precision-regions.mlir for the quantized forms).
// CHECK: %[[X:.*]] = tosa.reshape
// CHECK: %[[R:.*]] = qapeft.region int16x8 {
// CHECK-NEXT: %[[C:.*]] = tosa.conv2d %[[X]]
// CHECK-NEXT: %[[Y:.*]] = tosa.reshape %[[C]]
// CHECK-NEXT: qapeft.yield %[[Y]] : tensor<?x10xf32>
// CHECK-NEXT: } : tensor<?x10xf32>
// CHECK: return %[[R]]

// TRAIN: func.func @forward
// TRAIN: qapeft.region int16x8
// TRAIN: func.func @train_step
// TRAIN-NOT: qapeft.region
// TRAIN: qapeft.conv2d_backprop_filter {{.*}} -> tensor<10x1x1x64xf32>
// TRAIN-COUNT-4: qapeft.adam

// BAD: error: bad override 'fc:int12'; expected <op name>:<precision> with precision int8, int16x8, int4x8, f16 or f32
// MISSING: error: no op is named 'softmax' (from overrides=)

// A target without int16x8 kernels refuses the override.
// TARGET: error: {{.*}}target 'int8-only' does not allow precision int16x8 (allowed: int8)
module attributes {qapeft.target = {name = "int8-only", activation = #qapeft.scheme<bits = 8, storage = i8>, weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true>, precisions = [#qapeft<precision int8>]}} {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %y = tosa.mul %x, %x, %shift : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<1xi8>) -> tensor<?x4xf32> loc("conv")
    return %y : tensor<?x4xf32>
  }
}
