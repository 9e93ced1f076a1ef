// The exporter refuses an elementwise pattern whose arithmetic is not what
// TFLite's ADD / SUB / MUL kernels compute from the stored scales, at the
// op that differs, and writes no file.
// RUN: qapeft-translate --qapeft-to-tflite %s -split-input-file -verify-diagnostics -o /dev/null

func.func @forward(%a: tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}, %b: tensor<1x4xi8> {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]}) -> (tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}) {
  %m30 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s30 = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z8 = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %l20 = "tosa.const"() <{values = dense<1048576> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %n0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s31 = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s32 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
  %so = "tosa.const"() <{values = dense<50> : tensor<1xi8>}> : () -> tensor<1xi8>
  %pa = tosa.rescale %a, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %la = tosa.mul %pa, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %ra = tosa.rescale %la, %m30, %s31, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %pb = tosa.rescale %b, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %lb = tosa.mul %pb, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %rb = tosa.rescale %lb, %m30, %s32, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %sum = tosa.add %ra, %rb : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  // expected-error @+1 {{TFLite export: the output rescale of ADD has multiplier 1073741824 shift 50, but TFLite derives multiplier 1073741824 shift 49 from the scales (5.000000e-01, 2.500000e-01 -> 5.000000e-01); the runtime would compute different values}}
  %o = tosa.rescale %sum, %m30, %so, %z32, %z8 {input_unsigned = false, output_unsigned = false, per_channel = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1], rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4xi8>
  return %o : tensor<1x4xi8>
}

// -----

func.func @forward(%a: tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}, %b: tensor<1x4xi8> {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]}) -> (tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}) {
  %m30 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s30 = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z8 = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %l20 = "tosa.const"() <{values = dense<1048576> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %n0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s31 = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s32 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
  %so = "tosa.const"() <{values = dense<49> : tensor<1xi8>}> : () -> tensor<1xi8>
  %pa = tosa.rescale %a, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %la = tosa.mul %pa, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  // expected-error @+1 {{TFLite export: the first operand's rescale of ADD must be a per-tensor 32-bit DOUBLE_ROUND rescale, the arithmetic of TFLite's builtin kernel}}
  %ra = tosa.rescale %la, %m30, %s31, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %pb = tosa.rescale %b, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %lb = tosa.mul %pb, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %rb = tosa.rescale %lb, %m30, %s32, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %sum = tosa.add %ra, %rb : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %o = tosa.rescale %sum, %m30, %so, %z32, %z8 {input_unsigned = false, output_unsigned = false, per_channel = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1], rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4xi8>
  return %o : tensor<1x4xi8>
}

// -----

func.func @forward(%a: tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}, %b: tensor<1x4xi8> {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]}) -> (tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}) {
  %m30 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s30 = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z8 = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %l20 = "tosa.const"() <{values = dense<524288> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %n0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s31 = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s32 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
  %so = "tosa.const"() <{values = dense<49> : tensor<1xi8>}> : () -> tensor<1xi8>
  %pa = tosa.rescale %a, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  // expected-error @+1 {{TFLite export: ADD scales its first operand's input by 524288, but TFLite's kernel shifts it by 1048576}}
  %la = tosa.mul %pa, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %ra = tosa.rescale %la, %m30, %s31, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %pb = tosa.rescale %b, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %lb = tosa.mul %pb, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %rb = tosa.rescale %lb, %m30, %s32, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %sum = tosa.add %ra, %rb : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %o = tosa.rescale %sum, %m30, %so, %z32, %z8 {input_unsigned = false, output_unsigned = false, per_channel = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1], rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4xi8>
  return %o : tensor<1x4xi8>
}

// -----

func.func @forward(%a: tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}, %b: tensor<1x4xi8> {qapeft.scale = [0.25 : f32], qapeft.zero_point = [1]}) -> (tensor<1x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]}) {
  %m30 = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %s30 = "tosa.const"() <{values = dense<30> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z8 = "tosa.const"() <{values = dense<1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %z32 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %l20 = "tosa.const"() <{values = dense<1048576> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %n0 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s31 = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %s32 = "tosa.const"() <{values = dense<32> : tensor<1xi8>}> : () -> tensor<1xi8>
  %so = "tosa.const"() <{values = dense<49> : tensor<1xi8>}> : () -> tensor<1xi8>
  %pa = tosa.rescale %a, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %la = tosa.mul %pa, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %ra = tosa.rescale %la, %m30, %s31, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %pb = tosa.rescale %b, %m30, %s30, %z8, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<1x4xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi32>) -> tensor<1x4xi32>
  %lb = tosa.mul %pb, %l20, %n0 : (tensor<1x4xi32>, tensor<1x1xi32>, tensor<1xi8>) -> tensor<1x4xi32>
  %rb = tosa.rescale %lb, %m30, %s32, %z32, %z32 {input_unsigned = false, output_unsigned = false, per_channel = false, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi32>) -> tensor<1x4xi32>
  %sum = tosa.add %ra, %rb : (tensor<1x4xi32>, tensor<1x4xi32>) -> tensor<1x4xi32>
  %o = tosa.rescale %sum, %m30, %so, %z32, %z8 {input_unsigned = false, output_unsigned = false, per_channel = false, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1], rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4xi32>, tensor<1xi32>, tensor<1xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4xi8>
  // expected-error @+1 {{TFLite export: clamp [0, 100] is not the quantized range of RELU, RELU6 or RELU_N1_TO_1 for the output scale 5.000000e-01 and zero point 1}}
  %c = tosa.clamp %o {min_val = 0 : i8, max_val = 100 : i8, qapeft.scale = [0.5 : f32], qapeft.zero_point = [1]} : (tensor<1x4xi8>) -> tensor<1x4xi8>
  return %c : tensor<1x4xi8>
}
