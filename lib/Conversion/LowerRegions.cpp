//===- LowerRegions.cpp - integer lowering of mixed-precision regions -------===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

// PLACEHOLDER(lead): a helper implements this family this session.
std::optional<LogicalResult> FunctionLowering::lowerRegion(Operation *op) {
  (void)op;
  return std::nullopt;
}
