// The boundaries of an f32 island are exported only when their constants are
// what the runtime derives from the scales in the file, and float ops only
// in the forms TFLite has; otherwise an error at the op and no model.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

// DEQUANTIZE multiplies by the input's scale (0.05), not 0.1.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]}) -> tensor<?x4xf32> {
  %f = tosa.cast %x : (tensor<?x4xi8>) -> tensor<?x4xf32>
  %zp = "tosa.const"() <{values = dense<-3.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %c = tosa.sub %f, %zp : (tensor<?x4xf32>, tensor<1x1xf32>) -> tensor<?x4xf32>
  %s = "tosa.const"() <{values = dense<0.1> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: DEQUANTIZE by zero point -3.000000e+00 and scale 1.000000e-01 differs from the input's quantization (zero point -3, scale 5.000000e-02)}}
  %d = tosa.mul %c, %s, %sh : (tensor<?x4xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  return %d : tensor<?x4xf32>
}

// -----

// A cast to f32 that is not the dequantize form.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]}) -> tensor<?x4xf32> {
  // expected-error @+1 {{TFLite export: an integer to f32 cast is exported only as DEQUANTIZE: cast, sub zero point, mul scale (the f32 region entry)}}
  %f = tosa.cast %x : (tensor<?x4xi8>) -> tensor<?x4xf32>
  return %f : tensor<?x4xf32>
}

// -----

// QUANTIZE's inverse scale must be float(1 / 0.25) = 4.
func.func @forward(%x: tensor<?x4xf32>) -> (tensor<?x4xi8> {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]}) {
  %inv = "tosa.const"() <{values = dense<5.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  // expected-error @+1 {{TFLite export: QUANTIZE by 5.000000e+00, zero point 1, bounds [-129, 126] differs from what the runtime derives from the output quantization (1/s = 4.000000e+00, zero point 1, bounds [-129, 126])}}
  %qs = tosa.mul %x, %inv, %sh : (tensor<?x4xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  %qc = tosa.clamp %qs {min_val = -129.0 : f32, max_val = 126.0 : f32} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %qi = tosa.cast %qc : (tensor<?x4xf32>) -> tensor<?x4xi32>
  %qz = "tosa.const"() <{values = dense<1> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %qa = tosa.add %qi, %qz : (tensor<?x4xi32>, tensor<1x1xi32>) -> tensor<?x4xi32>
  %q = tosa.cast %qa {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]} : (tensor<?x4xi32>) -> tensor<?x4xi8>
  return %q : tensor<?x4xi8>
}

// -----

// A reduce_max that is not the start of a softmax over the last axis.
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x1xf32> {
  // expected-error @+1 {{TFLite export: an f32 reduce_max is exported only as SOFTMAX over the last axis: reduce_max, sub, exp, reduce_sum, reciprocal, mul}}
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return %m : tensor<?x1xf32>
}

// -----

// Softmax without the max subtraction is not TFLite's SOFTMAX arithmetic:
// exp is not preceded by the reduce_max pattern, so it has no mapping.
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{TFLite export: 'tosa.exp' has no TFLite operator mapping}}
  %e = tosa.exp %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %r = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %r, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  return %p : tensor<?x4xf32>
}

// -----

// A float clamp that is no TFLite activation.
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{TFLite export: a float clamp is exported only as RELU [0, max], RELU6 [0, 6] or RELU_N1_TO_1 [-1, 1]}}
  %c = tosa.clamp %x {min_val = -2.0 : f32, max_val = 2.0 : f32} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %c : tensor<?x4xf32>
}
