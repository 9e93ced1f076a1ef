// A requantization between two int8 activations (a fake quant of an already
// quantized value, or the requantization after a table activation whose
// calibrated grid differs from TFLite's fixed one) is TFLite's QUANTIZE on
// the device, which rounds twice (MultiplyByQuantizedMultiplier) even in a
// runtime whose convolutions round once. Under rounding `single` the
// lowering emits DOUBLE_ROUND where the two differ (shift above 31), and
// SINGLE_ROUND below, where apply_scale_32 rounds once in both modes.
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=single" -o %t.mlir 2>/dev/null
// RUN: FileCheck %s --input-file %t.mlir
// RUN: qapeft-opt %t.mlir --tosa-attach-target="profiles=pro_int extensions=doubleround level=none" --tosa-validate -o /dev/null
// Other targets keep their own rounding.
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=double" 2>/dev/null | FileCheck %s --check-prefix=DOUBLE
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=half-away" 2>/dev/null | FileCheck %s --check-prefix=AWAY
// The XNNPACK target (fp32-half-even) runs these int8 QUANTIZEs on XNNPACK
// (scale ratios in [2^-8, 2^7]), which multiplies by lrintf(256 s) / 256:
// SINGLE_ROUND with multiplier 2 * lrintf(256 s), shift 9, marked
// qapeft.rounding = "xnnpack_q8" (requant-xnnpack-invalid.mlir has the rest).
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=fp32-half-even" -o %t.xnn.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=XNN --input-file %t.xnn.mlir
// RUN: qapeft-opt %t.xnn.mlir --tosa-attach-target="profiles=pro_int level=none" --tosa-validate -o /dev/null
//
// Executed: 1/256 (zero point -128) -> 0.01724 (zero point 3) is multiplier
// m = 1946312661, shift 33. For v = q + 128, apply_scale_32 with double
// rounding is (v * m + 2^32 + 2^30) >> 33, + 3; single rounding (+ 2^32
// only) gives 3 3 5 6 8 18 23 61 for these codes, 32 of the 256 codes
// differ. E.g. q = -126: 2m + 2^32 + 2^30 = 9261334442 >= 2^33, so 1 + 3.
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-126,-117,-113,-104,-60,-38,127" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --function twice --input %t.x.npy -o %t.t.npy
// RUN: qapeft-sim show-npy %t.t.npy | FileCheck %s --check-prefix=TWICE
// TWICE: tensor<1x8xi8>
// TWICE-NEXT: 3 4 6 7 9 19 24 61

// CHECK-LABEL: func.func @twice
// CHECK: %[[M:.*]] = "tosa.const"() <{values = dense<1946312661> : tensor<1xi32>}>
// CHECK: %[[S:.*]] = "tosa.const"() <{values = dense<33> : tensor<1xi8>}>
// CHECK: tosa.rescale %arg0, %[[M]], %[[S]]
// CHECK-SAME: qapeft.tensor = "out"
// CHECK-SAME: rounding_mode = DOUBLE_ROUND, scale32 = true
// DOUBLE-LABEL: func.func @twice
// DOUBLE: rounding_mode = DOUBLE_ROUND
// AWAY-LABEL: func.func @twice
// AWAY: qapeft.rounding = "half_away"
// AWAY-SAME: rounding_mode = INEXACT_ROUND
// 1/256 -> 0.01724: lrintf(256 * 0.2265806) = lrintf(58.0046) = 58.
// XNN-LABEL: func.func @twice
// XNN-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<116> : tensor<1xi32>}>
// XNN-DAG: %[[S:.*]] = "tosa.const"() <{values = dense<9> : tensor<1xi8>}>
// XNN: tosa.rescale %arg0, %[[M]], %[[S]]
// XNN-SAME: qapeft.rounding = "xnnpack_q8"
// XNN-SAME: rounding_mode = SINGLE_ROUND, scale32 = true
func.func @twice(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.00390625> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.01724> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<3.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// 0.1 -> 0.07 is shift 30: one rounding either way.
// CHECK-LABEL: func.func @once
// CHECK: "tosa.const"() <{values = dense<30> : tensor<1xi8>}>
// CHECK: tosa.rescale
// CHECK-SAME: rounding_mode = SINGLE_ROUND, scale32 = true
// DOUBLE-LABEL: func.func @once
// DOUBLE: rounding_mode = DOUBLE_ROUND
// XNN-LABEL: func.func @once
// XNN: dense<732> : tensor<1xi32>
// XNN: qapeft.rounding = "xnnpack_q8"
func.func @once(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-5.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.07> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<10.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// A sigmoid calibrated to 0.01724 / 3: LOGISTIC writes 1/256 / -128, and
// the QUANTIZE after it is the requantization of @twice.
// CHECK-LABEL: func.func @sigmoid
// CHECK: %[[L:.*]] = tosa.table
// CHECK: %[[M:.*]] = "tosa.const"() <{values = dense<1946312661> : tensor<1xi32>}>
// CHECK: %[[S:.*]] = "tosa.const"() <{values = dense<33> : tensor<1xi8>}>
// CHECK: tosa.rescale %[[L]], %[[M]], %[[S]]
// CHECK-SAME: rounding_mode = DOUBLE_ROUND, scale32 = true
// XNN-LABEL: func.func @sigmoid
// XNN: %[[L:.*]] = tosa.table
// XNN: tosa.rescale %[[L]]
// XNN-SAME: qapeft.rounding = "xnnpack_q8"
func.func @sigmoid(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %ys = qapeft.param "sig.scale" dense<0.01724> : tensor<f32>
  %yz = qapeft.param "sig.zero_point" dense<3.0> : tensor<f32>
  %yq = qapeft.fake_quant %y scale %ys zero_point %yz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %yq : tensor<?x8xf32>
}

// int16 -> int16: XNNPACK takes no int16 node, so under fp32-half-even too
// the builtin QUANTIZE runs it and the rescale rounds as that kernel does
// (0.001 -> 0.0007: shift 30, where single and double rounding agree), not
// with an fp32 scale.
// XNN-LABEL: func.func @wide
// XNN: tosa.rescale
// XNN-NOT: qapeft.rounding
// XNN-SAME: rounding_mode = SINGLE_ROUND, scale32 = true
// XNN-SAME: -> tensor<?x8xi16>
func.func @wide(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.001> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "wide.scale" dense<0.0007> : tensor<f32>
  %z2 = qapeft.param "wide.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}
