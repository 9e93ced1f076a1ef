//===- Interpreter.h - qapeft-sim executor -----------------------*- C++ -*-===//
//
// Executes a func.func of a module op by op, dispatching each op to the
// kernel registry. Constants (tosa.const, qapeft.param, arith.constant) are
// converted once and cached; values are released after their last use so the
// pooled buffers are reused across ops and across calls.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_INTERPRETER_H
#define QAPEFT_SIM_INTERPRETER_H

#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

#include <functional>
#include <memory>

namespace mlir::qapeft::sim {

class Interpreter {
public:
  Interpreter(ModuleOp module, const KernelRegistry &registry);
  ~Interpreter();

  /// Runs function `name` on `args` (shapes/dtypes are checked against the
  /// function's argument types; dynamic dims accept any size).
  FailureOr<llvm::SmallVector<Tensor>> run(llvm::StringRef name,
                                           llvm::ArrayRef<Tensor> args);

  /// Reports (as errors on the ops) every op of `name` and the functions it
  /// calls that has no kernel; fails if there is one.
  LogicalResult checkSupported(llvm::StringRef name);

  /// Called after every executed op with its inputs and results (used by
  /// calibration observers). Pass an empty function to remove.
  using Observer = std::function<void(Operation *op,
                                      llvm::ArrayRef<Tensor> inputs,
                                      llvm::ArrayRef<Tensor> results)>;
  void setObserver(Observer observer) { this->observer = std::move(observer); }

  /// Turns the fusion of op groups into single kernels on or off (on by
  /// default; the results are the same bit for bit either way).
  void setFusion(bool enabled);
  /// How many fused op groups function `name` runs (0 with fusion off).
  FailureOr<unsigned> numFusedGroups(llvm::StringRef name);

  /// Forgets cached constants (call after rewriting qapeft.param values).
  void invalidateConstants();

private:
  struct FunctionPlan;
  FailureOr<FunctionPlan *> getPlan(func::FuncOp func);
  FailureOr<llvm::SmallVector<Tensor>> execute(func::FuncOp func,
                                               llvm::ArrayRef<Tensor> args);
  FailureOr<Tensor> constantFor(Operation *op);

  struct Profile;

  ModuleOp module;
  const KernelRegistry &registry;
  /// Runs groups of ops as one fused kernel (see Interpreter.cpp);
  /// QAPEFT_SIM_FUSION=0 turns it off.
  bool fusionEnabled = true;
  /// Per-op timings (QAPEFT_SIM_PROFILE=1), printed by the destructor.
  std::unique_ptr<Profile> profile;
  Observer observer;
  llvm::DenseMap<Operation *, Tensor> constants;
  llvm::DenseMap<Operation *, std::unique_ptr<FunctionPlan>> plans;
};

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_INTERPRETER_H
