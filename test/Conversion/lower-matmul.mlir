// RUN: qapeft-opt %s --qapeft-lower-to-integer | FileCheck %s
// RUN: qapeft-opt %s --qapeft-lower-to-integer \
// RUN:   --tosa-attach-target="profiles=pro_int" --tosa-validate -o /dev/null
// RUN: qapeft-opt %s --qapeft-lower-to-integer -o %t.mlir
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x2x2 --values "3,1,-2,5" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=SIM

// B = [[1, 0.5], [-1, 0.25]] per channel (axis 2) with scales [0.5, 0.25]
// -> [[2, 2], [-2, 1]]; M = 0.5 * [0.5, 0.25] / 0.25 = [1, 0.5] -> TOSA
// shifts [30, 31].
// CHECK: "tosa.const"() <{values = dense<{{\[\[\[}}2, 2], [-2, 1]]]> : tensor<1x2x2xi8>}> {qapeft.quantized_dimension = 2 : i64
// CHECK: tosa.matmul %arg0, {{.*}} : (tensor<1x2x2xi8>, tensor<1x2x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
// CHECK: dense<[30, 31]> : tensor<2xi8>
// CHECK: tosa.rescale {{.*}}per_channel = true
// A = [[3, 1], [-2, 5]]: A @ qB = [[4, 7], [-14, 1]] -> times [1, 0.5]:
// [[4, 3.5 -> 4], [-14, 0.5 -> 1]].
// SIM: tensor<1x2x2xi8>
// SIM-NEXT: 4 4
// SIM-NEXT: -14 1
func.func @forward(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %zero = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x2x2xf32>, tensor<f32>
  %b = "tosa.const"() {values = dense<[[[1.0, 0.5], [-1.0, 0.25]]]> : tensor<1x2x2xf32>} : () -> tensor<1x2x2xf32>
  %bs = "tosa.const"() {values = dense<[0.5, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %bz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 2> : tensor<1x2x2xf32>, tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.matmul %xq, %bq, %zp, %zp : (tensor<1x2x2xf32>, tensor<1x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2xf32>
  %os = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %zero scheme <bits = 8, storage = i8> : tensor<1x2x2xf32>, tensor<f32>
  return %o : tensor<1x2x2xf32>
}
