//===- ExportElementwise.cpp - TFLite export of ADD, SUB and MUL ------------===//
//
// Part of the TFLite exporter (see Exporter.h).
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

// PLACEHOLDER(lead): a helper implements this family this session.
std::optional<LogicalResult> Exporter::exportElementwise(Operation *op) {
  (void)op;
  return std::nullopt;
}
