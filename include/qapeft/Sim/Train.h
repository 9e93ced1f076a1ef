//===- Train.h - the training loop of qapeft-sim -----------------*- C++ -*-===//
//
// Runs @train_step (docs/CONVENTIONS.md, "Training graph") over a data set:
// seeded shuffling, mini-batches (the last one may be smaller), a learning
// rate schedule, progress output, a CSV log, and finally writes the trained
// values back into the module's qapeft.param ops of the same names.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_TRAIN_H
#define QAPEFT_SIM_TRAIN_H

#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::qapeft::sim {

enum class LRSchedule { Constant, Cosine };

struct TrainOptions {
  int64_t epochs = 1;
  int64_t batch = 64;
  uint64_t seed = 1;
  double lr = 0.01;
  LRSchedule schedule = LRSchedule::Constant;
  std::string function = "train_step";
  /// Progress output; a bar redrawn in place when `interactive`, one plain
  /// line per epoch otherwise. Null for silence.
  llvm::raw_ostream *progress = nullptr;
  bool interactive = false;
};

struct StepRecord {
  int64_t epoch, step, samples;
  double loss, accuracy, lr;
};

struct EpochRecord {
  int64_t epoch;
  double loss, accuracy, seconds;
};

struct TrainResult {
  std::vector<StepRecord> steps;
  std::vector<EpochRecord> epochs;
  /// "epoch,step,samples,loss,accuracy,lr" rows, one per step.
  std::string csv() const;
};

/// The learning rate of step `step` (0-based) of `total`.
double learningRate(const TrainOptions &options, int64_t step, int64_t total);

/// A seeded permutation of [0, n): Fisher-Yates over std::mt19937_64 with our
/// own bounded draw, so the order is the same with every standard library.
std::vector<int64_t> shuffledIndices(int64_t n, uint64_t seed);

/// Trains and writes the trained values into `module`'s qapeft.param ops.
/// Labels may be any integer dtype (converted to i32). Errors are emitted as
/// diagnostics on the module / function.
FailureOr<TrainResult> train(ModuleOp module, const KernelRegistry &registry,
                             const Tensor &data, const Tensor &labels,
                             const TrainOptions &options);

/// Replaces the value of every qapeft.param op named `name` in `module`.
/// Fails (with a diagnostic) if there is none or the type does not match.
LogicalResult setParamValue(ModuleOp module, llvm::StringRef name,
                            const Tensor &value);

/// Converts integer labels to i32 [N] (checking that they fit).
FailureOr<Tensor> labelsToI32(ModuleOp module, const Tensor &labels);

/// Gathers rows `indices` of `data` (the first axis) into a new tensor.
Tensor gatherRows(const Tensor &data, llvm::ArrayRef<int64_t> indices);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_TRAIN_H
