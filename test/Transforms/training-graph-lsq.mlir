// The training graph of learnable (LSQ) fake-quant scales; the numbers are
// checked in unittests/Transforms/LsqTest.cpp.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 names=conv1" --qapeft-insert-fake-quant="lsq=all" --qapeft-training-graph | FileCheck %s
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-fake-quant="lsq=activation" --qapeft-training-graph="optimizer=sgd lsq-lr-factor=0.5" | FileCheck %s --check-prefix=SGD

// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[IS:[a-z0-9]+]]: tensor<f32> {qapeft.param = "input.scale"}
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<2x9xf32> {qapeft.param = "conv1.lora_a"}
// CHECK-SAME: %{{[a-z0-9]+}}: tensor<4x2xf32> {qapeft.param = "conv1.lora_b"}
// CHECK-SAME: %[[WS:[a-z0-9]+]]: tensor<4xf32> {qapeft.param = "conv1.weight.scale"}
// CHECK-SAME: %[[CS:[a-z0-9]+]]: tensor<f32> {qapeft.param = "conv1.scale"}
// CHECK-SAME: %[[FWS:[a-z0-9]+]]: tensor<10xf32> {qapeft.param = "fc.weight.scale"}
// CHECK-SAME: %[[FS:[a-z0-9]+]]: tensor<f32> {qapeft.param = "fc.scale"}
// CHECK-SAME: %[[LR:[a-z0-9]+]]: tensor<f32> {qapeft.lr}
// Gradient scale 1 / sqrt(N * qmax): fc output N = 10 per sample (the
// dynamic batch is not counted): 1 / sqrt(1270) = 0.02806.
// CHECK: qapeft.lsq_scale_grad %{{.*}}, %[[FS]], %{{.*}}, %{{.*}} {grad_scale = 0.0280606765 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<?x1x1x10xf32>, tensor<f32>, tensor<f32>, tensor<?x1x1x10xf32>) -> tensor<f32>
// fc weight, per channel: N = 64 values per channel, 1 / sqrt(64 * 127).
// CHECK: qapeft.lsq_scale_grad %{{.*}}, %[[FWS]], %{{.*}}, %{{.*}} {grad_scale = 0.0110919559 : f32, {{.*}}per_channel, axis = 0, range = learnable>} : (tensor<10x1x1x64xf32>, tensor<10xf32>, tensor<10xf32>, tensor<10x1x1x64xf32>) -> tensor<10xf32>
// conv1 output: 4x4x4 = 64 per sample.
// CHECK: qapeft.lsq_scale_grad %{{.*}}, %[[CS]], {{.*}}grad_scale = 0.0110919559
// conv1 weight: 9 per channel, 1 / sqrt(9 * 127) = 0.02958.
// CHECK: qapeft.lsq_scale_grad %{{.*}}, %[[WS]], {{.*}}grad_scale = 0.0295785498
// The model input: 8x8x1 per sample.
// CHECK: %[[DIS:.*]] = qapeft.lsq_scale_grad %{{.*}}, %[[IS]], {{.*}}grad_scale = 0.0110919559
// The scales learn at lr * lsq-lr-factor (default 0.01) ...
// CHECK: %[[F:.*]] = "tosa.const"() <{values = dense<0.00999999977> : tensor<f32>}>
// CHECK: %[[SLR:.*]] = tosa.mul %[[LR]], %[[F]]
// CHECK: %[[NIS:.*]], %{{.*}}, %{{.*}} = qapeft.adam %[[IS]], %[[DIS]], %{{.*}}, %{{.*}}, %{{.*}}, %[[SLR]]
// ... the adapters at lr ...
// CHECK: qapeft.adam %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[LR]] {{.*}} -> (tensor<2x9xf32>
// ... and every updated scale is kept >= 1e-8.
// CHECK: %[[C0:.*]] = tosa.clamp %[[NIS]] {max_val = 3.40282347E+38 : f32, min_val = 9.99999993E-9 : f32} : (tensor<f32>) -> tensor<f32>
// CHECK-COUNT-4: tosa.clamp {{.*}}min_val = 9.99999993E-9
// CHECK: return %[[C0]]

// With sgd: the same scaled rate and clamp; only activation scales learn.
// SGD-LABEL: func.func @train_step
// SGD: %[[F:.*]] = "tosa.const"() <{values = dense<5.000000e-01> : tensor<f32>}>
// SGD: %[[SLR:.*]] = tosa.mul %{{.*}}, %[[F]]
// SGD-COUNT-3: qapeft.sgd {{.*}}, %[[SLR]] {momentum
// SGD-COUNT-3: tosa.clamp {{.*}}min_val = 9.99999993E-9
