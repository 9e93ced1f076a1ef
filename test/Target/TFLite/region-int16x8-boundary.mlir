// The boundaries of an int16x8 region in an int8 model, as the integer
// lowering emits them for a TFLite target
// (test/Conversion/region-boundary-tflite.mlir), in TFLite.
//
// Exit, i16 -> i8: TFLite's QUANTIZE (version 1, int8 output), which rounds
// twice in the runtime: DOUBLE_ROUND with QuantizeMultiplier(s_in / s_out)
// = 2.0739617e-5 / 0.0172443911 (multiplier 1322369100, shift 40). It is
// imported back as that rescale, and re-exported to the same bytes.
// RUN: rm -rf %t && split-file %s %t
// RUN: qapeft-translate --qapeft-to-tflite %t/exit.mlir -o %t/exit.tflite
// RUN: qapeft-translate --tflite-to-mlir %t/exit.tflite | FileCheck %s --check-prefix=EXIT
// RUN: qapeft-translate --tflite-to-mlir %t/exit.tflite --mlir-print-debuginfo -o %t/exit.again.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t/exit.again.mlir -o %t/exit.again.tflite
// RUN: cmp %t/exit.tflite %t/exit.again.tflite
//
// A single-rounding exit differs from the runtime at some int16 code: an
// error naming it, and no file.
// RUN: qapeft-translate --qapeft-to-tflite %t/exit-single.mlir -verify-diagnostics -o /dev/null
// RUN: not qapeft-translate --qapeft-to-tflite %t/exit-single.mlir -o %t/exit-single.tflite 2> /dev/null
// RUN: not ls %t/exit-single.tflite
//
// Entry, i8 -> i16: the runtime has no int8 -> int16 QUANTIZE, so the
// rescale is written as DEQUANTIZE (int8 -> f32, version 2) + QUANTIZE
// (f32 -> int16, version 2), after checking all 256 int8 codes against
// what that pair computes from the written scales. The import reads the
// pair back as the same rescale (the float tensor between them is named
// after the output), and re-exports the same bytes.
// RUN: qapeft-translate --qapeft-to-tflite %t/entry.mlir -o %t/entry.tflite
// RUN: qapeft-translate --tflite-to-mlir %t/entry.tflite | FileCheck %s --check-prefix=ENTRY
// RUN: qapeft-translate --tflite-to-mlir %t/entry.tflite --mlir-print-debuginfo -o %t/entry.again.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t/entry.again.mlir -o %t/entry.again.tflite
// RUN: cmp %t/entry.tflite %t/entry.again.tflite
//
// Entries the pair does not compute: TFLite's own multiplier for these
// scales (1077919649 >> 22 misses the float route at code -1), and a
// double-rounding rescale. Errors, and no file.
// RUN: qapeft-translate --qapeft-to-tflite %t/entry-errors.mlir --split-input-file -verify-diagnostics -o /dev/null
// RUN: not qapeft-translate --qapeft-to-tflite %t/entry-standard.mlir -o %t/entry-standard.tflite 2> /dev/null
// RUN: not ls %t/entry-standard.tflite

// EXIT: func.func @forward(%[[X:.*]]: tensor<1x4x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]})
// EXIT: "tosa.const"() <{values = dense<1322369100> : tensor<1xi32>}>
// EXIT: "tosa.const"() <{values = dense<40> : tensor<1xi8>}>
// EXIT: tosa.rescale %[[X]]
// EXIT-SAME: rounding_mode = DOUBLE_ROUND, scale32 = true, tflite.builtin = "QUANTIZE", tflite.version = 1 : i32
// EXIT-SAME: -> tensor<1x4x4xi8>

// ENTRY: func.func @forward(%[[X:.*]]: tensor<1x4xi8> {qapeft.scale = [5.330000e-03 : f32], qapeft.zero_point = [-128]})
// ENTRY: %[[M:.*]] = "tosa.const"() <{values = dense<1077919614> : tensor<1xi32>}>
// ENTRY: %[[S:.*]] = "tosa.const"() <{values = dense<22> : tensor<1xi8>}>
// ENTRY: %[[IZ:.*]] = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}>
// ENTRY: %[[OZ:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi16>}>
// ENTRY: %[[R:.*]] = tosa.rescale %[[X]], %[[M]], %[[S]], %[[IZ]], %[[OZ]]
// ENTRY-SAME: qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]
// ENTRY-SAME: rounding_mode = SINGLE_ROUND, scale32 = true, tflite.builtin = "DEQUANTIZE+QUANTIZE", tflite.version = 2 : i32
// ENTRY-SAME: -> tensor<1x4xi16>
// ENTRY-NEXT: return %[[R]]

//--- exit.mlir
func.func @forward(%x: tensor<?x4x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x4x4xi8> {qapeft.scale = [0.0172443911 : f32], qapeft.zero_point = [-128]}) {
  %m = "tosa.const"() {values = dense<1322369100> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %ozp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [0.0172443911 : f32], qapeft.zero_point = [-128]}
      : (tensor<?x4x4xi16>, tensor<1xi32>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<?x4x4xi8> loc("r.out")
  return %r : tensor<?x4x4xi8>
}

//--- exit-single.mlir
func.func @forward(%x: tensor<?x4x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x4x4xi8> {qapeft.scale = [0.0172443911 : f32], qapeft.zero_point = [-128]}) {
  %m = "tosa.const"() {values = dense<1322369100> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<40> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %ozp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @below {{TFLite export: TFLite's QUANTIZE rounds twice (MultiplyByQuantizedMultiplier), and this single-rounding rescale (multiplier 1322369100, shift 40) gives -128 for input code 415 where the runtime gives -127; lower it with rounding_mode = DOUBLE_ROUND}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [0.0172443911 : f32], qapeft.zero_point = [-128]}
      : (tensor<?x4x4xi16>, tensor<1xi32>, tensor<1xi8>, tensor<1xi16>, tensor<1xi8>) -> tensor<?x4x4xi8>
  return %r : tensor<?x4x4xi8>
}

//--- entry.mlir
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.00533000007 : f32], qapeft.zero_point = [-128]})
    -> (tensor<?x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() {values = dense<1077919614> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<22> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi16>) -> tensor<?x4xi16> loc("r.in")
  return %r : tensor<?x4xi16>
}

//--- entry-standard.mlir
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.00533000007 : f32], qapeft.zero_point = [-128]})
    -> (tensor<?x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() {values = dense<1077919649> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<22> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi16>) -> tensor<?x4xi16>
  return %r : tensor<?x4xi16>
}

//--- entry-errors.mlir
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.00533000007 : f32], qapeft.zero_point = [-128]})
    -> (tensor<?x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() {values = dense<1077919649> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<22> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @below {{TFLite export: TFLite has no int8 -> int16 QUANTIZE, and the DEQUANTIZE + QUANTIZE it runs instead computes, from the scales (input 5.330000e-03, zero point -128; output 2.073962e-05), 32638 for int8 code -1, where this rescale (multiplier 1077919649, shift 22) gives 32639}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi16>) -> tensor<?x4xi16>
  return %r : tensor<?x4xi16>
}

// -----

func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.00533000007 : f32], qapeft.zero_point = [-128]})
    -> (tensor<?x4xi16> {qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() {values = dense<1077919614> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<22> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // expected-error @below {{TFLite export: an int8 -> int16 rescale is written as DEQUANTIZE + QUANTIZE and must be a single-rounding rescale with a 32-bit multiplier (lower it for a TFLite target: rounding single or fp32-half-even)}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, rounding_mode = DOUBLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false,
                                            qapeft.scale = [2.0739617E-5 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi16>) -> tensor<?x4xi16>
  return %r : tensor<?x4xi16>
}
