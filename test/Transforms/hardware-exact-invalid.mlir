// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-hardware-exact

// Elementwise ops, sigmoid / tanh and global average pools that
// --qapeft-hardware-exact cannot shadow exactly are refused with a
// diagnostic (the training forward would otherwise differ from the device).

func.func @forward(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: operand 1 of this tosa.add is not on a quantized grid}}
  %a = tosa.add %xq, %y : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %aq : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>, %y: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %yq = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: the operands and the output of this tosa.sub must have one storage type}}
  %a = tosa.sub %xq, %yq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %aq : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  // expected-error @below {{hardware-exact mode: the result of this tosa.mul must flow through one chain (reshape, clamp) into one qapeft.fake_quant}}
  %m = tosa.mul %xq, %xq, %sh : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %mq = qapeft.fake_quant %m scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %mq, %m : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: this tosa.sigmoid must read and write one type, int8 or int16}}
  %y = tosa.sigmoid %xq : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<3.0517578e-05> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %yq : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @below {{hardware-exact mode: the input of this tosa.tanh is not on a quantized grid}}
  %y = tosa.tanh %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = "tosa.const"() {values = dense<0.0078125> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %yq : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: the result of this tosa.sigmoid must feed exactly one qapeft.fake_quant}}
  %y = tosa.sigmoid %xq : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %yq, %y : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4x4x2xf32>) -> tensor<?x2x2x2xf32> {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4x4x2xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @below {{hardware-exact mode: only a global average pool (window = the whole unpadded H x W input, TFLite's MEAN) has an integer form}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<?x4x4x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %pq = qapeft.fake_quant %p scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2x2x2xf32>, tensor<f32>
  return %pq : tensor<?x2x2x2xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: a tosa.reduce_max has an integer form only as the start of a softmax over the last axis}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %mq = qapeft.fake_quant %m scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x1xf32>, tensor<f32>
  return %mq : tensor<?x1xf32>
}

// -----

// A softmax whose output feeds two users has no single quantizer to shadow.
func.func @forward(%x: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %s = qapeft.param "x.scale" dense<0.25> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @below {{hardware-exact mode: this softmax must read a value on a quantized grid and feed exactly one qapeft.fake_quant}}
  %m = tosa.reduce_max %xq {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %xq, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32>
  %e = tosa.exp %d : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %r = tosa.reciprocal %sum : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %e, %r, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %os = "tosa.const"() {values = dense<0.00390625> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
  %yq = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %yq, %y : tensor<?x4xf32>, tensor<?x4xf32>
}
