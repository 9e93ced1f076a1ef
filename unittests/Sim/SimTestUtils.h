//===- SimTestUtils.h - helpers for the simulator unit tests -----*- C++ -*-===//

#ifndef QAPEFT_UNITTESTS_SIM_SIMTESTUTILS_H
#define QAPEFT_UNITTESTS_SIM_SIMTESTUTILS_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Kernel.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <random>

namespace qapeft_test {
using namespace mlir;
using namespace mlir::qapeft::sim;

/// A parsed module plus an interpreter over all registered kernels.
class SimModule {
public:
  explicit SimModule(llvm::StringRef source) {
    DialectRegistry dialects;
    dialects.insert<mlir::qapeft::QAPeftDialect, tosa::TosaDialect,
                    func::FuncDialect, arith::ArithDialect,
                    tensor::TensorDialect>();
    context = std::make_unique<MLIRContext>(dialects);
    context->loadAllAvailableDialects();
    module = parseSourceString<ModuleOp>(source, context.get());
    registerAllKernels(registry);
    if (module)
      interpreter = std::make_unique<Interpreter>(*module, registry);
  }
  bool ok() const { return static_cast<bool>(module); }

  /// Runs `name`; returns result `index` (asserting success).
  std::vector<Tensor> run(llvm::StringRef name, std::vector<Tensor> args) {
    auto out = interpreter->run(name, args);
    EXPECT_TRUE(succeeded(out)) << "running @" << name.str();
    if (failed(out))
      return {};
    return std::vector<Tensor>(out->begin(), out->end());
  }

  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  KernelRegistry registry;
  std::unique_ptr<Interpreter> interpreter;
};

inline Tensor randomTensor(llvm::ArrayRef<int64_t> shape, std::mt19937 &rng,
                           float lo = -1.0f, float hi = 1.0f) {
  std::uniform_real_distribution<float> dist(lo, hi);
  Tensor t = Tensor::empty(DType::F32, shape);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data<float>()[i] = dist(rng);
  return t;
}

inline double dot(const Tensor &a, const Tensor &b) {
  double s = 0;
  for (int64_t i = 0; i < a.numel(); ++i)
    s += double(a.data<float>()[i]) * b.data<float>()[i];
  return s;
}

} // namespace qapeft_test

#endif // QAPEFT_UNITTESTS_SIM_SIMTESTUTILS_H
