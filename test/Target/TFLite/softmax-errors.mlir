// qapeft.tflite_softmax is exported as int8 SOFTMAX only when the file's
// scales make the runtime compute what the op computes; otherwise an error at
// the op and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// The runtime builds its table from the input tensor's scale (0.5), not 0.25.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  // expected-error @+1 {{TFLite export: SOFTMAX computes its table from the input scale 5.000000e-01 written to the file, but the op uses input_scale 2.500000e-01}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.25 : f32, qapeft.scale = [0.00390625 : f32], qapeft.zero_point = [-128]} : tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}

// -----

// SoftmaxPrepare requires the int8 output grid 1/256, -128.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  // expected-error @+1 {{TFLite export: SOFTMAX needs output scale 0.00390625 and zero point -128, got 7.812500e-03 and -128}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.5 : f32, qapeft.scale = [0.0078125 : f32], qapeft.zero_point = [-128]} : tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}

// -----

func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi8> {
  // expected-error @+1 {{TFLite export: SOFTMAX needs per-tensor qapeft.scale on its input and output}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.5 : f32} : tensor<?x4xi8>
  return %y : tensor<?x4xi8>
}
