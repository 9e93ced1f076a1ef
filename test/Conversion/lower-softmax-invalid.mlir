// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= -verify-diagnostics -o /dev/null

// A quantizer inside the softmax (the int8 SOFTMAX kernel has none).
func.func @inner_quantizer(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: a tosa.reduce_max is lowered only as the start of a softmax over the last axis (reduce_max, sub, exp, reduce_sum, reciprocal, mul, then one qapeft.fake_quant, with no quantizer in between)}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  %dq = qapeft.fake_quant %d scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %e = tosa.exp %dq : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

// Not over the last axis.
func.func @axis(%x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<4x3xf32>, tensor<f32>
  // expected-error @+1 {{a tosa.reduce_max is lowered only as the start of a softmax over the last axis}}
  %m = tosa.reduce_max %xq {axis = 0 : i32} : (tensor<4x3xf32>) -> tensor<1x3xf32>
  %d = tosa.sub %xq, %m : (tensor<4x3xf32>, tensor<1x3xf32>) -> tensor<4x3xf32>
  %e = tosa.exp %d : (tensor<4x3xf32>) -> tensor<4x3xf32>
  %s = tosa.reduce_sum %e {axis = 0 : i32} : (tensor<4x3xf32>) -> tensor<1x3xf32>
  %i = tosa.reciprocal %s : (tensor<1x3xf32>) -> tensor<1x3xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<4x3xf32>, tensor<1x3xf32>, tensor<1xi8>) -> tensor<4x3xf32>
  return %p : tensor<4x3xf32>
}

// -----

// No output quantizer.
func.func @no_output_quantizer(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  %e = tosa.exp %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{cannot lower to integer: the result of this softmax must feed exactly one qapeft.fake_quant}}
  %p = tosa.mul %e, %i, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

// A 16-bit input with an 8-bit output: TFLite's int16 SOFTMAX writes int16
// (softmax16-lowering.mlir has the int16 cases).
func.func @int16(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  %e = tosa.exp %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the output of a softmax must be quantized per tensor in int16, as its input}}
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}
