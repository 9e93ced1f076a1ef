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

#include <functional>

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

  /// Forgets cached constants (call after rewriting qapeft.param values).
  void invalidateConstants();

private:
  struct FunctionPlan;
  FailureOr<FunctionPlan *> getPlan(func::FuncOp func);
  FailureOr<llvm::SmallVector<Tensor>> execute(func::FuncOp func,
                                               llvm::ArrayRef<Tensor> args);
  FailureOr<Tensor> constantFor(Operation *op);

  ModuleOp module;
  const KernelRegistry &registry;
  Observer observer;
  llvm::DenseMap<Operation *, Tensor> constants;
  llvm::DenseMap<Operation *, std::unique_ptr<FunctionPlan>> plans;
};

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_INTERPRETER_H
