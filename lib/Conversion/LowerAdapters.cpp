//===- LowerAdapters.cpp - integer lowering of delta-deployed adapters (lora_side, bottleneck) ---===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

// PLACEHOLDER(lead): a helper implements this family this session.
std::optional<LogicalResult> FunctionLowering::lowerAdapter(Operation *op) {
  (void)op;
  return std::nullopt;
}
