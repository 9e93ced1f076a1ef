// Lowers a calibrated conv and executes the integer graph in the simulator.
// RUN: qapeft-opt %s --qapeft-lower-to-integer -o %t.single.mlir
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=fp32-half-even" -o %t.fp32.mlir
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=double" -o %t.double.mlir
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=half-away" -o %t.away.mlir
// RUN: qapeft-sim make-npy --dtype i8 --shape 2x1x1x2 --values "5,-3,-5,1" -o %t.x.npy
// RUN: qapeft-sim run %t.single.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=SINGLE
// RUN: qapeft-sim run %t.fp32.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=FP32
// RUN: qapeft-sim run %t.double.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=DOUBLE
// RUN: qapeft-sim run %t.away.mlir --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s --check-prefix=DOUBLE
// With float-io the function quantizes its f32 input and dequantizes its
// result (TOSA float ops: valid for pro_int + pro_fp).
// RUN: qapeft-opt %s --qapeft-deploy="float-io=true" -o %t.fio.mlir
// RUN: qapeft-opt %t.fio.mlir --tosa-attach-target="profiles=pro_int,pro_fp level=none" --tosa-validate -o /dev/null
// RUN: qapeft-sim make-npy --dtype f32 --shape 3x1x1x2 --values "3,-1,-2,1,1000,-1000" -o %t.xf.npy
// RUN: qapeft-sim run %t.fio.mlir --input %t.xf.npy -o %t.yf.npy
// RUN: qapeft-sim show-npy %t.yf.npy | FileCheck %s --check-prefix=FIO

// Integer form: x_zp = -1, weights [[2, -4], [2, 1]], bias [8, -8],
// M = [0.5, 0.25], output zp 0, no activation.
// x = [5, -3]: x - zp = [6, -2];
//   ch0: 8 + 12 + 8 = 28 -> 14;  ch1: -8 + 12 - 2 = 2 -> 0.5 (a tie).
// x = [-5, 1]: x - zp = [-4, 2];
//   ch0: 8 - 8 - 8 = -8 -> -4;   ch1: -8 - 8 + 2 = -14 -> -3.5 (a tie).
// Single rounding ties go up: 1 and -3.
// SINGLE: 14 1
// SINGLE-NEXT: -4 -3
// XNNPACK ties go to even: 0 and -4.
// FP32: 14 0
// FP32-NEXT: -4 -4
// Double rounding and half-away go away from zero: 1 and -4.
// DOUBLE: 14 1
// DOUBLE-NEXT: -4 -4
// float-io: [3, -1] and [-2, 1] are exactly the codes above ((q + 1) / 2),
// so the results are those codes times 0.25; [1000, -1000] saturates the
// input codes to [127, -128]: 8 + 128 * 2 + 127 * 4 = 772 -> 386 -> 127
// and -8 + 256 - 127 = 121 -> 30.25 -> 30.
// FIO: 3.5 0.25
// FIO-NEXT: -1 -0.75
// FIO-NEXT: 31.75 7.5

func.func @forward(%x: tensor<?x1x1x2xf32>) -> tensor<?x1x1x2xf32> {
  %xs = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<-1.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x1x1x2xf32>, tensor<f32>
  %w = "tosa.const"() {values = dense<[[[[0.5, -1.0]]], [[[0.25, 0.125]]]]> : tensor<2x1x1x2xf32>} : () -> tensor<2x1x1x2xf32>
  %ws = "tosa.const"() {values = dense<[0.25, 0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %wz = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %wq = qapeft.fake_quant %w scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0> : tensor<2x1x1x2xf32>, tensor<2xf32>
  %bias = "tosa.const"() {values = dense<[1.0, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %xq, %wq, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32>
  %os = "tosa.const"() {values = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x1x1x2xf32>, tensor<f32>
  return %o : tensor<?x1x1x2xf32>
}
