//===- Passes.h - qapeft deployment conversions -----------------*- C++ -*-===//

#ifndef QAPEFT_CONVERSION_PASSES_H
#define QAPEFT_CONVERSION_PASSES_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir {
namespace qapeft {

#define GEN_PASS_DECL
#include "qapeft/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "qapeft/Conversion/Passes.h.inc"

/// Registers the conversion passes and the --qapeft-deploy pipeline.
void registerConversionPasses();

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_CONVERSION_PASSES_H
