// --qapeft-assign-precision puts the fake quants of a region on the region's
// grids, from the target's description of that precision (cmsis-nn: int8
// default, `modes.int16x8` with 16-bit symmetric activations), and places
// the requantize boundaries: an entry fake quant on the region's grid for
// each activation input (`<name>.in`), an exit fake quant on the surrounding
// grid for the result (`<name>.out`). Calibration fills their ranges.
//
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="target=cmsis-nn overrides=fc:int16x8" -o %t.fc16.mlir
// RUN: FileCheck %s --check-prefix=FC16 < %t.fc16.mlir
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="target=cmsis-nn overrides=conv1:int16x8" | FileCheck %s --check-prefix=CONV16
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="overrides=fc:f32" | FileCheck %s --check-prefix=F32
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="overrides=conv1:int4x8" | FileCheck %s --check-prefix=INT4
// Adjacent regions of one precision share their grid: no exit / entry pair
// between them.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="target=cmsis-nn overrides=conv1:int16x8,fc:int16x8" | FileCheck %s --check-prefix=ADJ
// The training graph differentiates through the re-schemed quantizers.
// RUN: qapeft-opt %t.fc16.mlir --qapeft-training-graph | FileCheck %s --check-prefix=TRAIN
// Calibration: the 16-bit symmetric grids get scale absmax / 32767 and zero
// point 0; the exit back to int8 gets the asymmetric int8 range.
// RUN: qapeft-sim make-npy --dtype f32 --shape 4x8x8x1 --values iota -o %t.x.npy
// RUN: qapeft-sim calibrate %t.fc16.mlir --data %t.x.npy --observer minmax -o %t.fc16.cal.mlir | FileCheck %s --check-prefix=CAL
// RUN: FileCheck %s --check-prefix=CALIR < %t.fc16.cal.mlir

// FC16: %[[IN:.*]] = qapeft.fake_quant %arg0 {{.*}}scheme <bits = 8, storage = i8, rounding = double>
// FC16: %[[X:.*]] = tosa.reshape
// FC16-DAG: %[[S:.*]] = qapeft.param "fc.in.scale"
// FC16-DAG: %[[Z:.*]] = qapeft.param "fc.in.zero_point"
// FC16: %[[R:.*]] = qapeft.region int16x8 {
// FC16-NEXT: %[[E:.*]] = qapeft.fake_quant %[[X]] scale %[[S]] zero_point %[[Z]] scheme <bits = 16, storage = i16, symmetric = true, rounding = double>
// FC16-NEXT: qapeft.weight_range {{.*}}#qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, rounding = double, range = weight>
// FC16-NEXT: %[[W:.*]] = qapeft.fake_quant {{.*}}scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0
// FC16-NEXT: %[[C:.*]] = tosa.conv2d %[[E]], %[[W]]
// FC16-NEXT: %[[O:.*]] = qapeft.fake_quant %[[C]] {{.*}}scheme <bits = 16, storage = i16, symmetric = true, rounding = double>
// FC16-NEXT: qapeft.yield %[[O]]
// FC16-NEXT: }
// FC16-NEXT: qapeft.param "fc.out.scale"
// FC16-NEXT: qapeft.param "fc.out.zero_point"
// FC16-NEXT: %[[Q:.*]] = qapeft.fake_quant %[[R]] {{.*}}scheme <bits = 8, storage = i8, rounding = double>
// FC16: tosa.reshape %[[Q]]

// The region's input is the model input's quantizer.
// CONV16: %[[IN:.*]] = qapeft.fake_quant %arg0 {{.*}}scheme <bits = 8, storage = i8, rounding = double>
// CONV16: qapeft.param "conv1.in.scale"
// CONV16: %[[R:.*]] = qapeft.region int16x8 {
// CONV16-NEXT: %[[E:.*]] = qapeft.fake_quant %[[IN]] {{.*}}bits = 16
// CONV16: tosa.conv2d %[[E]]
// CONV16-NEXT: %[[CL:.*]] = tosa.clamp
// CONV16-NEXT: %[[O:.*]] = qapeft.fake_quant %[[CL]] {{.*}}bits = 16
// CONV16-NEXT: qapeft.yield %[[O]]
// CONV16: qapeft.param "conv1.out.scale"
// CONV16: qapeft.fake_quant %[[R]] {{.*}}bits = 8

// An f32 island: no quantizer inside (float weights, LoRA delta included);
// the layer's output quantizer follows the region (the quantize boundary),
// and its input is its producer's int8 value.
// F32: %[[X:.*]] = tosa.reshape
// F32: %[[D:.*]] = qapeft.lora_delta
// F32-NEXT: %[[R:.*]] = qapeft.region f32 {
// F32-NEXT: %[[C:.*]] = tosa.conv2d %[[X]], %[[D]]
// F32-NEXT: qapeft.yield %[[C]]
// F32-NEXT: }
// F32-NEXT: qapeft.param "fc.scale"
// F32-NEXT: qapeft.param "fc.zero_point"
// F32-NEXT: qapeft.fake_quant %[[R]] {{.*}}bits = 8
// F32-NOT: fc.in.scale
// F32-NOT: fc.out.scale

// int4x8: 4-bit weights, activations on the surrounding 8-bit grid, so no
// boundary.
// INT4-NOT: conv1.in.scale
// INT4: qapeft.region int4x8 {
// INT4-NEXT: qapeft.weight_range {{.*}}bits = 4, storage = i4
// INT4-NEXT: qapeft.fake_quant {{.*}}bits = 4, storage = i4
// INT4-NEXT: tosa.conv2d
// INT4-NEXT: tosa.clamp
// INT4-NEXT: qapeft.fake_quant {{.*}}bits = 8, storage = i8
// INT4-NEXT: qapeft.yield
// INT4-NOT: conv1.out.scale

// ADJ: qapeft.param "conv1.in.scale"
// ADJ: %[[R1:.*]] = qapeft.region int16x8 {
// ADJ-NOT: conv1.out.scale
// ADJ: %[[X:.*]] = tosa.reshape %[[R1]]
// ADJ-NOT: fc.in.scale
// ADJ: qapeft.region int16x8 {
// ADJ-NEXT: qapeft.weight_range
// ADJ-NEXT: qapeft.fake_quant
// ADJ-NEXT: tosa.conv2d %[[X]]
// ADJ: qapeft.param "fc.out.scale"

// TRAIN: func.func @train_step
// TRAIN-NOT: qapeft.region
// TRAIN: return

// CAL: input.scale: range [0, 255] scale 1 zero_point -128
// CAL: conv1.scale: range [0, 1081.46] scale 4.24102 zero_point -128
// CAL: fc.in.scale: range [0, 1081.46] scale 0.0330045 zero_point 0
// CAL: fc.scale: range [39.8093, 267.415] scale 0.00816111 zero_point 0
// CAL: fc.out.scale: range [39.8093, 267.415] scale 1.04869 zero_point -128
// CALIR: qapeft.param "fc.in.scale" dense<0.0330045
