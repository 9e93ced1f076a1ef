//===- AttachTarget.cpp - attach a target description to the module ------===//
//
// Implements --qapeft-attach-target: loads targets/<name>.yaml (or a path)
// and stores it as the `qapeft.target` module attribute. Everything after
// this pass reads the target from the IR, so a pipeline can be replayed from
// any intermediate .mlir file without the YAML.
//
//===----------------------------------------------------------------------===//

#include "qapeft/TargetDesc/TargetDesc.h"
#include "qapeft/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_ATTACHTARGET
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {
struct AttachTargetPass
    : public qapeft::impl::AttachTargetBase<AttachTargetPass> {
  using AttachTargetBase::AttachTargetBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    std::string dirError;
    SmallVector<std::string> dirs(targetDirs.begin(), targetDirs.end());
    FailureOr<std::string> path = findTargetFile(target, dirs, dirError);
    if (failed(path)) {
      module.emitError() << dirError;
      return signalPassFailure();
    }
    SmallVector<TargetDiagnostic> diags;
    FailureOr<TargetDesc> desc = TargetDesc::loadFile(*path, diags);
    if (failed(desc)) {
      // The YAML position is part of the message: the diagnostic itself is
      // anchored at the module, the IR entity the pass failed on.
      for (const TargetDiagnostic &d : diags)
        module.emitError() << "invalid target description: " << d.str();
      return signalPassFailure();
    }
    module->setAttr(kTargetAttrName, desc->toAttr(&getContext()));
  }
};
} // namespace
