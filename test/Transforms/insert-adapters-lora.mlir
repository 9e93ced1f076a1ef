// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 alpha=8 seed=7" | FileCheck %s
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 alpha=8 seed=7" | qapeft-opt --qapeft-insert-adapters="adapter=lora rank=2 alpha=8 seed=7 names=nothing" | FileCheck %s --check-prefix=SAME
// Same seed, same values; another seed, other values.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 seed=7" | grep 'conv1.lora_a' > %t.seed7
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 seed=7" | grep 'conv1.lora_a' > %t.seed7b
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora rank=2 seed=8" | grep 'conv1.lora_a' > %t.seed8
// RUN: cmp %t.seed7 %t.seed7b
// RUN: not cmp -s %t.seed7 %t.seed8
// Selection by name regex (whole-name match) and by kind.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="names=fc" | FileCheck %s --check-prefix=NAMES
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="names=conv" 2>&1 | FileCheck %s --check-prefix=NONE
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="ops=matmul" 2>&1 | FileCheck %s --check-prefix=NONE

// CHECK-LABEL: func.func @forward
// The base weight becomes a frozen parameter, A a trainable random matrix
// [rank, fan_in] with |a| < 1/sqrt(9), B trainable zeros [out, rank].
// CHECK: %[[W:.*]] = qapeft.param "conv1.weight" dense<{{.*}}> : tensor<4x3x3x1xf32>
// CHECK: %[[BIAS:.*]] = qapeft.param "conv1.bias" dense<[1.000000e-01, -1.000000e-01, 2.000000e-01, 0.000000e+00]> : tensor<4xf32>
// CHECK: %[[A:.*]] = qapeft.param "conv1.lora_a" trainable dense<{{\[\[}}{{.*}}]]> : tensor<2x9xf32>
// CHECK: %[[B:.*]] = qapeft.param "conv1.lora_b" trainable dense<0.000000e+00> : tensor<4x2xf32>
// CHECK: %[[D:.*]] = qapeft.lora_delta %[[W]], %[[A]], %[[B]] {alpha = 8.000000e+00 : f32, rank = 2 : i64} : tensor<4x3x3x1xf32>, tensor<2x9xf32>, tensor<4x2xf32>
// CHECK: tosa.conv2d %{{.*}}, %[[D]], %[[BIAS]], %{{.*}}, %{{.*}}
// CHECK: qapeft.param "fc.weight" dense<0.00999999977> : tensor<10x1x1x64xf32>
// CHECK: qapeft.param "fc.bias" dense<0.000000e+00> : tensor<10xf32>
// CHECK: qapeft.param "fc.lora_a" trainable {{.*}} : tensor<2x64xf32>
// CHECK: qapeft.param "fc.lora_b" trainable dense<0.000000e+00> : tensor<10x2xf32>
// CHECK: qapeft.lora_delta {{.*}} : tensor<10x1x1x64xf32>, tensor<2x64xf32>, tensor<10x2xf32>
// CHECK-NOT: tosa.const"() <{values = dense<0.00999

// SAME-COUNT-2: qapeft.lora_delta

// NAMES-NOT: conv1.lora_a
// NAMES: qapeft.param "fc.lora_a" trainable {{.*}} : tensor<4x64xf32>
// NAMES: qapeft.lora_delta {{.*}} {alpha = 8.000000e+00 : f32, rank = 4 : i64}

// NONE: warning: no layer matched
// NONE-NOT: qapeft.lora_delta
