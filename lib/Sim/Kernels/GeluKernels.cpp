//===- GeluKernels.cpp - the error function for GELU ----------------------===//
//
// tosa.erf on f32. The training graph spells the exact GELU of a
// `qapeft.bottleneck ... gelu` adapter, 0.5 x (1 + erf(x / sqrt 2)) (the
// formula the bottleneck kernel evaluates), and its derivative
// Phi(x) + x phi(x) with TOSA ops, so the backward recomputes the hidden
// activation with the same std::erf the forward used.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Kernel.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;

namespace {

LogicalResult erfKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  if (a.dtype() != DType::F32)
    return ctx.emitError() << "expects an f32 operand, got " << a.describe();
  Tensor out = Tensor::empty(DType::F32, a.shape());
  const float *pa = a.data<float>();
  float *po = out.data<float>();
  parallelFor(a.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      po[i] = std::erf(pa[i]);
  });
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerGeluKernels(KernelRegistry &r) {
  r.add("tosa.erf", erfKernel, Domain::Float);
}
