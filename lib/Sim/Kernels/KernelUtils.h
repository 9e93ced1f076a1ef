//===- KernelUtils.h - helpers shared by the float kernels -------*- C++ -*-===//

#ifndef QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H
#define QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H

#include "qapeft/Sim/Kernel.h"

namespace mlir::qapeft::sim::detail {

/// Strides (in elements) of a C-order shape.
inline Shape stridesOf(ArrayRef<int64_t> shape) {
  Shape strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Strides of `shape` seen as broadcast to `outShape` (0 on stretched dims;
/// `shape` is left-padded with 1s to the output rank).
inline Shape broadcastStrides(ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> outShape) {
  Shape padded(outShape.size() - shape.size(), 1);
  padded.append(shape.begin(), shape.end());
  Shape strides = stridesOf(padded);
  for (size_t i = 0; i < padded.size(); ++i)
    if (padded[i] == 1 && outShape[i] != 1)
      strides[i] = 0;
  return strides;
}

/// Calls `fn(outIndex, offsets...)` for every element of `outShape` with the
/// matching flat offsets into each operand (given by broadcast strides).
/// The innermost dimension is a tight loop.
template <size_t N, typename Fn>
void forEachBroadcast(ArrayRef<int64_t> outShape,
                      const std::array<Shape, N> &strides, Fn fn) {
  int64_t rank = outShape.size();
  int64_t total = numElements(outShape);
  if (total == 0)
    return;
  if (rank == 0) {
    std::array<int64_t, N> offs{};
    fn(0, offs);
    return;
  }
  int64_t inner = outShape[rank - 1];
  Shape index(rank, 0);
  std::array<int64_t, N> base{};
  for (int64_t out = 0; out < total; out += inner) {
    std::array<int64_t, N> offs = base;
    for (int64_t j = 0; j < inner; ++j) {
      fn(out + j, offs);
      for (size_t k = 0; k < N; ++k)
        offs[k] += strides[k][rank - 1];
    }
    // Advance the outer index.
    for (int64_t d = rank - 2; d >= 0; --d) {
      ++index[d];
      for (size_t k = 0; k < N; ++k)
        base[k] += strides[k][d];
      if (index[d] < outShape[d])
        break;
      for (size_t k = 0; k < N; ++k)
        base[k] -= strides[k][d] * outShape[d];
      index[d] = 0;
    }
  }
}

/// Normalises a possibly negative axis; -1 if out of range.
inline int64_t normAxis(int64_t axis, int64_t rank) {
  if (axis < 0)
    axis += rank;
  return axis >= 0 && axis < rank ? axis : -1;
}

/// Splits a shape around `axis` into outer * dim * inner.
struct AxisSplit {
  int64_t outer = 1, dim = 1, inner = 1;
};
inline AxisSplit splitAt(ArrayRef<int64_t> shape, int64_t axis) {
  AxisSplit s;
  for (int64_t i = 0; i < axis; ++i)
    s.outer *= shape[i];
  s.dim = shape[axis];
  for (int64_t i = axis + 1; i < static_cast<int64_t>(shape.size()); ++i)
    s.inner *= shape[i];
  return s;
}

/// 2-D convolution geometry (NHWC input, OHWI weight).
struct ConvGeometry {
  int64_t n, ih, iw, c, kh, kw, oh, ow;
  int64_t padTop, padBottom, padLeft, padRight;
  int64_t strideY, strideX, dilY, dilX;
};

/// Reads pad/stride/dilation (dilation optional, default 1) and derives the
/// output size; fails with a diagnostic on bad attributes.
LogicalResult readConvGeometry(KernelContext &ctx, ArrayRef<int64_t> inShape,
                               int64_t kh, int64_t kw, ConvGeometry &g,
                               bool hasDilation = true);

/// The shape of a convolution as the integer kernels see it: OHWI weights,
/// or HWCM for depthwise (output channel = c * M + m).
struct ConvShape {
  ConvGeometry g;
  int64_t outC, mult;
};
/// Reads the kernel size from `w`'s layout, checks the weight's channels
/// against `x` and the bias length (`outC` values or one), then the window
/// attributes; fails with a diagnostic.
LogicalResult readConvShape(KernelContext &ctx, const Tensor &x,
                            const Tensor &w, const Tensor &b, bool depthwise,
                            ConvShape &shape);

/// C[M,N] = alpha * op(A) op(B) + beta * C, row-major, via OpenBLAS sgemm.
void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          float alpha, const float *a, int64_t lda, const float *b,
          int64_t ldb, float beta, float *c, int64_t ldc);

/// Writes the im2col matrix of images [first, first+count) of `input`:
/// rows (n, oh, ow), columns (kh, kw, c); out-of-image taps are 0.
void im2col(const float *input, const ConvGeometry &g, int64_t first,
            int64_t count, float *col);
/// The adjoint of im2col: accumulates `col` back into `dinput` (which the
/// caller zeroed) for images [first, first+count).
void col2im(const float *col, const ConvGeometry &g, int64_t first,
            int64_t count, float *dinput);

/// How many images to im2col at once so the column buffer stays near 8 MiB.
inline int64_t imagesPerChunk(const ConvGeometry &g) {
  int64_t perImage = g.oh * g.ow * g.kh * g.kw * g.c * 4;
  int64_t chunk = perImage > 0 ? (int64_t(8) << 20) / perImage : g.n;
  return std::max<int64_t>(1, std::min(chunk, g.n));
}

/// True for a 1x1, stride-1, unpadded, undilated convolution, where the
/// input already is its im2col matrix.
inline bool isPointwise(const ConvGeometry &g) {
  return g.kh == 1 && g.kw == 1 && g.strideY == 1 && g.strideX == 1 &&
         g.padTop == 0 && g.padBottom == 0 && g.padLeft == 0 &&
         g.padRight == 0;
}

} // namespace mlir::qapeft::sim::detail


namespace mlir::qapeft {
class QuantSchemeAttr;
} // namespace mlir::qapeft

namespace mlir::qapeft::sim::detail {
/// Per-element index of the scale / zero point under `scheme` (QAPeftKernels).
LogicalResult quantParamIndex(KernelContext &ctx, QuantSchemeAttr scheme,
                              ArrayRef<int64_t> shape,
                              ArrayRef<int64_t> scaleShape,
                              SmallVectorImpl<int64_t> &index);
/// Reads the op's `scheme` attribute or reports its absence.
LogicalResult readScheme(KernelContext &ctx, QuantSchemeAttr &scheme);
} // namespace mlir::qapeft::sim::detail

#endif // QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H
