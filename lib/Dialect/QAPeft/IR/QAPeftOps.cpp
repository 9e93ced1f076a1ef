//===- QAPeftOps.cpp - qapeft operations ----------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
bool dimsCompatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

std::string dimStr(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

/// The compile-time elements of `v` if it is a qapeft.param or a constant.
ElementsAttr constantElements(Value v) {
  if (auto param = v.getDefiningOp<ParamOp>())
    return param.getValue();
  ElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

/// Checks that `t` is a ranked 2-D tensor with dims compatible with (r, c).
LogicalResult verifyMatrix(Operation *op, StringRef what, Type t, int64_t r,
                           int64_t c) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt || rt.getRank() != 2)
    return op->emitOpError() << what << " must be a 2-D tensor, got " << t;
  if (!dimsCompatible(rt.getDimSize(0), r) ||
      !dimsCompatible(rt.getDimSize(1), c))
    return op->emitOpError()
           << what << " must have shape [" << dimStr(r) << ", " << dimStr(c)
           << "], got " << t;
  return success();
}

/// Checks that `t` is a ranked 1-D tensor with a dim compatible with n.
LogicalResult verifyVector(Operation *op, StringRef what, Type t, int64_t n) {
  auto rt = dyn_cast<RankedTensorType>(t);
  if (!rt || rt.getRank() != 1 || !dimsCompatible(rt.getDimSize(0), n))
    return op->emitOpError()
           << what << " must have shape [" << dimStr(n) << "], got " << t;
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// ParamOp
//===----------------------------------------------------------------------===//

LogicalResult ParamOp::verify() {
  if (getName().empty())
    return emitOpError("needs a non-empty name");
  if (getTrainable() && !isa<FloatType>(getValue().getElementType()))
    return emitOpError("a trainable parameter must have float elements, got ")
           << getValue().getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// FakeQuantOp
//===----------------------------------------------------------------------===//

LogicalResult FakeQuantOp::verify() {
  QuantSchemeAttr scheme = getScheme();
  auto scaleType = cast<TensorType>(getScale().getType());
  auto inputType = dyn_cast<RankedTensorType>(getInput().getType());

  if (scheme.getGranularity() == Granularity::PerTensor) {
    if (!scaleType.hasRank() || scaleType.getNumElements() != 1 ||
        scaleType.getRank() > 1)
      return emitOpError("a per_tensor scheme needs a scale of shape [] or "
                         "[1], got ")
             << scaleType;
  } else {
    if (!inputType)
      return emitOpError("a per-channel or per-group scheme needs a ranked "
                         "input");
    int64_t axis = scheme.getAxis();
    if (axis >= inputType.getRank())
      return emitOpError("quantization axis ")
             << axis << " is out of range for an input of rank "
             << inputType.getRank();
    int64_t dim = inputType.getDimSize(axis);
    if (scheme.isPerChannel()) {
      if (failed(verifyVector(*this, "per_channel scale", scaleType, dim)))
        return failure();
    } else {
      int64_t group = scheme.getGroupSize();
      if (!ShapedType::isDynamic(dim) && dim % group != 0)
        return emitOpError("group_size ")
               << group << " does not divide dimension " << axis << " ("
               << dim << ")";
      auto rs = dyn_cast<RankedTensorType>(scaleType);
      if (!rs || rs.getRank() != inputType.getRank())
        return emitOpError("a per_group scale must have the input's rank ")
               << inputType.getRank() << ", got " << scaleType;
      for (int64_t i = 0, e = rs.getRank(); i < e; ++i) {
        int64_t want = inputType.getDimSize(i);
        if (i == axis && !ShapedType::isDynamic(want))
          want /= group;
        if (!dimsCompatible(rs.getDimSize(i), want))
          return emitOpError("per_group scale dimension ")
                 << i << " must be " << dimStr(want) << ", got "
                 << rs.getDimSize(i);
      }
    }
  }

  if (scheme.getSymmetric())
    if (ElementsAttr zp = constantElements(getZeroPoint()))
      for (APFloat v : zp.getValues<APFloat>())
        if (!v.isZero())
          return emitOpError("a symmetric scheme needs zero points of 0");
  return success();
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor) {
  // Quantizing again on the very same grid changes nothing.
  auto inner = getInput().getDefiningOp<FakeQuantOp>();
  if (inner && inner.getScheme() == getScheme() &&
      inner.getScale() == getScale() &&
      inner.getZeroPoint() == getZeroPoint())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// LoraDeltaOp
//===----------------------------------------------------------------------===//

LogicalResult LoraDeltaOp::verify() {
  auto wt = dyn_cast<RankedTensorType>(getWeight().getType());
  if (!wt || wt.getRank() < 2)
    return emitOpError("needs a ranked weight of rank >= 2, got ")
           << getWeight().getType();
  int64_t outAxis = getOutAxis();
  if (outAxis < 0 || outAxis >= wt.getRank())
    return emitOpError("out_axis ")
           << outAxis << " is out of range for a weight of rank "
           << wt.getRank();
  int64_t rank = getRank();
  if (rank < 0)
    return emitOpError("rank must be >= 0, got ") << rank;
  if (rank > 0 && !(getAlpha().convertToFloat() > 0.0f))
    return emitOpError("alpha must be > 0");
  int64_t rows = wt.getDimSize(outAxis);
  int64_t cols = ShapedType::kDynamic;
  if (wt.hasStaticShape())
    cols = wt.getNumElements() / rows;
  if (failed(verifyMatrix(*this, "A", getA().getType(), rank, cols)) ||
      failed(verifyMatrix(*this, "B", getB().getType(), rows, rank)))
    return failure();
  return success();
}

OpFoldResult LoraDeltaOp::fold(FoldAdaptor) {
  if (getRank() == 0)
    return getWeight();
  return {};
}

//===----------------------------------------------------------------------===//
// LoraSideOp
//===----------------------------------------------------------------------===//

LogicalResult LoraSideOp::verify() {
  auto in = dyn_cast<RankedTensorType>(getInput().getType());
  auto base = dyn_cast<RankedTensorType>(getBase().getType());
  if (!in || !base || in.getRank() != base.getRank() || in.getRank() < 1)
    return emitOpError("input and base must be ranked with the same rank");
  for (int64_t i = 0, e = in.getRank() - 1; i < e; ++i)
    if (!dimsCompatible(in.getDimSize(i), base.getDimSize(i)))
      return emitOpError("input and base differ in dimension ") << i;
  int64_t rank = getRank();
  if (rank < 0)
    return emitOpError("rank must be >= 0, got ") << rank;
  if (rank > 0 && !(getAlpha().convertToFloat() > 0.0f))
    return emitOpError("alpha must be > 0");
  if (failed(verifyMatrix(*this, "A", getA().getType(), rank,
                          in.getDimSize(in.getRank() - 1))) ||
      failed(verifyMatrix(*this, "B", getB().getType(),
                          base.getDimSize(base.getRank() - 1), rank)))
    return failure();
  return success();
}

OpFoldResult LoraSideOp::fold(FoldAdaptor) {
  if (getRank() == 0)
    return getBase();
  return {};
}

//===----------------------------------------------------------------------===//
// IA3Op
//===----------------------------------------------------------------------===//

LogicalResult IA3Op::verify() {
  auto in = dyn_cast<RankedTensorType>(getInput().getType());
  if (!in)
    return emitOpError("needs a ranked input");
  int64_t axis = getAxis();
  if (axis < 0 || axis >= in.getRank())
    return emitOpError("axis ") << axis << " is out of range for an input of "
                                << "rank " << in.getRank();
  return verifyVector(*this, "scale", getScale().getType(),
                      in.getDimSize(axis));
}

//===----------------------------------------------------------------------===//
// BottleneckOp
//===----------------------------------------------------------------------===//

LogicalResult BottleneckOp::verify() {
  auto in = dyn_cast<RankedTensorType>(getInput().getType());
  if (!in || in.getRank() < 1)
    return emitOpError("needs a ranked input");
  int64_t d = in.getDimSize(in.getRank() - 1);
  auto down = dyn_cast<RankedTensorType>(getDown().getType());
  if (!down || down.getRank() != 2)
    return emitOpError("down must be a 2-D tensor, got ") << getDown().getType();
  int64_t h = down.getDimSize(0);
  if (failed(verifyMatrix(*this, "down", down, h, d)) ||
      failed(verifyVector(*this, "down_bias", getDownBias().getType(), h)) ||
      failed(verifyMatrix(*this, "up", getUp().getType(), d, h)) ||
      failed(verifyVector(*this, "up_bias", getUpBias().getType(), d)))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// PromptOp
//===----------------------------------------------------------------------===//

LogicalResult PromptOp::verify() {
  auto in = dyn_cast<RankedTensorType>(getInput().getType());
  auto out = dyn_cast<RankedTensorType>(getOutput().getType());
  if (!in || in.getRank() != 3 || !out || out.getRank() != 3)
    return emitOpError("input and result must be [batch, sequence, features]");
  int64_t d = in.getDimSize(2);
  auto rows = dyn_cast<RankedTensorType>(getRows().getType());
  if (!rows || rows.getRank() != 2)
    return emitOpError("rows must be a 2-D tensor, got ") << getRows().getType();
  if (failed(verifyMatrix(*this, "rows", rows, rows.getDimSize(0), d)))
    return failure();
  int64_t p = rows.getDimSize(0), s = in.getDimSize(1);
  int64_t want = (ShapedType::isDynamic(p) || ShapedType::isDynamic(s))
                     ? ShapedType::kDynamic
                     : p + s;
  if (!dimsCompatible(out.getDimSize(0), in.getDimSize(0)) ||
      !dimsCompatible(out.getDimSize(1), want) ||
      !dimsCompatible(out.getDimSize(2), d))
    return emitOpError("result must have shape [")
           << dimStr(in.getDimSize(0)) << ", " << dimStr(want) << ", "
           << dimStr(d) << "], got " << out;
  return success();
}

//===----------------------------------------------------------------------===//
// RegionOp
//===----------------------------------------------------------------------===//

LogicalResult RegionOp::verifyRegions() {
  Block &body = getBody().front();
  auto yield = body.empty() ? YieldOp() : dyn_cast<YieldOp>(body.back());
  if (!yield)
    return emitOpError("body must end with qapeft.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().size()
           << " value(s) whose types differ from the region's results";
  return success();
}

#define GET_OP_CLASSES
#include "qapeft/Dialect/QAPeft/IR/QAPeftOps.cpp.inc"
