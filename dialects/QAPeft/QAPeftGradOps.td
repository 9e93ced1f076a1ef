//===- QAPeftGradOps.td - ops of the training graph --------*- tablegen -*-===//
//
// The ops `--qapeft-training-graph` emits where TOSA has no equivalent:
// per-step weight ranges, the straight-through estimator of fake quant,
// convolution and pooling gradients, the losses and the optimizer updates.
// Everything else in @train_step is plain TOSA. `qapeft-sim train` executes
// these ops; their semantics are the contract in docs/CONVENTIONS.md.
//
// All tensors are float32; activations are NHWC and conv weights OHWI.
// `pad` is [top, bottom, left, right], `stride` and `dilation` are [y, x],
// with the same meaning as the attributes of tosa.conv2d / tosa.max_pool2d.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_GRAD_OPS_TD
#define QAPEFT_GRAD_OPS_TD

include "QAPeftDialect.td"
include "QAPeftAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QAPeft_F32Tensor : TensorOf<[F32]>;
def QAPeft_F32Scalar : 0DTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// Quantization ranges and the straight-through estimator
//===----------------------------------------------------------------------===//

def QAPeft_WeightRangeOp : QAPeft_Op<"weight_range", [Pure,
    AllTypesMatch<["scale", "zero_point"]>]> {
  let summary = "scale and zero point of a weight, computed from its values";
  let description = [{
    Computes the quantization range of `weight` on the grid of `scheme`
    from the data, every time it runs (the `range = weight` source). No
    gradient flows through it.

    - Symmetric: `scale = max|w| / qmax`, the maximum taken over every axis
      except the scheme's `axis` (`per_channel`) or over everything
      (`per_tensor`); the zero point is 0.
    - Asymmetric: `min` and `max` are extended to include 0, then
      `scale = (max - min) / (qmax - qmin)` and
      `zero_point = clamp(round_half_even(qmin - min / scale), qmin, qmax)`
      (a float holding an integer).
    - A scale of 0 (an all-zero channel) becomes 1.0, so that fake quant
      stays well defined.

    Shapes: `per_tensor` gives `tensor<f32>`, `per_channel` gives
    `tensor<Cxf32>` with `C = dim(axis)`. `per_group` is not supported.

    ```mlir
    %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8,
               storage = i8, symmetric = true, narrow = true,
               granularity = per_channel, axis = 0, range = weight>}
               : (tensor<16x3x3x1xf32>) -> (tensor<16xf32>, tensor<16xf32>)
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$weight,
                       QAPeft_QuantSchemeAttr:$scheme);
  let results = (outs QAPeft_F32Tensor:$scale, QAPeft_F32Tensor:$zero_point);
  let assemblyFormat = [{
    $weight attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_FakeQuantGradOp : QAPeft_Op<"fake_quant_grad", [Pure,
    AllTypesMatch<["input", "dy", "dx"]>,
    AllTypesMatch<["scale", "zero_point"]>]> {
  let summary = "straight-through estimator of qapeft.fake_quant";
  let description = [{
    The gradient of `qapeft.fake_quant %input scale %scale zero_point
    %zero_point scheme` given the gradient `dy` of its output:
    `dx = dy` where `qmin <= round_half_even(x / s) + z <= qmax`, else 0,
    with `s` and `z` broadcast exactly as in `qapeft.fake_quant`.

    ```mlir
    %dx = qapeft.fake_quant_grad %x, %s, %z, %dy {scheme = #qapeft.scheme<
            bits = 8, storage = i8>}
            : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>)
            -> tensor<?x8xf32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$input, QAPeft_F32Tensor:$scale,
                       QAPeft_F32Tensor:$zero_point, QAPeft_F32Tensor:$dy,
                       QAPeft_QuantSchemeAttr:$scheme);
  let results = (outs QAPeft_F32Tensor:$dx);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point `,` $dy attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_LsqScaleGradOp : QAPeft_Op<"lsq_scale_grad", [Pure,
    AllTypesMatch<["input", "dy"]>,
    AllTypesMatch<["scale", "zero_point", "ds"]>]> {
  let summary = "LSQ gradient of qapeft.fake_quant with respect to its scale";
  let description = [{
    Learned step size quantization (Esser et al., "Learned Step Size
    Quantization", ICLR 2020): the gradient of
    `qapeft.fake_quant %input scale %scale zero_point %zero_point scheme`
    with respect to `scale`, given the gradient `dy` of its output. With
    `v = x / s` and the code `c = round_half_even(v) + z` (`s` and `z`
    broadcast exactly as in `qapeft.fake_quant`), the straight-through
    derivative of the output with respect to `s` is

    - `round_half_even(v) - v` where `qmin <= c <= qmax`,
    - `qmin - z` where `c < qmin` (the output is `(qmin - z) * s`),
    - `qmax - z` where `c > qmax`,

    and `ds[k] = grad_scale * sum of dy * (that derivative)` over every
    element that scale value `k` quantizes (all of them for `per_tensor`,
    one slice along `axis` for `per_channel`). `grad_scale` is LSQ's
    gradient scale `1 / sqrt(N * qmax)`, `N` the number of elements one
    scale value covers, a dynamic leading (batch) dimension not counted
    (LSQ's features per sample); the training graph computes it. The zero
    point receives no gradient.

    ```mlir
    %ds = qapeft.lsq_scale_grad %x, %s, %z, %dy {grad_scale = 0.0110 : f32,
            scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>}
            : (tensor<?x8xf32>, tensor<f32>, tensor<f32>, tensor<?x8xf32>)
            -> tensor<f32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$input, QAPeft_F32Tensor:$scale,
                       QAPeft_F32Tensor:$zero_point, QAPeft_F32Tensor:$dy,
                       QAPeft_QuantSchemeAttr:$scheme, F32Attr:$grad_scale);
  let results = (outs QAPeft_F32Tensor:$ds);
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point `,` $dy attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution gradients
//===----------------------------------------------------------------------===//

def QAPeft_Conv2DBackpropInputOp : QAPeft_Op<"conv2d_backprop_input",
    [Pure]> {
  let summary = "gradient of tosa.conv2d with respect to its input";
  let description = [{
    Given `dy` (NHWC, the gradient of a `tosa.conv2d` output) and the OHWI
    weight `w` of that convolution, computes the gradient of its input:
    `dx[n, iy, ix, ci] = sum over (oy, ox, ky, kx, co) with
    iy = oy * stride_y - pad_top + ky * dilation_y (and likewise for x) of
    dy[n, oy, ox, co] * w[co, ky, kx, ci]`. Input positions no output
    reads (when the stride does not divide evenly) get 0. The result type
    gives dx's shape; its batch may be dynamic and equals dy's.

    ```mlir
    %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>,
            stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
            : (tensor<?x28x28x8xf32>, tensor<8x3x3x1xf32>)
            -> tensor<?x28x28x1xf32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$dy, QAPeft_F32Tensor:$weight,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs QAPeft_F32Tensor:$dx);
  let assemblyFormat = [{
    $dy `,` $weight attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_Conv2DBackpropFilterOp : QAPeft_Op<"conv2d_backprop_filter",
    [Pure]> {
  let summary = "gradient of tosa.conv2d with respect to its weight";
  let description = [{
    Given the convolution's input `x` (NHWC) and the gradient `dy` of its
    output, computes the gradient of the OHWI weight, summed over the batch:
    `dw[co, ky, kx, ci] = sum over (n, oy, ox) of dy[n, oy, ox, co] *
    x[n, oy * stride_y - pad_top + ky * dilation_y,
    ox * stride_x - pad_left + kx * dilation_x, ci]`, padding reading 0.
    The result type is static.

    ```mlir
    %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>,
            stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>}
            : (tensor<?x28x28x1xf32>, tensor<?x28x28x8xf32>)
            -> tensor<8x3x3x1xf32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$input, QAPeft_F32Tensor:$dy,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs QAPeft_F32Tensor:$dw);
  let assemblyFormat = [{
    $input `,` $dy attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_DepthwiseConv2DBackpropInputOp : QAPeft_Op<
    "depthwise_conv2d_backprop_input", [Pure]> {
  let summary = "gradient of tosa.depthwise_conv2d with respect to its input";
  let description = [{
    Given `dy` (NHWC with `C * M` channels, the gradient of a
    `tosa.depthwise_conv2d` output) and the `[KH, KW, C, M]` weight `w` of
    that convolution, computes the gradient of its input:
    `dx[n, iy, ix, c] = sum over (oy, ox, ky, kx, m) with
    iy = oy * stride_y - pad_top + ky * dilation_y (and likewise for x) of
    dy[n, oy, ox, c * M + m] * w[ky, kx, c, m]`. Each input channel only
    receives from its own `M` output channels. Input positions no output
    reads get 0. The result type gives dx's shape; its batch may be dynamic
    and equals dy's.

    ```mlir
    %dx = qapeft.depthwise_conv2d_backprop_input %dy, %w {
            pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>,
            dilation = array<i64: 1, 1>}
            : (tensor<?x8x8x8xf32>, tensor<3x3x4x2xf32>) -> tensor<?x8x8x4xf32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$dy, QAPeft_F32Tensor:$weight,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs QAPeft_F32Tensor:$dx);
  let assemblyFormat = [{
    $dy `,` $weight attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_DepthwiseConv2DBackpropFilterOp : QAPeft_Op<
    "depthwise_conv2d_backprop_filter", [Pure]> {
  let summary = "gradient of tosa.depthwise_conv2d with respect to its weight";
  let description = [{
    Given the convolution's input `x` (NHWC, `C` channels) and the gradient
    `dy` of its output (`C * M` channels), computes the gradient of the
    `[KH, KW, C, M]` weight, summed over the batch:
    `dw[ky, kx, c, m] = sum over (n, oy, ox) of dy[n, oy, ox, c * M + m] *
    x[n, oy * stride_y - pad_top + ky * dilation_y,
    ox * stride_x - pad_left + kx * dilation_x, c]`, padding reading 0.
    The result type is static.

    ```mlir
    %dw = qapeft.depthwise_conv2d_backprop_filter %x, %dy {
            pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>,
            dilation = array<i64: 1, 1>}
            : (tensor<?x8x8x4xf32>, tensor<?x8x8x8xf32>) -> tensor<3x3x4x2xf32>
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$input, QAPeft_F32Tensor:$dy,
                       DenseI64ArrayAttr:$pad, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation);
  let results = (outs QAPeft_F32Tensor:$dw);
  let assemblyFormat = [{
    $input `,` $dy attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Pooling gradients
//===----------------------------------------------------------------------===//

def QAPeft_MaxPool2dGradOp : QAPeft_Op<"max_pool2d_grad", [Pure,
    AllTypesMatch<["input", "dx"]>]> {
  let summary = "gradient of tosa.max_pool2d";
  let description = [{
    Routes each element of `dy` to the position of the maximum of its
    window in `input` (the first maximum in row-major window order when
    there are ties; padding never wins), summing where windows overlap.
    `kernel` and `stride` are [y, x], `pad` is [top, bottom, left, right].
  }];
  let arguments = (ins QAPeft_F32Tensor:$input, QAPeft_F32Tensor:$dy,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$pad);
  let results = (outs QAPeft_F32Tensor:$dx);
  let assemblyFormat = [{
    $input `,` $dy attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_AvgPool2dGradOp : QAPeft_Op<"avg_pool2d_grad", [Pure]> {
  let summary = "gradient of tosa.avg_pool2d";
  let description = [{
    Spreads each element of `dy` evenly over the input positions of its
    window, dividing by the number of positions inside the input (padding
    excluded from the count, as tosa.avg_pool2d does), summing where windows
    overlap. The result type gives dx's shape.
  }];
  let arguments = (ins QAPeft_F32Tensor:$dy, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$pad);
  let results = (outs QAPeft_F32Tensor:$dx);
  let assemblyFormat = [{
    $dy attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def QAPeft_SoftmaxCrossEntropyOp : QAPeft_Op<"softmax_cross_entropy", [Pure,
    AllTypesMatch<["logits", "dlogits"]>]> {
  let summary = "softmax cross-entropy loss, its gradient and the accuracy";
  let description = [{
    `logits` is `[N, K]`, `labels` holds N class indices. Computes
    `loss = mean over the batch of -log softmax(logits)[label]`,
    `dlogits = (softmax(logits) - onehot(label)) / N` and
    `correct` = the number of rows whose argmax (the first maximum) equals
    the label.

    ```mlir
    %loss, %dl, %correct = qapeft.softmax_cross_entropy %logits, %labels
        : (tensor<?x10xf32>, tensor<?xi32>)
        -> (tensor<f32>, tensor<?x10xf32>, tensor<f32>)
    ```
  }];
  let arguments = (ins QAPeft_F32Tensor:$logits, TensorOf<[I32]>:$labels);
  let results = (outs QAPeft_F32Scalar:$loss, QAPeft_F32Tensor:$dlogits,
                      QAPeft_F32Scalar:$correct);
  let assemblyFormat = [{
    $logits `,` $labels attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_MseOp : QAPeft_Op<"mse", [Pure,
    AllTypesMatch<["pred", "target", "dpred"]>]> {
  let summary = "mean squared error and its gradient";
  let description = [{
    `loss = mean((pred - target)^2)` over every element,
    `dpred = 2 (pred - target) / numel`.
  }];
  let arguments = (ins QAPeft_F32Tensor:$pred, QAPeft_F32Tensor:$target);
  let results = (outs QAPeft_F32Scalar:$loss, QAPeft_F32Tensor:$dpred);
  let assemblyFormat = [{
    $pred `,` $target attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

def QAPeft_AdamOp : QAPeft_Op<"adam", [Pure,
    AllTypesMatch<["param", "grad", "m", "v", "new_param", "new_m",
                   "new_v"]>]> {
  let summary = "one Adam update of a parameter";
  let description = [{
    With `t = step + 1` (`step` counts the updates done before):
    `m2 = beta1 m + (1 - beta1) g`, `v2 = beta2 v + (1 - beta2) g^2`,
    `p2 = p - lr * (m2 / (1 - beta1^t)) / (sqrt(v2 / (1 - beta2^t)) + epsilon)`.
    `step` and `lr` are `tensor<f32>`.
  }];
  let arguments = (ins QAPeft_F32Tensor:$param, QAPeft_F32Tensor:$grad,
                       QAPeft_F32Tensor:$m, QAPeft_F32Tensor:$v,
                       QAPeft_F32Scalar:$step, QAPeft_F32Scalar:$lr,
                       F32Attr:$beta1, F32Attr:$beta2, F32Attr:$epsilon);
  let results = (outs QAPeft_F32Tensor:$new_param, QAPeft_F32Tensor:$new_m,
                      QAPeft_F32Tensor:$new_v);
  let assemblyFormat = [{
    $param `,` $grad `,` $m `,` $v `,` $step `,` $lr attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def QAPeft_SgdOp : QAPeft_Op<"sgd", [Pure,
    AllTypesMatch<["param", "grad", "momentum_buffer", "new_param",
                   "new_momentum_buffer"]>]> {
  let summary = "one SGD (momentum) update of a parameter";
  let description = [{
    `mom2 = momentum * mom + g`, `p2 = p - lr * mom2`; `lr` is
    `tensor<f32>`. With `momentum = 0` this is plain SGD.
  }];
  let arguments = (ins QAPeft_F32Tensor:$param, QAPeft_F32Tensor:$grad,
                       QAPeft_F32Tensor:$momentum_buffer,
                       QAPeft_F32Scalar:$lr, F32Attr:$momentum);
  let results = (outs QAPeft_F32Tensor:$new_param,
                      QAPeft_F32Tensor:$new_momentum_buffer);
  let assemblyFormat = [{
    $param `,` $grad `,` $momentum_buffer `,` $lr attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // QAPEFT_GRAD_OPS_TD
