// The boundaries of an int16x8 region in an int8 model, as the integer
// lowering emits them (test/Conversion/lower-regions.test), in TFLite.
//
// Exit, i16 -> i8: TFLite's QUANTIZE requantizes int16 to int8 (version 1,
// int8 output) with QuantizeMultiplier(s_in / s_out) = 0.001 / 0.05
// (multiplier 1374389580, shift 36): exported and run on the real
// interpreter, bit for bit equal to qapeft-sim on random int16 inputs.
// RUN: rm -rf %t && split-file %s %t
// RUN: qapeft-translate --qapeft-to-tflite %t/exit.mlir -o %t/exit.tflite
// RUN: qapeft-translate --tflite-to-mlir %t/exit.tflite | FileCheck %s
//
// Entry, i8 -> i16: the runtime's QUANTIZE refuses an int16 output for an
// int8 input (quantize.cc, at model load), so a mixed model has no TFLite
// form: an error at the boundary, and no file.
// RUN: qapeft-translate --qapeft-to-tflite %t/entry.mlir -verify-diagnostics -o /dev/null
// RUN: not qapeft-translate --qapeft-to-tflite %t/entry.mlir -o %t/entry.tflite 2> /dev/null
// RUN: not ls %t/entry.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x4x4xi16> {qapeft.scale = [1.000000e-03 : f32], qapeft.zero_point = [0]})
// CHECK: tosa.rescale %[[X]]
// CHECK-SAME: tflite.builtin = "QUANTIZE", tflite.version = 1 : i32
// CHECK-SAME: -> tensor<1x4x4xi8>

//--- exit.mlir
func.func @forward(%x: tensor<?x4x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x4x4xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [3]}) {
  %m = "tosa.const"() {values = dense<1374389580> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<36> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %ozp = "tosa.const"() {values = dense<3> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [0.05 : f32], qapeft.zero_point = [3]}
      : (tensor<?x4x4xi16>, tensor<1xi32>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<?x4x4xi8> loc("fc.out")
  return %r : tensor<?x4x4xi8>
}

//--- entry.mlir
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]})
    -> (tensor<?x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() {values = dense<1677721545> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<24> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @below {{TFLite export: TFLite cannot requantize int8 to int16 (QUANTIZE takes int8 input only to int8); a mixed int8 / int16x8 model (an int16x8 region boundary) has no TFLite form, export it whole-model int16x8 (target tflite-int16x8)}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi16>) -> tensor<?x4xi16>
  return %r : tensor<?x4xi16>
}
