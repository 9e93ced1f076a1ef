// qapeft.tflite_softmax on int16: the multiplier SoftmaxPrepare derives is
// part of the op (input_multiplier * 2^(input_shift - 31)); int8 has none.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @ok
// CHECK: qapeft.tflite_softmax %arg0 {input_multiplier = 1759191844 : i32, input_scale = 1.000000e-03 : f32, input_shift = 3 : i32} : tensor<?x10xi16>
// CHECK: qapeft.tflite_softmax %arg0 {beta = 5.000000e-01 : f32, input_multiplier = 1759191844 : i32, input_scale = 2.000000e-03 : f32, input_shift = 3 : i32} : tensor<?x10xi16>
// A multiplier that flushed to zero (a tiny input_scale * beta) is (0, 0).
// CHECK: qapeft.tflite_softmax %arg0 {input_multiplier = 0 : i32, input_scale = 9.99999968E-21 : f32, input_shift = 0 : i32} : tensor<?x10xi16>
func.func @ok(%x: tensor<?x10xi16>) -> (tensor<?x10xi16>, tensor<?x10xi16>, tensor<?x10xi16>) {
  %a = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32} : tensor<?x10xi16>
  %b = qapeft.tflite_softmax %x {input_scale = 0.002 : f32, beta = 0.5 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32} : tensor<?x10xi16>
  %c = qapeft.tflite_softmax %x {input_scale = 1.0e-20 : f32, input_multiplier = 0 : i32, input_shift = 0 : i32} : tensor<?x10xi16>
  return %a, %b, %c : tensor<?x10xi16>, tensor<?x10xi16>, tensor<?x10xi16>
}

// -----

func.func @missing(%x: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op an int16 softmax needs input_multiplier and input_shift (QuantizeMultiplier of input_scale * beta / (10 / 65535))}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32} : tensor<4xi16>
  return %a : tensor<4xi16>
}

// -----

func.func @int8_with_multiplier(%x: tensor<4xi8>) -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op input_multiplier and input_shift belong to the int16 kernel; an int8 softmax has none}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.1 : f32, input_shift = 3 : i32} : tensor<4xi8>
  return %a : tensor<4xi8>
}

// -----

// QuantizeMultiplier's mantissa is in [2^30, 2^31).
func.func @unnormalized(%x: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op input_multiplier must be in [2^30, 2^31 - 1] and input_shift in [-31, 30] (or both 0), got 1000 and 3}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1000 : i32, input_shift = 3 : i32} : tensor<4xi16>
  return %a : tensor<4xi16>
}

// -----

func.func @shift(%x: tensor<4xi16>) -> tensor<4xi16> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op input_multiplier must be in [2^30, 2^31 - 1] and input_shift in [-31, 30] (or both 0), got 1759191844 and 31}}
  %a = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 31 : i32} : tensor<4xi16>
  return %a : tensor<4xi16>
}

// -----

// The result type is the input type: int16 in, int16 out.
func.func @mixed(%x: tensor<4xi16>) -> tensor<4xi8> {
  // expected-error @+1 {{'qapeft.tflite_softmax' op requires the same type for all operands and results}}
  %a = "qapeft.tflite_softmax"(%x) {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32} : (tensor<4xi16>) -> tensor<4xi8>
  return %a : tensor<4xi8>
}
