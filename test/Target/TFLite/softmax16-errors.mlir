// qapeft.tflite_softmax on int16 is exported as SOFTMAX only when the file
// makes the runtime compute what the op computes (SoftmaxPrepare derives the
// multiplier from the written input scale and beta, and requires zero points
// 0 and the output scale 1/32768); otherwise an error at the op and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// The runtime derives (1759191844, 3) from input scale 0.001, not (1759191844, 2).
func.func @forward(%x: tensor<?x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi16> {
  // expected-error @+1 {{TFLite export: the runtime derives the int16 SOFTMAX multiplier 1759191844 with shift 3 from input scale 1.000000e-03 and beta 1.000000e+00, but the op uses 1759191844 with shift 2}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 2 : i32, qapeft.scale = [3.0517578125e-05 : f32], qapeft.zero_point = [0]} : tensor<?x4xi16>
  return %y : tensor<?x4xi16>
}

// -----

// beta is part of the derivation: 0.001 * 2 gives shift 4.
func.func @forward(%x: tensor<?x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi16> {
  // expected-error @+1 {{TFLite export: the runtime derives the int16 SOFTMAX multiplier 1759191844 with shift 4 from input scale 1.000000e-03 and beta 2.000000e+00, but the op uses 1759191844 with shift 3}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, beta = 2.0 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32, qapeft.scale = [3.0517578125e-05 : f32], qapeft.zero_point = [0]} : tensor<?x4xi16>
  return %y : tensor<?x4xi16>
}

// -----

// The output grid is fixed: 1/32768, 0.
func.func @forward(%x: tensor<?x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<?x4xi16> {
  // expected-error @+1 {{TFLite export: an int16 SOFTMAX needs output scale 3.05175781e-05 (1/32768) and zero point 0, got 6.103516e-05 and 0}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32, qapeft.scale = [6.103515625e-05 : f32], qapeft.zero_point = [0]} : tensor<?x4xi16>
  return %y : tensor<?x4xi16>
}

// -----

func.func @forward(%x: tensor<?x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [5]}) -> tensor<?x4xi16> {
  // expected-error @+1 {{TFLite export: an int16 SOFTMAX needs input zero point 0, got 5}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32, qapeft.scale = [3.0517578125e-05 : f32], qapeft.zero_point = [0]} : tensor<?x4xi16>
  return %y : tensor<?x4xi16>
}

// -----

// SoftmaxQuantized<int16, int16> runs tensors of rank 1 to 4 only.
func.func @forward(%x: tensor<1x1x1x2x4xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<1x1x1x2x4xi16> {
  // expected-error @+1 {{TFLite export: TFLite's int16 SOFTMAX takes tensors of rank 1 to 4}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32, qapeft.scale = [3.0517578125e-05 : f32], qapeft.zero_point = [0]} : tensor<1x1x1x2x4xi16>
  return %y : tensor<1x1x1x2x4xi16>
}

// -----

// Longer rows would overflow the kernel's int32 sum of exps.
func.func @forward(%x: tensor<1x65537xi16> {qapeft.scale = [0.001 : f32], qapeft.zero_point = [0]}) -> tensor<1x65537xi16> {
  // expected-error @+1 {{TFLite export: TFLite's int16 SOFTMAX sums a row in int32; rows must be static and at most 65536 long}}
  %y = qapeft.tflite_softmax %x {input_scale = 0.001 : f32, input_multiplier = 1759191844 : i32, input_shift = 3 : i32, qapeft.scale = [3.0517578125e-05 : f32], qapeft.zero_point = [0]} : tensor<1x65537xi16>
  return %y : tensor<1x65537xi16>
}
