//===- QAPeftIntegerOps.cpp - verifiers of the integer-graph ops ----------===//
//
// The op classes are generated into QAPeftOps.cpp.inc (QAPeftIntegerOps.td is
// included from QAPeftOps.td) and defined in QAPeftOps.cpp; this file holds
// their verifiers.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

LogicalResult TFLiteSoftmaxOp::verify() {
  auto type = cast<ShapedType>(getInput().getType());
  // The kernel works row by row over the last axis.
  if (type.hasRank() && type.getRank() == 0)
    return emitOpError("needs an input of rank >= 1 (softmax runs over the "
                       "last axis)");
  float scale = getInputScale().convertToFloat();
  if (!std::isfinite(scale) || scale <= 0.0f)
    return emitOpError("input_scale must be finite and positive, got ")
           << scale;
  float beta = getBeta().convertToFloat();
  if (!std::isfinite(beta) || beta <= 0.0f)
    return emitOpError("beta must be finite and positive, got ") << beta;
  // The int16 kernel takes a multiplier Prepare derives from input_scale and
  // beta; the int8 kernel has none. Whether the two agree depends on
  // TFLite's QuantizeMultiplier (qapeft Numerics), which the exporter checks.
  bool int16 = type.getElementType().isInteger(16);
  // I32Attr accessors return uint32_t: read the attributes' signed values.
  std::optional<int64_t> mult, shift;
  if (IntegerAttr a = getInputMultiplierAttr())
    mult = a.getInt();
  if (IntegerAttr a = getInputShiftAttr())
    shift = a.getInt();
  if (!int16) {
    if (mult || shift)
      return emitOpError("input_multiplier and input_shift belong to the "
                         "int16 kernel; an int8 softmax has none");
    return success();
  }
  if (!mult || !shift)
    return emitOpError("an int16 softmax needs input_multiplier and "
                       "input_shift (QuantizeMultiplier of input_scale * "
                       "beta / (10 / 65535))");
  // QuantizeMultiplier yields a mantissa in [2^30, 2^31) and a shift that
  // keeps the real multiplier representable, or (0, 0) for a flushed one.
  bool flushed = *mult == 0 && *shift == 0;
  if (!flushed && (*mult < (int64_t(1) << 30) || *shift < -31 || *shift > 30))
    return emitOpError("input_multiplier must be in [2^30, 2^31 - 1] and "
                       "input_shift in [-31, 30] (or both 0), got ")
           << *mult << " and " << *shift;
  return success();
}
