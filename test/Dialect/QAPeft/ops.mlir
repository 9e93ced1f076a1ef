// Round trip of every qapeft op in its custom form, through the printer
// twice, and through the generic form.
// RUN: qapeft-opt %s | FileCheck %s
// RUN: qapeft-opt %s | qapeft-opt | FileCheck %s
// RUN: qapeft-opt %s -mlir-print-op-generic | qapeft-opt | FileCheck %s
// RUN: qapeft-opt %s -mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @param
// CHECK: qapeft.param "conv1.weight" dense<1.000000e+00> : tensor<16x3x3x1xf32>
// CHECK: qapeft.param "conv1.lora_a" trainable dense<1.000000e-01> : tensor<4x9xf32>
// CHECK: qapeft.param "conv1.step" dense<3> : tensor<i32>
// GENERIC-LABEL: sym_name = "param"
// GENERIC: "qapeft.param"() <{name = "conv1.weight", value = dense<1.000000e+00> : tensor<16x3x3x1xf32>}> : () -> tensor<16x3x3x1xf32>
// GENERIC: "qapeft.param"() <{name = "conv1.lora_a", trainable, value = dense<1.000000e-01> : tensor<4x9xf32>}> : () -> tensor<4x9xf32>
func.func @param() -> (tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<i32>) {
  %w = qapeft.param "conv1.weight" dense<1.0> : tensor<16x3x3x1xf32>
  %a = qapeft.param "conv1.lora_a" trainable dense<0.1> : tensor<4x9xf32>
  %n = qapeft.param "conv1.step" dense<3> : tensor<i32>
  return %w, %a, %n : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<i32>
}

// CHECK-LABEL: func.func @fake_quant_per_tensor
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = i8> : tensor<?x28x28x1xf32>, tensor<f32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = i8, is_signed = false, rounding = double, range = observer> : tensor<?x28x28x1xf32>, tensor<1xf32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 16, storage = i16, symmetric = true, rounding = fp32_half_even, range = learnable> : tensor<?x28x28x1xf32>, tensor<f32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 4, storage = i8, symmetric = true, narrow = true, rounding = half_away> : tensor<?x28x28x1xf32>, tensor<f32>
// GENERIC-LABEL: sym_name = "fake_quant_per_tensor"
// GENERIC: "qapeft.fake_quant"(%{{.*}}, %{{.*}}, %{{.*}}) <{scheme = #qapeft.scheme<bits = 8, storage = i8>}> : (tensor<?x28x28x1xf32>, tensor<f32>, tensor<f32>) -> tensor<?x28x28x1xf32>
func.func @fake_quant_per_tensor(%x: tensor<?x28x28x1xf32>, %s: tensor<f32>, %z: tensor<f32>, %s1: tensor<1xf32>, %z1: tensor<1xf32>) -> tensor<?x28x28x1xf32> {
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x28x28x1xf32>, tensor<f32>
  %1 = qapeft.fake_quant %0 scale %s1 zero_point %z1 scheme <bits = 8, storage = i8, is_signed = false, rounding = double, range = observer> : tensor<?x28x28x1xf32>, tensor<1xf32>
  %2 = qapeft.fake_quant %1 scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true, rounding = fp32_half_even, range = learnable> : tensor<?x28x28x1xf32>, tensor<f32>
  %3 = qapeft.fake_quant %2 scale %s zero_point %z scheme <bits = 4, storage = i8, symmetric = true, narrow = true, rounding = half_away> : tensor<?x28x28x1xf32>, tensor<f32>
  return %3 : tensor<?x28x28x1xf32>
}

// Explicit default values parse and print in the short form.
// CHECK-LABEL: func.func @fake_quant_defaults
// CHECK: scheme <bits = 8, storage = i8> :
func.func @fake_quant_defaults(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<f32>) -> tensor<4xf32> {
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, is_signed = true, symmetric = false, narrow = false, granularity = per_tensor, axis = -1, group_size = 0, rounding = single, range = calibrated> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @fake_quant_per_channel
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<16x3x3x1xf32>, tensor<16xf32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = si8, granularity = per_channel, axis = 3> : tensor<?x7x7x32xf32>, tensor<32xf32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 8, storage = ui8, is_signed = false, granularity = per_channel, axis = 3> : tensor<?x7x7x32xf32>, tensor<?xf32>
func.func @fake_quant_per_channel(%w: tensor<16x3x3x1xf32>, %s: tensor<16xf32>, %z: tensor<16xf32>,
                                  %x: tensor<?x7x7x32xf32>, %sx: tensor<32xf32>, %zx: tensor<32xf32>,
                                  %sd: tensor<?xf32>, %zd: tensor<?xf32>) -> (tensor<16x3x3x1xf32>, tensor<?x7x7x32xf32>, tensor<?x7x7x32xf32>) {
  %0 = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<16x3x3x1xf32>, tensor<16xf32>
  %1 = qapeft.fake_quant %x scale %sx zero_point %zx scheme <bits = 8, storage = si8, granularity = per_channel, axis = 3> : tensor<?x7x7x32xf32>, tensor<32xf32>
  %2 = qapeft.fake_quant %x scale %sd zero_point %zd scheme <bits = 8, storage = ui8, is_signed = false, granularity = per_channel, axis = 3> : tensor<?x7x7x32xf32>, tensor<?xf32>
  return %0, %1, %2 : tensor<16x3x3x1xf32>, tensor<?x7x7x32xf32>, tensor<?x7x7x32xf32>
}

// CHECK-LABEL: func.func @fake_quant_per_group
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 4, storage = i4, symmetric = true, granularity = per_group, axis = 1, group_size = 32> : tensor<64x128xf32>, tensor<64x4xf32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <bits = 2, storage = i8, granularity = per_group, axis = 0, group_size = 2> : tensor<?x6xf16>, tensor<?x6xf16>
func.func @fake_quant_per_group(%w: tensor<64x128xf32>, %s: tensor<64x4xf32>, %z: tensor<64x4xf32>,
                                %h: tensor<?x6xf16>, %sh: tensor<?x6xf16>, %zh: tensor<?x6xf16>) -> (tensor<64x128xf32>, tensor<?x6xf16>) {
  %0 = qapeft.fake_quant %w scale %s zero_point %z scheme <bits = 4, storage = i4, symmetric = true, granularity = per_group, axis = 1, group_size = 32> : tensor<64x128xf32>, tensor<64x4xf32>
  %1 = qapeft.fake_quant %h scale %sh zero_point %zh scheme <bits = 2, storage = i8, granularity = per_group, axis = 0, group_size = 2> : tensor<?x6xf16>, tensor<?x6xf16>
  return %0, %1 : tensor<64x128xf32>, tensor<?x6xf16>
}

// Constant scale and zero point on the grid: verified and kept.
// CHECK-LABEL: func.func @fake_quant_constants
// CHECK: qapeft.param "x.scale" dense<[2.500000e-01, 5.000000e-01]> : tensor<2xf32>
// CHECK: qapeft.param "x.zero_point" dense<[-1.280000e+02, 1.270000e+02]> : tensor<2xf32>
// CHECK: qapeft.fake_quant
func.func @fake_quant_constants(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %s = qapeft.param "x.scale" dense<[0.25, 0.5]> : tensor<2xf32>
  %z = qapeft.param "x.zero_point" dense<[-128.0, 127.0]> : tensor<2xf32>
  %0 = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, granularity = per_channel, axis = 1> : tensor<3x2xf32>, tensor<2xf32>
  return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @lora_delta
// CHECK: qapeft.lora_delta %{{.*}}, %{{.*}}, %{{.*}} {alpha = 8.000000e+00 : f32, rank = 4 : i64} : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>
// CHECK: qapeft.lora_delta %{{.*}}, %{{.*}}, %{{.*}} {alpha = 1.000000e+00 : f32, out_axis = 1 : i64, rank = 2 : i64} : tensor<64x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
// CHECK: qapeft.lora_delta %{{.*}}, %{{.*}}, %{{.*}} {alpha = 4.000000e+00 : f32, rank = 4 : i64} : tensor<?x3x3x1xf32>, tensor<4x?xf32>, tensor<?x4xf32>
// GENERIC-LABEL: sym_name = "lora_delta"
// GENERIC: "qapeft.lora_delta"(%{{.*}}, %{{.*}}, %{{.*}}) <{alpha = 8.000000e+00 : f32, out_axis = 0 : i64, rank = 4 : i64}> : (tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>) -> tensor<16x3x3x1xf32>
func.func @lora_delta(%w: tensor<16x3x3x1xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>,
                      %w2: tensor<64x10xf32>, %a2: tensor<2x64xf32>, %b2: tensor<10x2xf32>,
                      %w3: tensor<?x3x3x1xf32>, %a3: tensor<4x?xf32>, %b3: tensor<?x4xf32>) -> (tensor<16x3x3x1xf32>, tensor<64x10xf32>, tensor<?x3x3x1xf32>) {
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  %1 = qapeft.lora_delta %w2, %a2, %b2 {alpha = 1.0 : f32, rank = 2 : i64, out_axis = 1 : i64} : tensor<64x10xf32>, tensor<2x64xf32>, tensor<10x2xf32>
  %2 = qapeft.lora_delta %w3, %a3, %b3 {alpha = 4.0 : f32, rank = 4 : i64} : tensor<?x3x3x1xf32>, tensor<4x?xf32>, tensor<?x4xf32>
  return %0, %1, %2 : tensor<16x3x3x1xf32>, tensor<64x10xf32>, tensor<?x3x3x1xf32>
}

// CHECK-LABEL: func.func @lora_side
// CHECK: qapeft.lora_side %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {alpha = 1.600000e+01 : f32, rank = 8 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<8x64xf32>, tensor<10x8xf32>
// CHECK: qapeft.lora_side %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {alpha = 2.000000e+00 : f32, rank = 2 : i64} : tensor<?x7x7x32xf32>, tensor<?x7x7x16xf32>, tensor<2x32xf32>, tensor<16x2xf32>
// GENERIC-LABEL: sym_name = "lora_side"
// GENERIC: "qapeft.lora_side"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{alpha = 1.600000e+01 : f32, rank = 8 : i64}>
func.func @lora_side(%x: tensor<?x64xf32>, %y: tensor<?x10xf32>, %a: tensor<8x64xf32>, %b: tensor<10x8xf32>,
                     %x4: tensor<?x7x7x32xf32>, %y4: tensor<?x7x7x16xf32>, %a4: tensor<2x32xf32>, %b4: tensor<16x2xf32>) -> (tensor<?x10xf32>, tensor<?x7x7x16xf32>) {
  %0 = qapeft.lora_side %x, %y, %a, %b {alpha = 16.0 : f32, rank = 8 : i64} : tensor<?x64xf32>, tensor<?x10xf32>, tensor<8x64xf32>, tensor<10x8xf32>
  %1 = qapeft.lora_side %x4, %y4, %a4, %b4 {alpha = 2.0 : f32, rank = 2 : i64} : tensor<?x7x7x32xf32>, tensor<?x7x7x16xf32>, tensor<2x32xf32>, tensor<16x2xf32>
  return %0, %1 : tensor<?x10xf32>, tensor<?x7x7x16xf32>
}

// CHECK-LABEL: func.func @ia3
// CHECK: qapeft.ia3 %{{.*}}, %{{.*}} {axis = 3 : i64} : tensor<?x14x14x32xf32>, tensor<32xf32>
// CHECK: qapeft.ia3 %{{.*}}, %{{.*}} {axis = 0 : i64} : tensor<32x3x3x16xf32>, tensor<32xf32>
// GENERIC-LABEL: sym_name = "ia3"
// GENERIC: "qapeft.ia3"(%{{.*}}, %{{.*}}) <{axis = 3 : i64}> : (tensor<?x14x14x32xf32>, tensor<32xf32>) -> tensor<?x14x14x32xf32>
func.func @ia3(%x: tensor<?x14x14x32xf32>, %l: tensor<32xf32>, %w: tensor<32x3x3x16xf32>) -> (tensor<?x14x14x32xf32>, tensor<32x3x3x16xf32>) {
  %0 = qapeft.ia3 %x, %l {axis = 3 : i64} : tensor<?x14x14x32xf32>, tensor<32xf32>
  %1 = qapeft.ia3 %w, %l {axis = 0 : i64} : tensor<32x3x3x16xf32>, tensor<32xf32>
  return %0, %1 : tensor<?x14x14x32xf32>, tensor<32x3x3x16xf32>
}

// CHECK-LABEL: func.func @bottleneck
// CHECK: qapeft.bottleneck %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
// CHECK: qapeft.bottleneck %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} gelu pfeiffer : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
// CHECK: qapeft.bottleneck %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} identity houlsby : tensor<?x7x7x32xf32>, tensor<4x32xf32>, tensor<4xf32>, tensor<32x4xf32>, tensor<32xf32>
// GENERIC-LABEL: sym_name = "bottleneck"
// GENERIC: "qapeft.bottleneck"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{activation = #qapeft<activation relu>, placement = #qapeft<placement houlsby>}>
func.func @bottleneck(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>,
                      %x4: tensor<?x7x7x32xf32>, %dw4: tensor<4x32xf32>, %db4: tensor<4xf32>, %uw4: tensor<32x4xf32>, %ub4: tensor<32xf32>) -> (tensor<?x64xf32>, tensor<?x7x7x32xf32>) {
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  %1 = qapeft.bottleneck %0, %dw, %db, %uw, %ub gelu pfeiffer : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  %2 = qapeft.bottleneck %x4, %dw4, %db4, %uw4, %ub4 identity houlsby : tensor<?x7x7x32xf32>, tensor<4x32xf32>, tensor<4xf32>, tensor<32x4xf32>, tensor<32xf32>
  return %1, %2 : tensor<?x64xf32>, tensor<?x7x7x32xf32>
}

// CHECK-LABEL: func.func @prompt
// CHECK: qapeft.prompt %{{.*}}, %{{.*}} : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x20x32xf32>
// CHECK: qapeft.prompt %{{.*}}, %{{.*}} : (tensor<2x?x32xf32>, tensor<4x32xf32>) -> tensor<2x?x32xf32>
// GENERIC-LABEL: sym_name = "prompt"
// GENERIC: "qapeft.prompt"(%{{.*}}, %{{.*}}) : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x20x32xf32>
func.func @prompt(%x: tensor<?x16x32xf32>, %p: tensor<4x32xf32>, %y: tensor<2x?x32xf32>) -> (tensor<?x20x32xf32>, tensor<2x?x32xf32>) {
  %0 = qapeft.prompt %x, %p : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x20x32xf32>
  %1 = qapeft.prompt %y, %p : (tensor<2x?x32xf32>, tensor<4x32xf32>) -> tensor<2x?x32xf32>
  return %0, %1 : tensor<?x20x32xf32>, tensor<2x?x32xf32>
}

// CHECK-LABEL: func.func @region
// CHECK: %[[R:.*]] = qapeft.region int16x8 {
// CHECK-NEXT: tosa.clamp
// CHECK-NEXT: qapeft.yield %{{.*}} : tensor<?x14x14x32xf32>
// CHECK-NEXT: } : tensor<?x14x14x32xf32>
// CHECK: qapeft.region int8 attributes {tag = "a"} {
// CHECK: qapeft.region int4x8 {
// CHECK: qapeft.region f16 {
// CHECK: qapeft.region f32 {
// CHECK-NEXT: qapeft.yield{{$}}
// CHECK-NEXT: }{{$}}
// GENERIC-LABEL: sym_name = "region"
// GENERIC: "qapeft.region"() <{precision = #qapeft<precision int16x8>}> ({
// GENERIC: "qapeft.yield"(%{{.*}}) : (tensor<?x14x14x32xf32>) -> ()
func.func @region(%x: tensor<?x14x14x32xf32>) -> (tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>) {
  %0 = qapeft.region int16x8 {
    %y = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x14x14x32xf32>) -> tensor<?x14x14x32xf32>
    qapeft.yield %y : tensor<?x14x14x32xf32>
  } : tensor<?x14x14x32xf32>
  %1:2 = qapeft.region int8 attributes {tag = "a"} {
    %y = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x14x14x32xf32>) -> tensor<?x14x14x32xf32>
    qapeft.yield %y, %0 : tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>
  } : tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>
  qapeft.region int4x8 {
    %u = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x14x14x32xf32>) -> tensor<?x14x14x32xf32>
    qapeft.yield
  }
  qapeft.region f16 {
    %u = tosa.clamp %x {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x14x14x32xf32>) -> tensor<?x14x14x32xf32>
    qapeft.yield
  }
  qapeft.region f32 {
    qapeft.yield
  }
  return %0, %1#0, %1#1 : tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>, tensor<?x14x14x32xf32>
}

// Every attribute of the dialect, standalone, with every enum value.
// CHECK-LABEL: func.func @attributes
// CHECK-SAME: a0 = #qapeft<activation relu>, a1 = #qapeft<activation gelu>, a2 = #qapeft<activation identity>
// CHECK-SAME: g0 = #qapeft<granularity per_tensor>, g1 = #qapeft<granularity per_channel>, g2 = #qapeft<granularity per_group>
// CHECK-SAME: p0 = #qapeft<precision int8>, p1 = #qapeft<precision int16x8>, p2 = #qapeft<precision int4x8>, p3 = #qapeft<precision f16>, p4 = #qapeft<precision f32>
// CHECK-SAME: pl0 = #qapeft<placement houlsby>, pl1 = #qapeft<placement pfeiffer>
// CHECK-SAME: r0 = #qapeft<rounding single>, r1 = #qapeft<rounding double>, r2 = #qapeft<rounding fp32_half_even>, r3 = #qapeft<rounding half_away>
// CHECK-SAME: rs0 = #qapeft<range_source calibrated>, rs1 = #qapeft<range_source observer>, rs2 = #qapeft<range_source learnable>, rs3 = #qapeft<range_source weight>
// CHECK-SAME: s0 = #qapeft.scheme<bits = 8, storage = i8>
// CHECK-SAME: s1 = #qapeft.scheme<bits = 16, storage = ui16, is_signed = false, symmetric = true, granularity = per_group, axis = 2, group_size = 64, rounding = half_away, range = observer>
func.func @attributes() attributes {
    a0 = #qapeft<activation relu>, a1 = #qapeft<activation gelu>, a2 = #qapeft<activation identity>,
    g0 = #qapeft<granularity per_tensor>, g1 = #qapeft<granularity per_channel>, g2 = #qapeft<granularity per_group>,
    p0 = #qapeft<precision int8>, p1 = #qapeft<precision int16x8>, p2 = #qapeft<precision int4x8>, p3 = #qapeft<precision f16>, p4 = #qapeft<precision f32>,
    pl0 = #qapeft<placement houlsby>, pl1 = #qapeft<placement pfeiffer>,
    r0 = #qapeft<rounding single>, r1 = #qapeft<rounding double>, r2 = #qapeft<rounding fp32_half_even>, r3 = #qapeft<rounding half_away>,
    rs0 = #qapeft<range_source calibrated>, rs1 = #qapeft<range_source observer>, rs2 = #qapeft<range_source learnable>, rs3 = #qapeft<range_source weight>,
    s0 = #qapeft.scheme<bits = 8, storage = i8>,
    s1 = #qapeft.scheme<bits = 16, storage = ui16, is_signed = false, symmetric = true, granularity = per_group, axis = 2, group_size = 64, rounding = half_away, range = observer>} {
  return
}

// Parameters may hold their values in resources (large trainable tensors).
// Values the verifier cannot iterate (a resource, even one without a blob)
// are not checked, and nothing crashes.
// CHECK-LABEL: func.func @param_resource
// CHECK: qapeft.param "fc1.weight" trainable dense_resource<fc1_weight> : tensor<2x2xf32>
// CHECK: qapeft.param "x.scale" dense_resource<missing_blob> : tensor<f32>
// CHECK: qapeft.fake_quant
// CHECK: fc1_weight: "0x04000000
func.func @param_resource(%x: tensor<4xf32>) -> (tensor<2x2xf32>, tensor<4xf32>) {
  %w = qapeft.param "fc1.weight" trainable dense_resource<fc1_weight> : tensor<2x2xf32>
  %s = qapeft.param "x.scale" dense_resource<missing_blob> : tensor<f32>
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, symmetric = true> : tensor<4xf32>, tensor<f32>
  return %w, %0 : tensor<2x2xf32>, tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fc1_weight: "0x040000000000803F0000004000004040000080C0"
    }
  }
#-}
