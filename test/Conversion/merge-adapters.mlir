// RUN: qapeft-opt %s --split-input-file --qapeft-merge-adapters --mlir-print-debuginfo | FileCheck %s
// Remarks are checked apart from the IR: stderr and stdout interleave at
// buffer boundaries, so mixing them in one FileCheck stream is flaky.
// RUN: qapeft-opt %s --split-input-file --qapeft-merge-adapters -verify-diagnostics -o /dev/null

// W + (alpha / rank) * B @ A with alpha / rank = 2:
//   B @ A = [[1, -2], [0.125, -0.25]] -> W_eff = [[3, -2], [3.25, 3.5]].
// The adapter tensors disappear; the merged weight keeps the weight's name.
// CHECK-LABEL: func.func @lora
// CHECK-NOT: qapeft.lora_delta
// CHECK-NOT: qapeft.param "c.lora
// CHECK: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}3.000000e+00, -2.000000e+00]]], {{\[\[\[}}3.250000e+00, 3.500000e+00]]]]> : tensor<2x1x1x2xf32>}> : () -> tensor<2x1x1x2xf32> loc(#[[WLOC:.*]])
// CHECK: return %[[W]]
// CHECK: #[[WLOC]] = loc("c.weight")
func.func @lora() -> tensor<2x1x1x2xf32> {
  %w = qapeft.param "c.weight" dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32> loc("c.weight")
  %a = qapeft.param "c.lora_a" trainable dense<[[0.5, -1.0]]> : tensor<1x2xf32>
  %b = qapeft.param "c.lora_b" trainable dense<[[2.0], [0.25]]> : tensor<2x1xf32>
  %m = qapeft.lora_delta %w, %a, %b {alpha = 2.0 : f32, rank = 1 : i64} : tensor<2x1x1x2xf32>, tensor<1x2xf32>, tensor<2x1xf32>
  return %m : tensor<2x1x1x2xf32>
}

// -----

// Rank 2, out_axis 1 of a [2, 3] weight: rows are the 3 entries of axis 1,
// columns the 2 entries of axis 0. alpha / rank = 0.5.
// B = [[1, 0], [0, 1], [1, 1]] (3x2), A = [[2, 4], [6, 8]] (2x2):
// B @ A = [[2, 4], [6, 8], [8, 12]] (row r, column c) -> W[c][r] += 0.5 *.
// CHECK-LABEL: func.func @lora_axis1
// CHECK: dense<{{\[\[}}1.000000e+00, 3.000000e+00, 4.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
func.func @lora_axis1() -> tensor<2x3xf32> {
  %w = "tosa.const"() {values = dense<0.0> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %a = "tosa.const"() {values = dense<[[2.0, 4.0], [6.0, 8.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {values = dense<[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %m = qapeft.lora_delta %w, %a, %b {alpha = 1.0 : f32, rank = 2 : i64, out_axis = 1 : i64} : tensor<2x3xf32>, tensor<2x2xf32>, tensor<3x2xf32>
  return %m : tensor<2x3xf32>
}

// -----

// (IA)^3 after a conv whose weight is not fake quantized: scales the
// weight's output channels and the bias.
// CHECK-LABEL: func.func @ia3_float
// CHECK-NOT: qapeft.ia3
// CHECK-DAG: dense<{{\[\[\[\[}}2.000000e+00, 4.000000e+00]]], {{\[\[\[}}-1.500000e+00, -2.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG: dense<[2.000000e+00, -5.000000e-01]> : tensor<2xf32>
func.func @ia3_float(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %bias = "tosa.const"() {values = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %l = qapeft.param "c.ia3" trainable dense<[2.0, -0.5]> : tensor<2xf32>
  %y = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %s = qapeft.ia3 %y, %l {axis = 3 : i64} : tensor<1x1x1x2xf32>, tensor<2xf32>
  return %s : tensor<1x1x1x2xf32>
}

// -----

// With a fake-quantized weight the (IA)^3 scale stays for the integer
// lowering, which folds it into the requantization scale.
// CHECK-LABEL: func.func @ia3_quantized
// CHECK: qapeft.ia3
func.func @ia3_quantized(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0> : tensor<2x1x1x2xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %l = qapeft.param "c.ia3" trainable dense<[2.0, 0.5]> : tensor<2xf32>
  %y = tosa.conv2d %x, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %s = qapeft.ia3 %y, %l {axis = 3 : i64} : tensor<1x1x1x2xf32>, tensor<2xf32>
  return %s : tensor<1x1x1x2xf32>
}

// -----

// A delta whose A is computed at run time is kept (with a remark).
// CHECK-LABEL: func.func @runtime_a
// CHECK: qapeft.lora_delta
func.func @runtime_a(%a: tensor<1x2xf32>) -> tensor<2x2xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  // expected-remark @+1 {{LoRA delta kept: its weight, A or B is not a compile-time tensor}}
  %m = qapeft.lora_delta %w, %a, %b {alpha = 1.0 : f32, rank = 1 : i64} : tensor<2x2xf32>, tensor<1x2xf32>, tensor<2x1xf32>
  return %m : tensor<2x2xf32>
}

// -----

// Side-path LoRA is delta deployment: kept.
// CHECK-LABEL: func.func @side
// CHECK: qapeft.lora_side
func.func @side(%x: tensor<1x2xf32>, %y: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %a = "tosa.const"() {values = dense<1.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %b = "tosa.const"() {values = dense<1.0> : tensor<3x1xf32>} : () -> tensor<3x1xf32>
  %r = qapeft.lora_side %x, %y, %a, %b {alpha = 1.0 : f32, rank = 1 : i64} : tensor<1x2xf32>, tensor<1x3xf32>, tensor<1x2xf32>, tensor<3x1xf32>
  return %r : tensor<1x3xf32>
}
