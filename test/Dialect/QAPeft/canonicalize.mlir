// Folds and canonicalizations of the qapeft ops.
// RUN: qapeft-opt %s -canonicalize -split-input-file | FileCheck %s

// A rank-0 LoRA adds nothing.
// CHECK-LABEL: func.func @lora_delta_rank0
// CHECK-SAME: (%[[W:.*]]: tensor<16x9xf32>
// CHECK-NEXT: return %[[W]]
func.func @lora_delta_rank0(%w: tensor<16x9xf32>, %a: tensor<0x9xf32>, %b: tensor<16x0xf32>) -> tensor<16x9xf32> {
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 1.0 : f32, rank = 0 : i64} : tensor<16x9xf32>, tensor<0x9xf32>, tensor<16x0xf32>
  return %0 : tensor<16x9xf32>
}

// -----

// A frozen zero factor (constant or non-trainable parameter) makes the delta
// exactly 0; a trainable B that merely starts at 0 is kept, as is a nonzero
// constant.
// CHECK-LABEL: func.func @lora_delta_zero
// CHECK-SAME: (%[[W:.*]]: tensor<16x9xf32>, %[[A:.*]]: tensor<4x9xf32>, %[[B:.*]]: tensor<16x4xf32>)
// CHECK-DAG: %[[BT:.*]] = qapeft.param "l.lora_b" trainable dense<0.000000e+00>
// CHECK-DAG: %[[BC:.*]] = "tosa.const"() <{values = dense<1.000000e+00> : tensor<16x4xf32>}>
// CHECK-DAG: %[[D1:.*]] = qapeft.lora_delta %[[W]], %[[A]], %[[BT]]
// CHECK-DAG: %[[D2:.*]] = qapeft.lora_delta %[[W]], %[[A]], %[[BC]]
// CHECK: return %[[W]], %[[W]], %[[W]], %[[D1]], %[[D2]]
func.func @lora_delta_zero(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> (tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>) {
  %zb = "tosa.const"() {values = dense<0.0> : tensor<16x4xf32>} : () -> tensor<16x4xf32>
  %za = arith.constant dense<0.0> : tensor<4x9xf32>
  %fb = qapeft.param "l.frozen_b" dense<0.0> : tensor<16x4xf32>
  %tb = qapeft.param "l.lora_b" trainable dense<0.0> : tensor<16x4xf32>
  %ob = "tosa.const"() {values = dense<1.0> : tensor<16x4xf32>} : () -> tensor<16x4xf32>
  %0 = qapeft.lora_delta %w, %a, %zb {alpha = 1.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  %1 = qapeft.lora_delta %w, %za, %b {alpha = 1.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  %2 = qapeft.lora_delta %w, %a, %fb {alpha = 1.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  %3 = qapeft.lora_delta %w, %a, %tb {alpha = 1.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  %4 = qapeft.lora_delta %w, %a, %ob {alpha = 1.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0, %1, %2, %3, %4 : tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>, tensor<16x9xf32>
}

// -----

// CHECK-LABEL: func.func @lora_side
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[Y:.*]]: tensor<?x10xf32>, %[[A:.*]]: tensor<2x64xf32>, %[[B:.*]]: tensor<10x2xf32>
// CHECK: %[[S:.*]] = qapeft.lora_side %[[X]], %[[Y]], %[[A]], %[[B]]
// CHECK: return %[[Y]], %[[Y]], %[[S]]
func.func @lora_side(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<2x64xf32>, %b: tensor<10x2xf32>,
                     %a0: tensor<0x64xf32>, %b0: tensor<10x0xf32>) -> (tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>) {
  %zb = qapeft.param "fc2.lora_b" dense<0.0> : tensor<10x2xf32>
  %0 = qapeft.lora_side %x, %y, %a0, %b0 {alpha = 1.0 : f32, rank = 0 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<0x64xf32>, tensor<10x0xf32>
  %1 = qapeft.lora_side %x, %y, %a, %zb {alpha = 1.0 : f32, rank = 2 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  %2 = qapeft.lora_side %x, %y, %a, %b {alpha = 1.0 : f32, rank = 2 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  return %0, %1, %2 : tensor<?x10xf32>, tensor<?x10xf32>, tensor<?x10xf32>
}

// -----

// (IA)^3 with frozen ones is the identity; trainable ones or other values stay.
// CHECK-LABEL: func.func @ia3
// CHECK-SAME: (%[[X:.*]]: tensor<?x4xf32>
// CHECK-DAG: %[[T:.*]] = qapeft.ia3 %[[X]], %{{.*}} {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
// CHECK-DAG: %[[H:.*]] = qapeft.ia3 %[[X]], %{{.*}} {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
// CHECK: return %[[X]], %[[X]], %{{.*}}, %{{.*}}
func.func @ia3(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>) {
  %one = "tosa.const"() {values = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %frozen = qapeft.param "l.ia3" dense<[1.0, 1.0, 1.0, 1.0]> : tensor<4xf32>
  %train = qapeft.param "l.ia3t" trainable dense<1.0> : tensor<4xf32>
  %half = "tosa.const"() {values = dense<[1.0, 1.0, 0.5, 1.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %0 = qapeft.ia3 %x, %one {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  %1 = qapeft.ia3 %x, %frozen {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  %2 = qapeft.ia3 %x, %train {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  %3 = qapeft.ia3 %x, %half {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  return %0, %1, %2, %3 : tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// A bottleneck whose up projection and bias are frozen zeros (or whose hidden
// size is 0 with a zero bias) adds nothing; a nonzero up bias keeps it.
// CHECK-LABEL: func.func @bottleneck
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>
// CHECK: %[[K:.*]] = qapeft.bottleneck
// CHECK: return %[[X]], %[[X]], %[[K]]
func.func @bottleneck(%x: tensor<?x8xf32>, %dw: tensor<2x8xf32>, %db: tensor<2xf32>, %dw0: tensor<0x8xf32>, %db0: tensor<0xf32>, %uw0: tensor<8x0xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %uw = "tosa.const"() {values = dense<0.0> : tensor<8x2xf32>} : () -> tensor<8x2xf32>
  %ub = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %ub1 = "tosa.const"() {values = dense<0.5> : tensor<8xf32>} : () -> tensor<8xf32>
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub gelu houlsby : tensor<?x8xf32>, tensor<2x8xf32>, tensor<2xf32>, tensor<8x2xf32>, tensor<8xf32>
  %1 = qapeft.bottleneck %x, %dw0, %db0, %uw0, %ub relu pfeiffer : tensor<?x8xf32>, tensor<0x8xf32>, tensor<0xf32>, tensor<8x0xf32>, tensor<8xf32>
  %2 = qapeft.bottleneck %x, %dw0, %db0, %uw0, %ub1 relu pfeiffer : tensor<?x8xf32>, tensor<0x8xf32>, tensor<0xf32>, tensor<8x0xf32>, tensor<8xf32>
  return %0, %1, %2 : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// An empty prompt is the input (only when the result type is the same).
// CHECK-LABEL: func.func @prompt
// CHECK-SAME: (%[[X:.*]]: tensor<?x16x32xf32>
// CHECK: %[[P:.*]] = qapeft.prompt %[[X]], %{{.*}} : (tensor<?x16x32xf32>, tensor<0x32xf32>) -> tensor<?x?x32xf32>
// CHECK: return %[[X]], %[[P]]
func.func @prompt(%x: tensor<?x16x32xf32>, %p: tensor<0x32xf32>) -> (tensor<?x16x32xf32>, tensor<?x?x32xf32>) {
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<0x32xf32>) -> tensor<?x16x32xf32>
  %1 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<0x32xf32>) -> tensor<?x?x32xf32>
  return %0, %1 : tensor<?x16x32xf32>, tensor<?x?x32xf32>
}

// -----

// Fake quant of a value already on the grid: same scale and zero point
// values, same granularity, inner code range inside the outer one.
// CHECK-LABEL: func.func @fake_quant_twice
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[S:.*]]: tensor<3xf32>, %[[Z:.*]]: tensor<3xf32>, %[[S2:.*]]: tensor<3xf32>)
// CHECK-NEXT: %[[Q:.*]] = qapeft.fake_quant %[[X]] scale %[[S]] zero_point %[[Z]] scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1>
// CHECK-NEXT: %[[W:.*]] = qapeft.fake_quant %[[X]] scale %[[S]] zero_point %[[Z]] scheme <bits = 4, storage = i8, granularity = per_channel, axis = 1>
// CHECK-NEXT: %[[N:.*]] = qapeft.fake_quant %[[W]] scale %[[S]] zero_point %[[Z]] scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1>
// CHECK-NEXT: %[[O:.*]] = qapeft.fake_quant %[[Q]] scale %[[S2]] zero_point %[[Z]] scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1>
// CHECK-NEXT: %[[U:.*]] = qapeft.fake_quant %[[Q]] scale %[[S]] zero_point %[[Z]] scheme <bits = 4, storage = i8, is_signed = false, granularity = per_channel, axis = 1>
// CHECK-NEXT: return %[[Q]], %[[Q]], %[[N]], %[[O]], %[[U]]
func.func @fake_quant_twice(%x: tensor<4x3xf32>, %s: tensor<3xf32>, %z: tensor<3xf32>, %s2: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  // Same grid again (even with another rounding mode and range source): folds.
  %same = qapeft.fake_quant %q scale %s zero_point %z scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1, rounding = double, range = learnable> : tensor<4x3xf32>, tensor<3xf32>
  // A wider grid ([-8, 7] contains [-7, 7]): folds.
  %wide = qapeft.fake_quant %q scale %s zero_point %z scheme <bits = 4, storage = i8, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  // A narrower grid ([-7, 7] inside [-8, 7]) clips code -8: kept.
  %w = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 4, storage = i8, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  %narrow = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  // Another scale: kept.
  %other = qapeft.fake_quant %q scale %s2 zero_point %z scheme <bits = 4, storage = i8, narrow = true, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  // An unsigned grid ([0, 15]) does not contain [-7, 7]: kept.
  %unsigned = qapeft.fake_quant %q scale %s zero_point %z scheme <bits = 4, storage = i8, is_signed = false, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<3xf32>
  return %same, %wide, %narrow, %other, %unsigned : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// In f16 (11 bits of precision) a 12-bit grid's points k * s are not exact,
// so quantizing again could move them: kept. A 9-bit grid is exact: folds.
// CHECK-LABEL: func.func @fake_quant_f16
// CHECK-SAME: (%[[X:.*]]: tensor<4xf16>, %[[S:.*]]: tensor<f16>)
// CHECK-NEXT: %[[A:.*]] = qapeft.fake_quant %[[X]] scale %[[S]] zero_point %[[S]] scheme <bits = 12, storage = i16>
// CHECK-NEXT: %[[B:.*]] = qapeft.fake_quant %[[A]] scale %[[S]] zero_point %[[S]] scheme <bits = 12, storage = i16>
// CHECK-NEXT: %[[C:.*]] = qapeft.fake_quant %[[X]] scale %[[S]] zero_point %[[S]] scheme <bits = 9, storage = i16>
// CHECK-NEXT: return %[[B]], %[[C]]
func.func @fake_quant_f16(%x: tensor<4xf16>, %s: tensor<f16>) -> (tensor<4xf16>, tensor<4xf16>) {
  %a = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 12, storage = i16> : tensor<4xf16>, tensor<f16>
  %b = qapeft.fake_quant %a scale %s zero_point %s scheme <bits = 12, storage = i16> : tensor<4xf16>, tensor<f16>
  %c = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 9, storage = i16> : tensor<4xf16>, tensor<f16>
  %d = qapeft.fake_quant %c scale %s zero_point %s scheme <bits = 9, storage = i16> : tensor<4xf16>, tensor<f16>
  return %b, %d : tensor<4xf16>, tensor<4xf16>
}

// -----

// Equal constants count as the same grid; two parameters with equal initial
// values do not (calibration may set them apart), nor does another
// granularity.
// CHECK-LABEL: func.func @fake_quant_constants
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK: %[[Q:.*]] = qapeft.fake_quant %[[X]]
// CHECK: %[[P:.*]] = qapeft.fake_quant %[[Q]] scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
// CHECK: %[[G:.*]] = qapeft.fake_quant %[[Q]] scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = i8, granularity = per_group, axis = 0, group_size = 4> : tensor<4xf32>, tensor<1xf32>
// CHECK: return %[[Q]], %[[P]], %[[G]]
func.func @fake_quant_constants(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %s1 = "tosa.const"() {values = dense<0.125> : tensor<f32>} : () -> tensor<f32>
  %s2 = "tosa.const"() {values = dense<0.125> : tensor<f32>} : () -> tensor<f32>
  %z1 = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %z2 = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %ps = qapeft.param "a.scale" dense<0.125> : tensor<f32>
  %pz = qapeft.param "a.zero_point" dense<3.0> : tensor<f32>
  %gs = "tosa.const"() {values = dense<0.125> : tensor<1xf32>} : () -> tensor<1xf32>
  %gz = "tosa.const"() {values = dense<3.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %q = qapeft.fake_quant %x scale %s1 zero_point %z1 scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  %0 = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  %1 = qapeft.fake_quant %q scale %ps zero_point %pz scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  %2 = qapeft.fake_quant %q scale %gs zero_point %gz scheme <bits = 8, storage = i8, granularity = per_group, axis = 0, group_size = 4> : tensor<4xf32>, tensor<1xf32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A region that computes nothing forwards its values; a region with ops
// stays; an unused region of pure ops is dead.
// CHECK-LABEL: func.func @region
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[R:.*]] = qapeft.region int16x8 {
// CHECK-NEXT: tosa.clamp %[[Y]]
// CHECK-NEXT: qapeft.yield
// CHECK-NEXT: } : tensor<4xf32>
// CHECK-NEXT: return %[[X]], %[[Y]], %[[R]]
func.func @region(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:2 = qapeft.region int16x8 {
    qapeft.yield %x, %y : tensor<4xf32>, tensor<4xf32>
  } : tensor<4xf32>, tensor<4xf32>
  %1 = qapeft.region int16x8 {
    %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    qapeft.yield %c : tensor<4xf32>
  } : tensor<4xf32>
  %2 = qapeft.region f16 {
    %c = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<4xf32>) -> tensor<4xf32>
    qapeft.yield %c : tensor<4xf32>
  } : tensor<4xf32>
  return %0#0, %0#1, %1 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
