// RUN: qapeft-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// The op round-trips; beta defaults to 1.
// CHECK-LABEL: func.func @ok
// CHECK: qapeft.tflite_softmax %arg0 {input_scale = 1.000000e-01 : f32} : tensor<?x10xi8>
// CHECK: qapeft.tflite_softmax %arg0 {beta = 2.000000e+00 : f32, input_scale = 5.000000e-01 : f32} : tensor<?x10xi8>
func.func @ok(%x: tensor<?x10xi8>) -> (tensor<?x10xi8>, tensor<?x10xi8>) {
  %a = qapeft.tflite_softmax %x {input_scale = 0.1 : f32} : tensor<?x10xi8>
  %b = qapeft.tflite_softmax %x {input_scale = 0.5 : f32, beta = 2.0 : f32} : tensor<?x10xi8>
  return %a, %b : tensor<?x10xi8>, tensor<?x10xi8>
}

// -----

func.func @scalar(%x: tensor<i8>) -> tensor<i8> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op needs an input of rank >= 1 (softmax runs over the last axis)}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.1 : f32} : tensor<i8>
  return %a : tensor<i8>
}

// -----

func.func @scale(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op input_scale must be finite and positive, got 0}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.0 : f32} : tensor<4xi8>
  return %a : tensor<4xi8>
}

// -----

func.func @beta(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op beta must be finite and positive, got -1}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.5 : f32, beta = -1.0 : f32} : tensor<4xi8>
  return %a : tensor<4xi8>
}

// -----

// int8 and int16 only (softmax16-op.mlir has the int16 cases).
func.func @type(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op operand #0 must be tensor of 8-bit signless integer or 16-bit signless integer values}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.5 : f32} : tensor<4xi32>
  return %a : tensor<4xi32>
}
