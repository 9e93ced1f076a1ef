//===- RegisterPasses.cpp - register qapeft passes and pipelines ----------===//

#include "qapeft/Transforms/Passes.h"

void mlir::qapeft::registerAllPasses() { registerQAPeftPasses(); }
