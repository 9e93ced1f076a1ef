//===- StripTrainingGraph.cpp - drop @train_step before deployment --------===//

#include "qapeft/Conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_STRIPTRAININGGRAPH
#include "qapeft/Conversion/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;

namespace {
struct StripTrainingGraphPass
    : public qapeft::impl::StripTrainingGraphBase<StripTrainingGraphPass> {
  void runOnOperation() override {
    // The training graph's functions are marked by the pass that emits them.
    for (auto func : llvm::make_early_inc_range(
             getOperation().getOps<func::FuncOp>()))
      if (func->hasAttr("qapeft.optimizer"))
        func.erase();
  }
};
} // namespace
