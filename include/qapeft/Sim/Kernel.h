//===- Kernel.h - qapeft-sim kernel registry ---------------------*- C++ -*-===//
//
// One registry maps op names ("tosa.conv2d", "qapeft.fake_quant", ...) to the
// kernels that execute them. Kernels live in several files
// (lib/Sim/Kernels/*.cpp), each exporting a `registerXKernels` function that
// `registerAllKernels` calls.
//
// An op name may have a kernel per *domain*: the interpreter classifies every
// op once as Float (some operand or result has a float element type) or
// Integer (otherwise), looks up the kernel for that domain, and falls back to
// a kernel registered for Domain::Any. So `tosa.conv2d` can have a float
// kernel (FloatKernels.cpp) and an integer one (IntegerKernels.cpp) while
// layout ops (reshape, transpose, concat, ...) have one Any kernel.
//
// Kernels read attributes generically from the Operation (so they do not
// depend on the C++ op classes), read their inputs from `ctx.inputs` (one per
// operand; `!tosa.shape` operands arrive as 1-D I64 tensors) and must set
// every entry of `ctx.results` to a tensor of the runtime shape. Result types
// may have dynamic dimensions (dynamic batch): compute shapes from the inputs.
// On bad input a kernel returns `ctx.emitError() << ...` (the interpreter has
// already attached the op's name and location).
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_KERNEL_H
#define QAPEFT_SIM_KERNEL_H

#include "qapeft/Sim/Tensor.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

#include <cmath>
#include <functional>
#include <vector>

namespace mlir::qapeft::sim {

enum class Domain : uint8_t { Float, Integer, Any };

class KernelContext {
public:
  KernelContext(Operation *op, llvm::ArrayRef<Tensor> inputs,
                llvm::MutableArrayRef<Tensor> results)
      : op(op), inputs(inputs), results(results) {}

  Operation *op;
  llvm::ArrayRef<Tensor> inputs;
  llvm::MutableArrayRef<Tensor> results;

  const Tensor &in(unsigned i) const { return inputs[i]; }
  unsigned numInputs() const { return inputs.size(); }
  void setResult(unsigned i, Tensor t) { results[i] = std::move(t); }

  /// An error on the op (its name and location are part of the message).
  InFlightDiagnostic emitError() const { return op->emitOpError(); }

  // Generic attribute readers; each returns std::nullopt when the attribute
  // is missing or has another kind.
  std::optional<llvm::SmallVector<int64_t>> i64Array(llvm::StringRef name) const;
  std::optional<int64_t> i64(llvm::StringRef name) const;
  std::optional<double> f64(llvm::StringRef name) const;
  /// The static dimensions of result `i`'s type (dynamic ones are
  /// ShapedType::kDynamic), or std::nullopt for an unranked/non-tensor result.
  std::optional<Shape> resultShape(unsigned i) const;
  /// The dtype of result `i`'s element type.
  std::optional<DType> resultDType(unsigned i) const;
};

using KernelFn = std::function<LogicalResult(KernelContext &ctx)>;

class KernelRegistry {
public:
  /// Registers `fn` for `opName` in `domain`, replacing an earlier one.
  void add(llvm::StringRef opName, KernelFn fn, Domain domain = Domain::Any);
  /// The kernel for `opName` in `domain`, else its Any kernel, else null.
  const KernelFn *lookup(llvm::StringRef opName, Domain domain) const;
  /// True if `opName` has a kernel in any domain.
  bool hasOp(llvm::StringRef opName) const;
  /// Sorted "name[domain]" list, for `qapeft-sim --list-kernels`.
  std::vector<std::string> describe() const;

private:
  struct Entry {
    KernelFn byDomain[3];
  };
  llvm::StringMap<Entry> entries;
};

/// Float TOSA kernels and the layout/any-dtype ops (FloatKernels.cpp).
void registerFloatKernels(KernelRegistry &registry);
/// qapeft forward ops: param, fake_quant, adapters (QAPeftKernels.cpp).
void registerQAPeftKernels(KernelRegistry &registry);
/// Training-graph ops: gradients, losses, optimizers (GradKernels.cpp).
void registerGradKernels(KernelRegistry &registry);
/// Integer TOSA ops (IntegerKernels.cpp, when present in the build).
void registerIntegerKernels(KernelRegistry &registry);
/// Integer activation ops: tosa.table, integer tosa.reduce_sum
/// (IntegerActivationKernels.cpp).
void registerIntegerActivationKernels(KernelRegistry &registry);
/// Integer abs, shifts, bitwise and/or/xor and gather
/// (IntegerBitKernels.cpp).
void registerIntegerBitKernels(KernelRegistry &registry);
/// qapeft.tflite_softmax (IntegerSoftmaxKernels.cpp).
void registerIntegerSoftmaxKernels(KernelRegistry &registry);
/// Hardware-exact forward ops: qapeft.exact_* (HardwareExactKernels.cpp).
void registerHardwareExactKernels(KernelRegistry &registry);
/// LSQ scale gradient: qapeft.lsq_scale_grad (LsqKernels.cpp).
void registerLsqKernels(KernelRegistry &registry);
/// tosa.erf, for the GELU of bottleneck adapters (GeluKernels.cpp).
void registerGeluKernels(KernelRegistry &registry);
/// Everything above.
void registerAllKernels(KernelRegistry &registry);

/// Runs fn(begin, end) over [0, n) split across QAPEFT_SIM_THREADS threads
/// (default 1; GEMMs use OpenBLAS's own threads) when n >= `grain`, else
/// inline.
/// Each index is visited exactly once, so elementwise kernels stay
/// deterministic; do not use it for reductions across the range.
void parallelFor(int64_t n, int64_t grain,
                 const std::function<void(int64_t, int64_t)> &fn);

/// Helpers shared by kernel files.
/// Round half to even, the rounding of the targets' float-to-int conversion.
inline float roundHalfEven(float x) { return std::nearbyint(x); }
/// The NumPy/TOSA broadcast of two shapes of equal rank (dims of 1 stretch);
/// fails if a pair of dims differs and neither is 1. Ranks must match in TOSA,
/// but lower ranks are left-padded with 1s for convenience.
FailureOr<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                 llvm::ArrayRef<int64_t> b);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_KERNEL_H
