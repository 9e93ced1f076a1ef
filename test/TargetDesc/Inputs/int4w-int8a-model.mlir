// Models for check-target.mlir with the int4w-int8a target (errors).

// A float model is checked at the default precision (int4x8): the matmul
// only runs at int8; a clamp [-1, 1] is not among the conv's fused
// activations; too many output channels; dilation beyond the limit.
module {
  func.func @forward(%x: tensor<1x8x8x4xf32>, %a: tensor<1x4x8xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x4x4xf32>, tensor<1x8x8x4096xf32>, tensor<1x4x4x4xf32>) {
    %w = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x4xf32>} : () -> tensor<4x1x1x4xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    %wide = "tosa.const"() {values = dense<0.5> : tensor<4096x1x1x4xf32>} : () -> tensor<4096x1x1x4xf32>
    %wb = "tosa.const"() {values = dense<0.0> : tensor<4096xf32>} : () -> tensor<4096xf32>
    %w3 = "tosa.const"() {values = dense<0.5> : tensor<4x3x3x4xf32>} : () -> tensor<4x3x3x4xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %bm = "tosa.const"() {values = dense<0.5> : tensor<1x8x4xf32>} : () -> tensor<1x8x4xf32>
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4xf32>
    // expected-error @below {{target 'int4w-int8a' cannot fuse relu-n1-to-1 into 'tosa.conv2d' (fused_activations: none, relu, relu6)}}
    %1 = tosa.clamp %0 {min_val = -1.0 : f32, max_val = 1.0 : f32} : (tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
    // expected-error @below {{'tosa.matmul' runs only at int8 on target 'int4w-int8a', not at int4x8}}
    %2 = tosa.matmul %a, %bm, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
    // expected-error @below {{output channels 4096 exceeds max_output_channels 2048}}
    %3 = tosa.conv2d %x, %wide, %wb, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<4096x1x1x4xf32>, tensor<4096xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x8x8x4096xf32>
    // expected-error @below {{dilation [2, 2] exceeds max_dilation 1}}
    %4 = tosa.conv2d %x, %w3, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xf32>, tensor<4x3x3x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x4xf32>
    return %1, %2, %3, %4 : tensor<1x8x8x4xf32>, tensor<1x4x4xf32>, tensor<1x8x8x4096xf32>, tensor<1x4x4x4xf32>
  }
}

// -----

// The matmul inside an int8 region is fine, and so is an integer graph
// with i8 activations and i4 weights (int4x8).
module {
  func.func @forward(%a: tensor<1x4x8xf32>, %q: tensor<1x8x8x4xi8>) -> (tensor<1x4x4xf32>, tensor<1x8x8x4xi32>) {
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %bm = "tosa.const"() {values = dense<0.5> : tensor<1x8x4xf32>} : () -> tensor<1x8x4xf32>
    %r = qapeft.region int8 {
      %0 = tosa.matmul %a, %bm, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
      qapeft.yield %0 : tensor<1x4x4xf32>
    } : tensor<1x4x4xf32>
    %w = "tosa.const"() {values = dense<3> : tensor<4x1x1x4xi4>} : () -> tensor<4x1x1x4xi4>
    %b = "tosa.const"() {values = dense<0> : tensor<4xi32>} : () -> tensor<4xi32>
    %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
    %wzp = "tosa.const"() {values = dense<0> : tensor<1xi4>} : () -> tensor<1xi4>
    %1 = tosa.conv2d %q, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x4xi8>, tensor<4x1x1x4xi4>, tensor<4xi32>, tensor<1xi8>, tensor<1xi4>) -> tensor<1x8x8x4xi32>
    return %r, %1 : tensor<1x4x4xf32>, tensor<1x8x8x4xi32>
  }
}
