// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= -verify-diagnostics -o /dev/null

// TANH's Prepare takes the power-of-two path for input_left_shift 0 and 1,
// that is scales 2^-12 and 2^-11: the runtime then runs gemmlowp's kernel.
func.func @tanh_pot(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.00048828125> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: tosa.tanh on int16: input scale 4.882812e-04 is a power of two (2^-11) for which TFLite's int16 TANH runs gemmlowp's fixed-point kernel instead of the table kernel, and that kernel is not modelled; affected are the scales whose log2 is within 0.001 of -12 or -11; use another input scale}}
  %y = tosa.tanh %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "t.scale" dense<3.0517578125e-05> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// Within CheckedLog2's tolerance (|log2 error| < 1e-3) a scale counts as a
// power of two: 2^-12 * 1.0005.
func.func @sigmoid_near_pot(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.00024426> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{is a power of two (2^-12) for which TFLite's int16 LOGISTIC runs gemmlowp's fixed-point kernel}}
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "s.scale" dense<3.0517578125e-05> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// Scale 8: Prepare's multiplier 98304 times an int16 overflows int32.
func.func @overflow(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<8.0> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: tosa.sigmoid on int16: input scale 8.000000e+00 gives TFLite's int16 LOGISTIC an input multiplier whose product with an int16 overflows the kernel's int32 arithmetic (scales above about 5.33)}}
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "s.scale" dense<3.0517578125e-05> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// TFLite's int16 kernels require input zero point 0.
func.func @zero_point(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.0005> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<5.0> : tensor<f32>
  %z = qapeft.param "z" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16> : tensor<?x8xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: TFLite's int16 TANH needs input zero point 0, got 5}}
  %y = tosa.tanh %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "t.scale" dense<3.0517578125e-05> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// TFLite's int16 LOGISTIC writes int16.
func.func @int8_output(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.0005> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "s.scale" dense<0.00390625> : tensor<f32>
  %oz = qapeft.param "s.zero_point" dense<-128.0> : tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the output of the int16 tosa.sigmoid must be quantized per tensor in int16}}
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// A calibrated output grid other than 1/32768 is requantized after the
// kernel, with a warning.
func.func @calibrated(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.0005> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.tanh %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "t.scale" dense<0.0001> : tensor<f32>
  // expected-warning @+1 {{the output of tosa.tanh is quantized with scale 1.000000e-04 and zero point 0, but TFLite's TANH writes scale 3.051758e-05 and zero point 0; requantizing after it (rounds twice)}}
  %o = qapeft.fake_quant %y scale %os zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}
