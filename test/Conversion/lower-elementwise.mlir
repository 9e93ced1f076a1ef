// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= | FileCheck %s
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= \
// RUN:   --tosa-attach-target="profiles=pro_int extensions=doubleround,int16 level=none" \
// RUN:   --tosa-validate | FileCheck %s --check-prefix=VALID

// ADD, int8, with TFLite's multipliers: s1 = 0.5, s2 = 0.25, so = 1.
//   twice_max = 1; input 1: 0.5 = 2^30 * 2^-31 -> shift 31; input 2: 0.25
//   -> shift 32; output 1 / (2^20 * 1) = 2^30 * 2^-50 -> shift 50.
// Inputs lose their zero points (1, -2) in an exact identity rescale, are
// shifted left by 20 (x 1048576) and requantized with DOUBLE_ROUND
// (TFLite's gemmlowp rounding); the sum is requantized to the output zero
// point 3 and the fused ReLU is a clamp from the zero point.
// CHECK-LABEL: func.func @add
// CHECK-SAME: (%[[A:.*]]: tensor<?x2x3xi8> {qapeft.scale = [5.000000e-01 : f32], qapeft.zero_point = [1]}, %[[B:.*]]: tensor<?x2x3xi8> {qapeft.scale = [2.500000e-01 : f32], qapeft.zero_point = [-2]})
// CHECK-DAG: %[[M30:.*]] = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}>
// CHECK-DAG: %[[S30:.*]] = "tosa.const"() <{values = dense<30> : tensor<1xi8>}>
// CHECK-DAG: %[[ZA:.*]] = "tosa.const"() <{values = dense<1> : tensor<1xi8>}>
// CHECK: %[[PA:.*]] = tosa.rescale %[[A]], %[[M30]], %[[S30]], %[[ZA]], %{{.*}} {{{.*}}rounding_mode = SINGLE_ROUND, scale32 = true} : {{.*}} -> tensor<?x2x3xi32>
// CHECK: %[[L:.*]] = "tosa.const"() <{values = dense<1048576> : tensor<1x1x1xi32>}>
// CHECK: %[[SA:.*]] = tosa.mul %[[PA]], %[[L]], %{{.*}} : {{.*}} -> tensor<?x2x3xi32>
// CHECK: %[[SH31:.*]] = "tosa.const"() <{values = dense<31> : tensor<1xi8>}>
// CHECK: %[[RA:.*]] = tosa.rescale %[[SA]], %{{.*}}, %[[SH31]], {{.*}}rounding_mode = DOUBLE_ROUND{{.*}} -> tensor<?x2x3xi32>
// CHECK: %[[ZB:.*]] = "tosa.const"() <{values = dense<-2> : tensor<1xi8>}>
// CHECK: %[[PB:.*]] = tosa.rescale %[[B]], %{{.*}}, %{{.*}}, %[[ZB]]
// CHECK: %[[SB:.*]] = tosa.mul %[[PB]]
// CHECK: %[[SH32:.*]] = "tosa.const"() <{values = dense<32> : tensor<1xi8>}>
// CHECK: %[[RB:.*]] = tosa.rescale %[[SB]], %{{.*}}, %[[SH32]], {{.*}}rounding_mode = DOUBLE_ROUND
// CHECK: %[[SUM:.*]] = tosa.add %[[RA]], %[[RB]] : {{.*}} -> tensor<?x2x3xi32>
// CHECK-DAG: %[[SH50:.*]] = "tosa.const"() <{values = dense<50> : tensor<1xi8>}>
// CHECK-DAG: %[[ZO:.*]] = "tosa.const"() <{values = dense<3> : tensor<1xi8>}>
// CHECK: %[[O:.*]] = tosa.rescale %[[SUM]], %{{.*}}, %[[SH50]], %{{.*}}, %[[ZO]] {{{.*}}qapeft.scale = [1.000000e+00 : f32], qapeft.zero_point = [3], rounding_mode = DOUBLE_ROUND, scale32 = true} : {{.*}} -> tensor<?x2x3xi8>
// CHECK: %[[C:.*]] = tosa.clamp %[[O]] {max_val = 127 : i8, min_val = 3 : i8
// CHECK: return %[[C]]
// VALID-LABEL: func.func @add
func.func @add(%a: tensor<?x2x3xf32>, %b: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %bs = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bz = "tosa.const"() {values = dense<-2.0> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %bz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %y = tosa.add %aq, %bq : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %r scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}

// -----

// SUB is TFLite's ADD with the second input's multiplier negated: the second
// operand is shifted by -2^20, and the two are added. A broadcast second
// operand keeps its shape until the add.
// CHECK-LABEL: func.func @sub
// CHECK: "tosa.const"() <{values = dense<1048576> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<-1048576> : tensor<1x1x1xi32>}>
// CHECK: %[[SB:.*]] = tosa.mul %{{.*}} : {{.*}} -> tensor<1x1x3xi32>
// CHECK: %[[RB:.*]] = tosa.rescale %[[SB]]{{.*}}rounding_mode = DOUBLE_ROUND{{.*}} -> tensor<1x1x3xi32>
// CHECK: tosa.add %{{.*}}, %[[RB]] : (tensor<?x2x3xi32>, tensor<1x1x3xi32>) -> tensor<?x2x3xi32>
// CHECK-NOT: tosa.sub
// VALID-LABEL: func.func @sub
func.func @sub(%a: tensor<?x2x3xf32>, %b: tensor<1x1x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %bs = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bz = "tosa.const"() {values = dense<-2.0> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %bz scheme <bits = 8, storage = i8> : tensor<1x1x3xf32>, tensor<f32>
  %y = tosa.sub %aq, %bq : (tensor<?x2x3xf32>, tensor<1x1x3xf32>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}

// -----

// MUL: (x1 - z1) * (x2 - z2) in i32, requantized by 0.5 * 0.25 / 0.0625 = 2
// (evaluated in float32 as TFLite does) = 2^30 * 2^-29 -> shift 29. A
// fake-quantized constant operand becomes an i8 constant on its own grid:
// [0.5, -1.0, 1.5] / 0.25 + (-2) = [0, -6, 4].
// CHECK-LABEL: func.func @mul
// CHECK-SAME: (%[[A:.*]]: tensor<?x2x3xi8>
// CHECK: %[[K:.*]] = "tosa.const"() <{values = dense<{{\[\[\[}}0, -6, 4]]]> : tensor<1x1x3xi8>}> {qapeft.scale = [2.500000e-01 : f32], qapeft.zero_point = [-2]}
// CHECK: %[[PA:.*]] = tosa.rescale %[[A]]{{.*}}rounding_mode = SINGLE_ROUND{{.*}} -> tensor<?x2x3xi32>
// CHECK: %[[PK:.*]] = tosa.rescale %[[K]]{{.*}}rounding_mode = SINGLE_ROUND{{.*}} -> tensor<1x1x3xi32>
// CHECK: %[[P:.*]] = tosa.mul %[[PA]], %[[PK]], %{{.*}} : (tensor<?x2x3xi32>, tensor<1x1x3xi32>, tensor<1xi8>) -> tensor<?x2x3xi32>
// CHECK: %[[SH:.*]] = "tosa.const"() <{values = dense<29> : tensor<1xi8>}>
// CHECK: tosa.rescale %[[P]], %{{.*}}, %[[SH]]{{.*}}rounding_mode = DOUBLE_ROUND{{.*}} -> tensor<?x2x3xi8>
// VALID-LABEL: func.func @mul
func.func @mul(%a: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %k = "tosa.const"() {values = dense<[[[0.5, -1.0, 1.5]]]> : tensor<1x1x3xf32>} : () -> tensor<1x1x3xf32>
  %ks = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %kz = "tosa.const"() {values = dense<-2.0> : tensor<f32>} : () -> tensor<f32>
  %kq = qapeft.fake_quant %k scale %ks zero_point %kz scheme <bits = 8, storage = i8> : tensor<1x1x3xf32>, tensor<f32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %aq, %kq, %shift : (tensor<?x2x3xf32>, tensor<1x1x3xf32>, tensor<1xi8>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}

// -----

// int16x8 ADD: left shift 15 (x 32768), symmetric int16 tensors.
// CHECK-LABEL: func.func @add_int16
// CHECK: "tosa.const"() <{values = dense<32768> : tensor<1x1xi32>}>
// CHECK: tosa.add {{.*}} -> tensor<?x4xi32>
// CHECK: tosa.rescale {{.*}}rounding_mode = DOUBLE_ROUND{{.*}} -> tensor<?x4xi16>
// VALID-LABEL: func.func @add_int16
func.func @add_int16(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %y = tosa.add %aq, %bq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<0.002> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}
