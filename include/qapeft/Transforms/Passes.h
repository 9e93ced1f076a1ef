//===- Passes.h - qapeft transformation passes ------------------*- C++ -*-===//

#ifndef QAPEFT_TRANSFORMS_PASSES_H
#define QAPEFT_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir {
namespace qapeft {

#define GEN_PASS_DECL
#include "qapeft/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qapeft/Transforms/Passes.h.inc"

/// Registers every qapeft pass and the named pipelines built from them.
void registerAllPasses();

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_TRANSFORMS_PASSES_H
