// Learned step size quantization (LSQ) in --qapeft-insert-fake-quant.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 names=conv1" --qapeft-insert-fake-quant="lsq=all" | FileCheck %s --check-prefix=ALL
// On a model that is already quantized (and calibrated), lsq turns the
// existing ranges into learnable ones: weight_range by a weight scale param.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 names=conv1" --qapeft-insert-fake-quant --qapeft-insert-fake-quant="lsq=weight" | FileCheck %s --check-prefix=UPGRADE
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-fake-quant --qapeft-insert-fake-quant="lsq=activation" | FileCheck %s --check-prefix=ACT
// Without lsq nothing is trainable.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-fake-quant | FileCheck %s --check-prefix=NONE

// Activation scales start at 2 / sqrt(127) = 0.17747 (LSQ's 2 E|x| /
// sqrt(qmax) with E|x| = 1); their zero points stay frozen.
// ALL: %[[IS:.*]] = qapeft.param "input.scale" trainable dense<0.177471295> : tensor<f32>
// ALL-NEXT: %[[IZ:.*]] = qapeft.param "input.zero_point" dense<0.000000e+00> : tensor<f32>
// ALL-NEXT: qapeft.fake_quant %arg0 scale %[[IS]] zero_point %[[IZ]] scheme <bits = 8, storage = i8, range = learnable>
// Weight scales per output channel: 2 mean|w| / sqrt(127) of the base
// weight (B = 0 at insertion): channel 0 has sum|w| = 4.375 over 9 values,
// 2 * 0.48611 / 11.2694 = 0.086271; channels 1 and 2 sum 4.5, channel 3 3.0.
// ALL: %[[D:.*]] = qapeft.lora_delta
// ALL-NEXT: %[[WS:.*]] = qapeft.param "conv1.weight.scale" trainable dense<[0.0862707719, 0.088735655, 0.088735655, 5.915710e-02]> : tensor<4xf32>
// ALL-NEXT: %[[WZ:.*]] = qapeft.param "conv1.weight.zero_point" dense<0.000000e+00> : tensor<4xf32>
// ALL-NEXT: %[[WQ:.*]] = qapeft.fake_quant %[[D]] scale %[[WS]] zero_point %[[WZ]] scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = learnable> : tensor<4x3x3x1xf32>, tensor<4xf32>
// ALL-NEXT: tosa.conv2d %{{.*}}, %[[WQ]]
// ALL: qapeft.param "conv1.scale" trainable dense<0.177471295>
// The frozen fc weight (0.01 everywhere, not adapted) gets a learned scale
// too: 2 * 0.01 / sqrt(127).
// ALL: qapeft.param "fc.weight.scale" trainable dense<0.00177471293> : tensor<10xf32>
// ALL: qapeft.param "fc.scale" trainable
// ALL-NOT: qapeft.weight_range

// UPGRADE-NOT: qapeft.weight_range
// UPGRADE: qapeft.param "input.scale" dense<1.000000e+00>
// UPGRADE: qapeft.param "conv1.weight.scale" trainable dense<[0.0862707719, 0.088735655, 0.088735655, 5.915710e-02]>
// UPGRADE: qapeft.fake_quant {{.*}} range = learnable> : tensor<4x3x3x1xf32>, tensor<4xf32>
// UPGRADE: qapeft.param "conv1.scale" dense<1.000000e+00>
// UPGRADE: qapeft.fake_quant {{.*}} scheme <bits = 8, storage = i8> : tensor<?x4x4x4xf32>
// UPGRADE: qapeft.param "fc.weight.scale" trainable
// UPGRADE-NOT: qapeft.weight_range

// The existing (calibrated) activation scales become trainable, keeping
// their values; weights keep their per-step ranges.
// ACT: qapeft.param "input.scale" trainable dense<1.000000e+00>
// ACT: range = learnable> : tensor<?x8x8x1xf32>
// ACT: qapeft.weight_range {{.*}} range = weight>
// ACT: qapeft.param "conv1.scale" trainable dense<1.000000e+00>
// ACT: qapeft.param "fc.scale" trainable

// NONE-NOT: trainable
// NONE-NOT: learnable
