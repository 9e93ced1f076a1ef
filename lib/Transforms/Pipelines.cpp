//===- Pipelines.cpp - the registered qapeft pass pipelines ---------------===//
//
// --qapeft-prepare: attach the target (when --qapeft-attach-target is built
// in), insert adapters, insert fake quant, assign precisions (when overrides
// are given). Every step is also a pass of its own.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Transforms/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
struct PrepareOptions : public PassPipelineOptions<PrepareOptions> {
  Option<std::string> target{
      *this, "target",
      llvm::cl::desc("target name or description file for "
                     "--qapeft-attach-target (empty: keep the module's "
                     "qapeft.target, or the fake-quant defaults)"),
      llvm::cl::init("")};
  Option<std::string> adapter{
      *this, "adapter",
      llvm::cl::desc("adapter kind: lora | lora-side | ia3 | adapter | prompt"),
      llvm::cl::init("lora")};
  Option<int64_t> rank{*this, "rank", llvm::cl::desc("LoRA rank r"),
                       llvm::cl::init(4)};
  Option<double> alpha{*this, "alpha",
                       llvm::cl::desc("LoRA alpha (scaling alpha / rank)"),
                       llvm::cl::init(8.0)};
  ListOption<std::string> ops{
      *this, "ops",
      llvm::cl::desc("op kinds to adapt: conv2d, depthwise_conv2d, matmul")};
  Option<std::string> names{
      *this, "names",
      llvm::cl::desc("regex on layer names to adapt (empty: all)"),
      llvm::cl::init("")};
  Option<uint64_t> seed{*this, "seed",
                        llvm::cl::desc("seed of the LoRA A initialisation"),
                        llvm::cl::init(0)};
  Option<int64_t> bottleneck{
      *this, "bottleneck",
      llvm::cl::desc("hidden size of bottleneck adapters (adapter=adapter)"),
      llvm::cl::init(8)};
  Option<std::string> activation{
      *this, "activation",
      llvm::cl::desc("bottleneck nonlinearity: relu | gelu | identity"),
      llvm::cl::init("relu")};
  Option<std::string> placement{
      *this, "placement",
      llvm::cl::desc("bottleneck placement: houlsby | pfeiffer"),
      llvm::cl::init("houlsby")};
  Option<int64_t> promptLength{
      *this, "prompt-length",
      llvm::cl::desc("number of trainable prompt rows (adapter=prompt)"),
      llvm::cl::init(4)};
  ListOption<std::string> overrides{
      *this, "overrides",
      llvm::cl::desc("mixed-precision overrides <op name>:<precision> for "
                     "--qapeft-assign-precision")};
  Option<std::string> mode{
      *this, "mode", llvm::cl::desc("fake quant placement: full | adapter"),
      llvm::cl::init("full")};
  Option<std::string> lsq{
      *this, "lsq",
      llvm::cl::desc("learnable (LSQ) scales for --qapeft-insert-fake-quant: "
                     "none | activation | weight | all"),
      llvm::cl::init("none")};
  Option<std::string> sidePath{
      *this, "side-path",
      llvm::cl::desc("lora_side / bottleneck quantization for "
                     "--qapeft-insert-fake-quant: fused | delta"),
      llvm::cl::init("fused")};
};

LogicalResult
buildPrepare(OpPassManager &pm, StringRef optionString,
             function_ref<LogicalResult(const Twine &)> errorHandler) {
  PrepareOptions options;
  if (failed(options.parseFromString(optionString)))
    return failure();
  if (!options.target.empty()) {
    // The target library is a separate component: look its pass up by name
    // so that this pipeline builds without it and says so when it is absent.
    const PassInfo *attach = PassInfo::lookup("qapeft-attach-target");
    if (!attach)
      return errorHandler("target= needs --qapeft-attach-target, which this "
                          "qapeft-opt does not provide");
    std::string attachOptions = "target=" + options.target.getValue();
    if (failed(attach->addToPipeline(pm, attachOptions, errorHandler)))
      return failure();
  }
  InsertAdaptersOptions adapters;
  adapters.adapter = options.adapter;
  adapters.rank = options.rank;
  adapters.alpha = options.alpha;
  adapters.opKinds.assign(options.ops.begin(), options.ops.end());
  adapters.names = options.names;
  adapters.seed = options.seed;
  adapters.bottleneckSize = options.bottleneck;
  adapters.activation = options.activation;
  adapters.placement = options.placement;
  adapters.promptLength = options.promptLength;
  pm.addPass(createInsertAdapters(adapters));
  InsertFakeQuantOptions fq;
  fq.mode = options.mode;
  fq.lsq = options.lsq;
  fq.sidePath = options.sidePath;
  pm.addPass(createInsertFakeQuant(fq));
  if (!options.overrides.empty()) {
    AssignPrecisionOptions precision;
    precision.overrides.assign(options.overrides.begin(),
                               options.overrides.end());
    pm.addPass(createAssignPrecision(precision));
  }
  return success();
}
} // namespace

namespace mlir {
namespace qapeft {
void registerQAPeftPipelines() {
  registerPassPipeline(
      "qapeft-prepare",
      "Prepare a base model for QA-PEFT: attach the target, insert adapters, "
      "insert fake quant",
      buildPrepare,
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(PrepareOptions());
      });
}
} // namespace qapeft
} // namespace mlir
