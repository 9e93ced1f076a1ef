// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-insert-fake-quant="side-path=delta"
// RUN: not qapeft-opt %s -split-input-file --qapeft-insert-fake-quant="side-path=sometimes" 2>&1 | FileCheck %s --check-prefix=OPT
// OPT: unknown side-path 'sometimes'; expected fused or delta

// A and B must be known tensors to lay them out as conv weights.
func.func @forward(%x: tensor<?x3xf32>, %base: tensor<?x2xf32>, %a: tensor<1x3xf32>) -> tensor<?x2xf32> {
  %b = qapeft.param "fc.lora_b" trainable dense<0.0> : tensor<2x1xf32>
  // expected-error @+1 {{side-path=delta needs A and B as qapeft.param or tosa.const (f32)}}
  %side = qapeft.lora_side %x, %base, %a, %b {alpha = 4.0 : f32, rank = 1 : i64} : tensor<?x3xf32>, tensor<?x2xf32>, tensor<1x3xf32>, tensor<2x1xf32>
  return %side : tensor<?x2xf32>
}

// -----

// Two dynamic axes cannot be flattened into one fully connected batch.
func.func @forward(%x: tensor<?x?x3xf32>, %base: tensor<?x?x2xf32>) -> tensor<?x?x2xf32> {
  %a = qapeft.param "fc.lora_a" trainable dense<0.1> : tensor<1x3xf32>
  %b = qapeft.param "fc.lora_b" trainable dense<0.0> : tensor<2x1xf32>
  // expected-error @+1 {{side-path=delta needs a static A and B and at most one dynamic axis on the input and output}}
  %side = qapeft.lora_side %x, %base, %a, %b {alpha = 4.0 : f32, rank = 1 : i64} : tensor<?x?x3xf32>, tensor<?x?x2xf32>, tensor<1x3xf32>, tensor<2x1xf32>
  return %side : tensor<?x?x2xf32>
}
