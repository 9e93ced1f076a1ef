// The simulator's integer kernels on hand-computed cases.
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x1x2x2 --values "1,2,3,4" -o %t.dw.npy
// RUN: qapeft-sim run %s --function depthwise --input %t.dw.npy -o %t.o.npy
// RUN: qapeft-sim show-npy %t.o.npy | FileCheck %s --check-prefix=DW
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x2x2 --values "1,2,3,4" -o %t.a.npy
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x2x2 --values "5,6,7,8" -o %t.b.npy
// RUN: qapeft-sim run %s --function matmul --input %t.a.npy --input %t.b.npy -o %t.o.npy
// RUN: qapeft-sim show-npy %t.o.npy | FileCheck %s --check-prefix=MM
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x2x2x1 --values "-5,3,7,-128" -o %t.p.npy
// RUN: qapeft-sim run %s --function maxpool --input %t.p.npy -o %t.o.npy
// RUN: qapeft-sim show-npy %t.o.npy | FileCheck %s --check-prefix=MAX
// RUN: qapeft-sim run %s --function avgpool --input %t.p.npy -o %t.o.npy
// RUN: qapeft-sim show-npy %t.o.npy | FileCheck %s --check-prefix=AVG
// RUN: qapeft-sim make-npy --dtype i32 --shape 3 --values "7,-7,100" -o %t.m.npy
// RUN: qapeft-sim run %s --function mul_shift --input %t.m.npy -o %t.o.npy
// RUN: qapeft-sim show-npy %t.o.npy | FileCheck %s --check-prefix=MUL
// RUN: qapeft-sim make-npy --dtype i32 --shape 3 --values "2147483647,1,-5" -o %t.ov.npy
// RUN: not qapeft-sim run %s --function add_overflow --input %t.ov.npy -o %t.o.npy 2>&1 | FileCheck %s --check-prefix=OVF
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x1x1x2 --values "127,127" -o %t.c.npy
// RUN: not qapeft-sim run %s --function acc_overflow --input %t.c.npy -o %t.o.npy 2>&1 | FileCheck %s --check-prefix=ACC

// Depthwise (HWCM, M = 1), input zp 1: x - 1 = [[0, 1], [2, 3]] (x, c);
// ch0 = 100 + 0 * 1 + 2 * 10 = 120, ch1 = -100 + 1 * 2 + 3 * 20 = -38.
// DW: tensor<1x1x1x2xi32>
// DW-NEXT: 120 -38
func.func @depthwise(%x: tensor<1x1x2x2xi8>) -> tensor<1x1x1x2xi32> {
  %w = "tosa.const"() {values = dense<[[[[1], [2]], [[10], [20]]]]> : tensor<1x2x2x1xi8>} : () -> tensor<1x2x2x1xi8>
  %b = "tosa.const"() {values = dense<[100, -100]> : tensor<2xi32>} : () -> tensor<2xi32>
  %izp = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.depthwise_conv2d %x, %w, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x2x2xi8>, tensor<1x2x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x2xi32>
  return %y : tensor<1x1x1x2xi32>
}

// (A - 1) @ B = [[0, 1], [2, 3]] @ [[5, 6], [7, 8]] = [[7, 8], [31, 36]].
// MM: tensor<1x2x2xi32>
// MM-NEXT: 7 8
// MM-NEXT: 31 36
func.func @matmul(%a: tensor<1x2x2xi8>, %b: tensor<1x2x2xi8>) -> tensor<1x2x2xi32> {
  %azp = "tosa.const"() {values = dense<1> : tensor<1xi8>} : () -> tensor<1xi8>
  %bzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.matmul %a, %b, %azp, %bzp : (tensor<1x2x2xi8>, tensor<1x2x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2xi32>
  return %y : tensor<1x2x2xi32>
}

// 2x2 windows, stride 1, padding bottom/right; padding never wins.
// MAX: 7
// MAX-NEXT: 3
// MAX-NEXT: 7
// MAX-NEXT: -128
func.func @maxpool(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8>
  return %y : tensor<1x2x2x1xi8>
}

// Averages over the non-padding elements with TOSA's reciprocal scale,
// whose multiplier is slightly above 1/count: -123 / 4 = -30.75 -> -31,
// -125 / 2 = -62.5 -> -63, -121 / 2 = -60.5 -> -61, -128.
// AVG: -31
// AVG-NEXT: -63
// AVG-NEXT: -61
// AVG-NEXT: -128
func.func @avgpool(%x: tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8> {
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.avg_pool2d %x, %zp, %zp {acc_type = i32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x2x2x1xi8>
  return %y : tensor<1x2x2x1xi8>
}

// i32 multiply with shift 2: (x * 3 + 2) >> 2: 21 -> 5 (5.25), -21 -> -5
// (-5.25 + 0.5 floors to -5), 300 -> 75.
// MUL: 5 -5 75
func.func @mul_shift(%x: tensor<3xi32>) -> tensor<3xi32> {
  %c = "tosa.const"() {values = dense<3> : tensor<3xi32>} : () -> tensor<3xi32>
  %s = "tosa.const"() {values = dense<2> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %x, %c, %s : (tensor<3xi32>, tensor<3xi32>, tensor<1xi8>) -> tensor<3xi32>
  return %y : tensor<3xi32>
}

// OVF: integer overflow: 2147483648 does not fit i32
func.func @add_overflow(%x: tensor<3xi32>) -> tensor<3xi32> {
  %c = "tosa.const"() {values = dense<1> : tensor<3xi32>} : () -> tensor<3xi32>
  %y = tosa.add %x, %c : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %y : tensor<3xi32>
}

// An i16 accumulator (not a TOSA type for i8 conv, but the kernel checks
// whatever the result type is): 127 * 127 * 2 = 32258 + 1000 > 32767.
// ACC: accumulator overflow: 33258 does not fit i16
func.func @acc_overflow(%x: tensor<1x1x1x2xi8>) -> tensor<1x1x1x1xi16> {
  %w = "tosa.const"() {values = dense<127> : tensor<1x1x1x2xi8>} : () -> tensor<1x1x1x2xi8>
  %b = "tosa.const"() {values = dense<1000> : tensor<1xi16>} : () -> tensor<1xi16>
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x1x1x2xi8>, tensor<1x1x1x2xi8>, tensor<1xi16>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x1x1x1xi16>
  return %y : tensor<1x1x1x1xi16>
}
