//===- KernelUtils.cpp - helpers shared by the float kernels --------------===//

#include "KernelUtils.h"

#include <cblas.h>
#include <cstring>

using namespace mlir;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

LogicalResult mlir::qapeft::sim::detail::readConvGeometry(KernelContext &ctx,
                                       ArrayRef<int64_t> inShape, int64_t kh,
                                       int64_t kw, ConvGeometry &g,
                                       bool hasDilation) {
  if (inShape.size() != 4)
    return ctx.emitError() << "expects a rank-4 NHWC input, got rank "
                           << inShape.size();
  auto pad = ctx.i64Array("pad");
  auto stride = ctx.i64Array("stride");
  std::optional<SmallVector<int64_t>> dilation;
  if (hasDilation)
    dilation = ctx.i64Array("dilation");
  if (!pad || pad->size() != 4)
    return ctx.emitError() << "needs a 'pad' attribute of 4 integers";
  if (!stride || stride->size() != 2 || (*stride)[0] < 1 || (*stride)[1] < 1)
    return ctx.emitError() << "needs a 'stride' attribute of 2 positive "
                              "integers";
  SmallVector<int64_t> dil = {1, 1};
  if (dilation) {
    if (dilation->size() != 2 || (*dilation)[0] < 1 || (*dilation)[1] < 1)
      return ctx.emitError() << "needs a 'dilation' attribute of 2 positive "
                                "integers";
    dil = *dilation;
  }
  g.n = inShape[0];
  g.ih = inShape[1];
  g.iw = inShape[2];
  g.c = inShape[3];
  g.kh = kh;
  g.kw = kw;
  g.padTop = (*pad)[0];
  g.padBottom = (*pad)[1];
  g.padLeft = (*pad)[2];
  g.padRight = (*pad)[3];
  g.strideY = (*stride)[0];
  g.strideX = (*stride)[1];
  g.dilY = dil[0];
  g.dilX = dil[1];
  int64_t spanY = g.ih + g.padTop + g.padBottom - (kh - 1) * g.dilY - 1;
  int64_t spanX = g.iw + g.padLeft + g.padRight - (kw - 1) * g.dilX - 1;
  if (spanY < 0 || spanX < 0)
    return ctx.emitError() << "kernel " << kh << "x" << kw
                           << " does not fit the padded " << g.ih << "x"
                           << g.iw << " input";
  g.oh = spanY / g.strideY + 1;
  g.ow = spanX / g.strideX + 1;
  return success();
}

void mlir::qapeft::sim::detail::gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
                  float alpha, const float *a, int64_t lda, const float *b,
                  int64_t ldb, float beta, float *c, int64_t ldc) {
  if (m == 0 || n == 0)
    return;
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
              transB ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b,
              ldb, beta, c, ldc);
}

static void im2colSerial(const float *input, const ConvGeometry &g,
                         int64_t first, int64_t count, float *col) {
  int64_t rowLen = g.kh * g.kw * g.c;
  for (int64_t n = first; n < first + count; ++n) {
    const float *image = input + n * g.ih * g.iw * g.c;
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        float *row = col + (((n - first) * g.oh + oy) * g.ow + ox) * rowLen;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.strideX - g.padLeft + kx * g.dilX;
            float *dst = row + (ky * g.kw + kx) * g.c;
            if (iy < 0 || iy >= g.ih || ix < 0 || ix >= g.iw)
              std::memset(dst, 0, g.c * sizeof(float));
            else
              std::memcpy(dst, image + (iy * g.iw + ix) * g.c,
                          g.c * sizeof(float));
          }
        }
      }
  }
}

static void col2imSerial(const float *col, const ConvGeometry &g,
                         int64_t first, int64_t count, float *dinput) {
  int64_t rowLen = g.kh * g.kw * g.c;
  for (int64_t n = first; n < first + count; ++n) {
    float *image = dinput + n * g.ih * g.iw * g.c;
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        const float *row =
            col + (((n - first) * g.oh + oy) * g.ow + ox) * rowLen;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
          if (iy < 0 || iy >= g.ih)
            continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.strideX - g.padLeft + kx * g.dilX;
            if (ix < 0 || ix >= g.iw)
              continue;
            const float *src = row + (ky * g.kw + kx) * g.c;
            float *dst = image + (iy * g.iw + ix) * g.c;
            for (int64_t c = 0; c < g.c; ++c)
              dst[c] += src[c];
          }
        }
      }
  }
}

void mlir::qapeft::sim::detail::im2col(const float *input,
                                       const ConvGeometry &g, int64_t first,
                                       int64_t count, float *col) {
  // Images are independent: split them across threads.
  int64_t perImage = g.oh * g.ow * g.kh * g.kw * g.c;
  if (perImage * count < (1 << 16)) {
    im2colSerial(input, g, first, count, col);
    return;
  }
  parallelFor(count, 2, [&](int64_t begin, int64_t end) {
    im2colSerial(input, g, first + begin, end - begin, col + begin * perImage);
  });
}

void mlir::qapeft::sim::detail::col2im(const float *col,
                                       const ConvGeometry &g, int64_t first,
                                       int64_t count, float *dinput) {
  // Each image accumulates into its own slice of dinput: no races.
  int64_t perImage = g.oh * g.ow * g.kh * g.kw * g.c;
  if (perImage * count < (1 << 16)) {
    col2imSerial(col, g, first, count, dinput);
    return;
  }
  parallelFor(count, 2, [&](int64_t begin, int64_t end) {
    col2imSerial(col + begin * perImage, g, first + begin, end - begin,
                 dinput);
  });
}

LogicalResult mlir::qapeft::sim::detail::readConvShape(
    KernelContext &ctx, const Tensor &x, const Tensor &w, const Tensor &b,
    bool depthwise, ConvShape &shape) {
  int64_t c = x.dim(3), kh, kw;
  shape.mult = 1;
  if (depthwise) {
    kh = w.dim(0), kw = w.dim(1), shape.mult = w.dim(3);
    if (w.dim(2) != c)
      return ctx.emitError() << "weight channels " << w.dim(2)
                             << " differ from input channels " << c;
    shape.outC = c * shape.mult;
  } else {
    shape.outC = w.dim(0), kh = w.dim(1), kw = w.dim(2);
    if (w.dim(3) != c)
      return ctx.emitError() << "weight channels " << w.dim(3)
                             << " differ from input channels " << c;
  }
  if (b.numel() != shape.outC && b.numel() != 1)
    return ctx.emitError() << "bias has " << b.numel() << " values for "
                           << shape.outC << " output channels";
  return readConvGeometry(ctx, x.shape(), kh, kw, shape.g);
}
