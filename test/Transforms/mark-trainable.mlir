// QAFT: base weights become trainable parameters.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-mark-trainable="names=.*\.weight" | FileCheck %s
// After adapters the base weight is a frozen param: mark it trainable, then
// freeze the LoRA A factors.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=1" --qapeft-mark-trainable="names=fc\.weight" --qapeft-mark-trainable="names=.*lora_a freeze=true" | FileCheck %s --check-prefix=PARAMS
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-mark-trainable 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-mark-trainable="names=[" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-mark-trainable="names=nothing" 2>&1 | FileCheck %s --check-prefix=NONE

// CHECK: %[[W:.*]] = qapeft.param "conv1.weight" trainable dense<{{.*}}> : tensor<4x3x3x1xf32>
// CHECK-NOT: qapeft.param "conv1.bias"
// CHECK: tosa.conv2d %arg0, %[[W]]
// CHECK: qapeft.param "fc.weight" trainable dense<0.00999999977> : tensor<10x1x1x64xf32>

// PARAMS: qapeft.param "conv1.weight" dense
// PARAMS: qapeft.param "conv1.lora_a" dense
// PARAMS: qapeft.param "conv1.lora_b" trainable
// PARAMS: qapeft.param "fc.weight" trainable
// PARAMS: qapeft.param "fc.lora_a" dense
// PARAMS: qapeft.param "fc.lora_b" trainable

// EMPTY: error: --qapeft-mark-trainable needs names=<regex>
// REGEX: error: invalid names= regex '['
// NONE: warning: no parameter or named constant matched names='nothing'
