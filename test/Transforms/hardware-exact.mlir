// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-hardware-exact | FileCheck %s
// RUN: not qapeft-opt %s -split-input-file --qapeft-hardware-exact=rounding=nearest 2>&1 | FileCheck %s --check-prefix=ROUNDING

// ROUNDING: error: unknown rounding 'nearest': expected single, double, fp32-half-even or half-away

// A conv layer ends at its first quantizer (exact_conv, with the fused
// clamp); the reshape + ReLU + second quantizer after it is a
// requantization of already-quantized values (exact_requant). Later ops
// read the exact values; the float ops stay for the backward.

// CHECK-LABEL: func.func @forward
// CHECK: %[[IN:[0-9]+]] = qapeft.fake_quant %arg0
// CHECK: %[[CONV:[0-9]+]] = tosa.conv2d %[[IN]], %[[W:[0-9]+]], %[[B:[0-9]+]]
// CHECK: %[[CL:[0-9]+]] = tosa.clamp %[[CONV]]
// CHECK: %[[A:[0-9]+]] = qapeft.fake_quant %[[CL]] scale %[[AS:[0-9]+]] zero_point %[[AZ:[0-9]+]]
// CHECK-NEXT: %[[EA:[0-9]+]] = qapeft.exact_conv %[[A]] from %[[IN]](%{{[0-9]+}}, %{{[0-9]+}}) weight %{{[0-9]+}}(%scale, %zero_point) bias %[[B]] output(%[[AS]], %[[AZ]])
// CHECK-SAME: bias_bits = 64 : i64, clamps = [-1.000000e+00 : f32, 6.000000e+00 : f32]
// CHECK-SAME: pad = array<i64: 0, 0, 0, 0>, rounding = #qapeft<rounding double>
// CHECK: %[[R:[0-9]+]] = tosa.reshape %[[EA]]
// CHECK: %[[RL:[0-9]+]] = tosa.clamp %[[R]]
// CHECK: %[[BQ:[0-9]+]] = qapeft.fake_quant %[[RL]]
// CHECK-NEXT: %[[EB:[0-9]+]] = qapeft.exact_requant %[[BQ]] from %[[RL]](%[[AS]], %[[AZ]])
// CHECK-SAME: rounding = #qapeft<rounding double>
// CHECK: return %[[EB]]
func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %ws, %wz = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<2x1x1x1xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<2x1x1x1xf32>, tensor<2xf32>
  %b = "tosa.const"() {values = dense<[0.25, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %y6 = tosa.clamp %y {min_val = -1.0 : f32, max_val = 6.0 : f32} : (tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<-3.0> : tensor<f32>
  %a = qapeft.fake_quant %y6 scale %as zero_point %az scheme <bits = 8, storage = i8, rounding = double> : tensor<?x2x2x2xf32>, tensor<f32>
  %shape = tosa.const_shape {values = dense<[-1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %a, %shape : (tensor<?x2x2x2xf32>, !tosa.shape<2>) -> tensor<?x8xf32>
  %rl = tosa.clamp %r {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %bs = qapeft.param "b.scale" dense<0.125> : tensor<f32>
  %bz = qapeft.param "b.zero_point" dense<0.0> : tensor<f32>
  %bq = qapeft.fake_quant %rl scale %bs zero_point %bz scheme <bits = 8, storage = i8, rounding = double> : tensor<?x8xf32>, tensor<f32>
  return %bq : tensor<?x8xf32>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @below {{hardware-exact mode: the weight of this tosa.conv2d is not fake quantized}}
  %y = tosa.conv2d %xq, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %a = qapeft.fake_quant %y scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %a : tensor<?x2x2x2xf32>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %ws = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true> : tensor<2x1x1x1xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @below {{hardware-exact mode: the input of this tosa.conv2d is not on a quantized grid}}
  %y = tosa.conv2d %x, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %a = qapeft.fake_quant %y scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %a : tensor<?x2x2x2xf32>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %ws = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true> : tensor<2x1x1x1xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  // expected-error @below {{hardware-exact mode: no integer form for this op between a tosa.conv2d and its output quantizer}}
  %e = tosa.exp %y : (tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %a = qapeft.fake_quant %e scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %a : tensor<?x2x2x2xf32>
}

// -----

func.func @forward(%x: tensor<?x2x2x1xf32>) -> tensor<?x2x2x2xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0]]], [[[-2.0]]]]> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %ws = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true> : tensor<2x1x1x1xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %l = qapeft.param "conv.ia3" trainable dense<1.0> : tensor<2xf32>
  // expected-error @below {{hardware-exact mode does not support an (IA)^3 scale between a tosa.conv2d and its output quantizer yet}}
  %i = qapeft.ia3 %y, %l {axis = 3 : i64} : tensor<?x2x2x2xf32>, tensor<2xf32>
  %as = qapeft.param "a.scale" dense<0.25> : tensor<f32>
  %az = qapeft.param "a.zero_point" dense<0.0> : tensor<f32>
  %a = qapeft.fake_quant %i scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %a : tensor<?x2x2x2xf32>
}

// -----

func.func @forward(%x: tensor<1x2x3xf32>) -> tensor<1x2x2xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x2x3xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<1x3x2xf32>} : () -> tensor<1x3x2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @below {{hardware-exact mode: the weight of this tosa.matmul is not fake quantized}}
  %y = tosa.matmul %xq, %w, %zp, %zp : (tensor<1x2x3xf32>, tensor<1x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  return %y : tensor<1x2x2xf32>
}

// -----

// expected-error @below {{run --qapeft-hardware-exact before --qapeft-training-graph}}
module {
  func.func @forward(%x: tensor<1xf32>) -> tensor<1xf32> {
    return %x : tensor<1xf32>
  }
  func.func @train_step(%x: tensor<1xf32>) -> tensor<1xf32> {
    return %x : tensor<1xf32>
  }
}
