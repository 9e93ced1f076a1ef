// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant | FileCheck %s

// A fully connected layer with ReLU: reshape -> 1x1 conv2d -> reshape ->
// clamp. The integer kernel applies the clamp as its fused activation, so only
// the clamp's output is quantized; quantizing the conv output too would leave
// a standalone requantization (TFLite QUANTIZE) between fc1 and its ReLU.

// CHECK-LABEL: func.func @forward
// CHECK: %[[C:.*]] = tosa.conv2d
// CHECK-NOT: qapeft.fake_quant
// CHECK: %[[R:.*]] = tosa.reshape %[[C]]
// CHECK-NEXT: %[[A:.*]] = tosa.clamp %[[R]]
// CHECK-NEXT: %[[S:.*]] = qapeft.param "fc1.scale"
// CHECK-NEXT: %[[Z:.*]] = qapeft.param "fc1.zero_point"
// CHECK-NEXT: %[[Q:.*]] = qapeft.fake_quant %[[A]] scale %[[S]] zero_point %[[Z]]
// CHECK-NEXT: return %[[Q]]
// One fake quant for the input, one for the weight, one for fc1: no
// fc1.relu grid.
// CHECK-NOT: fc1.relu
func.func @forward(%x: tensor<?x64xf32>) -> tensor<?x16xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = tosa.const_shape {values = dense<[-1, 1, 1, 64]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %f = tosa.reshape %x, %s : (tensor<?x64xf32>, !tosa.shape<4>) -> tensor<?x1x1x64xf32>
  %w = "tosa.const"() {values = dense<0.01> : tensor<16x1x1x64xf32>} : () -> tensor<16x1x1x64xf32> loc("fc1.weight")
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32> loc("fc1.bias")
  %c = tosa.conv2d %f, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x64xf32>, tensor<16x1x1x64xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x16xf32> loc("fc1")
  %s2 = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %c, %s2 : (tensor<?x1x1x16xf32>, !tosa.shape<2>) -> tensor<?x16xf32>
  %a = tosa.clamp %r {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x16xf32>) -> tensor<?x16xf32> loc("fc1.relu")
  return %a : tensor<?x16xf32>
}

// -----

// Through two reshapes as well.
// CHECK-LABEL: func.func @forward
// CHECK: tosa.conv2d
// CHECK-NEXT: tosa.const_shape
// CHECK-NEXT: tosa.reshape
// CHECK-NEXT: tosa.const_shape
// CHECK-NEXT: tosa.reshape
// CHECK-NEXT: tosa.clamp
// CHECK-NEXT: qapeft.param "fc1.scale"
// CHECK-NEXT: qapeft.param "fc1.zero_point"
// CHECK-NEXT: qapeft.fake_quant
// CHECK-NEXT: return
func.func @forward(%x: tensor<?x1x1x64xf32>) -> tensor<?x4x4xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<0.01> : tensor<16x1x1x64xf32>} : () -> tensor<16x1x1x64xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x64xf32>, tensor<16x1x1x64xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x16xf32> loc("fc1")
  %s2 = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %c, %s2 : (tensor<?x1x1x16xf32>, !tosa.shape<2>) -> tensor<?x16xf32>
  %s3 = tosa.const_shape {values = dense<[-1, 4, 4]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %r2 = tosa.reshape %r, %s3 : (tensor<?x16xf32>, !tosa.shape<3>) -> tensor<?x4x4xf32>
  %a = tosa.clamp %r2 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x4x4xf32>) -> tensor<?x4x4xf32>
  return %a : tensor<?x4x4xf32>
}

// -----

// When the reshaped value has another use, the conv output itself is what
// the kernel writes: it is quantized, and the clamp gets its own grid.
// CHECK-LABEL: func.func @forward
// CHECK: tosa.conv2d
// CHECK-NEXT: qapeft.param "fc1.scale"
// CHECK-NEXT: qapeft.param "fc1.zero_point"
// CHECK-NEXT: qapeft.fake_quant
// CHECK: tosa.reshape
// CHECK-NEXT: tosa.clamp
// CHECK-NEXT: qapeft.param "fc1.relu.scale"
// CHECK-NEXT: qapeft.param "fc1.relu.zero_point"
// CHECK-NEXT: qapeft.fake_quant
// CHECK: tosa.add
func.func @forward(%x: tensor<?x1x1x64xf32>) -> tensor<?x16xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = "tosa.const"() {values = dense<0.01> : tensor<16x1x1x64xf32>} : () -> tensor<16x1x1x64xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x64xf32>, tensor<16x1x1x64xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x16xf32> loc("fc1")
  %s2 = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %c, %s2 : (tensor<?x1x1x16xf32>, !tosa.shape<2>) -> tensor<?x16xf32>
  %a = tosa.clamp %r {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x16xf32>) -> tensor<?x16xf32> loc("fc1.relu")
  %sum = tosa.add %a, %r : (tensor<?x16xf32>, tensor<?x16xf32>) -> tensor<?x16xf32> loc("sum")
  return %sum : tensor<?x16xf32>
}
