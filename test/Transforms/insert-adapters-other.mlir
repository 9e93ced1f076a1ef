// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=ia3" | FileCheck %s --check-prefix=IA3
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora-side rank=2 alpha=4 names=fc" | FileCheck %s --check-prefix=SIDE
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter bottleneck=2 names=conv1" | FileCheck %s --check-prefix=BN
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter bottleneck=3 activation=identity placement=pfeiffer" | FileCheck %s --check-prefix=BN2

// (IA)^3: a trainable vector of ones on the output channels, before the
// ReLU (so it folds into the conv's per-channel scales).
// IA3: %[[C:.*]] = tosa.conv2d
// IA3-NEXT: %[[S:.*]] = qapeft.param "conv1.ia3" trainable dense<1.000000e+00> : tensor<4xf32>
// IA3-NEXT: %[[Y:.*]] = qapeft.ia3 %[[C]], %[[S]] {axis = 3 : i64} : tensor<?x4x4x4xf32>, tensor<4xf32>
// IA3-NEXT: tosa.clamp %[[Y]]
// IA3: qapeft.param "fc.ia3" trainable dense<1.000000e+00> : tensor<10xf32>
// IA3: qapeft.ia3 {{.*}} {axis = 3 : i64} : tensor<?x1x1x10xf32>, tensor<10xf32>

// LoRA side path on the fully connected layer: A [rank, 64] random,
// B [10, rank] zero, the base weight untouched.
// SIDE: %[[X:.*]] = tosa.reshape
// SIDE: qapeft.param "fc.weight" dense<0.00999999977> : tensor<10x1x1x64xf32>
// SIDE: %[[Y:.*]] = tosa.conv2d %[[X]]
// SIDE-NEXT: %[[A:.*]] = qapeft.param "fc.lora_a" trainable {{.*}} : tensor<2x64xf32>
// SIDE-NEXT: %[[B:.*]] = qapeft.param "fc.lora_b" trainable dense<0.000000e+00> : tensor<10x2xf32>
// SIDE-NEXT: %[[O:.*]] = qapeft.lora_side %[[X]], %[[Y]], %[[A]], %[[B]] {alpha = 4.000000e+00 : f32, rank = 2 : i64}
// SIDE-NEXT: tosa.const_shape
// SIDE-NEXT: tosa.reshape %[[O]]

// Bottleneck adapter after conv1's ReLU (the sublayer output): down [h, d]
// random, its bias, up and up bias zero (the identity at step 0).
// BN: %[[C:.*]] = tosa.conv2d
// BN-NEXT: %[[R:.*]] = tosa.clamp %[[C]]
// BN-NEXT: %[[D:.*]] = qapeft.param "conv1.adapter_down" trainable dense<{{\[\[}}{{.*}}> : tensor<2x4xf32>
// BN-NEXT: %[[DB:.*]] = qapeft.param "conv1.adapter_down_bias" trainable dense<0.000000e+00> : tensor<2xf32>
// BN-NEXT: %[[U:.*]] = qapeft.param "conv1.adapter_up" trainable dense<0.000000e+00> : tensor<4x2xf32>
// BN-NEXT: %[[UB:.*]] = qapeft.param "conv1.adapter_up_bias" trainable dense<0.000000e+00> : tensor<4xf32>
// BN-NEXT: %[[Y:.*]] = qapeft.bottleneck %[[R]], %[[D]], %[[DB]], %[[U]], %[[UB]] relu houlsby : tensor<?x4x4x4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<4x2xf32>, tensor<4xf32>
// BN: tosa.reshape %[[Y]]
// BN-NOT: qapeft.bottleneck

// Pfeiffer placement keeps only the last selected layer of each block; the
// names conv1 and fc have no '.', so the model is one block and only fc gets
// an adapter (insert-adapters-placement.mlir has blocks). fc has no ReLU, so
// its adapter reads the conv output directly.
// BN2-NOT: conv1.adapter
// BN2: %[[FC:.*]] = tosa.conv2d {{.*}} -> tensor<?x1x1x10xf32>
// BN2: qapeft.bottleneck %[[FC]], {{.*}} identity pfeiffer : tensor<?x1x1x10xf32>, tensor<3x10xf32>
// BN2-NOT: qapeft.bottleneck
