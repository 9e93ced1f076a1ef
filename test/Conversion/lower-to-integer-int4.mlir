// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= | FileCheck %s
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= \
// RUN:   --tosa-attach-target="profiles=pro_int extensions=int4" --tosa-validate -o /dev/null

// 4-bit narrow symmetric weights stored as i4 (TOSA EXT-INT4): codes in
// [-7, 7]; 0.5 / 0.25 = 2, -1 / 0.25 = -4, 2 and 5 clamp to 7.
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[\[}}2, -4, 7, 7]]]]> : tensor<1x1x1x4xi4>}>
// CHECK: "tosa.const"() <{values = dense<0> : tensor<1xi4>}>
// CHECK: tosa.conv2d {{.*}} : (tensor<1x1x1x4xi8>, tensor<1x1x1x4xi4>, tensor<1xi32>, tensor<1xi8>, tensor<1xi4>) -> tensor<1x1x1x1xi32>
func.func @int4(%x: tensor<1x1x1x4xf32>) -> tensor<1x1x1x1xf32> {
  %one = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x1x4xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0, 2.0, 5.0]]]]> : tensor<1x1x1x4xf32>} : () -> tensor<1x1x1x4xf32>
  %ws = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %zero scheme <bits = 4, storage = i4, symmetric = true, narrow = true> : tensor<1x1x1x4xf32>, tensor<f32>
  %bias = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x4xf32>, tensor<1x1x1x4xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x1x1xf32>
  %o = qapeft.fake_quant %y scale %one zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x1x1x1xf32>, tensor<f32>
  return %o : tensor<1x1x1x1xf32>
}

// The simulator executes the i4 weights (held in i8): x = [1, 2, 3, 4]
// gives 2 - 8 + 21 + 28 = 43, times M = 1 * 0.25 / 1 -> 10.75 -> 11.
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= -o %t.mlir
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x1x1x4 --values "1,2,3,4" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --function int4 --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=SIM
// SIM: tensor<1x1x1x1xi8>
// SIM-NEXT: 11
