// Bottleneck adapter placement: houlsby puts one after every selected
// layer, pfeiffer only after the last selected layer of each block (the
// name before the last '.').
// RUN: qapeft-opt %s --qapeft-insert-adapters="adapter=adapter bottleneck=2 placement=houlsby" | FileCheck %s --check-prefix=HOULSBY
// RUN: qapeft-opt %s --qapeft-insert-adapters="adapter=adapter bottleneck=2 placement=pfeiffer" | FileCheck %s --check-prefix=PFEIFFER
// Names without a '.' form one block, the model: only its last layer.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=adapter placement=pfeiffer" | FileCheck %s --check-prefix=CNN
// The gelu bottleneck is differentiable: its backward spells the exact GELU
// derivative with tosa.erf and tosa.exp.
// RUN: qapeft-opt %s --qapeft-insert-adapters="adapter=adapter bottleneck=2 activation=gelu placement=pfeiffer" --qapeft-training-graph="loss=mse" | FileCheck %s --check-prefix=GELU

// Two blocks of two sublayers ("attention" and "feed-forward" outputs, as
// 1x1 convolutions over [N, 1, 1, 8]).
func.func @forward(%x: tensor<?x1x1x8xf32>) -> tensor<?x1x1x8xf32> {
  %w = "tosa.const"() {values = dense<0.125> : tensor<8x1x1x8xf32>} : () -> tensor<8x1x1x8xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<8xf32>} : () -> tensor<8xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %a0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x8xf32> loc("enc0.attn")
  %f0 = tosa.conv2d %a0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x8xf32> loc("enc0.ffn")
  %a1 = tosa.conv2d %f0, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x8xf32> loc("enc1.attn")
  %f1 = tosa.conv2d %a1, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x8xf32>, tensor<8x1x1x8xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x8xf32> loc("enc1.ffn")
  return %f1 : tensor<?x1x1x8xf32>
}

// HOULSBY: %[[A0:.*]] = tosa.conv2d %arg0
// HOULSBY: %[[BA0:.*]] = qapeft.bottleneck %[[A0]], {{.*}} relu houlsby
// HOULSBY: %[[F0:.*]] = tosa.conv2d %[[BA0]]
// HOULSBY: %[[BF0:.*]] = qapeft.bottleneck %[[F0]], {{.*}} relu houlsby
// HOULSBY: %[[A1:.*]] = tosa.conv2d %[[BF0]]
// HOULSBY: %[[BA1:.*]] = qapeft.bottleneck %[[A1]], {{.*}} relu houlsby
// HOULSBY: %[[F1:.*]] = tosa.conv2d %[[BA1]]
// HOULSBY: %[[BF1:.*]] = qapeft.bottleneck %[[F1]], {{.*}} relu houlsby
// HOULSBY: return %[[BF1]]

// PFEIFFER-NOT: enc0.attn.adapter
// PFEIFFER: %[[A0:.*]] = tosa.conv2d %arg0
// PFEIFFER: %[[F0:.*]] = tosa.conv2d %[[A0]]
// PFEIFFER: qapeft.param "enc0.ffn.adapter_down" trainable
// PFEIFFER: %[[BF0:.*]] = qapeft.bottleneck %[[F0]], {{.*}} relu pfeiffer
// PFEIFFER: %[[A1:.*]] = tosa.conv2d %[[BF0]]
// PFEIFFER-NOT: qapeft.bottleneck
// PFEIFFER: %[[F1:.*]] = tosa.conv2d %[[A1]]
// PFEIFFER: %[[BF1:.*]] = qapeft.bottleneck %[[F1]], {{.*}} relu pfeiffer
// PFEIFFER: return %[[BF1]]
// PFEIFFER-NOT: enc1.attn.adapter

// CNN-NOT: conv1.adapter
// CNN: qapeft.param "fc.adapter_down" trainable {{.*}} : tensor<8x10xf32>
// CNN: qapeft.bottleneck {{.*}} relu pfeiffer : tensor<?x1x1x10xf32>
// CNN-NOT: qapeft.bottleneck

// GELU-LABEL: func.func @train_step
// GELU: qapeft.bottleneck {{.*}} gelu pfeiffer
// GELU: qapeft.bottleneck {{.*}} gelu pfeiffer
// GELU: qapeft.mse
// Phi(u) = 0.5 (1 + erf(u / sqrt 2)), phi(u) = exp(-u^2 / 2) / sqrt(2 pi).
// GELU: %[[PRE:.*]] = tosa.add
// GELU: %[[C:.*]] = "tosa.const"() <{values = dense<0.707106769> : tensor<1x1x1xf32>}>
// GELU: %[[U:.*]] = tosa.mul %[[PRE]], %[[C]]
// GELU: tosa.erf %[[U]]
// GELU: %[[SQ:.*]] = tosa.mul %[[PRE]], %[[PRE]]
// GELU: tosa.exp
// GELU: "tosa.const"() <{values = dense<0.398942292> : tensor<1x1x1xf32>}>
// GELU: qapeft.adam
