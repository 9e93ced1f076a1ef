// side-path=delta on a bottleneck adapter: x + up(relu(down x + db)) + ub
// becomes two fully connected layers (down with its bias and the ReLU as its
// fused clamp, up with its bias) and an add of the residual, every output
// on its own grid and both projections quantized as weights.
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=delta" | FileCheck %s
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=delta" --qapeft-training-graph | FileCheck %s --check-prefix=TRAIN

// CHECK-LABEL: func.func @forward
// CHECK: %[[X:.*]] = qapeft.fake_quant %arg0
// CHECK-DAG: %[[D:.*]] = qapeft.param "l.adapter_down" trainable dense<{{\[\[\[\[}}5.000000e-01, -5.000000e-01]]], {{\[\[\[}}2.500000e-01, 2.500000e-01]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG: %[[U:.*]] = qapeft.param "l.adapter_up" trainable dense<{{\[\[\[\[}}1.000000e+00, 0.000000e+00]]], {{\[\[\[}}0.000000e+00, -1.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG: %[[DB:.*]] = qapeft.param "l.adapter_down_bias" trainable dense<[1.000000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[UB:.*]] = qapeft.param "l.adapter_up_bias" trainable dense<[0.000000e+00, 5.000000e-02]> : tensor<2xf32>
// CHECK: %[[DQ:.*]] = qapeft.fake_quant %[[D]] {{.*}}granularity = per_channel, axis = 0, range = weight>
// CHECK: %[[H:.*]] = tosa.conv2d %{{.*}}, %[[DQ]], %[[DB]]
// CHECK-NEXT: %[[HR:.*]] = tosa.clamp %[[H]] {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32
// CHECK-NEXT: qapeft.param "l.adapter_hidden.scale"
// CHECK-NEXT: qapeft.param "l.adapter_hidden.zero_point"
// CHECK-NEXT: qapeft.fake_quant %[[HR]]
// CHECK: %[[UQ:.*]] = qapeft.fake_quant %[[U]] {{.*}}granularity = per_channel, axis = 0, range = weight>
// CHECK: %[[O:.*]] = tosa.conv2d %{{.*}}, %[[UQ]], %[[UB]]
// CHECK-NEXT: qapeft.param "l.adapter_out.scale"
// CHECK-NEXT: qapeft.param "l.adapter_out.zero_point"
// CHECK-NEXT: %[[OQ:.*]] = qapeft.fake_quant %[[O]]
// CHECK: %[[OR:.*]] = tosa.reshape %[[OQ]]
// CHECK: %[[S:.*]] = tosa.add %[[X]], %[[OR]] : (tensor<?x2xf32>, tensor<?x2xf32>) -> tensor<?x2xf32>
// CHECK-NEXT: qapeft.param "l.adapter.scale"
// CHECK-NEXT: qapeft.param "l.adapter.zero_point"
// CHECK-NEXT: qapeft.fake_quant %[[S]]
// CHECK-NOT: qapeft.bottleneck

// All four tensors are trained.
// TRAIN-LABEL: func.func @train_step
// TRAIN-SAME: {qapeft.param = "l.adapter_down"}
// TRAIN-SAME: {qapeft.param = "l.adapter_down_bias"}
// TRAIN-SAME: {qapeft.param = "l.adapter_up"}
// TRAIN-SAME: {qapeft.param = "l.adapter_up_bias"}
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %db = qapeft.param "l.adapter_down_bias" trainable dense<[0.1, 0.0]> : tensor<2xf32>
  %ub = qapeft.param "l.adapter_up_bias" trainable dense<[0.0, 0.05]> : tensor<2xf32>
  %d = qapeft.param "l.adapter_down" trainable dense<[[0.5, -0.5], [0.25, 0.25]]> : tensor<2x2xf32>
  %u = qapeft.param "l.adapter_up" trainable dense<[[1.0, 0.0], [0.0, -1.0]]> : tensor<2x2xf32>
  %y = qapeft.bottleneck %x, %d, %db, %u, %ub relu houlsby : tensor<?x2xf32>, tensor<2x2xf32>, tensor<2xf32>, tensor<2x2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}
