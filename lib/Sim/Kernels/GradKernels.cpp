//===- GradKernels.cpp - kernels of the training-graph ops ----------------===//
//
// Gradients, losses and optimizer updates of @train_step, with the semantics
// of docs/CONVENTIONS.md and dialects/QAPeft/QAPeftGradOps.td. Attributes are
// read generically, so these kernels do not depend on the ops' C++ classes.
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/Weights.h"
#include "qapeft/Sim/Kernel.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

namespace {

/// The static spatial shape [H, W, C] of result 0 (batch comes from `dy`).
LogicalResult resultSpatial(KernelContext &ctx, int64_t &h, int64_t &w,
                            int64_t &c) {
  std::optional<Shape> shape = ctx.resultShape(0);
  if (!shape || shape->size() != 4 || ShapedType::isDynamic((*shape)[1]) ||
      ShapedType::isDynamic((*shape)[2]) || ShapedType::isDynamic((*shape)[3]))
    return ctx.emitError() << "needs a result type tensor<?xHxWxCxf32> with "
                              "static H, W and C";
  h = (*shape)[1];
  w = (*shape)[2];
  c = (*shape)[3];
  return success();
}

LogicalResult weightRangeKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  QuantSchemeAttr scheme;
  if (failed(readScheme(ctx, scheme)))
    return failure();
  const Tensor &w = ctx.in(0);
  int64_t channels = 1;
  AxisSplit s;
  s.dim = 1;
  s.outer = w.numel();
  if (scheme.isPerChannel()) {
    int64_t axis = scheme.getAxis();
    if (axis < 0 || axis >= w.rank())
      return ctx.emitError() << "scheme axis " << axis << " is out of range "
                             << "for " << w.describe();
    s = splitAt(w.shape(), axis);
    channels = s.dim;
  } else if (scheme.isPerGroup()) {
    return ctx.emitError() << "per_group weight ranges are not supported";
  }
  // numerics::weightRange is what the integer lowering evaluates on the
  // merged weight, so the deployed scales equal the ones training used.
  std::vector<float> scales, zeroPoints;
  numerics::weightRange(w.data<float>(),
                        std::vector<int64_t>(w.shape().begin(), w.shape().end()),
                        scheme.isPerChannel() ? scheme.getAxis() : -1,
                        scheme.getSymmetric(), scheme.getQMin(),
                        scheme.getQMax(), scales, zeroPoints);
  Shape outShape;
  if (scheme.isPerChannel())
    outShape.push_back(channels);
  else if (auto rs = ctx.resultShape(0))
    outShape = *rs; // tensor<f32> or tensor<1xf32>.
  Tensor scale = Tensor::fromFloats(outShape, scales);
  Tensor zp = Tensor::fromFloats(outShape, zeroPoints);
  ctx.setResult(0, std::move(scale));
  ctx.setResult(1, std::move(zp));
  return success();
}

LogicalResult fakeQuantGradKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  QuantSchemeAttr scheme;
  if (failed(readScheme(ctx, scheme)))
    return failure();
  const Tensor &x = ctx.in(0), &s = ctx.in(1), &z = ctx.in(2),
               &dy = ctx.in(3);
  if (dy.shape() != x.shape() || s.numel() != z.numel())
    return ctx.emitError() << "dy " << dy.describe() << " must match input "
                           << x.describe();
  float qmin = scheme.getQMin(), qmax = scheme.getQMax();
  Tensor dx = Tensor::empty(DType::F32, x.shape());
  const float *px = x.data<float>(), *ps = s.data<float>(),
              *pz = z.data<float>(), *pdy = dy.data<float>();
  float *pdx = dx.data<float>();
  if (scheme.getGranularity() == Granularity::PerTensor && s.numel() == 1) {
    // The common activation case: no per-element index table.
    float sc = ps[0], zp = pz[0];
    if (boundedRoundingExact(zp, qmin, qmax)) {
      // Branch-free and without a libm call: the loop vectorizes.
      parallelRange(x.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
        steRange(px + begin, pdy + begin, pdx + begin, end - begin, sc, zp,
                 qmin, qmax);
      });
    } else {
      parallelRange(x.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
          float q = std::nearbyint(px[i] / sc) + zp;
          pdx[i] = q >= qmin && q <= qmax ? pdy[i] : 0.0f;
        }
      });
    }
    ctx.setResult(0, std::move(dx));
    return success();
  }
  SmallVector<int64_t> index;
  if (failed(quantParamIndex(ctx, scheme, x.shape(), s.shape(), index)))
    return failure();
  parallelRange(x.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      float q = std::nearbyint(px[i] / ps[index[i]]) + pz[index[i]];
      pdx[i] = q >= qmin && q <= qmax ? pdy[i] : 0.0f;
    }
  });
  ctx.setResult(0, std::move(dx));
  return success();
}

LogicalResult convBackpropInputKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &dy = ctx.in(0), &w = ctx.in(1);
  int64_t ih, iw, ic;
  if (failed(resultSpatial(ctx, ih, iw, ic)))
    return failure();
  if (w.rank() != 4 || dy.rank() != 4 || w.dim(3) != ic ||
      w.dim(0) != dy.dim(3))
    return ctx.emitError() << "weight " << w.describe() << " does not fit dy "
                           << dy.describe() << " and " << ic
                           << " input channels";
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, {dy.dim(0), ih, iw, ic}, w.dim(1),
                              w.dim(2), g)))
    return failure();
  if (g.oh != dy.dim(1) || g.ow != dy.dim(2))
    return ctx.emitError() << "dy " << dy.describe()
                           << " does not match the convolution's output size "
                           << g.oh << "x" << g.ow;
  int64_t oc = w.dim(0), k = g.kh * g.kw * g.c;
  const float *pdy = dy.data<float>(), *pw = w.data<float>();
  if (isPointwise(g)) {
    Tensor dx = Tensor::empty(DType::F32, {g.n, ih, iw, ic});
    gemm(false, false, g.n * g.oh * g.ow, k, oc, 1.0f, pdy, oc, pw, k, 0.0f,
         dx.data<float>(), k);
    ctx.setResult(0, std::move(dx));
    return success();
  }
  // Each task turns the dy rows of its images into an im2col-shaped
  // gradient and scatters it into those images' slice of dx: no two tasks
  // write the same element.
  Tensor dx = Tensor::empty(DType::F32, {g.n, ih, iw, ic});
  float *pdx = dx.data<float>();
  int64_t perTask = imagesPerTask(g), rowsPerImage = g.oh * g.ow;
  int64_t tasks = (g.n + perTask - 1) / perTask;
  parallelTasks(tasks, [&](int64_t t) {
    int64_t first = t * perTask, count = std::min(perTask, g.n - first);
    // Zeroed here rather than up front: on all threads, and the slice is
    // in cache when col2im accumulates into it.
    std::memset(pdx + first * ih * iw * ic, 0,
                count * ih * iw * ic * sizeof(float));
    Tensor col = Tensor::empty(DType::F32, {count * rowsPerImage, k});
    gemm(false, false, count * rowsPerImage, k, oc, 1.0f,
         pdy + first * rowsPerImage * oc, oc, pw, k, 0.0f, col.data<float>(),
         k);
    col2im(col.data<float>(), g, first, count, pdx);
  });
  ctx.setResult(0, std::move(dx));
  return success();
}

LogicalResult convBackpropFilterKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &dy = ctx.in(1);
  std::optional<Shape> wShape = ctx.resultShape(0);
  if (!wShape || wShape->size() != 4 ||
      llvm::any_of(*wShape, [](int64_t d) { return ShapedType::isDynamic(d); }))
    return ctx.emitError() << "needs a static OHWI result type";
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, x.shape(), (*wShape)[1], (*wShape)[2], g)))
    return failure();
  int64_t oc = (*wShape)[0], k = g.kh * g.kw * g.c;
  if ((*wShape)[3] != g.c || dy.rank() != 4 || dy.dim(0) != g.n ||
      dy.dim(1) != g.oh || dy.dim(2) != g.ow || dy.dim(3) != oc)
    return ctx.emitError() << "dy " << dy.describe() << " does not fit input "
                           << x.describe() << " and the result type";
  Tensor dw = Tensor::empty(DType::F32, *wShape);
  const float *px = x.data<float>(), *pdy = dy.data<float>();
  float *pdw = dw.data<float>();
  if (isPointwise(g)) {
    gemm(true, false, oc, k, g.n * g.oh * g.ow, 1.0f, pdy, oc, px, k, 0.0f, pdw,
         k);
    ctx.setResult(0, std::move(dw));
    return success();
  }
  if (g.n == 0) {
    std::memset(dw.raw(), 0, dw.byteSize());
    ctx.setResult(0, std::move(dw));
    return success();
  }
  // dW = dy^T col summed over images. Each task sums its images into its
  // own partial dW; the partials are added in task order, and the task split
  // depends on the geometry only, so the result is the same on any number of
  // threads. The forward convolution's im2col matrix of the same input is
  // reused when it was kept (see Im2colCacheScope).
  Tensor cached = takeIm2col(x, g);
  int64_t perTask = imagesPerTask(g), rowsPerImage = g.oh * g.ow;
  int64_t tasks = (g.n + perTask - 1) / perTask;
  Tensor partial = Tensor::empty(DType::F32, {tasks, oc * k});
  float *pp = partial.data<float>();
  parallelTasks(tasks, [&](int64_t t) {
    int64_t first = t * perTask, count = std::min(perTask, g.n - first);
    Tensor scratch;
    const float *col;
    if (cached) {
      col = cached.data<float>() + first * rowsPerImage * k;
    } else {
      scratch = Tensor::empty(DType::F32, {count * rowsPerImage, k});
      im2col(px, g, first, count, scratch.data<float>());
      col = scratch.data<float>();
    }
    gemm(true, false, oc, k, count * rowsPerImage, 1.0f,
         pdy + first * rowsPerImage * oc, oc, col, k, 0.0f, pp + t * oc * k, k);
  });
  int64_t size = oc * k;
  std::memcpy(pdw, pp, size * sizeof(float));
  for (int64_t t = 1; t < tasks; ++t) {
    const float *src = pp + t * size;
    for (int64_t i = 0; i < size; ++i)
      pdw[i] += src[i];
  }
  ctx.setResult(0, std::move(dw));
  return success();
}

/// Visits every (output position, tap) pair of a depthwise convolution with
/// the input position it reads: fn(n, oy, ox, iy, ix, ky, kx). Padding taps
/// are skipped (they read 0 and receive nothing).
template <typename Fn>
void forEachDepthwiseTap(const ConvGeometry &g, Fn fn) {
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
          if (iy < 0 || iy >= g.ih)
            continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.strideX - g.padLeft + kx * g.dilX;
            if (ix >= 0 && ix < g.iw)
              fn(n, oy, ox, iy, ix, ky, kx);
          }
        }
}

LogicalResult depthwiseBackpropInputKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &dy = ctx.in(0), &w = ctx.in(1);
  int64_t ih, iw, ic;
  if (failed(resultSpatial(ctx, ih, iw, ic)))
    return failure();
  if (w.rank() != 4 || dy.rank() != 4 || w.dim(2) != ic ||
      w.dim(2) * w.dim(3) != dy.dim(3))
    return ctx.emitError() << "weight " << w.describe() << " does not fit dy "
                           << dy.describe() << " and " << ic
                           << " input channels";
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, {dy.dim(0), ih, iw, ic}, w.dim(0),
                              w.dim(1), g)))
    return failure();
  if (g.oh != dy.dim(1) || g.ow != dy.dim(2))
    return ctx.emitError() << "dy " << dy.describe()
                           << " does not match the convolution's output size "
                           << g.oh << "x" << g.ow;
  int64_t m = w.dim(3), oc = ic * m;
  Tensor dx = Tensor::zeros(DType::F32, {g.n, ih, iw, ic});
  float *pdx = dx.data<float>();
  const float *pdy = dy.data<float>(), *pw = w.data<float>();
  forEachDepthwiseTap(g, [&](int64_t n, int64_t oy, int64_t ox, int64_t iy,
                             int64_t ix, int64_t ky, int64_t kx) {
    const float *src = pdy + ((n * g.oh + oy) * g.ow + ox) * oc;
    const float *wk = pw + (ky * g.kw + kx) * oc;
    float *dst = pdx + ((n * ih + iy) * iw + ix) * ic;
    for (int64_t c = 0; c < ic; ++c) {
      float acc = 0.0f;
      for (int64_t j = 0; j < m; ++j)
        acc += src[c * m + j] * wk[c * m + j];
      dst[c] += acc;
    }
  });
  ctx.setResult(0, std::move(dx));
  return success();
}

LogicalResult depthwiseBackpropFilterKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &dy = ctx.in(1);
  std::optional<Shape> wShape = ctx.resultShape(0);
  if (!wShape || wShape->size() != 4 ||
      llvm::any_of(*wShape, [](int64_t d) { return ShapedType::isDynamic(d); }))
    return ctx.emitError() << "needs a static [KH, KW, C, M] result type";
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, x.shape(), (*wShape)[0], (*wShape)[1], g)))
    return failure();
  int64_t m = (*wShape)[3], oc = g.c * m;
  if ((*wShape)[2] != g.c || dy.rank() != 4 || dy.dim(0) != g.n ||
      dy.dim(1) != g.oh || dy.dim(2) != g.ow || dy.dim(3) != oc)
    return ctx.emitError() << "dy " << dy.describe() << " does not fit input "
                           << x.describe() << " and the result type";
  Tensor dw = Tensor::zeros(DType::F32, *wShape);
  float *pdw = dw.data<float>();
  const float *px = x.data<float>(), *pdy = dy.data<float>();
  forEachDepthwiseTap(g, [&](int64_t n, int64_t oy, int64_t ox, int64_t iy,
                             int64_t ix, int64_t ky, int64_t kx) {
    const float *src = px + ((n * g.ih + iy) * g.iw + ix) * g.c;
    const float *d = pdy + ((n * g.oh + oy) * g.ow + ox) * oc;
    float *dst = pdw + (ky * g.kw + kx) * oc;
    for (int64_t c = 0; c < g.c; ++c)
      for (int64_t j = 0; j < m; ++j)
        dst[c * m + j] += d[c * m + j] * src[c];
  });
  ctx.setResult(0, std::move(dw));
  return success();
}

LogicalResult poolGeometry(KernelContext &ctx, ArrayRef<int64_t> inShape,
                           ConvGeometry &g) {
  auto kernel = ctx.i64Array("kernel");
  if (!kernel || kernel->size() != 2)
    return ctx.emitError() << "needs a 'kernel' attribute of 2 integers";
  return readConvGeometry(ctx, inShape, (*kernel)[0], (*kernel)[1], g,
                          /*hasDilation=*/false);
}

LogicalResult maxPoolGradKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &x = ctx.in(0), &dy = ctx.in(1);
  ConvGeometry g;
  if (failed(poolGeometry(ctx, x.shape(), g)))
    return failure();
  if (dy.rank() != 4 || dy.dim(0) != g.n || dy.dim(1) != g.oh ||
      dy.dim(2) != g.ow || dy.dim(3) != g.c)
    return ctx.emitError() << "dy " << dy.describe()
                           << " does not match the pooling of "
                           << x.describe();
  Tensor dx = Tensor::zeros(DType::F32, x.shape());
  const float *px = x.data<float>(), *pdy = dy.data<float>();
  float *pdx = dx.data<float>();
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox)
        for (int64_t c = 0; c < g.c; ++c) {
          int64_t best = -1;
          float bestValue = -std::numeric_limits<float>::infinity();
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            int64_t iy = oy * g.strideY - g.padTop + ky;
            if (iy < 0 || iy >= g.ih)
              continue;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              int64_t ix = ox * g.strideX - g.padLeft + kx;
              if (ix < 0 || ix >= g.iw)
                continue;
              int64_t at = ((n * g.ih + iy) * g.iw + ix) * g.c + c;
              if (best < 0 || px[at] > bestValue) {
                best = at;
                bestValue = px[at];
              }
            }
          }
          if (best >= 0)
            pdx[best] += pdy[((n * g.oh + oy) * g.ow + ox) * g.c + c];
        }
  ctx.setResult(0, std::move(dx));
  return success();
}

LogicalResult avgPoolGradKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &dy = ctx.in(0);
  int64_t ih, iw, ic;
  if (failed(resultSpatial(ctx, ih, iw, ic)))
    return failure();
  if (dy.rank() != 4)
    return ctx.emitError() << "dy must be NHWC, got " << dy.describe();
  ConvGeometry g;
  if (failed(poolGeometry(ctx, {dy.dim(0), ih, iw, ic}, g)))
    return failure();
  if (dy.dim(1) != g.oh || dy.dim(2) != g.ow || dy.dim(3) != ic)
    return ctx.emitError() << "dy " << dy.describe()
                           << " does not match the pooling output " << g.oh
                           << "x" << g.ow << "x" << ic;
  Tensor dx = Tensor::zeros(DType::F32, {g.n, ih, iw, ic});
  const float *pdy = dy.data<float>();
  float *pdx = dx.data<float>();
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        int64_t y0 = std::max<int64_t>(0, oy * g.strideY - g.padTop);
        int64_t y1 = std::min(g.ih, oy * g.strideY - g.padTop + g.kh);
        int64_t x0 = std::max<int64_t>(0, ox * g.strideX - g.padLeft);
        int64_t x1 = std::min(g.iw, ox * g.strideX - g.padLeft + g.kw);
        int64_t count = (y1 - y0) * (x1 - x0);
        if (count <= 0)
          continue;
        float inv = 1.0f / count;
        const float *src = pdy + ((n * g.oh + oy) * g.ow + ox) * g.c;
        for (int64_t iy = y0; iy < y1; ++iy)
          for (int64_t ix = x0; ix < x1; ++ix) {
            float *dst = pdx + ((n * g.ih + iy) * g.iw + ix) * g.c;
            for (int64_t c = 0; c < g.c; ++c)
              dst[c] += src[c] * inv;
          }
      }
  ctx.setResult(0, std::move(dx));
  return success();
}

LogicalResult softmaxCrossEntropyKernel(KernelContext &ctx) {
  const Tensor &logits = ctx.in(0), &labels = ctx.in(1);
  if (logits.dtype() != DType::F32 || logits.rank() != 2)
    return ctx.emitError() << "logits must be [N, K] f32, got "
                           << logits.describe();
  if (labels.dtype() != DType::I32 || labels.numel() != logits.dim(0))
    return ctx.emitError() << "labels " << labels.describe()
                           << " must hold one i32 class index per row of "
                           << logits.describe();
  int64_t n = logits.dim(0), k = logits.dim(1);
  Tensor dl = Tensor::empty(DType::F32, logits.shape());
  const float *pl = logits.data<float>();
  const int32_t *py = labels.data<int32_t>();
  float *pd = dl.data<float>();
  double loss = 0.0;
  int64_t correct = 0;
  for (int64_t r = 0; r < n; ++r) {
    int32_t label = py[r];
    if (label < 0 || label >= k)
      return ctx.emitError() << "label " << label << " of row " << r
                             << " is not a class index in [0, " << k << ")";
    const float *row = pl + r * k;
    int64_t best = 0;
    for (int64_t j = 1; j < k; ++j)
      if (row[j] > row[best])
        best = j;
    correct += best == label;
    float maxValue = row[best];
    double sum = 0.0;
    for (int64_t j = 0; j < k; ++j)
      sum += std::exp(static_cast<double>(row[j] - maxValue));
    double logSum = std::log(sum);
    loss += logSum - (row[label] - maxValue);
    for (int64_t j = 0; j < k; ++j) {
      double p = std::exp(static_cast<double>(row[j] - maxValue) - logSum);
      pd[r * k + j] = static_cast<float>((p - (j == label ? 1.0 : 0.0)) / n);
    }
  }
  ctx.setResult(0, Tensor::scalar(n ? static_cast<float>(loss / n) : 0.0f));
  ctx.setResult(1, std::move(dl));
  ctx.setResult(2, Tensor::scalar(static_cast<float>(correct)));
  return success();
}

LogicalResult mseKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &p = ctx.in(0), &t = ctx.in(1);
  if (p.shape() != t.shape())
    return ctx.emitError() << "prediction " << p.describe()
                           << " and target " << t.describe() << " differ";
  int64_t n = p.numel();
  Tensor d = Tensor::empty(DType::F32, p.shape());
  const float *pp = p.data<float>(), *pt = t.data<float>();
  float *pd = d.data<float>();
  double sum = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    float e = pp[i] - pt[i];
    sum += static_cast<double>(e) * e;
    pd[i] = 2.0f * e / n;
  }
  ctx.setResult(0, Tensor::scalar(n ? static_cast<float>(sum / n) : 0.0f));
  ctx.setResult(1, std::move(d));
  return success();
}

LogicalResult adamKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &p = ctx.in(0), &g = ctx.in(1), &m = ctx.in(2), &v = ctx.in(3);
  if (g.shape() != p.shape() || m.shape() != p.shape() ||
      v.shape() != p.shape())
    return ctx.emitError() << "parameter, gradient and moments differ in "
                              "shape";
  double b1 = ctx.f64("beta1").value_or(0.9);
  double b2 = ctx.f64("beta2").value_or(0.999);
  double eps = ctx.f64("epsilon").value_or(1e-8);
  double t = ctx.in(4).getDouble(0) + 1.0;
  float lr = ctx.in(5).getDouble(0);
  float c1 = 1.0 / (1.0 - std::pow(b1, t));
  float c2 = 1.0 / (1.0 - std::pow(b2, t));
  Tensor p2 = Tensor::empty(DType::F32, p.shape());
  Tensor m2 = Tensor::empty(DType::F32, p.shape());
  Tensor v2 = Tensor::empty(DType::F32, p.shape());
  const float *pp = p.data<float>(), *pg = g.data<float>(),
              *pm = m.data<float>(), *pv = v.data<float>();
  float *op = p2.data<float>(), *om = m2.data<float>(), *ov = v2.data<float>();
  float fb1 = b1, fb2 = b2, feps = eps;
  for (int64_t i = 0; i < p.numel(); ++i) {
    om[i] = fb1 * pm[i] + (1.0f - fb1) * pg[i];
    ov[i] = fb2 * pv[i] + (1.0f - fb2) * pg[i] * pg[i];
    op[i] = pp[i] - lr * (om[i] * c1) / (std::sqrt(ov[i] * c2) + feps);
  }
  ctx.setResult(0, std::move(p2));
  ctx.setResult(1, std::move(m2));
  ctx.setResult(2, std::move(v2));
  return success();
}

LogicalResult sgdKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  const Tensor &p = ctx.in(0), &g = ctx.in(1), &mom = ctx.in(2);
  if (g.shape() != p.shape() || mom.shape() != p.shape())
    return ctx.emitError() << "parameter, gradient and momentum differ in "
                              "shape";
  float momentum = ctx.f64("momentum").value_or(0.0);
  float lr = ctx.in(3).getDouble(0);
  Tensor p2 = Tensor::empty(DType::F32, p.shape());
  Tensor m2 = Tensor::empty(DType::F32, p.shape());
  const float *pp = p.data<float>(), *pg = g.data<float>(),
              *pm = mom.data<float>();
  float *op = p2.data<float>(), *om = m2.data<float>();
  for (int64_t i = 0; i < p.numel(); ++i) {
    om[i] = momentum * pm[i] + pg[i];
    op[i] = pp[i] - lr * om[i];
  }
  ctx.setResult(0, std::move(p2));
  ctx.setResult(1, std::move(m2));
  return success();
}

} // namespace

std::optional<LogicalResult> mlir::qapeft::sim::detail::fusedReluFakeQuantGrad(
    MutableArrayRef<KernelContext> parts) {
  KernelContext &greater = parts[0], &fqg = parts[1], &select = parts[2];
  const Tensor &a = greater.in(0), &t = greater.in(1);
  const Tensor &x = fqg.in(0), &s = fqg.in(1), &z = fqg.in(2), &dy = fqg.in(3);
  const Tensor &f = select.in(2);
  auto scheme = fqg.op->getAttrOfType<QuantSchemeAttr>("scheme");
  // The fused form: every operand f32, a, x and dy of one shape, the
  // threshold, the select's other value, the scale and the zero point
  // single values that broadcast without raising the rank. Anything else
  // runs op by op.
  for (const Tensor *v : {&a, &t, &x, &s, &z, &dy, &f})
    if (v->dtype() != DType::F32)
      return std::nullopt;
  if (!scheme || scheme.getGranularity() != Granularity::PerTensor ||
      x.shape() != a.shape() || dy.shape() != a.shape() || t.numel() != 1 ||
      f.numel() != 1 || s.numel() != 1 || z.numel() != 1 ||
      t.rank() > a.rank() || f.rank() > a.rank())
    return std::nullopt;
  const float qmin = scheme.getQMin(), qmax = scheme.getQMax();
  const float threshold = t.data<float>()[0], other = f.data<float>()[0];
  const float sc = s.data<float>()[0], zp = z.data<float>()[0];
  bool bounded = boundedRoundingExact(zp, qmin, qmax);
  Tensor out = Tensor::empty(DType::F32, a.shape());
  const float *pa = a.data<float>(), *px = x.data<float>(),
              *pdy = dy.data<float>();
  float *po = out.data<float>();
  // select(a > t, (q in [qmin, qmax]) ? dy : 0, f), as greater,
  // fakeQuantGradKernel and selectKernel compute it.
  parallelRange(a.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
    if (bounded)
      reluSteRange(pa + begin, px + begin, pdy + begin, po + begin, end - begin,
                   threshold, other, sc, zp, qmin, qmax);
    else
      for (int64_t i = begin; i < end; ++i) {
        float q = std::nearbyint(px[i] / sc) + zp;
        float ste = q >= qmin && q <= qmax ? pdy[i] : 0.0f;
        po[i] = pa[i] > threshold ? ste : other;
      }
  });
  select.setResult(0, std::move(out));
  return success();
}

void mlir::qapeft::sim::registerGradKernels(KernelRegistry &r) {
  const Domain F = Domain::Float;
  r.add("qapeft.weight_range", weightRangeKernel, F);
  r.add("qapeft.fake_quant_grad", fakeQuantGradKernel, F);
  r.add("qapeft.conv2d_backprop_input", convBackpropInputKernel, F);
  r.add("qapeft.conv2d_backprop_filter", convBackpropFilterKernel, F);
  r.add("qapeft.depthwise_conv2d_backprop_input",
        depthwiseBackpropInputKernel, F);
  r.add("qapeft.depthwise_conv2d_backprop_filter",
        depthwiseBackpropFilterKernel, F);
  r.add("qapeft.max_pool2d_grad", maxPoolGradKernel, F);
  r.add("qapeft.avg_pool2d_grad", avgPoolGradKernel, F);
  r.add("qapeft.softmax_cross_entropy", softmaxCrossEntropyKernel, F);
  r.add("qapeft.mse", mseKernel, F);
  r.add("qapeft.adam", adamKernel, F);
  r.add("qapeft.sgd", sgdKernel, F);
}
