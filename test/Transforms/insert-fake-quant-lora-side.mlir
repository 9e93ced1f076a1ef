// side-path=delta: qapeft.lora_side becomes what a device that keeps the
// adapter as a delta runs: the base fully connected layer unchanged, two
// small fully connected layers (A, then B with alpha / rank folded in) and
// an add, each output on its own grid and A and B quantized as weights.
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=delta" | FileCheck %s
// Fused (the default): one fake quant after the side path.
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant | FileCheck %s --check-prefix=FUSED
// The training graph differentiates the expanded form (STE through the
// fake quants) and updates A and B under their names.
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=delta" --qapeft-training-graph | FileCheck %s --check-prefix=TRAIN
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=delta mode=adapter" | FileCheck %s --check-prefix=ADAPTER

// CHECK-LABEL: func.func @forward
// CHECK: %[[X:.*]] = qapeft.fake_quant %arg0
// CHECK: %[[XR:.*]] = tosa.reshape %[[X]]
// The base layer's own output before the add.
// CHECK: %[[Y:.*]] = tosa.conv2d %[[XR]]
// CHECK-NEXT: qapeft.param "fc.scale"
// CHECK-NEXT: qapeft.param "fc.zero_point"
// CHECK-NEXT: %[[YQ:.*]] = qapeft.fake_quant %[[Y]]
// CHECK: %[[YR:.*]] = tosa.reshape %[[YQ]]
// A in the OHWI layout of a 1x1 conv, same values, still trainable.
// CHECK: %[[A:.*]] = qapeft.param "fc.lora_a" trainable dense<{{\[\[\[\[}}1.000000e-01, 2.000000e-01, -3.000000e-01]]]]> : tensor<1x1x1x3xf32>
// B with alpha / rank = 4 / 1 folded in.
// CHECK: %[[B:.*]] = qapeft.param "fc.lora_b" trainable dense<{{\[\[\[\[}}4.000000e-01]]], {{\[\[\[}}-8.000000e-01]]]]> : tensor<2x1x1x1xf32>
// CHECK-NOT: qapeft.lora_side
// CHECK: qapeft.weight_range %[[A]] {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>}
// CHECK: %[[AQ:.*]] = qapeft.fake_quant %[[A]]
// CHECK: %[[M:.*]] = tosa.conv2d %{{.*}}, %[[AQ]]
// CHECK-SAME: -> tensor<?x1x1x1xf32>
// CHECK-NEXT: qapeft.param "fc.lora_mid.scale"
// CHECK-NEXT: qapeft.param "fc.lora_mid.zero_point"
// CHECK-NEXT: %[[MQ:.*]] = qapeft.fake_quant %[[M]]
// CHECK: %[[BQ:.*]] = qapeft.fake_quant %[[B]]
// CHECK: %[[U:.*]] = tosa.conv2d %{{.*}}, %[[BQ]]
// CHECK-SAME: -> tensor<?x1x1x2xf32>
// CHECK-NEXT: qapeft.param "fc.lora_up.scale"
// CHECK-NEXT: qapeft.param "fc.lora_up.zero_point"
// CHECK-NEXT: %[[UQ:.*]] = qapeft.fake_quant %[[U]]
// CHECK: %[[UR:.*]] = tosa.reshape %[[UQ]]
// The sum, with the fused ReLU that followed the side path.
// CHECK: %[[S:.*]] = tosa.add %[[YR]], %[[UR]] : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-NEXT: %[[R:.*]] = tosa.clamp %[[S]]
// CHECK-NEXT: qapeft.param "fc.delta.scale"
// CHECK-NEXT: qapeft.param "fc.delta.zero_point"
// CHECK-NEXT: qapeft.fake_quant %[[R]]

// FUSED-LABEL: func.func @forward
// FUSED-NOT: lora_mid
// FUSED: qapeft.lora_side
// FUSED-NOT: lora_mid

// TRAIN-LABEL: func.func @train_step
// TRAIN-SAME: {qapeft.param = "fc.lora_a"}
// TRAIN-SAME: {qapeft.param = "fc.lora_b"}
// TRAIN-DAG: qapeft.conv2d_backprop_filter {{.*}} -> tensor<2x1x1x1xf32>
// TRAIN-DAG: qapeft.conv2d_backprop_filter {{.*}} -> tensor<1x1x1x3xf32>

// Adapter mode quantizes the adapted layer: the base output, A, B, the
// side path and the sum, not the model input.
// ADAPTER-LABEL: func.func @forward
// ADAPTER-NOT: input.scale
// ADAPTER: qapeft.param "fc.scale"
// ADAPTER: qapeft.param "fc.lora_mid.scale"
// ADAPTER: qapeft.param "fc.lora_up.scale"
// ADAPTER: qapeft.param "fc.delta.scale"
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %s4 = tosa.const_shape {values = dense<[-1, 1, 1, 3]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %in = tosa.reshape %x, %s4 : (tensor<?x3xf32>, !tosa.shape<4>) -> tensor<?x1x1x3xf32>
  %w = qapeft.param "fc.weight" dense<[[[[0.5, -0.25, 0.125]]], [[[0.0, 0.75, -0.5]]]]> : tensor<2x1x1x3xf32>
  %b = qapeft.param "fc.bias" dense<[0.1, -0.1]> : tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %in, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32> loc("fc")
  %s2 = tosa.const_shape {values = dense<[-1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %y, %s2 : (tensor<?x1x1x2xf32>, !tosa.shape<2>) -> tensor<?x2xf32>
  %a = qapeft.param "fc.lora_a" trainable dense<[[0.1, 0.2, -0.3]]> : tensor<1x3xf32>
  %bb = qapeft.param "fc.lora_b" trainable dense<[[0.1], [-0.2]]> : tensor<2x1xf32>
  %side = qapeft.lora_side %x, %o, %a, %bb {alpha = 4.0 : f32, rank = 1 : i64} : tensor<?x3xf32>, tensor<?x2xf32>, tensor<1x3xf32>, tensor<2x1xf32>
  %r = tosa.clamp %side {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
