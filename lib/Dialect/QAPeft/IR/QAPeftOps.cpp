//===- QAPeftOps.cpp - qapeft operations ----------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

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

/// The elements of `v` if they can no longer change: a constant or a
/// `qapeft.param` that is not trainable. Folders use this, never
/// `constantElements`, so that a trainable parameter which merely starts at
/// a neutral value (LoRA's B = 0) is not folded away before training.
ElementsAttr frozenElements(Value v) {
  if (auto param = v.getDefiningOp<ParamOp>())
    return param.getTrainable() ? ElementsAttr() : param.getValue();
  ElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  return {};
}

/// True if `v` is frozen and every element equals `want`. Empty tensors
/// qualify trivially.
bool isFrozenSplat(Value v, double want) {
  ElementsAttr attr = frozenElements(v);
  if (!attr)
    return false;
  auto values = attr.tryGetValues<APFloat>();
  if (!values)
    return false;
  for (APFloat x : *values)
    if (x.convertToDouble() != want)
      return false;
  return true;
}

/// `v` as the shortest decimal that reads back exactly ("0.5", "-3", "+Inf"),
/// for diagnostics that quote a tensor element.
std::string floatStr(const APFloat &v) {
  SmallString<16> text;
  v.toString(text);
  return std::string(text);
}

/// Checks that `t`'s element type is `elem`, the one of the op's main input.
LogicalResult verifyElementType(Operation *op, StringRef what, Type t,
                                Type elem) {
  Type got = cast<ShapedType>(t).getElementType();
  if (got != elem)
    return op->emitOpError() << what << " must have element type " << elem
                             << " like the input, got " << got;
  return success();
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

  // Values known at compile time (constants, initial parameter values) must
  // describe a usable grid. Attributes that cannot be iterated as floats
  // (e.g. an unloaded dense_resource) are skipped, not rejected.
  if (ElementsAttr scale = constantElements(getScale())) {
    auto values = scale.tryGetValues<APFloat>();
    if (values) {
      int64_t i = 0;
      for (APFloat v : *values) {
        if (!v.isFiniteNonZero() || v.isNegative())
          return emitOpError("scale must be finite and > 0, got ")
                 << floatStr(v) << " at index " << i;
        ++i;
      }
    }
  }
  if (ElementsAttr zp = constantElements(getZeroPoint())) {
    auto values = zp.tryGetValues<APFloat>();
    if (values) {
      int64_t i = 0;
      for (APFloat v : *values) {
        if (scheme.getSymmetric() && !v.isZero())
          return emitOpError("a symmetric scheme needs zero points of 0, got ")
                 << floatStr(v) << " at index " << i;
        double d = v.convertToDouble();
        if (!v.isInteger() || d < double(scheme.getQMin()) ||
            d > double(scheme.getQMax()))
          return emitOpError("zero point must be an integer in [")
                 << scheme.getQMin() << ", " << scheme.getQMax() << "], got "
                 << floatStr(v) << " at index " << i;
        ++i;
      }
    }
  }
  return success();
}

/// True if `a` and `b` hold the same values for the whole run: the same SSA
/// value, or two constants with equal elements. Two distinct parameters
/// never qualify, even with equal initial values, since training or
/// calibration may set them apart.
static bool sameGridValues(Value a, Value b) {
  if (a == b)
    return true;
  ElementsAttr ca, cb;
  return matchPattern(a, m_Constant(&ca)) && matchPattern(b, m_Constant(&cb)) &&
         ca == cb;
}

OpFoldResult FakeQuantOp::fold(FoldAdaptor) {
  // The inner op's outputs are k * s with k = q - z, |k| < 2^bits. With the
  // same s and z (broadcast the same way) this op recovers exactly q: the
  // product and the quotient each round with a relative error of at most
  // 2^-p (p = the float type's precision), so fl(fl(k * s) / s) is within
  // |k| * 2^(1-p) < 0.5 of k whenever p >= bits + 2 (f32: up to 22 bits,
  // f16: 9, bf16: 6), and rounding gives k back. The clamp is then the
  // identity when our code range contains the inner one. The scheme's
  // rounding mode and range source do not change the grid. (Scales above
  // ~FLT_MAX / 2^bits would overflow k * s; no real scale is that large.)
  auto inner = getInput().getDefiningOp<FakeQuantOp>();
  if (!inner)
    return {};
  QuantSchemeAttr in = inner.getScheme(), out = getScheme();
  auto elem = cast<FloatType>(getElementTypeOrSelf(getInput().getType()));
  if (APFloat::semanticsPrecision(elem.getFloatSemantics()) < in.getBits() + 2)
    return {};
  if (in.getGranularity() != out.getGranularity() ||
      in.getAxis() != out.getAxis() ||
      in.getGroupSize() != out.getGroupSize())
    return {};
  if (!sameGridValues(inner.getScale(), getScale()) ||
      !sameGridValues(inner.getZeroPoint(), getZeroPoint()))
    return {};
  if (in.getQMin() < out.getQMin() || in.getQMax() > out.getQMax())
    return {};
  return getInput();
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
  if (failed(verifyElementType(*this, "A", getA().getType(),
                               wt.getElementType())) ||
      failed(verifyElementType(*this, "B", getB().getType(),
                               wt.getElementType())))
    return failure();
  int64_t rows = wt.getDimSize(outAxis);
  int64_t cols = ShapedType::kDynamic;
  if (wt.hasStaticShape()) {
    // The columns are the product of every dim but out_axis (not
    // numel / rows, which divides by zero for an empty weight).
    cols = 1;
    for (int64_t i = 0, e = wt.getRank(); i < e; ++i)
      if (i != outAxis)
        cols *= wt.getDimSize(i);
  }
  if (failed(verifyMatrix(*this, "A", getA().getType(), rank, cols)) ||
      failed(verifyMatrix(*this, "B", getB().getType(), rows, rank)))
    return failure();
  return success();
}

OpFoldResult LoraDeltaOp::fold(FoldAdaptor) {
  // (alpha / r) * B @ A is exactly zero without a rank or with a zero factor.
  if (getRank() == 0 || isFrozenSplat(getA(), 0.0) ||
      isFrozenSplat(getB(), 0.0))
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
  Type elem = base.getElementType();
  if (failed(verifyElementType(*this, "input", in, elem)) ||
      failed(verifyElementType(*this, "A", getA().getType(), elem)) ||
      failed(verifyElementType(*this, "B", getB().getType(), elem)))
    return failure();
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
  if (getRank() == 0 || isFrozenSplat(getA(), 0.0) ||
      isFrozenSplat(getB(), 0.0))
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
  if (failed(verifyElementType(*this, "scale", getScale().getType(),
                               in.getElementType())))
    return failure();
  return verifyVector(*this, "scale", getScale().getType(),
                      in.getDimSize(axis));
}

OpFoldResult IA3Op::fold(FoldAdaptor) {
  // Multiplying by a frozen vector of ones is the identity.
  if (isFrozenSplat(getScale(), 1.0))
    return getInput();
  return {};
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
  Type elem = in.getElementType();
  if (failed(verifyElementType(*this, "down", down, elem)) ||
      failed(verifyElementType(*this, "down_bias", getDownBias().getType(),
                               elem)) ||
      failed(verifyElementType(*this, "up", getUp().getType(), elem)) ||
      failed(verifyElementType(*this, "up_bias", getUpBias().getType(), elem)))
    return failure();
  int64_t h = down.getDimSize(0);
  if (failed(verifyMatrix(*this, "down", down, h, d)) ||
      failed(verifyVector(*this, "down_bias", getDownBias().getType(), h)) ||
      failed(verifyMatrix(*this, "up", getUp().getType(), d, h)) ||
      failed(verifyVector(*this, "up_bias", getUpBias().getType(), d)))
    return failure();
  return success();
}

OpFoldResult BottleneckOp::fold(FoldAdaptor) {
  // x + up_bias + up @ act(...) is x when the up projection adds nothing,
  // whatever the activation and the down projection compute.
  auto up = cast<RankedTensorType>(getUp().getType());
  bool noUp = up.getDimSize(1) == 0 || isFrozenSplat(getUp(), 0.0);
  if (noUp && isFrozenSplat(getUpBias(), 0.0))
    return getInput();
  return {};
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
  if (failed(verifyElementType(*this, "rows", rows, in.getElementType())) ||
      failed(verifyElementType(*this, "result", out, in.getElementType())))
    return failure();
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

OpFoldResult PromptOp::fold(FoldAdaptor) {
  // No prompt rows: the concatenation is the input itself (when the types
  // agree; a result type with a less static shape needs a cast, not a fold).
  auto rows = cast<RankedTensorType>(getRows().getType());
  if (rows.getDimSize(0) == 0 && getInput().getType() == getType())
    return getInput();
  return {};
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

namespace {
/// A region that computes nothing only forwards values from outside: there
/// is no precision boundary left to lower, so use the values directly.
struct InlineEmptyRegion : OpRewritePattern<RegionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RegionOp op,
                                PatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    if (!llvm::hasSingleElement(body))
      return failure();
    auto yield = cast<YieldOp>(body.getTerminator());
    rewriter.replaceOp(op, yield.getValues());
    return success();
  }
};
} // namespace

void RegionOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                           MLIRContext *context) {
  results.add<InlineEmptyRegion>(context);
}

#define GET_OP_CLASSES
#include "qapeft/Dialect/QAPeft/IR/QAPeftOps.cpp.inc"
