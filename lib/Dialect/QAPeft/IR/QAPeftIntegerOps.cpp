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
  return success();
}
