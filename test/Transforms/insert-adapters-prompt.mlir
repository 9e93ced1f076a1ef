// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-insert-adapters="adapter=prompt prompt-length=3 seed=7" | FileCheck %s

// Prompt tuning: trainable [P, D] rows before the sequence input [N, S, D];
// the prompt lengthens S, which therefore has to be dynamic.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x8xf32>)
// CHECK-NEXT: %[[P:.*]] = qapeft.param "prompt" trainable dense<{{\[\[}}{{.*}}> : tensor<3x8xf32>
// CHECK-NEXT: %[[Y:.*]] = qapeft.prompt %[[X]], %[[P]] : (tensor<?x?x8xf32>, tensor<3x8xf32>) -> tensor<?x?x8xf32>
// CHECK: tosa.mul %[[Y]]
func.func @forward(%x: tensor<?x?x8xf32>) -> tensor<?x?x8xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = "tosa.const"() {values = dense<0.5> : tensor<1x1x8xf32>} : () -> tensor<1x1x8xf32>
  %y = tosa.mul %x, %w, %shift : (tensor<?x?x8xf32>, tensor<1x1x8xf32>, tensor<1xi8>) -> tensor<?x?x8xf32>
  return %y : tensor<?x?x8xf32>
}

// -----

// expected-error @below {{adapter=prompt needs a dynamic sequence length: argument #0 is 'tensor<?x16x8xf32>' and the prompt makes it 3 longer}}
func.func @forward(%x: tensor<?x16x8xf32>) -> tensor<?x16x8xf32> {
  return %x : tensor<?x16x8xf32>
}

// -----

// expected-error @below {{adapter=prompt needs a sequence input [N, S, D] (a rank-3 float argument of @forward); this model has none}}
func.func @forward(%x: tensor<?x8x8x1xf32>) -> tensor<?x8x8x1xf32> {
  return %x : tensor<?x8x8x1xf32>
}

// -----

// expected-error @below {{adapter=prompt needs a static embedding size, got 'tensor<?x?x?xf32>'}}
func.func @forward(%x: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  return %x : tensor<?x?x?xf32>
}
