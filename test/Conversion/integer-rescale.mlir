// Executes tosa.rescale in every rounding mode on hand-computed cases.
// RUN: qapeft-sim make-npy --dtype i32 --shape 8 --values "5,-5,3,-3,234,236,100000,-100000" -o %t.x.npy
// RUN: qapeft-sim run %s --function single --input %t.x.npy -o %t.single.npy
// RUN: qapeft-sim show-npy %t.single.npy | FileCheck %s --check-prefix=SINGLE
// RUN: qapeft-sim run %s --function double31 --input %t.x.npy -o %t.double.npy
// RUN: qapeft-sim show-npy %t.double.npy | FileCheck %s --check-prefix=SINGLE
// RUN: qapeft-sim run %s --function half_away --input %t.x.npy -o %t.away.npy
// RUN: qapeft-sim show-npy %t.away.npy | FileCheck %s --check-prefix=AWAY
// RUN: qapeft-sim run %s --function fp32 --input %t.x.npy -o %t.fp32.npy
// RUN: qapeft-sim show-npy %t.fp32.npy | FileCheck %s --check-prefix=FP32
// RUN: qapeft-sim make-npy --dtype i32 --shape 4 --values "512,-512,1000,-511" -o %t.y.npy
// RUN: qapeft-sim run %s --function shift40_single --input %t.y.npy -o %t.s40.npy
// RUN: qapeft-sim show-npy %t.s40.npy | FileCheck %s --check-prefix=S40
// RUN: qapeft-sim run %s --function shift40_double --input %t.y.npy -o %t.d40.npy
// RUN: qapeft-sim show-npy %t.d40.npy | FileCheck %s --check-prefix=D40
// RUN: qapeft-sim make-npy --dtype i8 --shape 4 --values "-128,-1,0,127" -o %t.u.npy
// RUN: qapeft-sim run %s --function unsigned_in --input %t.u.npy -o %t.uo.npy
// RUN: qapeft-sim show-npy %t.uo.npy | FileCheck %s --check-prefix=UNS

// x * 0.5 + 10: 2.5 -> 3, -2.5 -> -2, 1.5 -> 2, -1.5 -> -1 (ties up), then
// 117 + 10 = 127, 118 + 10 saturates, and both signs saturate.
// SINGLE: 13 8 12 9 127 127 127 -128
// Ties away from zero: -2.5 -> -3, -1.5 -> -2.
// AWAY: 13 7 12 8 127 127 127 -128
// XNNPACK: float product, ties to even: 2.5 -> 2, -2.5 -> -2, 1.5 -> 2.
// FP32: 12 8 12 8 127 127 127 -128
// Shift 40: 512 / 1024 = 0.5, 1000 / 1024 -> 1, -511 / 1024 -> 0.
// S40: 1 0 1 0
// DOUBLE_ROUND adds the gemmlowp nudge: -0.5 -> -1.
// D40: 1 -1 1 0
// input_unsigned: the i8 bit patterns read as 128, 255, 0, 127 minus the
// zero point 128, times 1 (2^30 >> 30).
// UNS: 0 127 -128 -1

!i = tensor<8xi32>
!o = tensor<8xi8>
func.func @single(%x: !i) -> !o {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (!i, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> !o
  return %r : !o
}
func.func @double31(%x: !i) -> !o {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (!i, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> !o
  return %r : !o
}
func.func @half_away(%x: !i) -> !o {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = INEXACT_ROUND, scale32 = true, qapeft.rounding = "half_away"} : (!i, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> !o
  return %r : !o
}
func.func @fp32(%x: !i) -> !o {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = INEXACT_ROUND, scale32 = true, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.5 : f32]} : (!i, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> !o
  return %r : !o
}
func.func @shift40_single(%x: tensor<4xi32>) -> tensor<4xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}
func.func @shift40_double(%x: tensor<4xi32>) -> tensor<4xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}
func.func @unsigned_in(%x: tensor<4xi8>) -> tensor<4xi8> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {input_unsigned = true, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<4xi8>
  return %r : tensor<4xi8>
}
