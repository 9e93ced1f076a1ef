// Regions the integer lowering cannot take: an error at the offending op,
// and the pass fails.
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer -verify-diagnostics

// A region wrapped without re-scheming its quantizers: an int16x8 region
// whose activation is still quantized to i8 would silently run at int8.
func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  %r = qapeft.region int16x8 {
    %s2 = qapeft.param "r.scale" dense<0.01> : tensor<f32>
    %z2 = qapeft.param "r.zero_point" dense<0.0> : tensor<f32>
    // expected-error @below {{cannot lower to integer: this activation is quantized to i8 inside a int16x8 region, whose activations are i16 (run --qapeft-assign-precision to re-scheme the region)}}
    %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
    qapeft.yield %e : tensor<1x4xf32>
  } : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  // expected-error @below {{cannot lower to integer: f16 regions are not supported (TOSA's int profile has no f16; use an f32 region)}}
  %r = qapeft.region f16 {
    %c = tosa.clamp %q {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    qapeft.yield %c : tensor<1x4xf32>
  } : tensor<1x4xf32>
  %o = qapeft.fake_quant %r scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  return %o : tensor<1x4xf32>
}

// -----

func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  %r = qapeft.region f32 {
    // expected-error @below {{cannot lower to integer: an f32 region holds no qapeft.fake_quant (run --qapeft-assign-precision to place the region's quantizers)}}
    %e = qapeft.fake_quant %q scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
    qapeft.yield %e : tensor<1x4xf32>
  } : tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// The float result of an island must be quantized before integer ops use it.
func.func @forward(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qapeft.param "input.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  %r = qapeft.region f32 {
    %c = tosa.clamp %q {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
    qapeft.yield %c : tensor<1x4xf32>
  } : tensor<1x4xf32>
  // expected-error @below {{cannot lower to integer: the result of an f32 region must be quantized by a qapeft.fake_quant before other ops use it}}
  %n = tosa.clamp %r {min_val = 0.0 : f32, max_val = 1.0 : f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %o = qapeft.fake_quant %n scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x4xf32>, tensor<f32>
  return %o : tensor<1x4xf32>
}
