// Every verifier error of the qapeft ops and attributes, with its location.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics \
// RUN:   -allow-unregistered-dialect

//===----------------------------------------------------------------------===//
// #qapeft.scheme
//===----------------------------------------------------------------------===//

func.func @bits_too_few(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{bits must be in [2, 16], got 1}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 1, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bits_too_many(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{bits must be in [2, 16], got 17}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 17, storage = i32> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @bits_exceed_storage(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{8 bits do not fit the storage type 'i4'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i4> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @unsigned_in_signed_storage(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{an unsigned scheme cannot be stored in 'si8'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = si8, is_signed = false> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @signed_in_unsigned_storage(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{a signed scheme cannot be stored in 'ui8'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = ui8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @narrow_unsigned(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{narrow range needs a signed scheme}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, is_signed = false, narrow = true> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @per_tensor_axis(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{a per_tensor scheme takes no axis (got 0)}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, axis = 0> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @per_channel_no_axis(%x: tensor<4xf32>, %s: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a per_channel scheme needs an axis >= 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_channel> : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @per_group_no_axis(%x: tensor<4xf32>, %s: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a per_group scheme needs an axis >= 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_group, group_size = 2> : tensor<4xf32>, tensor<2xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @per_group_no_size(%x: tensor<4xf32>, %s: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{a per_group scheme needs group_size >= 1}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_group, axis = 0> : tensor<4xf32>, tensor<2xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @group_size_per_channel(%x: tensor<4xf32>, %s: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{group_size is only meaningful for per_group}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_channel, axis = 0, group_size = 2> : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.param
//===----------------------------------------------------------------------===//

// -----

func.func @param_empty_name() -> tensor<4xf32> {
  // expected-error @+1 {{'qapeft.param' op needs a non-empty name}}
  %0 = qapeft.param "" dense<1.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @param_trainable_int() -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.param' op a trainable parameter must have float elements, got 'i8'}}
  %0 = qapeft.param "w" trainable dense<1> : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @param_type_mismatch() -> tensor<2x2xf32> {
  // expected-error @+1 {{'qapeft.param' op failed to verify that all of {value, result} have same type}}
  %0 = "qapeft.param"() <{name = "w", value = dense<1.0> : tensor<4xf32>}> : () -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.fake_quant
//===----------------------------------------------------------------------===//

// -----

func.func @fq_per_tensor_shape(%x: tensor<4xf32>, %s: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op a per_tensor scheme needs a scale of shape [] or [1], got 'tensor<2xf32>'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<2xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_scale_zp_types(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op failed to verify that all of {scale, zero_point} have same type}}
  %0 = "qapeft.fake_quant"(%x, %s, %z) <{scheme = #qapeft.scheme<bits = 8, storage = i8>}> : (tensor<4xf32>, tensor<f32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_int_input(%x: tensor<4xi8>, %s: tensor<f32>) -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.fake_quant' op operand #0 must be tensor of floating-point values, but got 'tensor<4xi8>'}}
  %0 = "qapeft.fake_quant"(%x, %s, %s) <{scheme = #qapeft.scheme<bits = 8, storage = i8>}> : (tensor<4xi8>, tensor<f32>, tensor<f32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

func.func @fq_unranked_per_channel(%x: tensor<*xf32>, %s: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op a per-channel or per-group scheme needs a ranked input}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_channel, axis = 0> : tensor<*xf32>, tensor<4xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @fq_axis_range(%x: tensor<4x3xf32>, %s: tensor<4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op quantization axis 2 is out of range for an input of rank 2}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_channel, axis = 2> : tensor<4x3xf32>, tensor<4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @fq_per_channel_shape(%x: tensor<4x3xf32>, %s: tensor<4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op per_channel scale must have shape [3], got 'tensor<4xf32>'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_channel, axis = 1> : tensor<4x3xf32>, tensor<4xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @fq_group_divides(%x: tensor<4x6xf32>, %s: tensor<4x2xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op group_size 4 does not divide dimension 1 (6)}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_group, axis = 1, group_size = 4> : tensor<4x6xf32>, tensor<4x2xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @fq_group_rank(%x: tensor<4x6xf32>, %s: tensor<3xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op a per_group scale must have the input's rank 2, got 'tensor<3xf32>'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_group, axis = 1, group_size = 2> : tensor<4x6xf32>, tensor<3xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @fq_group_dims(%x: tensor<4x6xf32>, %s: tensor<4x2xf32>) -> tensor<4x6xf32> {
  // expected-error @+1 {{'qapeft.fake_quant' op per_group scale dimension 1 must be 3, got 2}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_group, axis = 1, group_size = 2> : tensor<4x6xf32>, tensor<4x2xf32>
  return %0 : tensor<4x6xf32>
}

// -----

func.func @fq_scale_positive(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %s = qapeft.param "x.scale" dense<[0.5, 0.0]> : tensor<2xf32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<2xf32>
  // expected-error @+1 {{'qapeft.fake_quant' op scale must be finite and > 0, got 0 at index 1}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, granularity = per_channel, axis = 1> : tensor<4x2xf32>, tensor<2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

func.func @fq_scale_negative(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = "tosa.const"() {values = dense<-0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'qapeft.fake_quant' op scale must be finite and > 0, got -0.5 at index 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_scale_inf(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = arith.constant dense<0x7F800000> : tensor<f32>
  %z = arith.constant dense<0.0> : tensor<f32>
  // expected-error @+1 {{'qapeft.fake_quant' op scale must be finite and > 0, got +Inf at index 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_symmetric_zp(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qapeft.param "x.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<3.0> : tensor<f32>
  // expected-error @+1 {{'qapeft.fake_quant' op a symmetric scheme needs zero points of 0, got 3 at index 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_zp_fraction(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qapeft.param "x.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<2.5> : tensor<f32>
  // expected-error @+1 {{'qapeft.fake_quant' op zero point must be an integer in [-128, 127], got 2.5 at index 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

func.func @fq_zp_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  %s = qapeft.param "x.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<-1.0> : tensor<f32>
  // expected-error @+1 {{'qapeft.fake_quant' op zero point must be an integer in [0, 255], got -1 at index 0}}
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, is_signed = false> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.lora_delta
//===----------------------------------------------------------------------===//

// -----

func.func @lora_weight_rank(%w: tensor<16xf32>, %a: tensor<4x1xf32>, %b: tensor<16x4xf32>) -> tensor<16xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op needs a ranked weight of rank >= 2, got 'tensor<16xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16xf32>, tensor<4x1xf32>, tensor<16x4xf32>
  return %0 : tensor<16xf32>
}

// -----

func.func @lora_out_axis(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op out_axis 2 is out of range for a weight of rank 2}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64, out_axis = 2 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

func.func @lora_elem_type(%w: tensor<16x9xf32>, %a: tensor<4x9xf16>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op A must have element type 'f32' like the input, got 'f16'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf16>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

func.func @lora_negative_rank(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op rank must be >= 0, got -4}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = -4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

func.func @lora_alpha(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op alpha must be > 0}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 0.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

func.func @lora_a_rank(%w: tensor<16x3x3x1xf32>, %a: tensor<4x3x3xf32>, %b: tensor<16x4xf32>) -> tensor<16x3x3x1xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op A must be a 2-D tensor, got 'tensor<4x3x3xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x3x3x1xf32>, tensor<4x3x3xf32>, tensor<16x4xf32>
  return %0 : tensor<16x3x3x1xf32>
}

// -----

func.func @lora_a_shape(%w: tensor<16x3x3x1xf32>, %a: tensor<4x16xf32>, %b: tensor<16x4xf32>) -> tensor<16x3x3x1xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op A must have shape [4, 9], got 'tensor<4x16xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x3x3x1xf32>, tensor<4x16xf32>, tensor<16x4xf32>
  return %0 : tensor<16x3x3x1xf32>
}

// -----

func.func @lora_rank_vs_a(%w: tensor<16x3x3x1xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x3x3x1xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op A must have shape [2, 9], got 'tensor<4x9xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 2 : i64} : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x3x3x1xf32>
}

// -----

func.func @lora_b_shape(%w: tensor<64x10xf32>, %a: tensor<2x64xf32>, %b: tensor<64x2xf32>) -> tensor<64x10xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op B must have shape [10, 2], got 'tensor<64x2xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 2 : i64, out_axis = 1 : i64} : tensor<64x10xf32>, tensor<2x64xf32>, tensor<64x2xf32>
  return %0 : tensor<64x10xf32>
}

// -----

func.func @lora_empty_weight(%w: tensor<0x3x3x1xf32>, %a: tensor<4x8xf32>, %b: tensor<0x4xf32>) -> tensor<0x3x3x1xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op A must have shape [4, 9], got 'tensor<4x8xf32>'}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<0x3x3x1xf32>, tensor<4x8xf32>, tensor<0x4xf32>
  return %0 : tensor<0x3x3x1xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.lora_side
//===----------------------------------------------------------------------===//

// -----

func.func @side_rank(%x: tensor<?x7x7x32xf32>, %y: tensor<?x10xf32>, %a: tensor<2x32xf32>, %b: tensor<10x2xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op input and base must be ranked with the same rank}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x7x7x32xf32>, tensor<?x10xf32>, tensor<2x32xf32>, tensor<10x2xf32>
  return %0 : tensor<?x10xf32>
}

// -----

func.func @side_leading(%x: tensor<?x7x7x32xf32>, %y: tensor<?x7x6x16xf32>, %a: tensor<2x32xf32>, %b: tensor<16x2xf32>) -> tensor<?x7x6x16xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op input and base differ in dimension 2}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x7x7x32xf32>, tensor<?x7x6x16xf32>, tensor<2x32xf32>, tensor<16x2xf32>
  return %0 : tensor<?x7x6x16xf32>
}

// -----

func.func @side_elem(%x: tensor<?x64xf16>, %y: tensor<?x10xf32>, %a: tensor<2x64xf32>, %b: tensor<10x2xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op input must have element type 'f32' like the input, got 'f16'}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x64xf16>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  return %0 : tensor<?x10xf32>
}

// -----

func.func @side_negative_rank(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<2x64xf32>, %b: tensor<10x2xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op rank must be >= 0, got -1}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = -1 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  return %0 : tensor<?x10xf32>
}

// -----

func.func @side_alpha(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<2x64xf32>, %b: tensor<10x2xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op alpha must be > 0}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = -2.0 : f32, rank = 2 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  return %0 : tensor<?x10xf32>
}

// -----

func.func @side_a(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<2x10xf32>, %b: tensor<10x2xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op A must have shape [2, 64], got 'tensor<2x10xf32>'}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x10xf32>, tensor<10x2xf32>
  return %0 : tensor<?x10xf32>
}

// -----

func.func @side_b(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<2x64xf32>, %b: tensor<2x10xf32>) -> tensor<?x10xf32> {
  // expected-error @+1 {{'qapeft.lora_side' op B must have shape [10, 2], got 'tensor<2x10xf32>'}}
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<2x64xf32>, tensor<2x10xf32>
  return %0 : tensor<?x10xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.ia3
//===----------------------------------------------------------------------===//

// -----

func.func @ia3_unranked(%x: tensor<*xf32>, %l: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'qapeft.ia3' op needs a ranked input}}
  %0 = qapeft.ia3 %x, %l {axis = 0 : i64} : tensor<*xf32>, tensor<4xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @ia3_axis(%x: tensor<?x4xf32>, %l: tensor<4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'qapeft.ia3' op axis -1 is out of range for an input of rank 2}}
  %0 = qapeft.ia3 %x, %l {axis = -1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @ia3_elem(%x: tensor<?x4xf32>, %l: tensor<4xbf16>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'qapeft.ia3' op scale must have element type 'f32' like the input, got 'bf16'}}
  %0 = qapeft.ia3 %x, %l {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xbf16>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @ia3_shape(%x: tensor<?x4xf32>, %l: tensor<8xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'qapeft.ia3' op scale must have shape [4], got 'tensor<8xf32>'}}
  %0 = qapeft.ia3 %x, %l {axis = 1 : i64} : tensor<?x4xf32>, tensor<8xf32>
  return %0 : tensor<?x4xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.bottleneck
//===----------------------------------------------------------------------===//

// -----

func.func @bn_unranked(%x: tensor<*xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op needs a ranked input}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<*xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bn_down_rank(%x: tensor<?x64xf32>, %dw: tensor<512xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op down must be a 2-D tensor, got 'tensor<512xf32>'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<512xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @bn_elem(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf16>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op up_bias must have element type 'f32' like the input, got 'f16'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf16>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @bn_down_shape(%x: tensor<?x64xf32>, %dw: tensor<8x32xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op down must have shape [8, 64], got 'tensor<8x32xf32>'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x32xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @bn_down_bias(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<4xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op down_bias must have shape [8], got 'tensor<4xf32>'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<4xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @bn_up(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<8x64xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op up must have shape [64, 8], got 'tensor<8x64xf32>'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<8x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

func.func @bn_up_bias(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<8xf32>) -> tensor<?x64xf32> {
  // expected-error @+1 {{'qapeft.bottleneck' op up_bias must have shape [64], got 'tensor<8xf32>'}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<8xf32>
  return %0 : tensor<?x64xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.prompt
//===----------------------------------------------------------------------===//

// -----

func.func @prompt_rank(%x: tensor<?x32xf32>, %p: tensor<4x32xf32>) -> tensor<?x32xf32> {
  // expected-error @+1 {{'qapeft.prompt' op input and result must be [batch, sequence, features]}}
  %0 = qapeft.prompt %x, %p : (tensor<?x32xf32>, tensor<4x32xf32>) -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

func.func @prompt_rows_rank(%x: tensor<?x16x32xf32>, %p: tensor<4x1x32xf32>) -> tensor<?x20x32xf32> {
  // expected-error @+1 {{'qapeft.prompt' op rows must be a 2-D tensor, got 'tensor<4x1x32xf32>'}}
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x1x32xf32>) -> tensor<?x20x32xf32>
  return %0 : tensor<?x20x32xf32>
}

// -----

func.func @prompt_elem(%x: tensor<?x16x32xf32>, %p: tensor<4x32xf16>) -> tensor<?x20x32xf32> {
  // expected-error @+1 {{'qapeft.prompt' op rows must have element type 'f32' like the input, got 'f16'}}
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x32xf16>) -> tensor<?x20x32xf32>
  return %0 : tensor<?x20x32xf32>
}

// -----

func.func @prompt_result_elem(%x: tensor<?x16x32xf32>, %p: tensor<4x32xf32>) -> tensor<?x20x32xf16> {
  // expected-error @+1 {{'qapeft.prompt' op result must have element type 'f32' like the input, got 'f16'}}
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x20x32xf16>
  return %0 : tensor<?x20x32xf16>
}

// -----

func.func @prompt_width(%x: tensor<?x16x32xf32>, %p: tensor<4x16xf32>) -> tensor<?x20x32xf32> {
  // expected-error @+1 {{'qapeft.prompt' op rows must have shape [4, 32], got 'tensor<4x16xf32>'}}
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x16xf32>) -> tensor<?x20x32xf32>
  return %0 : tensor<?x20x32xf32>
}

// -----

func.func @prompt_result(%x: tensor<?x16x32xf32>, %p: tensor<4x32xf32>) -> tensor<?x16x32xf32> {
  // expected-error @+1 {{'qapeft.prompt' op result must have shape [?, 20, 32], got 'tensor<?x16x32xf32>'}}
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x16x32xf32>
  return %0 : tensor<?x16x32xf32>
}

//===----------------------------------------------------------------------===//
// qapeft.region / qapeft.yield
//===----------------------------------------------------------------------===//

// -----

func.func @region_types(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'qapeft.region' op yields 1 value(s) whose types differ from the region's results}}
  %0 = qapeft.region f16 {
    qapeft.yield %x : tensor<4xf32>
  } : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

func.func @region_count(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qapeft.region' op yields 2 value(s) whose types differ from the region's results}}
  %0 = qapeft.region f16 {
    qapeft.yield %x, %x : tensor<4xf32>, tensor<4xf32>
  } : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// (Only an unknown op can end the body otherwise: known terminators fail
// their own parent checks first.)
func.func @region_no_yield(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qapeft.region' op body must end with qapeft.yield}}
  %0 = "qapeft.region"() <{precision = #qapeft<precision f16>}> ({
    "test.terminator"(%x) : (tensor<4xf32>) -> ()
  }) : () -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @yield_outside(%x: tensor<4xf32>) {
  // expected-error @+1 {{'qapeft.yield' op expects parent op 'qapeft.region'}}
  qapeft.yield %x : tensor<4xf32>
}
