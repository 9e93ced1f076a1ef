// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= -verify-diagnostics -o /dev/null

// A window smaller than the input is not a MEAN.
func.func @windowed(%x: tensor<?x4x4x1xf32>) -> tensor<?x2x2x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4x4x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{cannot lower to integer: only a global average pool (window = the whole unpadded H x W input) is lowered, as TFLite's MEAN}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x1xf32>
  %os = qapeft.param "p.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "p.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x2x2x1xf32>, tensor<f32>
  return %o : tensor<?x2x2x1xf32>
}

// -----

// An int8 MEAN keeps the type: an int16 output quantizer is refused.
func.func @int8_to_int16(%x: tensor<?x4x4x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4x4x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 4, 4>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  %os = qapeft.param "p.scale" dense<0.001> : tensor<f32>
  %oz = qapeft.param "p.zero_point" dense<0.0> : tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the output of an int8 global average pool must be quantized per tensor in int8}}
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x1x1x1xf32>, tensor<f32>
  return %o : tensor<?x1x1x1xf32>
}

// -----

// The pool's result must reach exactly one output quantizer.
func.func @unquantized(%x: tensor<?x4x4x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4x4x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{cannot lower to integer: the result of this tosa.avg_pool2d must feed exactly one qapeft.fake_quant}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 4, 4>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  return %p : tensor<?x1x1x1xf32>
}
