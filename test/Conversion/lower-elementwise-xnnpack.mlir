// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer="function= rounding=fp32-half-even" | FileCheck %s

// With XNNPACK's rounding, ADD/SUB use XNNPACK's qs8 fixed point: ratios
// s1 / so = 0.5 and s2 / so = 0.25 (the larger has exponent -1), shift
// 20 + 1 = 21, multipliers 0.5 * 2^21 = 1048576 and 0.25 * 2^21 = 524288
// (negated for SUB's second operand), acc = sum (x_i - z_i) m_i, output
// (acc + 2^20) >> 21 as an exact rescale (2^30, shift 51).
// CHECK-LABEL: func.func @add
// CHECK: "tosa.const"() <{values = dense<1048576> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<524288> : tensor<1x1x1xi32>}>
// CHECK: %[[S:.*]] = tosa.add
// CHECK: %[[SH:.*]] = "tosa.const"() <{values = dense<51> : tensor<1xi8>}>
// CHECK: tosa.rescale %[[S]], %{{.*}}, %[[SH]], {{.*}}rounding_mode = SINGLE_ROUND{{.*}} -> tensor<?x2x3xi8>
// CHECK-NOT: DOUBLE_ROUND
func.func @add(%a: tensor<?x2x3xf32>, %b: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %bs = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %y = tosa.add %aq, %bq : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @sub
// CHECK: "tosa.const"() <{values = dense<-524288> : tensor<1x1x1xi32>}>
func.func @sub(%a: tensor<?x2x3xf32>, %b: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %bs = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %y = tosa.sub %aq, %bq : (tensor<?x2x3xf32>, tensor<?x2x3xf32>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}

// -----

// MUL: XNNPACK requantizes the product in float32 by float(s1 * s2) / so =
// 0.125 / 0.0625 = 2, ties to even.
// CHECK-LABEL: func.func @mul
// CHECK: %[[P:.*]] = tosa.mul
// CHECK: tosa.rescale %[[P]]{{.*}}qapeft.fp32_scale = [2.000000e+00 : f32], qapeft.rounding = "fp32_half_even"{{.*}}rounding_mode = INEXACT_ROUND{{.*}} -> tensor<?x2x3xi8>
func.func @mul(%a: tensor<?x2x3xf32>, %b: tensor<?x2x3xf32>) -> tensor<?x2x3xf32> {
  %as = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %bs = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %aq, %bq, %shift : (tensor<?x2x3xf32>, tensor<?x2x3xf32>, tensor<1xi8>) -> tensor<?x2x3xf32>
  %os = "tosa.const"() {values = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %az scheme <bits = 8, storage = i8> : tensor<?x2x3xf32>, tensor<f32>
  return %o : tensor<?x2x3xf32>
}
