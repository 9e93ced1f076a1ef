// A global average pool becomes TFLite's MEAN in XNNPACK's arithmetic:
// sum the codes, add -H*W*zp_in, requantize in float32 by
// (s_in / s_out) / (H*W) with ties to even (fp32-half-even rounding).
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=fp32-half-even" -o %t.mlir
// RUN: FileCheck %s --input-file %t.mlir
// RUN: qapeft-opt %t.mlir --tosa-attach-target="profiles=pro_int extensions=inexactround level=none" --tosa-validate -o /dev/null
//
// s_in 0.5, zp_in -1, s_out 0.25, zp_out 3, 2x2 window: scale (0.5 / 0.25) / 4
// = 0.5, offset -4 * -1 = 4.
//   b0 c0: codes 1 2 3 5, sum 11 -> (11 + 4) * 0.5 = 7.5 -> 8 (even) + 3 = 11
//   b0 c1: -128 -128 -128 -127 -> (-511 + 4) * 0.5 = -253.5 -> saturates -128
//   b1 c0: 0 0 0 1 -> 5 * 0.5 = 2.5 -> 2 (even) + 3 = 5
//   b1 c1: 10 20 30 41 -> 105 * 0.5 = 52.5 -> 52 (even) + 3 = 55
// RUN: qapeft-sim make-npy --dtype i8 --shape 2x2x2x2 --values "1,-128,2,-128,3,-128,5,-127,0,10,0,20,0,30,1,41" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=SIM
// SIM: tensor<2x1x1x2xi8>
// SIM-NEXT: 11 -128
// SIM-NEXT: 5 55

// CHECK-LABEL: func.func @forward
// CHECK: %[[W:.*]] = tosa.cast %arg0 : (tensor<?x2x2x2xi8>) -> tensor<?x2x2x2xi32>
// CHECK: %[[R:.*]] = tosa.reduce_sum %[[W]] {axis = 1 : i32} : (tensor<?x2x2x2xi32>) -> tensor<?x1x2x2xi32>
// CHECK: %[[S:.*]] = tosa.reduce_sum %[[R]] {axis = 2 : i32} : (tensor<?x1x2x2xi32>) -> tensor<?x1x1x2xi32>
// CHECK: %[[O:.*]] = "tosa.const"() <{values = dense<4> : tensor<1x1x1x1xi32>}>
// CHECK: %[[A:.*]] = tosa.add %[[S]], %[[O]]
// CHECK: %[[Q:.*]] = tosa.rescale %[[A]], {{.*}}qapeft.fp32_scale = [5.000000e-01 : f32], qapeft.rounding = "fp32_half_even", qapeft.scale = [2.500000e-01 : f32], qapeft.tensor = "gap", qapeft.zero_point = [3], rounding_mode = INEXACT_ROUND
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
