// The registered pipeline equals its passes run one by one.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=lora rank=2 alpha=8 ops=conv2d,matmul seed=3" > %t.pipeline
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 alpha=8 ops=conv2d,matmul seed=3" --qapeft-insert-fake-quant > %t.passes
// RUN: diff %t.pipeline %t.passes
// RUN: FileCheck %s < %t.pipeline
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=ia3 mode=adapter" | FileCheck %s --check-prefix=IA3
// The user flow of the issue: prepare, then the training graph.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=lora rank=4 alpha=8 ops=conv2d,matmul" | qapeft-opt --qapeft-training-graph="loss=softmax-cross-entropy optimizer=adam lr=1e-3" | FileCheck %s --check-prefix=FLOW
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="rank=2 overrides=fc:int16x8" | FileCheck %s --check-prefix=PREC
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=lora bogus=1" 2>&1 | FileCheck %s --check-prefix=BADOPT

// CHECK: qapeft.lora_delta
// CHECK: qapeft.weight_range
// CHECK: qapeft.fake_quant

// IA3: qapeft.ia3
// IA3: qapeft.param "conv1.scale"

// FLOW: func.func @train_step
// FLOW-COUNT-4: qapeft.adam
// FLOW: return

// PREC: qapeft.fake_quant
// PREC: qapeft.region int16x8
// PREC: tosa.conv2d
// PREC: qapeft.yield

// BADOPT: no such option bogus
