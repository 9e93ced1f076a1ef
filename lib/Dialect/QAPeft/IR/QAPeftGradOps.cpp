//===- QAPeftGradOps.cpp - verifiers of the training-graph ops ------------===//
//
// The op classes themselves are generated into QAPeftOps.cpp.inc (the grad
// ops are included from QAPeftOps.td) and defined in QAPeftOps.cpp; this file
// only holds their verifiers, which check shapes as far as they are static.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

namespace {
bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

std::string dimText(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

/// Checks the lengths and values of the window attributes shared by the
/// conv and pool gradients.
LogicalResult verifyWindowAttrs(Operation *op, ArrayRef<int64_t> pad,
                                ArrayRef<int64_t> stride,
                                ArrayRef<int64_t> second,
                                StringRef secondName) {
  if (pad.size() != 4)
    return op->emitOpError("pad must have 4 values [top, bottom, left, "
                           "right], got ")
           << pad.size();
  if (stride.size() != 2 || second.size() != 2)
    return op->emitOpError("stride and ")
           << secondName << " must have 2 values [y, x]";
  for (int64_t p : pad)
    if (p < 0)
      return op->emitOpError("pad values must be >= 0");
  for (int64_t s : stride)
    if (s < 1)
      return op->emitOpError("stride values must be >= 1");
  for (int64_t s : second)
    if (s < 1)
      return op->emitOpError() << secondName << " values must be >= 1";
  return success();
}

/// The output size of a window op along one axis, or dynamic.
int64_t windowOut(int64_t in, int64_t padLo, int64_t padHi, int64_t extent,
                  int64_t stride) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(extent))
    return ShapedType::kDynamic;
  int64_t span = in + padLo + padHi - extent;
  if (span < 0)
    return -1;
  return span / stride + 1;
}

RankedTensorType ranked4(Operation *op, Value v, StringRef what,
                         LogicalResult &result) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || t.getRank() != 4) {
    op->emitOpError() << what << " must be a 4-D NHWC/OHWI tensor, got "
                      << v.getType();
    result = failure();
    return {};
  }
  return t;
}

/// Checks that `y` has the spatial output shape of a window of the given
/// extents (already dilated) over `x`.
LogicalResult verifySpatial(Operation *op, RankedTensorType x,
                            RankedTensorType y, ArrayRef<int64_t> pad,
                            ArrayRef<int64_t> stride, int64_t extentY,
                            int64_t extentX) {
  int64_t oh = windowOut(x.getDimSize(1), pad[0], pad[1], extentY, stride[0]);
  int64_t ow = windowOut(x.getDimSize(2), pad[2], pad[3], extentX, stride[1]);
  if (oh == -1 || ow == -1)
    return op->emitOpError("the window is larger than the padded input");
  if (!compatible(y.getDimSize(1), oh) || !compatible(y.getDimSize(2), ow))
    return op->emitOpError("gradient spatial shape [")
           << dimText(y.getDimSize(1)) << ", " << dimText(y.getDimSize(2))
           << "] does not match the forward output [" << dimText(oh) << ", "
           << dimText(ow) << "] of input " << x;
  if (!compatible(x.getDimSize(0), y.getDimSize(0)))
    return op->emitOpError("batch sizes differ: ") << x << " vs " << y;
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// WeightRangeOp
//===----------------------------------------------------------------------===//

LogicalResult WeightRangeOp::verify() {
  QuantSchemeAttr scheme = getScheme();
  auto scaleType = cast<TensorType>(getScale().getType());
  if (scheme.isPerGroup())
    return emitOpError("per_group schemes are not supported");
  if (!scheme.isPerChannel()) {
    if (!scaleType.hasRank() || scaleType.getRank() != 0)
      return emitOpError("a per_tensor scheme gives a tensor<f32> scale, got ")
             << scaleType;
    return success();
  }
  auto wt = dyn_cast<RankedTensorType>(getWeight().getType());
  if (!wt)
    return emitOpError("a per_channel scheme needs a ranked weight");
  int64_t axis = scheme.getAxis();
  if (axis >= wt.getRank())
    return emitOpError("quantization axis ")
           << axis << " is out of range for a weight of rank " << wt.getRank();
  auto rs = dyn_cast<RankedTensorType>(scaleType);
  if (!rs || rs.getRank() != 1 ||
      !compatible(rs.getDimSize(0), wt.getDimSize(axis)))
    return emitOpError("a per_channel scale must have shape [")
           << dimText(wt.getDimSize(axis)) << "], got " << scaleType;
  return success();
}

//===----------------------------------------------------------------------===//
// FakeQuantGradOp
//===----------------------------------------------------------------------===//

/// The scale shape checks shared by the fake-quant gradients: one value per
/// tensor, or one per index of the scheme's axis.
static LogicalResult verifyQuantGradScale(Operation *op,
                                          QuantSchemeAttr scheme, Value input,
                                          Value scale) {
  auto scaleType = cast<TensorType>(scale.getType());
  if (scheme.isPerGroup())
    return op->emitOpError("per_group schemes are not supported");
  if (!scheme.isPerChannel()) {
    if (!scaleType.hasRank() || scaleType.getRank() > 1 ||
        scaleType.getNumElements() != 1)
      return op->emitOpError("a per_tensor scheme needs a scale of shape [] "
                             "or [1], got ")
             << scaleType;
    return success();
  }
  auto in = dyn_cast<RankedTensorType>(input.getType());
  if (!in)
    return op->emitOpError("a per_channel scheme needs a ranked input");
  int64_t axis = scheme.getAxis();
  if (axis >= in.getRank())
    return op->emitOpError("quantization axis ")
           << axis << " is out of range for an input of rank " << in.getRank();
  auto rs = dyn_cast<RankedTensorType>(scaleType);
  if (!rs || rs.getRank() != 1 ||
      !compatible(rs.getDimSize(0), in.getDimSize(axis)))
    return op->emitOpError("a per_channel scale must have shape [")
           << dimText(in.getDimSize(axis)) << "], got " << scaleType;
  return success();
}

LogicalResult FakeQuantGradOp::verify() {
  return verifyQuantGradScale(*this, getScheme(), getInput(), getScale());
}

//===----------------------------------------------------------------------===//
// LsqScaleGradOp
//===----------------------------------------------------------------------===//

LogicalResult LsqScaleGradOp::verify() {
  float g = getGradScale().convertToFloat();
  // Not `g > 0` alone: NaN compares false both ways.
  if (!(g > 0.0f) || !std::isfinite(g))
    return emitOpError("grad_scale must be finite and > 0, got ") << g;
  return verifyQuantGradScale(*this, getScheme(), getInput(), getScale());
}

//===----------------------------------------------------------------------===//
// Convolution gradients
//===----------------------------------------------------------------------===//

/// The extent of a kernel of size `k` with dilation `d` (dynamic stays
/// dynamic).
static int64_t dilatedKernel(int64_t k, int64_t d) {
  return ShapedType::isDynamic(k) ? k : (k - 1) * d + 1;
}

/// Shared check of (input x, weight w, output gradient dy) of a tosa.conv2d.
static LogicalResult verifyConvGrad(Operation *op, RankedTensorType x,
                                    RankedTensorType w, RankedTensorType dy,
                                    ArrayRef<int64_t> pad,
                                    ArrayRef<int64_t> stride,
                                    ArrayRef<int64_t> dilation) {
  if (failed(verifyWindowAttrs(op, pad, stride, dilation, "dilation")))
    return failure();
  if (!compatible(x.getDimSize(3), w.getDimSize(3)))
    return op->emitOpError("input channels ")
           << dimText(x.getDimSize(3)) << " differ from the weight's "
           << dimText(w.getDimSize(3));
  if (!compatible(dy.getDimSize(3), w.getDimSize(0)))
    return op->emitOpError("output channels ")
           << dimText(dy.getDimSize(3)) << " differ from the weight's "
           << dimText(w.getDimSize(0));
  return verifySpatial(op, x, dy, pad, stride,
                       dilatedKernel(w.getDimSize(1), dilation[0]),
                       dilatedKernel(w.getDimSize(2), dilation[1]));
}

/// The signature of verifyConvGrad / verifyDepthwiseGrad.
using ConvGradCheck = LogicalResult (*)(Operation *, RankedTensorType,
                                        RankedTensorType, RankedTensorType,
                                        ArrayRef<int64_t>, ArrayRef<int64_t>,
                                        ArrayRef<int64_t>);

/// (dy, weight) -> dx of a conv (`check` says which kind).
template <typename OpT>
static LogicalResult verifyBackpropInput(OpT op, ConvGradCheck check) {
  LogicalResult ok = success();
  auto dy = ranked4(op, op.getDy(), "dy", ok);
  auto w = dy ? ranked4(op, op.getWeight(), "weight", ok) : nullptr;
  auto dx = w ? ranked4(op, op.getDx(), "result", ok) : nullptr;
  if (failed(ok))
    return failure();
  return check(op, dx, w, dy, op.getPad(), op.getStride(), op.getDilation());
}

/// (input, dy) -> dw of a conv; dw must be static.
template <typename OpT>
static LogicalResult verifyBackpropFilter(OpT op, ConvGradCheck check) {
  LogicalResult ok = success();
  auto x = ranked4(op, op.getInput(), "input", ok);
  auto dy = x ? ranked4(op, op.getDy(), "dy", ok) : nullptr;
  auto dw = dy ? ranked4(op, op.getDw(), "result", ok) : nullptr;
  if (failed(ok))
    return failure();
  if (!dw.hasStaticShape())
    return op.emitOpError("the weight gradient must have a static shape, got ")
           << dw;
  return check(op, x, dw, dy, op.getPad(), op.getStride(), op.getDilation());
}

LogicalResult Conv2DBackpropInputOp::verify() {
  return verifyBackpropInput(*this, verifyConvGrad);
}
LogicalResult Conv2DBackpropFilterOp::verify() {
  return verifyBackpropFilter(*this, verifyConvGrad);
}
/// Shared check of (input x, [KH, KW, C, M] weight w, output gradient dy) of
/// a tosa.depthwise_conv2d.
static LogicalResult verifyDepthwiseGrad(Operation *op, RankedTensorType x,
                                         RankedTensorType w,
                                         RankedTensorType dy,
                                         ArrayRef<int64_t> pad,
                                         ArrayRef<int64_t> stride,
                                         ArrayRef<int64_t> dilation) {
  if (failed(verifyWindowAttrs(op, pad, stride, dilation, "dilation")))
    return failure();
  if (!compatible(x.getDimSize(3), w.getDimSize(2)))
    return op->emitOpError("input channels ")
           << dimText(x.getDimSize(3)) << " differ from the weight's "
           << dimText(w.getDimSize(2)) << " (dim 2 of [KH, KW, C, M])";
  int64_t c = w.getDimSize(2), m = w.getDimSize(3);
  int64_t oc = ShapedType::isDynamic(c) || ShapedType::isDynamic(m)
                   ? ShapedType::kDynamic
                   : c * m;
  if (!compatible(dy.getDimSize(3), oc))
    return op->emitOpError("output channels ")
           << dimText(dy.getDimSize(3)) << " differ from the weight's C * M = "
           << dimText(oc);
  return verifySpatial(op, x, dy, pad, stride,
                       dilatedKernel(w.getDimSize(0), dilation[0]),
                       dilatedKernel(w.getDimSize(1), dilation[1]));
}

LogicalResult DepthwiseConv2DBackpropInputOp::verify() {
  return verifyBackpropInput(*this, verifyDepthwiseGrad);
}
LogicalResult DepthwiseConv2DBackpropFilterOp::verify() {
  return verifyBackpropFilter(*this, verifyDepthwiseGrad);
}
//===----------------------------------------------------------------------===//
// Pooling gradients
//===----------------------------------------------------------------------===//

static LogicalResult verifyPoolGrad(Operation *op, Value x, Value dy,
                                    ArrayRef<int64_t> kernel,
                                    ArrayRef<int64_t> stride,
                                    ArrayRef<int64_t> pad) {
  LogicalResult ok = success();
  auto xt = ranked4(op, x, "input", ok);
  auto dyt = xt ? ranked4(op, dy, "dy", ok) : nullptr;
  if (failed(ok))
    return failure();
  if (failed(verifyWindowAttrs(op, pad, stride, kernel, "kernel")))
    return failure();
  if (!compatible(xt.getDimSize(3), dyt.getDimSize(3)))
    return op->emitOpError("channels differ: ") << xt << " vs " << dyt;
  return verifySpatial(op, xt, dyt, pad, stride, kernel[0], kernel[1]);
}

LogicalResult MaxPool2dGradOp::verify() {
  return verifyPoolGrad(*this, getInput(), getDy(), getKernel(), getStride(),
                        getPad());
}

LogicalResult AvgPool2dGradOp::verify() {
  return verifyPoolGrad(*this, getDx(), getDy(), getKernel(), getStride(),
                        getPad());
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxCrossEntropyOp::verify() {
  auto logits = dyn_cast<RankedTensorType>(getLogits().getType());
  auto labels = dyn_cast<RankedTensorType>(getLabels().getType());
  if (!logits || logits.getRank() != 2)
    return emitOpError("logits must be [N, K], got ") << getLogits().getType();
  if (!labels || labels.getRank() != 1)
    return emitOpError("labels must be [N], got ") << getLabels().getType();
  if (!compatible(logits.getDimSize(0), labels.getDimSize(0)))
    return emitOpError("logits and labels differ in batch size: ")
           << logits << " vs " << labels;
  return success();
}

//===----------------------------------------------------------------------===//
// Optimizers
//===----------------------------------------------------------------------===//

LogicalResult AdamOp::verify() {
  float b1 = getBeta1().convertToFloat(), b2 = getBeta2().convertToFloat();
  if (!(b1 >= 0.0f && b1 < 1.0f) || !(b2 >= 0.0f && b2 < 1.0f))
    return emitOpError("beta1 and beta2 must be in [0, 1)");
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be >= 0");
  return success();
}

LogicalResult SgdOp::verify() {
  if (!(getMomentum().convertToFloat() >= 0.0f))
    return emitOpError("momentum must be >= 0");
  return success();
}
