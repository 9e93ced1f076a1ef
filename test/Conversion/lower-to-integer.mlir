// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= | FileCheck %s
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= \
// RUN:   --tosa-attach-target="profiles=pro_int extensions=doubleround,inexactround,int16 level=none" \
// RUN:   --tosa-validate | FileCheck %s --check-prefix=VALID

// A conv with per-channel weight scales [0.25, 0.125] given as constants:
//   weights [[0.5, -1], [0.25, 0.125]] -> [[2, -4], [2, 1]];
//   bias [1, -0.5] at s_in * s_w = [0.125, 0.0625] -> [8, -8];
//   M = 0.5 * s_w / 0.25 = [0.5, 0.25] -> multiplier 2^30, shifts [31, 32];
//   ReLU on the output grid (zp 3): clamp to [3, 127].
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x2x2xi8> {qapeft.scale = [5.000000e-01 : f32], qapeft.zero_point = [-1]})
// CHECK-SAME: -> (tensor<?x2x2x2xi8> {qapeft.scale = [2.500000e-01 : f32], qapeft.zero_point = [3]})
// CHECK-DAG: %[[W:.*]] = "tosa.const"() <{values = dense<{{\[\[\[\[}}2, -4]]], {{\[\[\[}}2, 1]]]]> : tensor<2x1x1x2xi8>}> {qapeft.quantized_dimension = 0 : i64, qapeft.scale = [2.500000e-01 : f32, 1.250000e-01 : f32], qapeft.zero_point = [0, 0]}
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<[8, -8]> : tensor<2xi32>}>
// CHECK-DAG: %[[IZP:.*]] = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}>
// CHECK-DAG: %[[WZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK: %[[C:.*]] = tosa.conv2d %[[X]], %[[W]], %[[B]], %[[IZP]], %[[WZP]] {acc_type = i32, {{.*}}} : ({{.*}}) -> tensor<?x2x2x2xi32>
// CHECK-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<1073741824> : tensor<2xi32>}>
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{values = dense<[31, 32]> : tensor<2xi8>}>
// CHECK-DAG: %[[RIZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi32>}>
// CHECK-DAG: %[[ROZP:.*]] = "tosa.const"() <{values = dense<3> : tensor<1xi8>}>
// CHECK: %[[R:.*]] = tosa.rescale %[[C]], %[[M]], %[[S]], %[[RIZP]], %[[ROZP]] {input_unsigned = false, output_unsigned = false, per_channel = true, qapeft.scale = [2.500000e-01 : f32], qapeft.zero_point = [3], rounding_mode = SINGLE_ROUND, scale32 = true} : {{.*}} -> tensor<?x2x2x2xi8>
// CHECK: %[[CL:.*]] = tosa.clamp %[[R]] {max_val = 127 : i8, min_val = 3 : i8, {{.*}}} : {{.*}} -> tensor<?x2x2x2xi8>
// CHECK: return %[[CL]] : tensor<?x2x2x2xi8>
// VALID-LABEL: func.func @conv
func.func @conv(%x: tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<-1.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<[0.25, 0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0> : tensor<2x1x1x2xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<[1.0, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x2x2x2xf32>) -> tensor<?x2x2x2xf32>
  %os = qapeft.param "c.relu.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "c.relu.zero_point" dense<3.0> : tensor<f32>
  %o = qapeft.fake_quant %r scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %o : tensor<?x2x2x2xf32>
}

// -----

// The fully connected form (reshape, 1x1 conv2d, reshape, ReLU) with the
// weight's per-channel scales from qapeft.weight_range: max|w| / 127 =
// [2/127, 1/127] -> codes [[127, -64], [-127, 127]] (exact: 1 / (1/127)).
// The rescale happens on the 4-D accumulator, before the reshape.
// CHECK-LABEL: func.func @fc
// CHECK-SAME: (%[[X:.*]]: tensor<?x2xi8>
// CHECK: %[[IN:.*]] = tosa.reshape %[[X]], %{{.*}} {{.*}} -> tensor<?x1x1x2xi8>
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}127, -64]]], {{\[\[\[}}-127, 127]]]]> : tensor<2x1x1x2xi8>}>
// CHECK: %[[C:.*]] = tosa.conv2d %[[IN]]{{.*}} -> tensor<?x1x1x2xi32>
// CHECK: %[[R:.*]] = tosa.rescale %[[C]]{{.*}}per_channel = true{{.*}} -> tensor<?x1x1x2xi8>
// CHECK: %[[O:.*]] = tosa.reshape %[[R]], %{{.*}} -> tensor<?x2xi8>
// CHECK: %[[CL:.*]] = tosa.clamp %[[O]] {max_val = 127 : i8, min_val = -128 : i8,
// CHECK: return %[[CL]]
// VALID-LABEL: func.func @fc
func.func @fc(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %xs = "tosa.const"() {values = dense<0.1> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  %s4 = tosa.const_shape {values = dense<[-1, 1, 1, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %in = tosa.reshape %xq, %s4 : (tensor<?x2xf32>, !tosa.shape<4>) -> tensor<?x1x1x2xf32>
  %w = "tosa.const"() {values = dense<[[[[2.0, -1.0]]], [[[-1.0, 1.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws, %wz = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<2x1x1x2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight> : tensor<2x1x1x2xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %in, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32>
  %s2 = tosa.const_shape {values = dense<[-1, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %y, %s2 : (tensor<?x1x1x2xf32>, !tosa.shape<2>) -> tensor<?x2xf32>
  %r = tosa.clamp %o {min_val = -3.40282347E+38 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x2xf32>) -> tensor<?x2xf32>
  %os = "tosa.const"() {values = dense<0.05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %oq = qapeft.fake_quant %r scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  return %oq : tensor<?x2xf32>
}

// -----

// Double rounding and a folded (IA)^3 scale: s_w' = [0.25 * 2, 0.125 * 0.5],
// M = 1 * s_w' / 1 = [0.5, 0.0625] -> shifts [31, 34], and the weight's
// recorded scales are the folded ones.
// CHECK-LABEL: func.func @ia3_double
// CHECK: qapeft.scale = [5.000000e-01 : f32, 6.250000e-02 : f32]
// CHECK-NOT: qapeft.ia3
// CHECK: dense<[31, 34]> : tensor<2xi8>
// CHECK: tosa.rescale {{.*}}rounding_mode = DOUBLE_ROUND
// VALID-LABEL: func.func @ia3_double
func.func @ia3_double(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<[0.25, 0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0> : tensor<2x1x1x2xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %l = "tosa.const"() {values = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %s = qapeft.ia3 %y, %l {axis = 3 : i64} : tensor<1x1x1x2xf32>, tensor<2xf32>
  %o = qapeft.fake_quant %s scale %one zero_point %zero scheme <bits = 8, storage = i8, rounding = double> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// fp32-half-even (XNNPACK) is not a TOSA rounding: INEXACT_ROUND plus the
// qapeft.rounding / qapeft.fp32_scale annotations the simulator executes.
// One weight scale -> one multiplier (per_channel = false).
// CHECK-LABEL: func.func @fp32
// CHECK: tosa.rescale {{.*}}per_channel = false, qapeft.fp32_scale = [1.000000e-01 : f32], qapeft.rounding = "fp32_half_even"{{.*}}rounding_mode = INEXACT_ROUND
// VALID-LABEL: func.func @fp32
func.func @fp32(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %xs = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %zero scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %os = "tosa.const"() {values = dense<1.25> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %zero scheme <bits = 8, storage = i8, rounding = fp32_half_even> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// int16x8: i16 activations accumulate in i48 with an i48 bias, and the
// rescale takes TFLite's reduced 16-bit multiplier (scale32 = false):
// M = 0.5 -> multiplier 2^14, shift 15.
// CHECK-LABEL: func.func @int16x8
// CHECK-SAME: tensor<1x1x1x2xi16>
// CHECK: "tosa.const"() <{values = dense<0> : tensor<2xi48>}>
// CHECK: tosa.conv2d {{.*}}acc_type = i48{{.*}} -> tensor<1x1x1x2xi48>
// CHECK: "tosa.const"() <{values = dense<16384> : tensor<1xi16>}>
// CHECK: "tosa.const"() <{values = dense<15> : tensor<1xi8>}>
// CHECK: tosa.rescale {{.*}}scale32 = false{{.*}} -> tensor<1x1x1x2xi16>
// VALID-LABEL: func.func @int16x8
func.func @int16x8(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %xs = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %zero scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %os = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// Depthwise (HWCM, M = 1) with per-channel scales on axis 2 [0.5, 0.25]:
// weights (kx, c) = [[1, 0.5], [-1, 0.25]] -> [[2, 2], [-2, 1]].
// CHECK-LABEL: func.func @depthwise
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}2], [2]], {{\[\[}}-2], [1]]]]> : tensor<1x2x2x1xi8>}> {qapeft.quantized_dimension = 2 : i64, qapeft.scale = [5.000000e-01 : f32, 2.500000e-01 : f32]
// CHECK: tosa.depthwise_conv2d {{.*}}acc_type = i32{{.*}} -> tensor<1x1x1x2xi32>
// CHECK: dense<[29, 30]> : tensor<2xi8>
// CHECK: tosa.rescale {{.*}}per_channel = true
// VALID-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x2xf32> {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x2x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[1.0], [0.5]], [[-1.0], [0.25]]]]> : tensor<1x2x2x1xf32>} : () -> tensor<1x2x2x1xf32>
  %ws = "tosa.const"() {values = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2> : tensor<1x2x2x1xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.depthwise_conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x2x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %os = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}

// -----

// Max pooling keeps the grid; a quantizer with another scale becomes an
// i8 -> i8 rescale by 0.5 / 0.25 = 2 (multiplier 2^30, shift 29) that
// subtracts the input zero point (0) and adds the output one (1).
// CHECK-LABEL: func.func @pool_requant
// CHECK: %[[P:.*]] = tosa.max_pool2d %arg0 {{.*}} -> tensor<1x1x1x1xi8>
// CHECK-DAG: "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}>
// CHECK-DAG: "tosa.const"() <{values = dense<29> : tensor<1xi8>}>
// CHECK-DAG: %[[IZP:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi8>}>
// CHECK-DAG: %[[OZP:.*]] = "tosa.const"() <{values = dense<1> : tensor<1xi8>}>
// CHECK: tosa.rescale %[[P]], %{{.*}}, %{{.*}}, %[[IZP]], %[[OZP]] {{.*}}per_channel = false{{.*}} : (tensor<1x1x1x1xi8>, {{.*}}) -> tensor<1x1x1x1xi8>
// VALID-LABEL: func.func @pool_requant
func.func @pool_requant(%x: tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x2x2x1xf32>, tensor<f32>
  %p = tosa.max_pool2d %xq {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
  %s2 = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %z2 = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<1x1x1x1xf32>, tensor<f32>
  return %o : tensor<1x1x1x1xf32>
}

// -----

// int16x8 on a double-rounding target: 16-bit multipliers have a single
// rounding everywhere (and TOSA forbids DOUBLE_ROUND with scale32 = false).
// CHECK-LABEL: func.func @int16x8_double
// CHECK: tosa.rescale {{.*}}rounding_mode = SINGLE_ROUND, scale32 = false
// VALID-LABEL: func.func @int16x8_double
func.func @int16x8_double(%x: tensor<1x1x1x2xf32>) -> tensor<1x1x1x2xf32> {
  %xs = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %zero scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<1.0> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %zero scheme <bits = 8, storage = i8, symmetric = true, narrow = true> : tensor<2x1x1x2xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x2xf32>
  %os = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %zero scheme <bits = 16, storage = i16, symmetric = true, rounding = double> : tensor<1x1x1x2xf32>, tensor<f32>
  return %o : tensor<1x1x1x2xf32>
}
