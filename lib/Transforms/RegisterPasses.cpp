//===- RegisterPasses.cpp - register qapeft passes and pipelines ----------===//

#include "qapeft/Transforms/Passes.h"
#include "qapeft/Conversion/Passes.h"

namespace mlir::qapeft {
void registerQAPeftPipelines(); // lib/Transforms/Pipelines.cpp
}

void mlir::qapeft::registerAllPasses() {
  registerQAPeftPasses();
  registerConversionPasses();
  registerQAPeftPipelines();
}
