// A model for new-accelerator.yaml (keep-float: warnings with a note).

module {
  func.func @forward(%x: tensor<1x17x17x8xf32>, %h: tensor<1x8xf16>) -> (tensor<1x8x8x8xf32>, tensor<1x8xf32>, tensor<1x8xf16>, tensor<1x3x3x8xf32>) {
    %w = "tosa.const"() {values = dense<0.5> : tensor<8x3x3x8xf32>} : () -> tensor<8x3x3x8xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x17x17x8xf32>, tensor<8x3x3x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x8xf32>
    // expected-warning @below {{target 'acme-gizmo-1' cannot fuse relu6 into 'tosa.conv2d' (fused_activations: none, relu)}}
    // expected-note @below {{it stays in float (unsupported_ops: keep-float)}}
    %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
    %s = tosa.const_shape {values = dense<[1, 512]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %2 = tosa.reshape %1, %s : (tensor<1x8x8x8xf32>, !tosa.shape<2>) -> tensor<1x512xf32>
    %sl = tosa.const_shape {values = dense<[0, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %sz = tosa.const_shape {values = dense<[1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
    // expected-warning @below {{'tosa.slice' is not in the ops of target 'acme-gizmo-1'}}
    // expected-note @below {{it stays in float}}
    %3 = tosa.slice %2, %sl, %sz : (tensor<1x512xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<1x8xf32>
    // expected-warning @below {{target 'acme-gizmo-1' cannot run 'tosa.exp': the gizmo has no lookup tables}}
    // expected-note @below {{it stays in float}}
    %4 = tosa.exp %3 : (tensor<1x8xf32>) -> tensor<1x8xf32>
    // f16 tensors are an f16 island, which the gizmo has.
    %5 = tosa.add %h, %h : (tensor<1x8xf16>, tensor<1x8xf16>) -> tensor<1x8xf16>
    // expected-warning @below {{kernel area 16 exceeds max_kernel_area 9}}
    // expected-note @below {{it stays in float}}
    %6 = tosa.max_pool2d %1 {kernel = array<i64: 4, 4>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x3x3x8xf32>
    return %1, %4, %5, %6 : tensor<1x8x8x8xf32>, tensor<1x8xf32>, tensor<1x8xf16>, tensor<1x3x3x8xf32>
  }
}

// -----

// Stride 3 > 2, a 7x7 kernel, 512 output channels.
module {
  func.func @forward(%x: tensor<1x16x16x8xf32>) -> tensor<1x4x4x512xf32> {
    %w = "tosa.const"() {values = dense<0.5> : tensor<512x7x7x8xf32>} : () -> tensor<512x7x7x8xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<512xf32>} : () -> tensor<512xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    // expected-warning @below {{stride [3, 3] exceeds max_stride 2}}
    // expected-note @below {{it stays in float}}
    // expected-warning @below {{kernel height 7 exceeds max_kernel_height 5}}
    // expected-warning @below {{kernel width 7 exceeds max_kernel_width 5}}
    // expected-warning @below {{output channels 512 exceeds max_output_channels 256}}
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 3, 3>} : (tensor<1x16x16x8xf32>, tensor<512x7x7x8xf32>, tensor<512xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x512xf32>
    return %0 : tensor<1x4x4x512xf32>
  }
}

// -----

// An integer graph (i8 activations: int8) that accumulates in i32, wider
// than the gizmo's 24-bit accumulator.
module {
  func.func @forward(%q: tensor<1x4x4x8xi8>) -> tensor<1x4x4x8xi32> {
    %w = "tosa.const"() {values = dense<3> : tensor<8x1x1x8xi8>} : () -> tensor<8x1x1x8xi8>
    %b = "tosa.const"() {values = dense<0> : tensor<8xi32>} : () -> tensor<8xi32>
    %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    // expected-warning @below {{target 'acme-gizmo-1' cannot run 'tosa.conv2d': accumulator i32 is wider than the target's 24-bit accumulator}}
    // expected-note @below {{it stays in float}}
    %0 = tosa.conv2d %q, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x8xi8>, tensor<8x1x1x8xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x8xi32>
    return %0 : tensor<1x4x4x8xi32>
  }
}
