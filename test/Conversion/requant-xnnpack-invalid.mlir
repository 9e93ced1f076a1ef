// Under rounding fp32-half-even (the XNNPACK target) an int8 -> int8
// requantization is XNNPACK's QUANTIZE on the device, which multiplies in
// 8-bit fixed point (lrintf(256 * s_in / s_out), ties up; probed on the
// runtime). The lowering still emits the fp32 rescale, which the
// hardware-exact forward and the exporter expect, and warns where the two
// differ on some int8 code.
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer="function= rounding=fp32-half-even" -verify-diagnostics -o /dev/null

// 0.1 (zero point -5) -> 0.07 (zero point 10): s = 1.4285715, m =
// lrintf(365.71) = 366. q = -97 (v = -92): fp32 -131.43 -> -131 + 10 =
// -121; XNNPACK (-92 * 366 + 128) >> 8 = -33544 >> 8 = -132 + 10 = -122.
func.func @q8(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-5.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.07> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<10.0> : tensor<f32>
  // expected-warning @+1 {{requantizing from scale 1.000000e-01 to 7.000000e-02: XNNPACK's int8 QUANTIZE computes in 8-bit fixed point (multiplier 366 / 256, ties up) and gives -122 for input code -97 where this rescale (fp32, ties to even) gives -121 (7 of 256 codes differ); the model is not bit-exact on XNNPACK here}}
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// -----

// 0.3 -> 0.011 (s = 27.27, m = 6982) and 1/256 -> 0.01724 (m = 58): equal
// on all 256 codes (probed on the runtime too), no warning.
func.func @same(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.3> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.011> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// -----

func.func @same2(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.00390625> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.01724> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<3.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}

// -----

// s = 1/512 is below XNNPACK's range [2^-8, 2^7]: the delegate leaves the
// node to the builtin kernel, no warning.
func.func @builtin(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %s = qapeft.param "input.scale" dense<0.001> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %s2 = qapeft.param "out.scale" dense<0.512> : tensor<f32>
  %z2 = qapeft.param "out.zero_point" dense<0.0> : tensor<f32>
  %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %e : tensor<?x8xf32>
}
