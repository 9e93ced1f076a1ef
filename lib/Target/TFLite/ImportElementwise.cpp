//===- ImportElementwise.cpp - TFLite import of ADD, SUB and MUL ------------===//
//
// Part of the TFLite importer (see Importer.h).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

// PLACEHOLDER(lead): a helper implements this family this session.
std::optional<LogicalResult>
Importer::importElementwise(const tflite::Operator *op, tflite::BuiltinOperator code) {
  (void)op;
  (void)code;
  return std::nullopt;
}
