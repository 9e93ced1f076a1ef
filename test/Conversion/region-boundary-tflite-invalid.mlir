// Region entries (int8 -> int16) the lowering cannot make exact for a
// TFLite target: an error at the entry's fake quant, and the pass fails.
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer="rounding=single" -verify-diagnostics

// 0.1 -> 0.2: float32(0.1f * x) / 0.2f falls just below the half for
// x = 125 and 127 (62, 63) and on it for x = 123 (62, away from zero): no
// one multiplier yields all three.
func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  %r = qapeft.region int16x8 {
    %s2 = qapeft.param "r.in.scale" dense<0.2> : tensor<f32>
    %z2 = qapeft.param "r.in.zero_point" dense<0.0> : tensor<f32>
    // expected-error @below {{cannot lower to integer: no tosa.rescale computes TFLite's int8 -> int16 widening (DEQUANTIZE + QUANTIZE, the only form TFLite's runtime accepts) exactly for input scale 1.000000e-01, zero point 0 and output scale 2.000000e-01: float32 rounding in DEQUANTIZE puts the 256 codes off any one multiplier; re-calibrate, or change one of the two scales slightly}}
    %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x4xf32>, tensor<f32>
    qapeft.yield %e : tensor<1x4xf32>
  } : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// An int16 scale so small that round(v) leaves int32 before QUANTIZE
// saturates: the runtime's float -> int32 conversion is undefined there.
func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<1.0> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  %r = qapeft.region int16x8 {
    %s2 = qapeft.param "r.in.scale" dense<1.0e-8> : tensor<f32>
    %z2 = qapeft.param "r.in.zero_point" dense<0.0> : tensor<f32>
    // expected-error @below {{cannot lower to integer: TFLite's DEQUANTIZE + QUANTIZE from int8 scale 1.000000e+00 to int16 scale 1.000000e-08 leaves int32 before it saturates (the runtime's float to int conversion is undefined there)}}
    %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x4xf32>, tensor<f32>
    qapeft.yield %e : tensor<1x4xf32>
  } : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}
