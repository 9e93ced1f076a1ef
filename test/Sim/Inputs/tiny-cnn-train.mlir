// A hand-written training graph following docs/CONVENTIONS.md: a 3x3/2 conv (padded 0,1,0,1)
// (4 filters, no bias) + ReLU + a matmul classifier, softmax cross-entropy, SGD with
// momentum. @forward evaluates with the qapeft.param values; @train_step
// takes the trainable params, their momentum buffers, step, lr, batch and
// labels, and returns the new params, new buffers, loss and correct count.
module {
  func.func @forward(%x: tensor<?x28x28x1xf32>) -> tensor<?x10xf32> {
    %w = qapeft.param "conv.weight" trainable dense<[[[[-0.26], [0.04], [-0.13]], [[0.1], [0.13], [-0.43]], [[-0.49], [0.34], [-0.24]]], [[[-0.27], [0.5], [-0.03]], [[0.34], [-0.02], [0.14]], [[-0.35], [0.13], [0.37]]], [[[0.02], [0.24], [0.17]], [[-0.44], [0.26], [0.09]], [[-0.2], [-0.47], [0.37]]], [[[-0.03], [0.22], [0.38]], [[0.21], [0.42], [-0.11]], [[0.3], [-0.06], [0.44]]]]> : tensor<4x3x3x1xf32>
    %fc = qapeft.param "fc.weight" trainable dense<0.0> : tensor<1x784x10xf32>
    %logits = func.call @logits(%x, %w, %fc) : (tensor<?x28x28x1xf32>, tensor<4x3x3x1xf32>, tensor<1x784x10xf32>) -> tensor<?x10xf32>
    return %logits : tensor<?x10xf32>
  }

  func.func private @logits(%x: tensor<?x28x28x1xf32>, %w: tensor<4x3x3x1xf32>, %fc: tensor<1x784x10xf32>) -> tensor<?x10xf32> {
    %bias = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %c = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x14x14x4xf32>
    %h = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<?x14x14x4xf32>) -> tensor<?x14x14x4xf32>
    %s3 = tosa.const_shape {values = dense<[1, -1, 784]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %h3 = tosa.reshape %h, %s3 : (tensor<?x14x14x4xf32>, !tosa.shape<3>) -> tensor<1x?x784xf32>
    %l3 = tosa.matmul %h3, %fc, %zp, %zp : (tensor<1x?x784xf32>, tensor<1x784x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x10xf32>
    %s2 = tosa.const_shape {values = dense<[-1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %l = tosa.reshape %l3, %s2 : (tensor<1x?x10xf32>, !tosa.shape<2>) -> tensor<?x10xf32>
    return %l : tensor<?x10xf32>
  }

  func.func @train_step(%w: tensor<4x3x3x1xf32> {qapeft.param = "conv.weight"},
                        %fc: tensor<1x784x10xf32> {qapeft.param = "fc.weight"},
                        %mw: tensor<4x3x3x1xf32> {qapeft.opt_state = "conv.weight.momentum"},
                        %mfc: tensor<1x784x10xf32> {qapeft.opt_state = "fc.weight.momentum"},
                        %step: tensor<f32> {qapeft.step},
                        %lr: tensor<f32> {qapeft.lr},
                        %x: tensor<?x28x28x1xf32> {qapeft.input},
                        %y: tensor<?xi32> {qapeft.labels})
      -> (tensor<4x3x3x1xf32>, tensor<1x784x10xf32>, tensor<4x3x3x1xf32>, tensor<1x784x10xf32>, tensor<f32>, tensor<f32>)
      attributes {qapeft.default_lr = 2.0e-02 : f32} {
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %bias = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
    // Forward.
    %c = tosa.conv2d %x, %w, %bias, %zp, %zp {acc_type = f32, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<4x3x3x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x14x14x4xf32>
    %h = tosa.clamp %c {min_val = 0.0 : f32, max_val = 3.4e38 : f32} : (tensor<?x14x14x4xf32>) -> tensor<?x14x14x4xf32>
    %s3 = tosa.const_shape {values = dense<[1, -1, 784]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %h3 = tosa.reshape %h, %s3 : (tensor<?x14x14x4xf32>, !tosa.shape<3>) -> tensor<1x?x784xf32>
    %l3 = tosa.matmul %h3, %fc, %zp, %zp : (tensor<1x?x784xf32>, tensor<1x784x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x10xf32>
    %s2 = tosa.const_shape {values = dense<[-1, 10]> : tensor<2xindex>} : () -> !tosa.shape<2>
    %l = tosa.reshape %l3, %s2 : (tensor<1x?x10xf32>, !tosa.shape<2>) -> tensor<?x10xf32>
    %loss, %dl, %correct = qapeft.softmax_cross_entropy %l, %y : (tensor<?x10xf32>, tensor<?xi32>) -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>)
    // Classifier gradients: dfc = h3^T dl3, dh3 = dl3 fc^T.
    %s3b = tosa.const_shape {values = dense<[1, -1, 10]> : tensor<3xindex>} : () -> !tosa.shape<3>
    %dl3 = tosa.reshape %dl, %s3b : (tensor<?x10xf32>, !tosa.shape<3>) -> tensor<1x?x10xf32>
    %h3t = tosa.transpose %h3 {perms = array<i32: 0, 2, 1>} : (tensor<1x?x784xf32>) -> tensor<1x784x?xf32>
    %dfc = tosa.matmul %h3t, %dl3, %zp, %zp : (tensor<1x784x?xf32>, tensor<1x?x10xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x784x10xf32>
    %fct = tosa.transpose %fc {perms = array<i32: 0, 2, 1>} : (tensor<1x784x10xf32>) -> tensor<1x10x784xf32>
    %dh3 = tosa.matmul %dl3, %fct, %zp, %zp : (tensor<1x?x10xf32>, tensor<1x10x784xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x784xf32>
    %s4 = tosa.const_shape {values = dense<[-1, 14, 14, 4]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %dh = tosa.reshape %dh3, %s4 : (tensor<1x?x784xf32>, !tosa.shape<4>) -> tensor<?x14x14x4xf32>
    // ReLU gradient.
    %zero = "tosa.const"() {values = dense<0.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
    %pos = tosa.greater %c, %zero : (tensor<?x14x14x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x14x14x4xi1>
    %dc = tosa.select %pos, %dh, %zero : (tensor<?x14x14x4xi1>, tensor<?x14x14x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x14x14x4xf32>
    %dw = qapeft.conv2d_backprop_filter %x, %dc {pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x28x28x1xf32>, tensor<?x14x14x4xf32>) -> tensor<4x3x3x1xf32>
    %w2, %mw2 = qapeft.sgd %w, %dw, %mw, %lr {momentum = 0.9 : f32} : (tensor<4x3x3x1xf32>, tensor<4x3x3x1xf32>, tensor<4x3x3x1xf32>, tensor<f32>) -> (tensor<4x3x3x1xf32>, tensor<4x3x3x1xf32>)
    %fc2, %mfc2 = qapeft.sgd %fc, %dfc, %mfc, %lr {momentum = 0.9 : f32} : (tensor<1x784x10xf32>, tensor<1x784x10xf32>, tensor<1x784x10xf32>, tensor<f32>) -> (tensor<1x784x10xf32>, tensor<1x784x10xf32>)
    return %w2, %fc2, %mw2, %mfc2, %loss, %correct : tensor<4x3x3x1xf32>, tensor<1x784x10xf32>, tensor<4x3x3x1xf32>, tensor<1x784x10xf32>, tensor<f32>, tensor<f32>
  }
}
