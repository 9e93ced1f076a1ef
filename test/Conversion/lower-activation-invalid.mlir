// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= -verify-diagnostics -o /dev/null

// A calibrated output grid other than TFLite's fixed one is requantized after
// the table, with a warning.
func.func @calibrated(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.tanh %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "t.scale" dense<0.01> : tensor<f32>
  %oz = qapeft.param "t.zero_point" dense<3.0> : tensor<f32>
  // expected-warning @+1 {{the output of tosa.tanh is quantized with scale 1.000000e-02 and zero point 3, but TFLite's TANH writes scale 7.812500e-03 and zero point 0; requantizing after it (rounds twice)}}
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// int16 activations at a power-of-two input scale: TFLite's int16 LOGISTIC
// runs gemmlowp's fixed-point kernel there, which is not modelled (other
// scales: lower-int16-activation*.mlir).
func.func @int16(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.000244140625> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: tosa.sigmoid on int16: input scale 2.441406e-04 is a power of two (2^-12) for which TFLite's int16 LOGISTIC runs gemmlowp's fixed-point kernel}}
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "s.scale" dense<0.0000305176> : tensor<f32>
  %oz = qapeft.param "s.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// The activation's result must be quantized (the table writes codes).
func.func @unquantized(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the result of this tosa.sigmoid must feed exactly one qapeft.fake_quant}}
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}
