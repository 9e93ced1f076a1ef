// Schemes from the module's qapeft.target attribute (as --qapeft-attach-target
// writes it), with a per-op override for conv2d weights.
// RUN: qapeft-opt %s --qapeft-insert-fake-quant | FileCheck %s
// RUN: not qapeft-opt %s --qapeft-insert-fake-quant="mode=sometimes" 2>&1 | FileCheck %s --check-prefix=MODE
// RUN: not qapeft-opt %s --qapeft-insert-fake-quant="weight-bits=1" 2>&1 | FileCheck %s --check-prefix=BITS
// RUN: qapeft-opt %S/Inputs/bad-target.mlir -verify-diagnostics --qapeft-insert-fake-quant

// The model input uses the target's `input` scheme.
// CHECK: qapeft.fake_quant %arg0 {{.*}} scheme <bits = 12, storage = i16, symmetric = true>
// The per-op override; the axis is the conv weight's output channels (0),
// whatever axis the target file wrote.
// CHECK: qapeft.weight_range {{.*}} {scheme = #qapeft.scheme<bits = 4, storage = i8, symmetric = true, granularity = per_channel, axis = 0, rounding = double, range = weight>}
// CHECK: tosa.conv2d
// CHECK-NEXT: qapeft.param "conv.scale"
// CHECK-NEXT: qapeft.param "conv.zero_point"
// CHECK-NEXT: qapeft.fake_quant {{.*}} scheme <bits = 8, storage = i8, symmetric = true>
// BITS: error: weight-bits must be in [2, 16], got 1
// MODE: error: unknown mode 'sometimes'; expected full or adapter
module attributes {qapeft.target = {name = "toy", input = #qapeft.scheme<bits = 12, storage = i16, symmetric = true>, activation = #qapeft.scheme<bits = 8, storage = i8, symmetric = true>, weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0>, accumulator_bits = 32 : i64, rounding = #qapeft<rounding double>, ops = {"tosa.conv2d" = {weight = #qapeft.scheme<bits = 4, storage = i8, symmetric = true, granularity = per_channel, axis = 3, rounding = double>}}}} {
  func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x4x4x2xf32> {
    %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x3xf32>} : () -> tensor<2x1x1x3xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x2xf32> loc("conv")
    return %c : tensor<?x4x4x2xf32>
  }
}
