// The discardable qapeft.* attributes of docs/CONVENTIONS.md: accepted in
// their documented forms (round trip), rejected with a located message
// otherwise.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @integer_graph
// CHECK-SAME: (%{{.*}}: tensor<?x28x28x1xi8> {qapeft.scale = [3.921500e-03 : f32], qapeft.zero_point = [-128]},
// CHECK-SAME: %{{.*}}: tensor<?x3xi8> {qapeft.scale = [1.000000e+00 : f32, 2.000000e+00 : f32, 4.000000e+00 : f32, 8.000000e+00 : f32]}
// CHECK-SAME: -> (tensor<?x10xi8> {qapeft.scale = [1.250000e-01 : f32], qapeft.zero_point = [3]})
// CHECK: "tosa.const"() {{.*}} {qapeft.quantized_dimension = 0 : i64, qapeft.scale = [2.500000e-01 : f32, 1.250000e-01 : f32], qapeft.zero_point = [0, 0]} : () -> tensor<2x3x3x1xi8>
// CHECK: "tosa.const"() {{.*}} {qapeft.scale = [5.000000e-01 : f32], qapeft.zero_point = []} : () -> tensor<4xi8>
// CHECK: "tosa.const"() {{.*}} {qapeft.quantized_dimension = 3 : i64, qapeft.scale = [1.000000e+00 : f32, 2.000000e+00 : f32], qapeft.zero_point = [0]} : () -> tensor<1x1x1x2xi8>
// (A dynamic quantized dimension cannot be checked against the scale count.)
func.func @integer_graph(%x: tensor<?x28x28x1xi8> {qapeft.scale = [0.0039215 : f32], qapeft.zero_point = [-128]},
                         %d: tensor<?x3xi8> {qapeft.scale = [1.0 : f32, 2.0 : f32, 4.0 : f32, 8.0 : f32]})
    -> (tensor<?x10xi8> {qapeft.scale = [0.125 : f32], qapeft.zero_point = [3]}) {
  %w = "tosa.const"() {values = dense<1> : tensor<2x3x3x1xi8>, qapeft.scale = [0.25 : f32, 0.125 : f32], qapeft.zero_point = [0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x3x3x1xi8>
  %t = "tosa.const"() {values = dense<1> : tensor<4xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = []} : () -> tensor<4xi8>
  %c = "tosa.const"() {values = dense<1> : tensor<1x1x1x2xi8>, qapeft.scale = [1.0 : f32, 2.0 : f32], qapeft.zero_point = [0], qapeft.quantized_dimension = 3 : i64} : () -> tensor<1x1x1x2xi8>
  %y = "tosa.const"() {values = dense<1> : tensor<1x10xi8>} : () -> tensor<1x10xi8>
  %cast = tensor.cast %y : tensor<1x10xi8> to tensor<?x10xi8>
  return %cast : tensor<?x10xi8>
}

// -----

// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {qapeft.param = "fc2.lora_a"}
// CHECK-SAME: {qapeft.opt_state = "fc2.lora_a.m"}
// CHECK-SAME: {qapeft.step}
// CHECK-SAME: {qapeft.lr}
// CHECK-SAME: {qapeft.input}
// CHECK-SAME: {qapeft.labels}
func.func @train_step(%p: tensor<2x64xf32> {qapeft.param = "fc2.lora_a"}, %m: tensor<2x64xf32> {qapeft.opt_state = "fc2.lora_a.m"},
                      %step: tensor<f32> {qapeft.step}, %lr: tensor<f32> {qapeft.lr},
                      %x: tensor<?x28x28x1xf32> {qapeft.input}, %l: tensor<?xi32> {qapeft.labels}) -> tensor<2x64xf32> {
  return %p : tensor<2x64xf32>
}

// -----

func.func @scale_not_array() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.scale' must be a non-empty array of floats, got 5.000000e-01 : f32}}
  %0 = "tosa.const"() {values = dense<1> : tensor<4xi8>, qapeft.scale = 0.5 : f32} : () -> tensor<4xi8>
  return
}

// -----

func.func @scale_empty() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.scale' must be a non-empty array of floats, got []}}
  %0 = "tosa.const"() {values = dense<1> : tensor<4xi8>, qapeft.scale = []} : () -> tensor<4xi8>
  return
}

// -----

func.func @zero_point_floats() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.zero_point' must be an array of integers, got [1.000000e+00 : f32]}}
  %0 = "tosa.const"() {values = dense<1> : tensor<4xi8>, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1.0 : f32]} : () -> tensor<4xi8>
  return
}

// -----

func.func @zero_point_count() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.zero_point' has 3 values for 2 scale(s)}}
  %0 = "tosa.const"() {values = dense<1> : tensor<2x4xi8>, qapeft.scale = [0.5 : f32, 0.25 : f32], qapeft.zero_point = [0, 0, 0], qapeft.quantized_dimension = 0 : i64} : () -> tensor<2x4xi8>
  return
}

// -----

func.func @scale_count() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.scale' has 2 values but dimension 1 of 'tensor<2x4xi8>' has 4}}
  %0 = "tosa.const"() {values = dense<1> : tensor<2x4xi8>, qapeft.scale = [0.5 : f32, 0.25 : f32], qapeft.quantized_dimension = 1 : i64} : () -> tensor<2x4xi8>
  return
}

// -----

func.func @quant_dim_range() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.quantized_dimension' 2 is out of range for 'tensor<2x4xi8>'}}
  %0 = "tosa.const"() {values = dense<1> : tensor<2x4xi8>, qapeft.scale = [0.5 : f32], qapeft.quantized_dimension = 2 : i64} : () -> tensor<2x4xi8>
  return
}

// -----

func.func @quant_dim_kind() {
  // expected-error @+1 {{'tosa.const' op 'qapeft.quantized_dimension' must be an integer, got "0"}}
  %0 = "tosa.const"() {values = dense<1> : tensor<2x4xi8>, qapeft.scale = [0.5 : f32], qapeft.quantized_dimension = "0"} : () -> tensor<2x4xi8>
  return
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'qapeft.scale' has 2 values but dimension 0 of 'tensor<3xi8>' has 3}}
func.func @arg_scale(%x: tensor<3xi8> {qapeft.scale = [0.5 : f32, 0.25 : f32]}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op result #0: 'qapeft.zero_point' must be an array of integers, got 0 : i64}}
func.func @result_zero_point(%x: tensor<3xi8>) -> (tensor<3xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = 0}) {
  return %x : tensor<3xi8>
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'qapeft.param' must be a non-empty string, got ""}}
func.func @param_name(%x: tensor<3xf32> {qapeft.param = ""}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op argument #1: 'qapeft.opt_state' must be a non-empty string, got 3 : i64}}
func.func @opt_state_name(%x: tensor<3xf32>, %m: tensor<3xf32> {qapeft.opt_state = 3}) {
  return
}

// -----

// expected-error @+1 {{'func.func' op argument #0: 'qapeft.lr' must be a unit attribute, got 1.000000e-03 : f32}}
func.func @lr_value(%lr: tensor<f32> {qapeft.lr = 0.001 : f32}) {
  return
}
