//===- Pipelines.cpp - the deployment pipeline ----------------------------===//
//
// --qapeft-deploy: merge the adapters, then lower to integer TOSA for the
// attached target (the first command of the user flow).
//
//===----------------------------------------------------------------------===//

#include "qapeft/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
struct DeployOptions : public PassPipelineOptions<DeployOptions> {
  Option<std::string> rounding{
      *this, "rounding",
      llvm::cl::desc("requantization rounding (default: the target's)"),
      llvm::cl::init("")};
  Option<bool> floatIO{*this, "float-io",
                       llvm::cl::desc("keep f32 at the function's edges"),
                       llvm::cl::init(false)};
  Option<unsigned> biasBits{*this, "bias-bits",
                            llvm::cl::desc("bias width limit (0: target)"),
                            llvm::cl::init(0)};
  Option<unsigned> accumulatorBits{
      *this, "accumulator-bits",
      llvm::cl::desc("accumulator width for the overflow bound (0: target)"),
      llvm::cl::init(0)};
};
} // namespace

void mlir::qapeft::registerConversionPasses() {
  registerQAPeftConversionPasses();
  PassPipelineRegistration<DeployOptions>(
      "qapeft-deploy",
      "Merge adapters and lower to the integer TOSA graph of the attached "
      "target (--qapeft-strip-training-graph, --qapeft-merge-adapters, "
      "--qapeft-lower-to-integer)",
      [](OpPassManager &pm, const DeployOptions &options) {
        pm.addPass(createStripTrainingGraph());
        pm.addPass(createMergeAdapters());
        LowerToIntegerOptions lower;
        lower.rounding = options.rounding;
        lower.floatIO = options.floatIO;
        lower.biasBits = options.biasBits;
        lower.accumulatorBits = options.accumulatorBits;
        pm.addPass(createLowerToInteger(lower));
      });
}
