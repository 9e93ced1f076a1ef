// SGD with momentum and the MSE loss.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=1 names=fc" --qapeft-training-graph="loss=mse optimizer=sgd momentum=0.9 lr=0.5" | FileCheck %s --check-prefix=SGD
// Full fine-tuning of a base weight and a bias, no fake quant.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-mark-trainable="names=conv1\.weight|fc\.bias" --qapeft-training-graph="optimizer=sgd" | FileCheck %s --check-prefix=QAFT
// (IA)^3 and the LoRA side path.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=ia3" --qapeft-training-graph | FileCheck %s --check-prefix=IA3
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora-side rank=2 names=fc" --qapeft-training-graph | FileCheck %s --check-prefix=SIDE

// SGD: func.func @train_step(%[[A:[^:]*]]: tensor<1x64xf32> {qapeft.param = "fc.lora_a"}, %[[B:[^:]*]]: tensor<10x1xf32> {qapeft.param = "fc.lora_b"}, %[[MA:[^:]*]]: tensor<1x64xf32> {qapeft.opt_state = "fc.lora_a.momentum"}, %[[MB:[^:]*]]: tensor<10x1xf32> {qapeft.opt_state = "fc.lora_b.momentum"}, %{{.*}}: tensor<f32> {qapeft.step}, %[[LR:[^:]*]]: tensor<f32> {qapeft.lr}, %{{.*}}: tensor<?x8x8x1xf32> {qapeft.input}, %[[T:[^:]*]]: tensor<?x10xf32> {qapeft.labels})
// SGD-SAME: attributes {qapeft.default_lr = 5.000000e-01 : f32, qapeft.loss = "mse", qapeft.optimizer = "sgd"}
// SGD: %[[LOSS:.*]], %[[DP:.*]] = qapeft.mse %{{.*}}, %[[T]] : (tensor<?x10xf32>, tensor<?x10xf32>) -> (tensor<f32>, tensor<?x10xf32>)
// SGD: %[[ZERO:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<f32>}>
// No ReLU mask: conv1 is frozen, so nothing flows back past fc.
// SGD-NOT: tosa.select
// SGD: %[[PA:.*]], %[[NA:.*]] = qapeft.sgd %[[A]], %{{.*}}, %[[MA]], %[[LR]] {momentum = 0.899999976 : f32}
// SGD: %[[PB:.*]], %[[NB:.*]] = qapeft.sgd %[[B]], %{{.*}}, %[[MB]], %[[LR]] {momentum = 0.899999976 : f32}
// SGD: return %[[PA]], %[[PB]], %[[NA]], %[[NB]], %[[LOSS]], %[[ZERO]]

// QAFT: func.func @train_step(%{{.*}}: tensor<4x3x3x1xf32> {qapeft.param = "conv1.weight"}, %{{.*}}: tensor<10xf32> {qapeft.param = "fc.bias"}
// QAFT: qapeft.conv2d_backprop_input %{{.*}}, %{{.*}} {{.*}} : (tensor<?x1x1x10xf32>, tensor<10x1x1x64xf32>) -> tensor<?x1x1x64xf32>
// The bias gradient: dy summed over batch, height and width.
// QAFT: tosa.reduce_sum %{{.*}} {axis = 0 : i32} : (tensor<?x1x1x10xf32>) -> tensor<1x1x1x10xf32>
// QAFT: tosa.reduce_sum %{{.*}} {axis = 1 : i32}
// QAFT: tosa.reduce_sum %{{.*}} {axis = 2 : i32}
// QAFT: tosa.reshape {{.*}} -> tensor<10xf32>
// QAFT: tosa.greater
// QAFT: tosa.select
// QAFT: qapeft.conv2d_backprop_filter {{.*}} -> tensor<4x3x3x1xf32>
// QAFT-COUNT-2: qapeft.sgd

// IA3: qapeft.ia3 %{{.*}}, %{{.*}} {axis = 3 : i64}
// The scale's gradient: sum over every axis but the channel one of dy * x.
// IA3: tosa.mul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x1x1x10xf32>, tensor<?x1x1x10xf32>, tensor<1xi8>) -> tensor<?x1x1x10xf32>
// IA3: tosa.reshape {{.*}} -> tensor<10xf32>
// IA3-COUNT-2: qapeft.adam

// SIDE: qapeft.lora_side
// SIDE: tosa.matmul {{.*}} : (tensor<1x?x10xf32>, tensor<1x10x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x2xf32>
// SIDE-COUNT-2: qapeft.adam
