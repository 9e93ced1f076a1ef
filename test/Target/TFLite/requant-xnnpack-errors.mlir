// XNNPACK's int8 QUANTIZE (qapeft.rounding = "xnnpack_q8", emitted by the
// integer lowering for the XNNPACK target) is written as QUANTIZE only if
// the rescale computes, on every int8 code, what XNNPACK derives from the
// file's scales: ((x - zp_in) * lrintf(256 s) + 128) >> 8 + zp_out, s =
// float(s_in) / float(s_out) in [2^-8, 2^7]. An fp32 rescale between int8
// activations is written only where it equals the kernel that runs it on
// XNNPACK. Otherwise an error and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o %t.tflite

// The lowering's form: 0.1 -> 0.07, m = lrintf(365.71) = 366, as 2 * 366
// with shift 9. Written.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<732> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<9> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = SINGLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// An equivalent form (4 * 366, shift 10). Written.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<1464> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = SINGLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// 365 instead of 366: code -100 (v = -95): (-95 * 365 + 128) >> 8 = -135,
// + 10 = -125; XNNPACK (-95 * 366 + 128) >> 8 = -136, + 10 = -126.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<730> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<9> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: rescale by multiplier 730 shift 9 gives -125 for int8 code -100, but XNNPACK derives multiplier 366 / 256 from the scales (input 1.000000e-01, output 7.000000e-02) and gives -126}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = SINGLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// 366 with shift 8 computes the same where TOSA defines it, but
// apply_scale_32 requires |x - zp_in| < 2^7 and code 123 is 128 from -5.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<366> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<8> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: multiplier 366, shift 8 is outside TOSA's apply_scale_32 contract for int8 code 123}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = SINGLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// s = 1/512, below XNNPACK's range: the builtin kernel runs it.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<732> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<9> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: XNNPACK takes an int8 QUANTIZE only for scale ratios in [2^-8, 2^7], got 1.953125e-03; outside it the builtin kernel runs (lower it again: DOUBLE_ROUND)}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = SINGLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.512 : f32], qapeft.zero_point = [0]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// The marker on a DOUBLE_ROUND rescale.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<732> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<9> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: an xnnpack_q8 rescale must be a SINGLE_ROUND int8 -> int8 rescale with a 32-bit multiplier, got a DOUBLE_ROUND rescale from 'i8' to 'i8'}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = DOUBLE_ROUND, qapeft.rounding = "xnnpack_q8", qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// The fp32 rescale the lowering emitted before XNNPACK's form was modelled:
// 7 of 256 codes differ from XNNPACK.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [-5]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<1533916891> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<30> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-5> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<10> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: this fp32 requantization gives -121 for int8 code -97 where the runtime's XNNPACK QUANTIZE gives -122; lower it for the XNNPACK target again (it emits XNNPACK's fixed-point form)}}
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = INEXACT_ROUND, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [1.42857146 : f32], qapeft.scale = [0.07 : f32], qapeft.zero_point = [10]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}

// -----

// 0.3 -> 0.011: m = 6982, equal to fp32 on every code. Written (the
// multiplier and shift are TFLite's for the builtin kernel).
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.3 : f32], qapeft.zero_point = [-128]}) -> tensor<?x4xi8> {
  %m = "tosa.const"() {values = dense<1830241828> : tensor<1xi32>} : () -> tensor<1xi32>
  %s = "tosa.const"() {values = dense<26> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<-128> : tensor<1xi8>} : () -> tensor<1xi8>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %s, %izp, %ozp {scale32 = true, per_channel = false, input_unsigned = false, output_unsigned = false, rounding_mode = INEXACT_ROUND, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [27.2727279 : f32], qapeft.scale = [0.011 : f32], qapeft.zero_point = [0]} : (tensor<?x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x4xi8>
  return %r : tensor<?x4xi8>
}
