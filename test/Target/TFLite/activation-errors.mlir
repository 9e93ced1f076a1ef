// A tosa.table is exported only as LOGISTIC or TANH, and only when its
// entries are the ones TFLite computes from the scales; otherwise an error at
// the table and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  %t = "tosa.const"() {values = dense<0> : tensor<256xi8>} : () -> tensor<256xi8>
  // expected-error @+1 {{TFLite export: a tosa.table maps to a TFLite operator only as LOGISTIC or TANH (attribute qapeft.activation = "sigmoid" or "tanh")}}
  %y = tosa.table %x, %t {qapeft.scale = [0.00390625 : f32], qapeft.zero_point = [-128]} : (tensor<?x4xi8>, tensor<256xi8>) -> tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}

// -----

// TFLite's LOGISTIC writes scale 1/256 and zero point -128.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  %t = "tosa.const"() {values = dense<0> : tensor<256xi8>} : () -> tensor<256xi8>
  // expected-error @+1 {{TFLite export: LOGISTIC needs output scale 3.906250e-03 and zero point -128, got 7.812500e-03 and -128}}
  %y = tosa.table %x, %t {qapeft.activation = "sigmoid", qapeft.scale = [0.0078125 : f32], qapeft.zero_point = [-128]} : (tensor<?x4xi8>, tensor<256xi8>) -> tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}

// -----

// A table that is not tanh's for input scale 0.5: the runtime would compute
// tanh(0.5 * (-128)) * 128 = -128 for the first entry.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  %t = "tosa.const"() {values = dense<0> : tensor<256xi8>} : () -> tensor<256xi8>
  // expected-error @+1 {{TFLite export: the table differs from the one TFLite's TANH computes from the scales (input -128: table 0, runtime -128)}}
  %y = tosa.table %x, %t {qapeft.activation = "tanh", qapeft.scale = [0.0078125 : f32], qapeft.zero_point = [0]} : (tensor<?x4xi8>, tensor<256xi8>) -> tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}

// -----

func.func @forward(%x: tensor<?x4xi16> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi32> {
  %t = "tosa.const"() {values = dense<0> : tensor<513xi16>} : () -> tensor<513xi16>
  // expected-error @+1 {{TFLite export: unsupported quantization scheme for TANH: 'i16' -> 'i32' (only int8 tables are exported)}}
  %y = tosa.table %x, %t {qapeft.activation = "tanh", qapeft.scale = [0.0078125 : f32], qapeft.zero_point = [0]} : (tensor<?x4xi16>, tensor<513xi16>) -> tensor<?x4xi32>
  return %y : tensor<?x4xi32>
}
