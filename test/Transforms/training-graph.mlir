// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2" --qapeft-insert-fake-quant --qapeft-training-graph="loss=softmax-cross-entropy optimizer=adam lr=1e-3" | FileCheck %s
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2" --qapeft-insert-fake-quant --qapeft-training-graph | qapeft-opt | FileCheck %s --check-prefix=ROUNDTRIP

// @forward stays for evaluation.
// CHECK-LABEL: func.func @forward(
// CHECK-LABEL: func.func @train_step(
// Arguments: trainable params, Adam state per param (m, v), step, lr, input, labels.
// CHECK-SAME: %[[A1:[^:]*]]: tensor<2x9xf32> {qapeft.param = "conv1.lora_a"},
// CHECK-SAME: %[[B1:[^:]*]]: tensor<4x2xf32> {qapeft.param = "conv1.lora_b"},
// CHECK-SAME: %[[A2:[^:]*]]: tensor<2x64xf32> {qapeft.param = "fc.lora_a"},
// CHECK-SAME: %[[B2:[^:]*]]: tensor<10x2xf32> {qapeft.param = "fc.lora_b"},
// CHECK-SAME: %[[M1:[^:]*]]: tensor<2x9xf32> {qapeft.opt_state = "conv1.lora_a.m"},
// CHECK-SAME: %[[V1:[^:]*]]: tensor<2x9xf32> {qapeft.opt_state = "conv1.lora_a.v"},
// CHECK-SAME: tensor<4x2xf32> {qapeft.opt_state = "conv1.lora_b.m"},
// CHECK-SAME: tensor<4x2xf32> {qapeft.opt_state = "conv1.lora_b.v"},
// CHECK-SAME: tensor<2x64xf32> {qapeft.opt_state = "fc.lora_a.m"},
// CHECK-SAME: tensor<2x64xf32> {qapeft.opt_state = "fc.lora_a.v"},
// CHECK-SAME: tensor<10x2xf32> {qapeft.opt_state = "fc.lora_b.m"},
// CHECK-SAME: tensor<10x2xf32> {qapeft.opt_state = "fc.lora_b.v"},
// CHECK-SAME: %[[STEP:[^:]*]]: tensor<f32> {qapeft.step},
// CHECK-SAME: %[[LR:[^:]*]]: tensor<f32> {qapeft.lr},
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x8x8x1xf32> {qapeft.input},
// CHECK-SAME: %[[LABELS:[^:]*]]: tensor<?xi32> {qapeft.labels})
// Results: new params, new state (same order), loss, correct.
// CHECK-SAME: -> (tensor<2x9xf32> {qapeft.param = "conv1.lora_a"}, tensor<4x2xf32> {qapeft.param = "conv1.lora_b"}, tensor<2x64xf32> {qapeft.param = "fc.lora_a"}, tensor<10x2xf32> {qapeft.param = "fc.lora_b"},
// CHECK-SAME: tensor<10x2xf32> {qapeft.opt_state = "fc.lora_b.v"}, tensor<f32> {qapeft.loss}, tensor<f32> {qapeft.correct})
// CHECK-SAME: attributes {qapeft.default_lr = 1.000000e-03 : f32, qapeft.loss = "softmax-cross-entropy", qapeft.optimizer = "adam"}
// Forward: the trainable params are the arguments; frozen ones stay params.
// CHECK: %[[XQ:.*]] = qapeft.fake_quant %[[X]]
// CHECK: %[[W1:.*]] = qapeft.param "conv1.weight"
// CHECK: %[[D1:.*]] = qapeft.lora_delta %[[W1]], %[[A1]], %[[B1]]
// CHECK: %[[S1:.*]], %[[Z1:.*]] = qapeft.weight_range %[[D1]]
// CHECK: %[[WQ1:.*]] = qapeft.fake_quant %[[D1]] scale %[[S1]] zero_point %[[Z1]]
// CHECK: %[[C1:.*]] = tosa.conv2d %[[XQ]], %[[WQ1]]
// CHECK: %[[R1:.*]] = tosa.clamp %[[C1]]
// CHECK: %[[RQ1:.*]] = qapeft.fake_quant %[[R1]]
// CHECK: %[[LOGITS:.*]] = tosa.reshape {{.*}} -> tensor<?x10xf32>
// CHECK: %[[LOSS:.*]], %[[DL:.*]], %[[CORRECT:.*]] = qapeft.softmax_cross_entropy %[[LOGITS]], %[[LABELS]] : (tensor<?x10xf32>, tensor<?xi32>) -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>)
// Backward of the output layer: reshape back, STE of the output fake quant,
// weight gradient, the STE of the weight, then the LoRA factors.
// CHECK: %[[DC2:.*]] = tosa.reshape %[[DL]]
// CHECK: %[[DQ2:.*]] = qapeft.fake_quant_grad %{{.*}}, %{{.*}}, %{{.*}}, %[[DC2]]
// CHECK: %[[DX2:.*]] = qapeft.conv2d_backprop_input %[[DQ2]], %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x10xf32>, tensor<10x1x1x64xf32>) -> tensor<?x1x1x64xf32>
// CHECK: %[[DW2:.*]] = qapeft.conv2d_backprop_filter %{{.*}}, %[[DQ2]] {{.*}} -> tensor<10x1x1x64xf32>
// CHECK: %[[DWD2:.*]] = qapeft.fake_quant_grad %{{.*}}, %{{.*}}, %{{.*}}, %[[DW2]] {scheme = {{.*}}per_channel, axis = 0
// CHECK: tosa.reshape %[[DWD2]], %{{.*}} : (tensor<10x1x1x64xf32>, !tosa.shape<3>) -> tensor<1x10x64xf32>
// dA = s * B^T @ dW ...
// CHECK: tosa.matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2x10xf32>, tensor<1x10x64xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x64xf32>
// CHECK: tosa.const{{.*}}dense<4.000000e+00> : tensor<1x1x1xf32>
// CHECK: %[[DA2:.*]] = tosa.reshape {{.*}} -> tensor<2x64xf32>
// ... dB = s * dW @ A^T
// CHECK: tosa.matmul %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x10x64xf32>, tensor<1x64x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x10x2xf32>
// CHECK: %[[DB2:.*]] = tosa.reshape {{.*}} -> tensor<10x2xf32>
// The hidden layer: the ReLU mask on the pre-activation, then conv1.
// CHECK: %[[DR1:.*]] = tosa.reshape %[[DX2]]
// CHECK: %[[DRQ1:.*]] = qapeft.fake_quant_grad %[[R1]], %{{.*}}, %{{.*}}, %[[DR1]]
// CHECK: %[[MASK:.*]] = tosa.greater %[[C1]], %{{.*}} : (tensor<?x4x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x4x4x4xi1>
// CHECK: %[[DC1:.*]] = tosa.select %[[MASK]], %[[DRQ1]], %{{.*}}
// CHECK-NOT: qapeft.conv2d_backprop_input %[[DC1]]
// CHECK: qapeft.conv2d_backprop_filter %[[XQ]], %[[DC1]] {dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<?x8x8x1xf32>, tensor<?x4x4x4xf32>) -> tensor<4x3x3x1xf32>
// CHECK: %[[DA1:.*]] = tosa.reshape {{.*}} -> tensor<2x9xf32>
// CHECK: %[[DB1:.*]] = tosa.reshape {{.*}} -> tensor<4x2xf32>
// Adam per parameter, then the results in the contract's order.
// CHECK: %[[PA1:.*]], %[[MA1:.*]], %[[VA1:.*]] = qapeft.adam %[[A1]], %[[DA1]], %[[M1]], %[[V1]], %[[STEP]], %[[LR]] {beta1 = 0.899999976 : f32, beta2 = 9.990000e-01 : f32, epsilon = 9.99999993E-9 : f32}
// CHECK: %[[PB1:.*]], %[[MB1:.*]], %[[VB1:.*]] = qapeft.adam %[[B1]], %[[DB1]]
// CHECK: %[[PA2:.*]], %[[MA2:.*]], %[[VA2:.*]] = qapeft.adam %[[A2]], %[[DA2]]
// CHECK: %[[PB2:.*]], %[[MB2:.*]], %[[VB2:.*]] = qapeft.adam %[[B2]], %[[DB2]]
// CHECK: return %[[PA1]], %[[PB1]], %[[PA2]], %[[PB2]], %[[MA1]], %[[VA1]], %[[MB1]], %[[VB1]], %[[MA2]], %[[VA2]], %[[MB2]], %[[VB2]], %[[LOSS]], %[[CORRECT]]

// ROUNDTRIP: func.func @train_step
// ROUNDTRIP: qapeft.adam
