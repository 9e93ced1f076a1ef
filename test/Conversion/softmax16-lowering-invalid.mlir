// int16 softmaxes TFLite's int16 SOFTMAX cannot run are refused at the
// softmax with the reason.
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= -verify-diagnostics -o /dev/null

// SoftmaxPrepare requires input zero point 0 for int16.
func.func @zero_point(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %xs = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16> : tensor<?x4xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: TFLite's int16 SOFTMAX needs input zero point 0, got 3}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  %e = tosa.exp %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

// The kernel sums a row of up to 65536 exps (each <= 32767) in int32.
func.func @long_row(%x: tensor<2x65537xf32>) -> tensor<2x65537xf32> {
  %xs = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x65537xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: TFLite's int16 SOFTMAX sums a row in int32, so the last axis must be static and at most 65536, got 65537}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<2x65537xf32>) -> tensor<2x1xf32>
  %d = tosa.sub %xq, %m : (tensor<2x65537xf32>, tensor<2x1xf32>) -> tensor<2x65537xf32>
  %e = tosa.exp %d : (tensor<2x65537xf32>) -> tensor<2x65537xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x65537xf32>) -> tensor<2x1xf32>
  %i = tosa.reciprocal %s : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<2x65537xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x65537xf32>
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x65537xf32>, tensor<f32>
  return %o : tensor<2x65537xf32>
}

// -----

func.func @dynamic_row(%x: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %xs = "tosa.const"() {values = dense<0.001> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x?xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: TFLite's int16 SOFTMAX sums a row in int32, so the last axis must be static and at most 65536, got ?}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<2x?xf32>) -> tensor<2x1xf32>
  %d = tosa.sub %xq, %m : (tensor<2x?xf32>, tensor<2x1xf32>) -> tensor<2x?xf32>
  %e = tosa.exp %d : (tensor<2x?xf32>) -> tensor<2x?xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x?xf32>) -> tensor<2x1xf32>
  %i = tosa.reciprocal %s : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<2x?xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x?xf32>
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x?xf32>, tensor<f32>
  return %o : tensor<2x?xf32>
}
