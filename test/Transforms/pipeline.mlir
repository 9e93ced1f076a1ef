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
// Bottleneck adapters through the same flow: the adapter reads conv1's
// quantized ReLU output, and all four of its tensors are trained.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=adapter bottleneck=2 names=conv1 activation=relu placement=houlsby" | qapeft-opt --qapeft-training-graph | FileCheck %s --check-prefix=BN
// BN: tosa.clamp
// BN: %[[Q:.*]] = qapeft.fake_quant
// BN: qapeft.bottleneck %[[Q]], {{.*}} relu houlsby
// BN: func.func @train_step({{.*}}qapeft.param = "conv1.adapter_down"{{.*}}qapeft.param = "conv1.adapter_down_bias"{{.*}}qapeft.param = "conv1.adapter_up"{{.*}}qapeft.param = "conv1.adapter_up_bias"

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
