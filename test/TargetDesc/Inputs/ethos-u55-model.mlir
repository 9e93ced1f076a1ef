// Models for check-target.mlir with the ethos-u55 target (keep-float: every
// problem is a warning with a note).

// Stride 5 > 4 on a conv, stride 4 > 3 on a depthwise conv.
module {
  func.func @forward(%x: tensor<1x23x23x8xf32>) -> (tensor<1x5x5x16xf32>, tensor<1x6x6x8xf32>) {
    %w = "tosa.const"() {values = dense<0.5> : tensor<16x3x3x8xf32>} : () -> tensor<16x3x3x8xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
    %dw = "tosa.const"() {values = dense<0.5> : tensor<3x3x8x1xf32>} : () -> tensor<3x3x8x1xf32>
    %db = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    // expected-warning @below {{target 'ethos-u55' cannot run 'tosa.conv2d': stride [5, 5] exceeds max_stride 4}}
    // expected-note @below {{it stays in float (unsupported_ops: keep-float)}}
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 5, 5>} : (tensor<1x23x23x8xf32>, tensor<16x3x3x8xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x16xf32>
    // expected-warning @below {{target 'ethos-u55' cannot run 'tosa.depthwise_conv2d': stride [4, 4] exceeds max_stride 3}}
    // expected-note @below {{it stays in float}}
    %1 = tosa.depthwise_conv2d %x, %dw, %db, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 4, 4>} : (tensor<1x23x23x8xf32>, tensor<3x3x8x1xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x8xf32>
    return %0, %1 : tensor<1x5x5x16xf32>, tensor<1x6x6x8xf32>
  }
}

// -----

// Dilated kernel height (3-1)*32+1 = 65 > 64; kernel area 65*65 > 4096.
module {
  func.func @forward(%x: tensor<1x70x70x1xf32>) -> tensor<1x6x6x4xf32> {
    %w = "tosa.const"() {values = dense<0.5> : tensor<4x3x3x1xf32>} : () -> tensor<4x3x3x1xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    // expected-warning @below {{kernel height 65 exceeds max_kernel_height 64}}
    // expected-note @below {{it stays in float}}
    // expected-warning @below {{kernel area 4225 exceeds max_kernel_area 4096}}
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 32, 32>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x70x70x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x6x6x4xf32>
    return %0 : tensor<1x6x6x4xf32>
  }
}

// -----

// The quantized weight sum of an output channel: 70000 weights at the
// channel maximum quantize to 127 each; 127 * 70000 > 8323072.
module {
  func.func @forward(%x: tensor<1x1x1x70000xf32>) -> tensor<1x1x1x2xf32> {
    %w = "tosa.const"() {values = dense<0.25> : tensor<2x1x1x70000xf32>} : () -> tensor<2x1x1x70000xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    // expected-warning @below {{quantized weight sum of an output channel 8890000 exceeds max_weight_sum 8323072}}
    // expected-note @below {{it stays in float}}
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x70000xf32>, tensor<2x1x1x70000xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
    return %0 : tensor<1x1x1x2xf32>
  }
}

// -----

// A clamp the conv cannot fuse; batch 2 > 1; an unsupported op with the
// target's reason; a pool kernel beyond the limit; a 5-D tensor.
module {
  func.func @forward(%x: tensor<2x8x8x4xf32>, %a: tensor<1x4x8xf32>, %e: tensor<1x2x2x2x2xf32>) -> (tensor<2x8x8x4xf32>, tensor<1x4x4xf32>, tensor<2x1x1x4xf32>, tensor<1x2x2x2x2xf32>) {
    %w = "tosa.const"() {values = dense<0.5> : tensor<4x1x1x4xf32>} : () -> tensor<4x1x1x4xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %bm = "tosa.const"() {values = dense<0.5> : tensor<1x8x4xf32>} : () -> tensor<1x8x4xf32>
    // expected-warning @below {{batch 2 exceeds max_batch 1}}
    // expected-note @below {{it stays in float}}
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x8x8x4xf32>, tensor<4x1x1x4xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x8x8x4xf32>
    // expected-warning @below {{target 'ethos-u55' cannot fuse clamp [0.000000e+00 : f32, 1.000000e+01 : f32] into 'tosa.conv2d' (fused_activations: none, relu, relu6, relu-n1-to-1)}}
    // expected-note @below {{it stays in float}}
    %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 10.0 : f32} : (tensor<2x8x8x4xf32>) -> tensor<2x8x8x4xf32>
    // expected-warning @below {{target 'ethos-u55' cannot run 'tosa.matmul': BATCH_MATMUL is not among Vela's supported operators, so it is placed on the CPU}}
    // expected-note @below {{it stays in float}}
    %2 = tosa.matmul %a, %bm, %zp, %zp : (tensor<1x4x8xf32>, tensor<1x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4xf32>
    // expected-warning @below {{kernel height 9 exceeds max_kernel_height 8}}
    // expected-note @below {{it stays in float}}
    // expected-warning @below {{kernel width 9 exceeds max_kernel_width 8}}
    // expected-warning @below {{batch 2 exceeds max_batch 1}}
    %3 = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 9, 9>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>} : (tensor<2x8x8x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x1x1x4xf32>
    // expected-warning @below {{target 'ethos-u55' cannot run 'tosa.add': tensor rank 5 exceeds max_rank 4}}
    // expected-note @below {{it stays in float}}
    %4 = tosa.add %e, %e : (tensor<1x2x2x2x2xf32>, tensor<1x2x2x2x2xf32>) -> tensor<1x2x2x2x2xf32>
    return %1, %2, %3, %4 : tensor<2x8x8x4xf32>, tensor<1x4x4xf32>, tensor<2x1x1x4xf32>, tensor<1x2x2x2x2xf32>
  }
}

// -----

// int16x8 is one of ethos-u55's precisions; an f32 island is not.
module {
  func.func @forward(%x: tensor<1x8xf32>) -> (tensor<1x8xf32>, tensor<1x8xf32>) {
    %r = qapeft.region int16x8 {
      %0 = tosa.add %x, %x : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
      qapeft.yield %0 : tensor<1x8xf32>
    } : tensor<1x8xf32>
    // expected-warning @below {{target 'ethos-u55' has no f32 precision (precisions: int8, int16x8)}}
    // expected-note @below {{it stays in float}}
    %s = qapeft.region f32 {
      %1 = tosa.erf %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
      qapeft.yield %1 : tensor<1x8xf32>
    } : tensor<1x8xf32>
    return %r, %s : tensor<1x8xf32>, tensor<1x8xf32>
  }
}
