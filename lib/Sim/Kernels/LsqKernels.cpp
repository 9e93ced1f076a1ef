//===- LsqKernels.cpp - learned step size quantization kernels ------------===//
//
// qapeft.lsq_scale_grad: the scale gradient of a fake quant whose scale is a
// trainable parameter (LSQ, Esser et al. 2020), with the semantics of
// dialects/QAPeft/QAPeftGradOps.td. The input gradient of the same fake
// quant stays qapeft.fake_quant_grad (GradKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Kernel.h"

#include <cmath>
#include <vector>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

namespace {

/// d fake_quant(x) / d s under the straight-through estimator of the
/// rounding, for one element (see the op's description).
inline double lsqLocalGrad(float x, float s, float z, float qmin,
                           float qmax) {
  float v = x / s;
  float r = std::nearbyint(v);
  float code = r + z;
  if (code < qmin)
    return double(qmin) - double(z);
  if (code > qmax)
    return double(qmax) - double(z);
  return double(r) - double(v);
}

LogicalResult lsqScaleGradKernel(KernelContext &ctx) {
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    if (ctx.in(i).dtype() != DType::F32)
      return ctx.emitError() << "operand #" << i << " must be f32, got "
                             << ctx.in(i).describe();
  QuantSchemeAttr scheme;
  if (failed(readScheme(ctx, scheme)))
    return failure();
  std::optional<double> gradScale = ctx.f64("grad_scale");
  if (!gradScale || !(*gradScale > 0.0))
    return ctx.emitError() << "needs a grad_scale attribute > 0";
  const Tensor &x = ctx.in(0), &s = ctx.in(1), &z = ctx.in(2),
               &dy = ctx.in(3);
  if (dy.shape() != x.shape())
    return ctx.emitError() << "dy " << dy.describe() << " must match input "
                           << x.describe();
  if (s.shape() != z.shape())
    return ctx.emitError() << "scale " << s.describe()
                           << " and zero point " << z.describe()
                           << " must have the same shape";
  for (int64_t i = 0; i < s.numel(); ++i)
    if (!(s.data<float>()[i] > 0.0f))
      return ctx.emitError() << "scale value #" << i << " is "
                             << s.data<float>()[i] << "; it must be > 0";
  float qmin = scheme.getQMin(), qmax = scheme.getQMax();
  const float *px = x.data<float>(), *ps = s.data<float>(),
              *pz = z.data<float>(), *pdy = dy.data<float>();
  // Double accumulators: the sum runs over a whole activation tensor and
  // its terms have both signs.
  std::vector<double> sums(s.numel(), 0.0);
  if (scheme.getGranularity() == Granularity::PerTensor && s.numel() == 1) {
    double sum = 0;
    for (int64_t i = 0; i < x.numel(); ++i)
      sum += double(pdy[i]) * lsqLocalGrad(px[i], ps[0], pz[0], qmin, qmax);
    sums[0] = sum;
  } else {
    SmallVector<int64_t> index;
    if (failed(quantParamIndex(ctx, scheme, x.shape(), s.shape(), index)))
      return failure();
    for (int64_t i = 0; i < x.numel(); ++i) {
      int64_t k = index[i];
      sums[k] += double(pdy[i]) * lsqLocalGrad(px[i], ps[k], pz[k], qmin, qmax);
    }
  }
  Tensor ds = Tensor::empty(DType::F32, s.shape());
  for (int64_t k = 0; k < s.numel(); ++k)
    ds.data<float>()[k] = static_cast<float>(sums[k] * *gradScale);
  ctx.setResult(0, std::move(ds));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerLsqKernels(KernelRegistry &r) {
  r.add("qapeft.lsq_scale_grad", lsqScaleGradKernel, Domain::Float);
}
