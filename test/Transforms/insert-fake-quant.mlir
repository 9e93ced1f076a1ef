// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 names=conv1" --qapeft-insert-fake-quant | FileCheck %s --check-prefix=FULL
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 names=conv1" --qapeft-insert-fake-quant="mode=adapter" | FileCheck %s --check-prefix=ADAPTER
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-fake-quant="per-channel=false weight-bits=4 activation-bits=16" | FileCheck %s --check-prefix=OPTS
// Idempotent: a second run adds nothing.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-fake-quant --qapeft-insert-fake-quant | FileCheck %s --check-prefix=TWICE

// FULL-LABEL: func.func @forward
// The model input, on the calibrated activation grid.
// FULL: %[[IS:.*]] = qapeft.param "input.scale" dense<1.000000e+00> : tensor<f32>
// FULL: %[[IZ:.*]] = qapeft.param "input.zero_point" dense<0.000000e+00> : tensor<f32>
// FULL: %[[X:.*]] = qapeft.fake_quant %arg0 scale %[[IS]] zero_point %[[IZ]] scheme <bits = 8, storage = i8> : tensor<?x8x8x1xf32>, tensor<f32>
// The conv weight after the LoRA delta, per channel on axis 0 (OHWI), range
// from the weight itself each step.
// FULL: %[[D:.*]] = qapeft.lora_delta
// FULL: %[[WS:.*]], %[[WZ:.*]] = qapeft.weight_range %[[D]] {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<4x3x3x1xf32>) -> (tensor<4xf32>, tensor<4xf32>)
// FULL: %[[WQ:.*]] = qapeft.fake_quant %[[D]] scale %[[WS]] zero_point %[[WZ]] scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<4x3x3x1xf32>, tensor<4xf32>
// The bias is left alone.
// FULL: %[[C:.*]] = tosa.conv2d %[[X]], %[[WQ]], %{{.*}}, %{{.*}}, %{{.*}}
// The conv output is quantized after its fused ReLU, named after the layer.
// FULL-NEXT: %[[R:.*]] = tosa.clamp %[[C]]
// FULL-NEXT: %[[CS:.*]] = qapeft.param "conv1.scale"
// FULL-NEXT: %[[CZ:.*]] = qapeft.param "conv1.zero_point"
// FULL-NEXT: %[[RQ:.*]] = qapeft.fake_quant %[[R]] scale %[[CS]] zero_point %[[CZ]]
// The reshape moves data only: no fake quant of its own.
// FULL: tosa.reshape %[[RQ]]
// FULL-NOT: qapeft.fake_quant
// FULL: qapeft.weight_range {{.*}} : (tensor<10x1x1x64xf32>) -> (tensor<10xf32>, tensor<10xf32>)
// FULL: qapeft.fake_quant
// FULL: tosa.conv2d
// FULL-NEXT: qapeft.param "fc.scale"
// FULL-NEXT: qapeft.param "fc.zero_point"
// FULL-NEXT: qapeft.fake_quant
// FULL-NEXT: tosa.const_shape
// FULL-NEXT: tosa.reshape
// FULL-NEXT: return

// Adapter mode: only the adapted layer's weight and output.
// ADAPTER-NOT: input.scale
// ADAPTER: qapeft.weight_range
// ADAPTER: tosa.conv2d
// ADAPTER-NEXT: tosa.clamp
// ADAPTER-NEXT: qapeft.param "conv1.scale"
// ADAPTER-NEXT: qapeft.param "conv1.zero_point"
// ADAPTER-NEXT: qapeft.fake_quant
// ADAPTER-NOT: qapeft.fake_quant
// ADAPTER: return

// OPTS: qapeft.fake_quant %arg0 {{.*}} scheme <bits = 16, storage = i16>
// OPTS: qapeft.weight_range %{{.*}} {scheme = #qapeft.scheme<bits = 4, storage = i4, symmetric = true, narrow = true, range = weight>} : (tensor<4x3x3x1xf32>) -> (tensor<f32>, tensor<f32>)

// TWICE-COUNT-5: qapeft.fake_quant
// TWICE-NOT: qapeft.fake_quant
