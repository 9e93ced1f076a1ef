// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-training-graph 2>&1 | FileCheck %s --check-prefix=NOPARAMS
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters --qapeft-training-graph="optimizer=lion" 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters --qapeft-training-graph="loss=hinge" 2>&1 | FileCheck %s --check-prefix=LOSS
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters --qapeft-training-graph="lr=0" 2>&1 | FileCheck %s --check-prefix=LR
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters --qapeft-training-graph="beta1=1.5" 2>&1 | FileCheck %s --check-prefix=BETA
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters --qapeft-training-graph --qapeft-training-graph 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-training-graph

// NOPARAMS: error: @forward has no trainable qapeft.param; run --qapeft-insert-adapters or --qapeft-mark-trainable first
// OPT: error: unknown optimizer 'lion'; expected adam or sgd
// LOSS: error: unknown loss 'hinge'; expected softmax-cross-entropy or mse
// LR: error: lr must be > 0, got 0
// BETA: error: beta1 and beta2 must be in [0, 1), eps and momentum >= 0
// TWICE: error: the module already has a @train_step

// An op without a gradient rule on the differentiated path is an error at
// that op, not a crash.
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  // expected-error @below {{no gradient for 'tosa.sin' on the path from the trainable parameters to the loss}}
  %z = tosa.sin %y : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4x1xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %s = tosa.const_shape {values = dense<[-1, 4, 1]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %z = tosa.reshape %y, %s : (tensor<?x4xf32>, !tosa.shape<3>) -> tensor<?x4x1xf32>
  // expected-error @below {{softmax-cross-entropy needs @forward to return [N, K] logits, got 'tensor<?x4x1xf32>'}}
  return %z : tensor<?x4x1xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  // expected-error @below {{two trainable parameters are named 'w'}}
  %v = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %z = tosa.add %y, %v : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  return %z : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  // expected-warning @below {{parameter 'u' does not influence the loss; its gradient is zero}}
  %u = qapeft.param "u" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %u = tensor.cast %y : tensor<?x4xf32> to tensor<*xf32>
  %z = tosa.sigmoid %u : (tensor<*xf32>) -> tensor<*xf32>
  // expected-error @below {{gradients need ranked tensors, got 'tensor<*xf32>'}}
  %r = tensor.cast %z : tensor<*xf32> to tensor<?x4xf32>
  return %r : tensor<?x4xf32>
}

// -----

// The gradient of a reduction broadcasts dy back over the reduced axis, which
// needs that axis' size.
func.func @forward(%x: tensor<?x4xf32>) -> tensor<1x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  // expected-error @below {{gradient of a reduction over the dynamic dimension 0 of 'tensor<?x4xf32>' is not supported}}
  %s = tosa.reduce_sum %y {axis = 0 : i32} : (tensor<?x4xf32>) -> tensor<1x4xf32>
  return %s : tensor<1x4xf32>
}

// -----

func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<0.5> : tensor<1x4xf32>
  %c = tosa.concat %w, %x {axis = 0 : i32} : (tensor<1x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  // expected-error @above {{gradient of a concatenation along a dynamic dimension is not supported}}
  return %c : tensor<?x4xf32>
}

