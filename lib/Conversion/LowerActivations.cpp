//===- LowerActivations.cpp - integer lowering of sigmoid, tanh, softmax and mean ---===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

// PLACEHOLDER(lead): a helper implements this family this session.
std::optional<LogicalResult> FunctionLowering::lowerActivation(Operation *op) {
  (void)op;
  return std::nullopt;
}
