// A side-path adapter op has no integer form of its own yet: its side path
// needs its own fake quants (see LowerAdapters.cpp).
// RUN: qapeft-opt %s --verify-diagnostics --qapeft-lower-to-integer=function=

func.func @lora_side(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = "tosa.const"() {values = dense<0.01> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  %a = "tosa.const"() {values = dense<0.1> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %b = "tosa.const"() {values = dense<0.2> : tensor<4x1xf32>} : () -> tensor<4x1xf32>
  // expected-error @+1 {{cannot lower to integer: qapeft.lora_side needs fake quants inside its side path (the QA-PEFT form has none yet); write it as fully connected layers and a tosa.add, each fake quantized, to deploy it as a delta}}
  %o = qapeft.lora_side %xq, %xq, %a, %b {alpha = 1.0 : f32, rank = 1 : i64} : tensor<?x4xf32>, tensor<?x4xf32>, tensor<1x4xf32>, tensor<4x1xf32>
  %oq = qapeft.fake_quant %o scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x4xf32>, tensor<f32>
  return %oq : tensor<?x4xf32>
}
