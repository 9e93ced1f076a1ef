// An int8 MEAN is written only in XNNPACK's form, with the offset and float32
// scale XNNPACK derives from the scales; otherwise an error and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// Single rounding: the builtin MEAN kernel computes something else.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<32> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: an int8 MEAN is exported only in XNNPACK's form (fp32_half_even rescale with one qapeft.fp32_scale); the builtin kernel's arithmetic is not modeled}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = SINGLE_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}

// -----

// The float32 scale must be (0.5 / 0.5) / 4 = 0.25.
func.func @forward(%x: tensor<?x2x2x1xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x1x1x1xi8> {
  %w = tosa.cast %x : (tensor<?x2x2x1xi8>) -> tensor<?x2x2x1xi32>
  %r = tosa.reduce_sum %w {axis = 1 : i32} : (tensor<?x2x2x1xi32>) -> tensor<?x1x2x1xi32>
  %s = tosa.reduce_sum %r {axis = 2 : i32} : (tensor<?x1x2x1xi32>) -> tensor<?x1x1x1xi32>
  %m = "tosa.const"() {values = dense<1073741824> : tensor<1xi32>} : () -> tensor<1xi32>
  %sh = "tosa.const"() {values = dense<31> : tensor<1xi8>} : () -> tensor<1xi8>
  %izp = "tosa.const"() {values = dense<0> : tensor<1xi32>} : () -> tensor<1xi32>
  %ozp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: MEAN (offset 0, fp32 scale 5.000000e-01, zero points 0 and 0) differs from what XNNPACK derives from the scales (offset 0, fp32 scale 2.500000e-01, zero points 0 and 0)}}
  %o = tosa.rescale %s, %m, %sh, %izp, %ozp {scale32 = true, rounding_mode = INEXACT_ROUND, per_channel = false, input_unsigned = false, output_unsigned = false, qapeft.rounding = "fp32_half_even", qapeft.fp32_scale = [0.5 : f32], qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]} : (tensor<?x1x1x1xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<?x1x1x1xi8>
  return %o : tensor<?x1x1x1xi8>
}
