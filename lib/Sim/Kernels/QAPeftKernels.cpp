//===- QAPeftKernels.cpp - kernels of the qapeft forward ops --------------===//
//
// qapeft.param is a constant (the interpreter caches it); these are the ops
// that compute: fake quantization and the adapters. Attributes are read from
// the Operation generically except the scheme, whose C++ class belongs to the
// dialect library the simulator links anyway.
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/Weights.h"
#include "qapeft/Sim/Kernel.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

namespace mlir::qapeft::sim::detail {
/// For every element of a tensor of `shape`, the index of its scale/zero
/// point under `scheme` (0 for per-tensor). Shared with the gradient kernels.
/// Fails (with a diagnostic) if `scaleShape` does not fit the scheme.
LogicalResult quantParamIndex(KernelContext &ctx, QuantSchemeAttr scheme,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> scaleShape,
                              SmallVectorImpl<int64_t> &index) {
  int64_t n = numElements(shape);
  int64_t numScales = numElements(scaleShape);
  index.resize(n);
  if (scheme.getGranularity() == Granularity::PerTensor) {
    if (numScales != 1)
      return ctx.emitError() << "a per_tensor scheme needs one scale, got "
                             << shapeToString(scaleShape);
    std::fill(index.begin(), index.end(), 0);
    return success();
  }
  int64_t axis = scheme.getAxis();
  if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
    return ctx.emitError() << "scheme axis " << axis
                           << " is out of range for a tensor of shape "
                           << shapeToString(shape);
  AxisSplit s = splitAt(shape, axis);
  if (scheme.getGranularity() == Granularity::PerChannel) {
    if (numScales != s.dim)
      return ctx.emitError() << "a per_channel scheme on axis " << axis
                             << " needs " << s.dim << " scales, got "
                             << shapeToString(scaleShape);
    for (int64_t o = 0, i = 0; o < s.outer; ++o)
      for (int64_t k = 0; k < s.dim; ++k)
        for (int64_t j = 0; j < s.inner; ++j)
          index[i++] = k;
    return success();
  }
  int64_t group = scheme.getGroupSize();
  if (group < 1 || s.dim % group != 0 ||
      numScales != s.outer * (s.dim / group) * s.inner)
    return ctx.emitError() << "a per_group scheme (group_size " << group
                           << ", axis " << axis << ") on "
                           << shapeToString(shape) << " cannot use scales "
                           << shapeToString(scaleShape);
  int64_t groups = s.dim / group;
  for (int64_t o = 0, i = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.dim; ++k)
      for (int64_t j = 0; j < s.inner; ++j)
        index[i++] = (o * groups + k / group) * s.inner + j;
  return success();
}

LogicalResult readScheme(KernelContext &ctx, QuantSchemeAttr &scheme) {
  scheme = ctx.op->getAttrOfType<QuantSchemeAttr>("scheme");
  if (!scheme)
    return ctx.emitError() << "needs a '#qapeft.scheme' attribute 'scheme'";
  return success();
}
} // namespace mlir::qapeft::sim::detail

namespace {

LogicalResult fakeQuantKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  QuantSchemeAttr scheme;
  if (failed(readScheme(ctx, scheme)))
    return failure();
  const Tensor &x = ctx.in(0), &s = ctx.in(1), &z = ctx.in(2);
  if (s.numel() != z.numel())
    return ctx.emitError() << "scale and zero point differ in size";
  float qmin = scheme.getQMin(), qmax = scheme.getQMax();
  Tensor out = Tensor::empty(DType::F32, x.shape());
  const float *px = x.data<float>(), *ps = s.data<float>(),
              *pz = z.data<float>();
  float *po = out.data<float>();
  int64_t n = x.numel();
  if (scheme.getGranularity() == Granularity::PerTensor && s.numel() == 1) {
    float sc = ps[0], zp = pz[0];
    parallelRange(n, 1 << 16, [&](int64_t begin, int64_t end) {
      fakeQuantRange(px + begin, po + begin, end - begin, sc, zp, qmin, qmax);
    });
  } else if (scheme.getGranularity() == Granularity::PerChannel &&
             scheme.getAxis() >= 0 && scheme.getAxis() < x.rank() &&
             s.numel() == x.dim(scheme.getAxis())) {
    // Per channel (weights): every run of `inner` elements shares one
    // scale, so no per-element index table.
    AxisSplit sp = splitAt(x.shape(), scheme.getAxis());
    parallelRange(
        sp.outer * sp.dim,
        std::max<int64_t>(1, (1 << 16) / std::max<int64_t>(sp.inner, 1)),
        [&](int64_t begin, int64_t end) {
          for (int64_t r = begin; r < end; ++r) {
            int64_t k = r % sp.dim;
            fakeQuantRange(px + r * sp.inner, po + r * sp.inner, sp.inner,
                           ps[k], pz[k], qmin, qmax);
          }
        });
  } else {
    SmallVector<int64_t> index;
    if (failed(quantParamIndex(ctx, scheme, x.shape(), s.shape(), index)))
      return failure();
    parallelRange(n, 1 << 16, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        float sc = ps[index[i]], zp = pz[index[i]];
        float q = roundHalfEvenBounded(px[i] / sc) + zp;
        po[i] = (std::min(std::max(q, qmin), qmax) - zp) * sc;
      }
    });
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult loraDeltaKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &w = ctx.in(0), &a = ctx.in(1), &b = ctx.in(2);
  double alpha = ctx.f64("alpha").value_or(0.0);
  int64_t rank = ctx.i64("rank").value_or(0);
  int64_t outAxis = ctx.i64("out_axis").value_or(0);
  if (outAxis < 0 || outAxis >= w.rank())
    return ctx.emitError() << "out_axis " << outAxis << " is out of range";
  if (rank == 0) {
    ctx.setResult(0, w.clone());
    return success();
  }
  AxisSplit s = splitAt(w.shape(), outAxis);
  int64_t cols = s.outer * s.inner;
  if (b.rank() != 2 || a.rank() != 2 || b.dim(0) != s.dim ||
      b.dim(1) != rank || a.dim(0) != rank || a.dim(1) != cols)
    return ctx.emitError() << "LoRA factors B " << b.describe() << " and A "
                           << a.describe() << " do not fit weight "
                           << w.describe() << " with rank " << rank;
  // The merge pass computes the deployed weight with numerics::mergeLora;
  // the forward must use the very same float32 operations in the same order
  // (not a BLAS GEMM, whose blocking and FMA use differ), so that merging
  // after training changes no bit of the weight the fake quant sees.
  float scaling = numerics::loraScaling(static_cast<float>(alpha), rank);
  Tensor out = Tensor::empty(DType::F32, w.shape()); // mergeLora writes all.
  std::vector<int64_t> wShape(w.shape().begin(), w.shape().end());
  numerics::mergeLora(w.data<float>(), wShape, a.data<float>(),
                      b.data<float>(), outAxis, rank, scaling,
                      out.data<float>());
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult loraSideKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &base = ctx.in(1), &a = ctx.in(2),
               &b = ctx.in(3);
  double alpha = ctx.f64("alpha").value_or(0.0);
  int64_t rank = ctx.i64("rank").value_or(0);
  Tensor out = base.clone();
  if (rank == 0) {
    ctx.setResult(0, std::move(out));
    return success();
  }
  int64_t dIn = x.rank() ? x.dim(x.rank() - 1) : 1;
  int64_t dOut = base.rank() ? base.dim(base.rank() - 1) : 1;
  int64_t rows = dIn ? x.numel() / dIn : 0;
  if (a.rank() != 2 || b.rank() != 2 || a.dim(0) != rank || a.dim(1) != dIn ||
      b.dim(0) != dOut || b.dim(1) != rank || base.numel() != rows * dOut)
    return ctx.emitError() << "LoRA side path A " << a.describe() << ", B "
                           << b.describe() << " does not fit input "
                           << x.describe() << " and base " << base.describe();
  Tensor h = Tensor::empty(DType::F32, {rows, rank});
  gemm(false, true, rows, rank, dIn, 1.0f, x.data<float>(), dIn,
       a.data<float>(), dIn, 0.0f, h.data<float>(), rank);
  gemm(false, true, rows, dOut, rank, static_cast<float>(alpha / rank),
       h.data<float>(), rank, b.data<float>(), rank, 1.0f, out.data<float>(),
       dOut);
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult ia3Kernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &s = ctx.in(1);
  int64_t axis = normAxis(ctx.i64("axis").value_or(-1), x.rank());
  if (axis < 0)
    return ctx.emitError() << "'axis' is out of range for " << x.describe();
  AxisSplit sp = splitAt(x.shape(), axis);
  if (s.numel() != sp.dim)
    return ctx.emitError() << "scale " << s.describe() << " does not match "
                           << sp.dim << " channels of " << x.describe();
  Tensor out = Tensor::empty(DType::F32, x.shape());
  const float *px = x.data<float>(), *ps = s.data<float>();
  float *po = out.data<float>();
  for (int64_t o = 0, i = 0; o < sp.outer; ++o)
    for (int64_t k = 0; k < sp.dim; ++k)
      for (int64_t j = 0; j < sp.inner; ++j, ++i)
        po[i] = px[i] * ps[k];
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult bottleneckKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &down = ctx.in(1), &downBias = ctx.in(2),
               &up = ctx.in(3), &upBias = ctx.in(4);
  int64_t d = x.rank() ? x.dim(x.rank() - 1) : 1;
  int64_t rows = d ? x.numel() / d : 0;
  if (down.rank() != 2 || down.dim(1) != d || up.rank() != 2 ||
      up.dim(0) != d || up.dim(1) != down.dim(0) ||
      downBias.numel() != down.dim(0) || upBias.numel() != d)
    return ctx.emitError() << "bottleneck weights down " << down.describe()
                           << ", up " << up.describe()
                           << " do not fit input " << x.describe();
  int64_t h = down.dim(0);
  BottleneckActivation act = BottleneckActivation::Relu;
  if (auto attr = ctx.op->getAttrOfType<BottleneckActivationAttr>("activation"))
    act = attr.getValue();
  Tensor hidden = Tensor::empty(DType::F32, {rows, h});
  float *ph = hidden.data<float>();
  for (int64_t r = 0; r < rows; ++r)
    std::memcpy(ph + r * h, downBias.data<float>(), h * sizeof(float));
  gemm(false, true, rows, h, d, 1.0f, x.data<float>(), d, down.data<float>(),
       d, 1.0f, ph, h);
  for (int64_t i = 0; i < rows * h; ++i) {
    float v = ph[i];
    if (act == BottleneckActivation::Relu)
      ph[i] = std::max(v, 0.0f);
    else if (act == BottleneckActivation::Gelu)
      ph[i] = 0.5f * v * (1.0f + std::erf(v * 0.70710678118654752f));
  }
  Tensor out = x.clone();
  float *po = out.data<float>();
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < d; ++j)
      po[r * d + j] += upBias.data<float>()[j];
  gemm(false, true, rows, d, h, 1.0f, ph, h, up.data<float>(), h, 1.0f, po, d);
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult promptKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &rows = ctx.in(1);
  if (x.rank() != 3 || rows.rank() != 2 || rows.dim(1) != x.dim(2))
    return ctx.emitError() << "prompt rows " << rows.describe()
                           << " do not fit input " << x.describe();
  int64_t n = x.dim(0), s = x.dim(1), dm = x.dim(2), p = rows.dim(0);
  Tensor out = Tensor::empty(DType::F32, {n, p + s, dm});
  for (int64_t i = 0; i < n; ++i) {
    float *dst = out.data<float>() + i * (p + s) * dm;
    std::memcpy(dst, rows.data<float>(), p * dm * sizeof(float));
    std::memcpy(dst + p * dm, x.data<float>() + i * s * dm,
                s * dm * sizeof(float));
  }
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

namespace {
/// conv2d -> clamp -> fake_quant with the clamp and the fake quant applied to
/// each block of convolution rows as soon as the GEMM has written it. The
/// arithmetic is clampKernel's and fakeQuantKernel's per-tensor path,
/// operation for operation, so the three results are bit-identical to the
/// separate kernels'.
std::optional<LogicalResult>
fusedConvClampFakeQuant(MutableArrayRef<KernelContext> parts) {
  KernelContext &conv = parts[0], &clamp = parts[1], &fq = parts[2];
  std::optional<double> lo = clamp.f64("min_val"), hi = clamp.f64("max_val");
  auto scheme = fq.op->getAttrOfType<QuantSchemeAttr>("scheme");
  const Tensor &s = fq.in(1), &z = fq.in(2);
  if (!lo || !hi || !scheme ||
      scheme.getGranularity() != Granularity::PerTensor ||
      s.dtype() != DType::F32 || z.dtype() != DType::F32 || s.numel() != 1 ||
      z.numel() != 1 || conv.in(0).dtype() != DType::F32)
    return std::nullopt;
  const float l = *lo, h = *hi;
  const float sc = s.data<float>()[0], zp = z.data<float>()[0];
  const float qmin = scheme.getQMin(), qmax = scheme.getQMax();
  Tensor clamped, quantized;
  float *pc = nullptr, *pq = nullptr;
  LogicalResult result = conv2dWithEpilogue(
      conv,
      [&](float *out, int64_t begin, int64_t end) {
        clampFakeQuantRange(out + begin, pc + begin, pq + begin, end - begin, l,
                            h, sc, zp, qmin, qmax);
      },
      [&](ArrayRef<int64_t> shape) {
        // Allocated once the convolution knows its output shape, before
        // any epilogue runs.
        clamped = Tensor::empty(DType::F32, shape);
        quantized = Tensor::empty(DType::F32, shape);
        pc = clamped.data<float>();
        pq = quantized.data<float>();
      });
  if (failed(result))
    return result;
  clamp.setResult(0, std::move(clamped));
  fq.setResult(0, std::move(quantized));
  return success();
}
} // namespace

std::optional<LogicalResult>
mlir::qapeft::sim::detail::runFused(Fusion kind,
                                    MutableArrayRef<KernelContext> parts) {
  switch (kind) {
  case Fusion::ConvClampFakeQuant:
    return fusedConvClampFakeQuant(parts);
  case Fusion::ReluFakeQuantGrad:
    return fusedReluFakeQuantGrad(parts);
  case Fusion::None:
    break;
  }
  return std::nullopt;
}

void mlir::qapeft::sim::registerQAPeftKernels(KernelRegistry &r) {
  r.add("qapeft.fake_quant", fakeQuantKernel, Domain::Float);
  r.add("qapeft.lora_delta", loraDeltaKernel, Domain::Float);
  r.add("qapeft.lora_side", loraSideKernel, Domain::Float);
  r.add("qapeft.ia3", ia3Kernel, Domain::Float);
  r.add("qapeft.bottleneck", bottleneckKernel, Domain::Float);
  r.add("qapeft.prompt", promptKernel, Domain::Float);
}
