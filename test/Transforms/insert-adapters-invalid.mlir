// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora ops=conv3d" 2>&1 | FileCheck %s --check-prefix=KIND
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=dora" 2>&1 | FileCheck %s --check-prefix=ADAPTER
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=prompt" 2>&1 | FileCheck %s --check-prefix=PROMPT
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=prompt prompt-length=0" 2>&1 | FileCheck %s --check-prefix=PLEN
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter bottleneck=0" 2>&1 | FileCheck %s --check-prefix=BSIZE
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter activation=swish" 2>&1 | FileCheck %s --check-prefix=BACT
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter placement=middle" 2>&1 | FileCheck %s --check-prefix=BPLACE
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=0" 2>&1 | FileCheck %s --check-prefix=RANK0
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="alpha=-1" 2>&1 | FileCheck %s --check-prefix=ALPHA
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="names=(" 2>&1 | FileCheck %s --check-prefix=REGEX
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora-side names=conv1" 2>&1 | FileCheck %s --check-prefix=SIDE
// RUN: not qapeft-opt %S/Inputs/small-conv.mlir --qapeft-insert-adapters="adapter=lora rank=5" 2>&1 | FileCheck %s --check-prefix=RANK5
// RUN: not qapeft-opt %S/Inputs/small-conv.mlir --qapeft-insert-adapters="adapter=lora-side rank=5" 2>&1 | FileCheck %s --check-prefix=RANK5
// RUN: not qapeft-opt %S/Inputs/small-conv.mlir --qapeft-insert-adapters="adapter=lora rank=1 names=dyn" 2>&1 | FileCheck %s --check-prefix=DYN
// RUN: not qapeft-opt %S/Inputs/small-conv.mlir --qapeft-insert-adapters="adapter=lora names=small rank=1" --qapeft-insert-adapters="adapter=lora names=small rank=1" 2>&1 | FileCheck %s --check-prefix=TWICE
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics --qapeft-insert-adapters="adapter=ia3"

// KIND: error: unknown op kind 'conv3d' in ops=; expected conv2d, depthwise_conv2d or matmul
// ADAPTER: error: unknown adapter kind 'dora'; expected lora, lora-side, ia3, adapter or prompt
// PROMPT: cnn.mlir:3:1: error: adapter=prompt needs a sequence input [N, S, D] (a rank-3 float argument of @forward); this model has none
// PLEN: error: prompt-length must be >= 1, got 0
// BSIZE: error: bottleneck must be >= 1, got 0
// BACT: error: unknown activation 'swish'; expected relu, gelu or identity
// BPLACE: error: unknown placement 'middle'; expected houlsby or pfeiffer
// RANK0: error: rank must be >= 1, got 0
// ALPHA: error: alpha must be > 0, got -1
// REGEX: error: invalid names= regex '('
// The rank cannot exceed min(out, fan_in) of the weight matrix.
// RANK5: error: {{.*}}rank 5 is larger than the weight of layer 'small' allows: its 2x3 matrix has rank at most 2
// DYN: error: {{.*}}the weight of layer 'dyn' is not a tosa.const or qapeft.param; adapters need a constant weight
// A layer that already has a LoRA adapter on its weight gets no second one.
// TWICE: error: {{.*}}layer 'small' already has a LoRA adapter on its weight
// SIDE: error: {{.*}}lora-side needs a 1x1, stride-1, unpadded conv2d (a fully connected layer) or a matmul; layer 'conv1' is not one

// A layer without a name location cannot name its parameters.
// expected-warning @+1 {{no layer matched ops= names=''; nothing was adapted}}
module {
  func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x4x4x2xf32> {
    %w = "tosa.const"() {values = dense<0.5> : tensor<2x1x1x3xf32>} : () -> tensor<2x1x1x3xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    // expected-warning @below {{skipped: a layer needs a name location}}
    %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x1x1x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x2xf32>
    return %c : tensor<?x4x4x2xf32>
  }
}
