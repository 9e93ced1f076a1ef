// RUN: qapeft-opt %s --qapeft-lower-to-integer="function=" -split-input-file -verify-diagnostics -o /dev/null

// What an int16 global average pool (TFLite's int16 MEAN) refuses
// (mean16-lower-half-away.mlir: the rounding).

// TFLite's int16 MEAN fails Prepare unless both zero points are 0.
func.func @zero_point(%x: tensor<?x2x2x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<5.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16> : tensor<?x2x2x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{cannot lower to integer: TFLite's int16 MEAN needs zero point 0 on its input and output, got 5 and 0}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  %os = qapeft.param "gap.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "gap.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x1x1x1xf32>, tensor<f32>
  return %o : tensor<?x1x1x1xf32>
}

// -----

// TFLite's MEAN keeps the element type: int16 in, int16 out.
func.func @int8_output(%x: tensor<?x2x2x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2x2x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  %os = qapeft.param "gap.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "gap.zero_point" dense<0.0> : tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the output of an int16 global average pool must be quantized per tensor in int16 (TFLite's MEAN keeps the type)}}
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x1x1x1xf32>, tensor<f32>
  return %o : tensor<?x1x1x1xf32>
}

// -----

// 256 x 256 codes of magnitude 2^15 may overflow the kernel's int32 sum.
func.func @too_large(%x: tensor<?x256x256x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x256x256x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{cannot lower to integer: an int16 global average pool over 65536 elements may overflow TFLite's int32 sum (at most 65535)}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 256, 256>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x256x256x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  %os = qapeft.param "gap.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "gap.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x1x1x1xf32>, tensor<f32>
  return %o : tensor<?x1x1x1xf32>
}
