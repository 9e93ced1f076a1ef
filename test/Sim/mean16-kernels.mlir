// The simulator's kernels for TFLite's int16 MEAN forms on hand-computed
// cases (lib/Conversion/LowerMeanInt16.cpp): tosa.intdiv truncates toward
// zero, the fp32_mean_half_away rescale divides and multiplies in float32
// and rounds ties away from zero; malformed forms are errors with no output.
// RUN: rm -rf %t && mkdir -p %t
// RUN: qapeft-sim make-npy --dtype i32 --shape 1x1x1x6 --values "7,-7,-1,9,-9,-32768" -o %t/s.npy
// RUN: qapeft-sim run %s --function intdiv --input %t/s.npy -o %t/o.npy
// RUN: qapeft-sim show-npy %t/o.npy | FileCheck %s --check-prefix=DIV
// RUN: qapeft-sim make-npy --dtype i32 --shape 1x1x1x6 --values "20,-20,10,14,131068,-131066" -o %t/f.npy
// RUN: qapeft-sim run %s --function float_mean --input %t/f.npy -o %t/o.npy
// RUN: qapeft-sim show-npy %t/o.npy | FileCheck %s --check-prefix=FLT
// RUN: not qapeft-sim run %s --function no_divisor --input %t/f.npy -o %t/bad.npy 2>&1 | FileCheck %s --check-prefix=NODIV
// RUN: not qapeft-sim run %s --function by_zero --input %t/f.npy -o %t/bad.npy 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not test -e %t/bad.npy

// sum / 2: 3, -3 (not floor's -4), 0, 4, -4, -16384.
// DIV: tensor<1x1x1x6xi16>
// DIV-NEXT: 3 -3 0 4 -4 -16384
func.func @intdiv(%s: tensor<1x1x1x6xi32>) -> tensor<1x1x1x6xi16> {
  %n = "tosa.const"() {values = dense<2> : tensor<1x1x1x1xi32>} : () -> tensor<1x1x1x1xi32>
  %q = tosa.intdiv %s, %n : (tensor<1x1x1x6xi32>, tensor<1x1x1x1xi32>) -> tensor<1x1x1x6xi32>
  %o = tosa.cast %q : (tensor<1x1x1x6xi32>) -> tensor<1x1x1x6xi16>
  return %o : tensor<1x1x1x6xi16>
}

// Divisor 4, scale 0.5: 20 -> 2.5 -> 3 and -20 -> -3 (ties away), 10 ->
// 1.25 -> 1, 14 -> 1.75 -> 2, 131068 -> 16383.5 -> 16384, -131066 ->
// -16383.25 -> -16383.
// FLT: tensor<1x1x1x6xi16>
// FLT-NEXT: 3 -3 1 2 16384 -16383
func.func @float_mean(%s: tensor<1x1x1x6xi32>) -> tensor<1x1x1x6xi16> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_mean_half_away", qapeft.fp32_divisor = 4 : i64, qapeft.fp32_scale = [0.5 : f32]} : (tensor<1x1x1x6xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<1x1x1x6xi16>
  return %o : tensor<1x1x1x6xi16>
}

// NODIV: error: {{.*}}fp32_mean_half_away needs a positive qapeft.fp32_divisor and per_channel = false
func.func @no_divisor(%s: tensor<1x1x1x6xi32>) -> tensor<1x1x1x6xi16> {
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<33> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_mean_half_away", qapeft.fp32_scale = [0.5 : f32]} : (tensor<1x1x1x6xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi16>) -> tensor<1x1x1x6xi16>
  return %o : tensor<1x1x1x6xi16>
}

// ZERO: error: {{.*}}division by zero
func.func @by_zero(%s: tensor<1x1x1x6xi32>) -> tensor<1x1x1x6xi32> {
  %n = "tosa.const"() {values = dense<0> : tensor<1x1x1x1xi32>} : () -> tensor<1x1x1x1xi32>
  %q = tosa.intdiv %s, %n : (tensor<1x1x1x6xi32>, tensor<1x1x1x1xi32>) -> tensor<1x1x1x6xi32>
  return %q : tensor<1x1x1x6xi32>
}
