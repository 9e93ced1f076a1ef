// --qapeft-attach-target stores the whole description on the module; the
// attribute round-trips through MLIR text, and later passes read it without
// the YAML file.
//
// RUN: qapeft-opt %s --qapeft-attach-target=target=tflite-int8 | FileCheck %s
// Round trip: print, parse, print again: the same attribute.
// RUN: qapeft-opt %s --qapeft-attach-target=target=tflite-int8 -o %t.mlir
// RUN: qapeft-opt %t.mlir | FileCheck %s
// The checker works from the attribute alone (no target option, no file).
// RUN: qapeft-opt %t.mlir --qapeft-check-target | FileCheck %s
// A path works as well as a name, and names are also looked up in target-dir.
// RUN: qapeft-opt %s --qapeft-attach-target=target=%qapeft_src/targets/tflite-int8.yaml | FileCheck %s
// RUN: qapeft-opt %s --qapeft-attach-target="target=tiny-npu target-dir=%S/Inputs/target-dir" | FileCheck %s --check-prefix=DIR
// Attaching again replaces the previous target.
// RUN: qapeft-opt %s --qapeft-attach-target=target=tflite-int8 --qapeft-attach-target=target=ethos-u55 | FileCheck %s --check-prefix=REPLACE
// Targets with precision modes and per-op mode overrides round-trip too.
// RUN: qapeft-opt %s --qapeft-attach-target=target=ethos-u55 | qapeft-opt | FileCheck %s --check-prefix=MODES

// The contract later passes rely on (docs: targets/README.md, "The attribute").
// CHECK: module attributes {qapeft.target = {
// CHECK-SAME: accumulator_bits = 32 : i64
// CHECK-SAME: activation = #qapeft.scheme<bits = 8, storage = i8>
// CHECK-SAME: bias_bits = 32 : i64
// CHECK-SAME: default_precision = #qapeft<precision int8>
// CHECK-SAME: input = #qapeft.scheme<bits = 8, storage = i8>
// The int16x8 regions' grids.
// CHECK-SAME: modes = {int16x8 = {accumulator_bits = 64 : i64, accumulator_storage_bits = 64 : i64, activation = #qapeft.scheme<bits = 16, storage = i16, symmetric = true>, activation_constraints = {zero_point = 0 : i64}
// CHECK-SAME: name = "tflite-int8"
// CHECK-SAME: ops = {
// CHECK-SAME: tosa.conv2d = {}
// Depthwise weights are per channel on the C axis of HWCM.
// CHECK-SAME: tosa.depthwise_conv2d = {modes = {int16x8 = {weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2, range = weight>, weight_constraints = {output_channel_axis}}}, weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2, range = weight>, weight_constraints = {output_channel_axis}}
// CHECK-SAME: tosa.matmul = {precisions = [#qapeft<precision int8>], weight = #qapeft.scheme<bits = 8, storage = i8>}
// CHECK-SAME: tosa.sigmoid = {activation = #qapeft.scheme<bits = 8, storage = i8>, activation_constraints = {scale = 3.906250e-03 : f64, zero_point = -128 : i64}, precisions = [#qapeft<precision int8>]}
// CHECK-SAME: tosa.tanh = {activation = #qapeft.scheme<bits = 8, storage = i8>, activation_constraints = {scale = 7.812500e-03 : f64, zero_point = 0 : i64}, precisions = [#qapeft<precision int8>]}
// CHECK-SAME: precisions = [#qapeft<precision int8>, #qapeft<precision int16x8>]
// CHECK-SAME: rounding = #qapeft<rounding single>
// CHECK-SAME: saturation = "saturate"
// CHECK-SAME: unsupported_ops = "error"
// CHECK-SAME: weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>
// CHECK-SAME: weight_constraints = {output_channel_axis}
// CHECK: func.func @forward

// DIR: qapeft.target = {
// DIR-SAME: activation = #qapeft.scheme<bits = 8, storage = i8, is_signed = false, rounding = half_away>
// DIR-SAME: name = "tiny-npu"
// DIR-NOT: ops =
// DIR-SAME: rounding = #qapeft<rounding half_away>
// DIR-SAME: weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, rounding = half_away, range = weight>

// REPLACE: qapeft.target = {
// REPLACE-NOT: tflite-int8
// REPLACE-SAME: name = "ethos-u55"

// MODES: default_precision = #qapeft<precision int8>
// MODES-SAME: modes = {int16x8 = {accumulator_bits = 48 : i64, accumulator_storage_bits = 64 : i64, activation = #qapeft.scheme<bits = 16, storage = i16, symmetric = true, rounding = double>, activation_constraints = {zero_point = 0 : i64}, bias_bits = 64 : i64, bias_limit_bits = 40 : i64, bias_storage_bits = 64 : i64
// MODES-SAME: tosa.sigmoid = {activation = #qapeft.scheme<bits = 8, storage = i8, rounding = double>, activation_constraints = {scale = 3.906250e-03 : f64, zero_point = -128 : i64}, max_rank = 4 : i64, modes = {int16x8 = {activation = #qapeft.scheme<bits = 16, storage = i16, symmetric = true, rounding = double>, activation_constraints = {scale = 3.0517578125E-5 : f64, zero_point = 0 : i64}}}}
// MODES-SAME: precisions = [#qapeft<precision int8>, #qapeft<precision int16x8>]
// MODES-SAME: rounding = #qapeft<rounding double>

module {
  func.func @forward(%x: tensor<?x28x28x1xf32>) -> tensor<?x28x28x1xf32> {
    return %x : tensor<?x28x28x1xf32>
  }
}
