// Under rounding fp32-half-even (the XNNPACK target) an int8 -> int8
// requantization is XNNPACK's QUANTIZE on the device where the delegate
// takes it (s = float(s_in) / float(s_out) in [2^-8, 2^7]): 8-bit fixed
// point, ((x - zp_in) * lrintf(256 s) + 128) >> 8 + zp_out, neither fp32 nor
// double rounding (probed on the runtime, every code;
// test/Target/TFLite/requant-runtime.test runs it). The lowering emits it
// exactly as a SINGLE_ROUND rescale with multiplier 2 * lrintf(256 s) and
// shift 9 (TOSA's apply_scale_32 needs |x - zp_in| < 2^(shift - 1)), marked
// qapeft.rounding = "xnnpack_q8"; outside the range the builtin QUANTIZE's
// rounding. No warning any more: the file is named for the warning this
// requantization used to give.
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=fp32-half-even" -verify-diagnostics -o /dev/null
// RUN: qapeft-opt %s --qapeft-lower-to-integer="function= rounding=fp32-half-even" -o %t.mlir
// RUN: FileCheck %s --input-file %t.mlir
// RUN: qapeft-opt %t.mlir --tosa-attach-target="profiles=pro_int extensions=doubleround level=none" --tosa-validate -o /dev/null
//
// Executed by qapeft-sim on codes where XNNPACK differs from fp32 (values
// from the formula, which equals the runtime on all 256 codes of each pair):
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-97,-90,-83,59,66,73,127" -o %t.q8.x.npy
// RUN: qapeft-sim run %t.mlir --function q8 --input %t.q8.x.npy -o %t.q8.npy
// RUN: qapeft-sim show-npy %t.q8.npy | FileCheck %s --check-prefix=Q8
// Q8: tensor<1x8xi8>
// Q8-NEXT: -128 -122 -112 -102 102 112 122 127
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-2,-1,0,1,2,126,127" -o %t.low_edge.x.npy
// RUN: qapeft-sim run %t.mlir --function low_edge --input %t.low_edge.x.npy -o %t.low_edge.npy
// RUN: qapeft-sim show-npy %t.low_edge.npy | FileCheck %s --check-prefix=LOWEDGE
// LOWEDGE: tensor<1x8xi8>
// LOWEDGE-NEXT: 0 0 0 1 1 1 1 1
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-2,-1,0,1,2,126,127" -o %t.below.x.npy
// RUN: qapeft-sim run %t.mlir --function below --input %t.below.x.npy -o %t.below.npy
// RUN: qapeft-sim show-npy %t.below.npy | FileCheck %s --check-prefix=BELOW
// BELOW: tensor<1x8xi8>
// BELOW-NEXT: 0 0 0 1 1 1 1 1
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,1,2,3,4,5,126,127" -o %t.high_edge.x.npy
// RUN: qapeft-sim run %t.mlir --function high_edge --input %t.high_edge.x.npy -o %t.high_edge.npy
// RUN: qapeft-sim show-npy %t.high_edge.npy | FileCheck %s --check-prefix=HIGHEDGE
// HIGHEDGE: tensor<1x8xi8>
// HIGHEDGE-NEXT: -128 -128 -128 -3 125 127 127 127
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-2,-1,0,1,2,126,127" -o %t.above.x.npy
// RUN: qapeft-sim run %t.mlir --function above --input %t.above.x.npy -o %t.above.npy
// RUN: qapeft-sim show-npy %t.above.npy | FileCheck %s --check-prefix=ABOVE
// ABOVE: tensor<1x8xi8>
// ABOVE-NEXT: -128 -128 -128 0 127 127 127 127
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-64,-63,-62,61,62,63,127" -o %t.tie_m.x.npy
// RUN: qapeft-sim run %t.mlir --function tie_m --input %t.tie_m.x.npy -o %t.tie_m.npy
// RUN: qapeft-sim show-npy %t.tie_m.npy | FileCheck %s --check-prefix=TIEM
// TIEM: tensor<1x8xi8>
// TIEM-NEXT: -1 0 0 0 0 0 0 1
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-109,-108,-107,107,108,109,127" -o %t.tie_m2.x.npy
// RUN: qapeft-sim run %t.mlir --function tie_m2 --input %t.tie_m2.x.npy -o %t.tie_m2.npy
// RUN: qapeft-sim show-npy %t.tie_m2.npy | FileCheck %s --check-prefix=TIEM2
// TIEM2: tensor<1x8xi8>
// TIEM2-NEXT: -2 -2 -2 -2 2 2 2 2
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-124,-120,116,120,124,126,127" -o %t.half.x.npy
// RUN: qapeft-sim run %t.mlir --function half --input %t.half.x.npy -o %t.half.npy
// RUN: qapeft-sim show-npy %t.half.npy | FileCheck %s --check-prefix=HALF
// HALF: tensor<1x8xi8>
// HALF-NEXT: -69 -67 -65 53 55 57 58 58

// s = float(0.1) / float(0.07) = 1.4285715, m = lrintf(365.71) = 366. q = -97
// (v = -92): (-92 * 366 + 128) >> 8 = -33544 >> 8 = -132, + 10 = -122, where
// fp32 (-131.43 -> -131) and double rounding give -121; 7 of 256 codes
// differ so (probed on the runtime: XNNPACK gives -122).
// CHECK-LABEL: func.func @q8
// CHECK-DAG: %[[M:.*]] = "tosa.const"() <{values = dense<732> : tensor<1xi32>}>
// CHECK-DAG: %[[S:.*]] = "tosa.const"() <{values = dense<9> : tensor<1xi8>}>
// CHECK: tosa.rescale %arg0, %[[M]], %[[S]]
// CHECK-SAME: qapeft.rounding = "xnnpack_q8"
// CHECK-SAME: rounding_mode = SINGLE_ROUND, scale32 = true
// CHECK-NOT: qapeft.fp32_scale
func.func @q8(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-5.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.07> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<10.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// s = 2^-8 exactly, the lower end of XNNPACK's range: m = 1. q = 0
// (v = 128): (128 + 128) >> 8 = 1, where fp32 gives lrintf(0.5) = 0.
// CHECK-LABEL: func.func @low_edge
// CHECK: dense<2> : tensor<1xi32>
// CHECK: dense<9> : tensor<1xi8>
// CHECK: tosa.rescale
// CHECK-SAME: qapeft.rounding = "xnnpack_q8"
// CHECK-SAME: rounding_mode = SINGLE_ROUND
func.func @low_edge(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.00390625> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<1.0> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// s just below 2^-8: the delegate leaves the node to the builtin QUANTIZE
// (double rounding; at shift 39 it differs from single rounding).
// CHECK-LABEL: func.func @below
// CHECK: tosa.rescale
// CHECK-NOT: xnnpack_q8
// CHECK-SAME: rounding_mode = DOUBLE_ROUND
func.func @below(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.00390625> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<1.001> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// s = 2^7 exactly, the upper end: m = 32768, multiplier 65536.
// CHECK-LABEL: func.func @high_edge
// CHECK: dense<65536> : tensor<1xi32>
// CHECK: tosa.rescale
// CHECK-SAME: qapeft.rounding = "xnnpack_q8"
func.func @high_edge(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<1.0> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<3.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.0078125> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<-3.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// s = 128.2, above the range: builtin QUANTIZE (shift 23, one rounding
// either way, so SINGLE_ROUND without the marker).
// CHECK-LABEL: func.func @above
// CHECK: tosa.rescale
// CHECK-NOT: xnnpack_q8
// CHECK-SAME: rounding_mode = SINGLE_ROUND
func.func @above(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<1.0> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.0078> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// 256 s = 2.5 exactly: lrintf rounds the multiplier to even, m = 2. q = -64:
// (-128 + 128) >> 8 = 0, where fp32 gives lrintf(-0.625) = -1.
// CHECK-LABEL: func.func @tie_m
// CHECK: dense<4> : tensor<1xi32>
// CHECK: qapeft.rounding = "xnnpack_q8"
func.func @tie_m(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.009765625> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<1.0> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// 256 s = 3.5: m = 4. q = -109: (-436 + 128) >> 8 = floor(-1.2) = -2 (an
// arithmetic shift floors), where fp32 gives lrintf(-1.49) = -1.
// CHECK-LABEL: func.func @tie_m2
// CHECK: dense<8> : tensor<1xi32>
// CHECK: qapeft.rounding = "xnnpack_q8"
func.func @tie_m2(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.013671875> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<1.0> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// s = 1/2: odd codes are ties, which the + 128 >> 8 rounds up (fp32 to
// even). q = -128 (v = -135): (-17280 + 128) >> 8 = -67, - 2 = -69; fp32
// gives lrintf(-67.5) = -68, - 2 = -70.
// CHECK-LABEL: func.func @half
// CHECK: dense<256> : tensor<1xi32>
// CHECK: qapeft.rounding = "xnnpack_q8"
func.func @half(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<7.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<1.0> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<-2.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}
