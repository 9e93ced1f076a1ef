//===- QAPeft.h - the qapeft dialect ----------------------------*- C++ -*-===//

#ifndef QAPEFT_DIALECT_QAPEFT_IR_QAPEFT_H
#define QAPEFT_DIALECT_QAPEFT_IR_QAPEFT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeftDialect.h.inc"
#include "qapeft/Dialect/QAPeft/IR/QAPeftEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "qapeft/Dialect/QAPeft/IR/QAPeftAttrs.h.inc"

#define GET_OP_CLASSES
#include "qapeft/Dialect/QAPeft/IR/QAPeftOps.h.inc"

#endif // QAPEFT_DIALECT_QAPEFT_IR_QAPEFT_H
