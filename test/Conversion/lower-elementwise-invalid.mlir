// RUN: qapeft-opt %s --split-input-file --verify-diagnostics --qapeft-lower-to-integer=function=

func.func @mixed_types(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: the operands of this tosa.add are stored in 'i8' and 'i16'; TFLite's kernels need one type}}
  %y = tosa.add %aq, %bq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

func.func @output_type(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %y = tosa.mul %aq, %bq, %shift : (tensor<?x4xf32>, tensor<?x4xf32>, tensor<1xi8>) -> tensor<?x4xf32>
  // expected-error @+1 {{cannot lower to integer: the output of this tosa.mul is stored in 'i16' but its operands in 'i8'}}
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

func.func @unquantized_operand(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %k = "tosa.const"() {values = dense<1.0> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  // expected-error @+1 {{cannot lower to integer: operand 1 of this tosa.sub is neither a quantized activation nor a fake-quantized static constant}}
  %y = tosa.sub %aq, %k : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

func.func @half_away_rounding(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: tosa.add is lowered with the arithmetic of TFLite's builtin kernels or XNNPACK only, but the target requantizes with 'half_away'}}
  %y = tosa.add %aq, %bq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8, rounding = half_away> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

func.func @ia3_after_add(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %y = tosa.add %aq, %bq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %l = "tosa.const"() {values = dense<2.0> : tensor<4xf32>} : () -> tensor<4xf32>
  // expected-error @+1 {{cannot lower to integer: only one (IA)^3 scale}}
  %i = qapeft.ia3 %y, %l {axis = 1 : i64} : tensor<?x4xf32>, tensor<4xf32>
  %o = qapeft.fake_quant %i scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}

// -----

func.func @xnnpack_ratio(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %t = "tosa.const"() {values = dense<0.000001> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %bq = qapeft.fake_quant %b scale %t zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  // expected-error @+1 {{cannot lower to integer: XNNPACK's tosa.add needs input-to-output scale ratios in [2^-10, 2^8), got 1.000000e+00 and 1.000000e-04}}
  %y = tosa.add %aq, %bq : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  %o = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 8, storage = i8, rounding = fp32_half_even> : tensor<?x4xf32>, tensor<f32>
  return %o : tensor<?x4xf32>
}
