//===- QAPeftDialect.cpp - the qapeft dialect -----------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qapeft;

#include "qapeft/Dialect/QAPeft/IR/QAPeftDialect.cpp.inc"

void QAPeftDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "qapeft/Dialect/QAPeft/IR/QAPeftOps.cpp.inc"
      >();
}
