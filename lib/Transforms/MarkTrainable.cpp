//===- MarkTrainable.cpp - choose what the optimizer updates --------------===//
//
// Implements --qapeft-mark-trainable: for QAFT the base weights (or any
// named tensor) become trainable parameters.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/Regex.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_MARKTRAINABLE
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {
struct MarkTrainablePass
    : public qapeft::impl::MarkTrainableBase<MarkTrainablePass> {
  using MarkTrainableBase::MarkTrainableBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (names.empty()) {
      emitError(module.getLoc(), "--qapeft-mark-trainable needs names=<regex>");
      return signalPassFailure();
    }
    llvm::Regex regex("^(" + names + ")$");
    std::string error;
    if (!regex.isValid(error)) {
      emitError(module.getLoc(), "invalid names= regex '")
          << names << "': " << error;
      return signalPassFailure();
    }
    unsigned matched = 0;
    bool failedAny = false;
    module.walk([&](Operation *op) {
      if (auto param = dyn_cast<ParamOp>(op)) {
        if (!regex.match(param.getName()))
          return;
        ++matched;
        if (!freeze && !isa<FloatType>(param.getValue().getElementType())) {
          param.emitError("parameter '")
              << param.getName() << "' has non-float elements and cannot be "
              << "trained";
          failedAny = true;
          return;
        }
        param.setTrainable(!freeze);
        return;
      }
      auto cst = dyn_cast<tosa::ConstOp>(op);
      if (!cst)
        return;
      std::string name = locationName(cst.getLoc());
      if (name.empty() || !regex.match(name))
        return;
      ++matched;
      if (freeze)
        return; // a constant already is frozen
      if (!isa<FloatType>(cst.getValues().getElementType())) {
        cst.emitError("constant '")
            << name << "' has non-float elements and cannot be trained";
        failedAny = true;
        return;
      }
      OpBuilder b(cst);
      ParamOp param = createParam(b, cst.getLoc(), name, cst.getValues(),
                                  /*trainable=*/true);
      cst.replaceAllUsesWith(param.getResult());
      cst.erase();
    });
    if (failedAny)
      return signalPassFailure();
    if (matched == 0)
      emitWarning(module.getLoc(),
                  "no parameter or named constant matched names='")
          << names << "'";
  }
};
} // namespace
