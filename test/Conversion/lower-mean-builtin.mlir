// With rounding double (and single: TFLite's builtin MEAN kernel rounds
// twice whatever the target's other kernels do) a global average pool
// becomes the builtin kernel's arithmetic: sum the raw codes, requantize by
// s_in / (H*W*s_out) with gemmlowp's double rounding, add the bias
// zp_out - round(zp_in * s_in / s_out), saturate.
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=double" -o %t.mlir
// RUN: FileCheck %s --input-file %t.mlir
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=single" | FileCheck %s
// RUN: qapeft-opt %t.mlir --tosa-attach-target="profiles=pro_int extensions=doubleround level=none" --tosa-validate -o /dev/null
//
// s_in 0.5, zp_in -1, s_out 0.25, zp_out 3, 2x2 window: real scale
// 0.5 / (4 * 0.25) = 0.5 = 2^30 * 2^-31; bias = 3 - int(-2 - 0.5) = 5.
//   b0 c0: codes 1 2 3 5, sum 11 -> 5.5 -> 6, + 5 = 11
//   b0 c1: -3 -4 -2 -2, sum -11 -> -5.5 -> -5 (gemmlowp rounds ties up), + 5 = 0
//   b1 c0: 0 0 0 1, sum 1 -> 0.5 -> 1, + 5 = 6  (XNNPACK gives 5)
//   b1 c1: 10 20 30 41, sum 101 -> 50.5 -> 51, + 5 = 56  (XNNPACK gives 55)
// RUN: qapeft-sim make-npy --dtype i8 --shape 2x2x2x2 --values "1,-3,2,-4,3,-2,5,-2,0,10,0,20,0,30,1,41" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=SIM
// SIM: tensor<2x1x1x2xi8>
// SIM-NEXT: 11 0
// SIM-NEXT: 6 56

// CHECK-LABEL: func.func @forward
// CHECK: %[[W:.*]] = tosa.cast %arg0 : (tensor<?x2x2x2xi8>) -> tensor<?x2x2x2xi32>
// CHECK: %[[R:.*]] = tosa.reduce_sum %[[W]] {axis = 1 : i32} : (tensor<?x2x2x2xi32>) -> tensor<?x1x2x2xi32>
// CHECK: %[[S:.*]] = tosa.reduce_sum %[[R]] {axis = 2 : i32} : (tensor<?x1x2x2xi32>) -> tensor<?x1x1x2xi32>
// CHECK-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}>
// CHECK-DAG: %[[SH:.*]] = "tosa.const"() <{values = dense<31> : tensor<1xi8>}>
// CHECK-DAG: %[[IZ:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi32>}>
// CHECK-DAG: %[[OZ:.*]] = "tosa.const"() <{values = dense<5> : tensor<1xi8>}>
// CHECK: %[[Q:.*]] = tosa.rescale %[[S]], %[[M]], %[[SH]], %[[IZ]], %[[OZ]] {{{.*}}qapeft.scale = [2.500000e-01 : f32], qapeft.tensor = "gap", qapeft.zero_point = [3], rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<?x1x1x2xi32>, {{.*}}) -> tensor<?x1x1x2xi8>
// CHECK: return %[[Q]]
func.func @forward(%x: tensor<?x2x2x2xf32>) -> tensor<?x1x1x2xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<-1.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32>
  %os = qapeft.param "gap.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "gap.zero_point" dense<3.0> : tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x1x1x2xf32>, tensor<f32>
  return %o : tensor<?x1x1x2xf32>
}
