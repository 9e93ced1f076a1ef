//===- KernelUtils.h - helpers shared by the float kernels -------*- C++ -*-===//

#ifndef QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H
#define QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H

#include "qapeft/Sim/Kernel.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

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

/// Bit width of result `i`'s element type.
inline unsigned resultWidth(const KernelContext &ctx, unsigned i = 0) {
  auto t = llvm::cast<ShapedType>(ctx.op->getResult(i).getType());
  return t.getElementType().getIntOrFloatBitWidth();
}

/// An integer binary op with TOSA's broadcasting: every result element is
/// `fn(a, b, width)` with `width` the result's bit width. `fn` reports its
/// own errors and returns failure, which fails the kernel.
template <typename Fn>
LogicalResult integerBinaryKernel(KernelContext &ctx, Fn fn) {
  const Tensor &a = ctx.in(0), &b = ctx.in(1);
  FailureOr<Shape> shape = broadcastShapes(a.shape(), b.shape());
  if (failed(shape))
    return ctx.emitError() << "cannot broadcast " << a.describe() << " and "
                           << b.describe();
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  unsigned width = resultWidth(ctx);
  Tensor out = Tensor::empty(*dt, *shape);
  std::array<Shape, 2> strides = {broadcastStrides(a.shape(), *shape),
                                  broadcastStrides(b.shape(), *shape)};
  bool ok = true;
  forEachBroadcast<2>(*shape, strides,
                      [&](int64_t i, const std::array<int64_t, 2> &offs) {
                        if (!ok)
                          return;
                        FailureOr<int64_t> r =
                            fn(a.getInt(offs[0]), b.getInt(offs[1]), width);
                        if (failed(r))
                          ok = false;
                        else
                          out.setInt(i, *r);
                      });
  if (!ok)
    return failure();
  ctx.setResult(0, std::move(out));
  return success();
}

/// round_half_even(v) (std::nearbyint in the default rounding mode) for
/// |v| <= 2^22, else +-2^22; without a libm call or a branch, so the
/// fake-quant loop vectorizes. Adding 1.5 * 2^23 lands on a float grid of
/// spacing 1, where the hardware add rounds half to even. The bound does not
/// change a fake quant's result: it clamps the code to [qmin, qmax] (at most
/// 16 bits) after adding a zero point inside that range, so anything beyond
/// 2^22 saturates either way; NaN stays NaN. The only other difference is
/// the sign of a zero, which "+ zp" erases (-0 + 0 = +0).
inline float roundHalfEvenBounded(float v) {
  constexpr float bound = 4194304.0f, magic = 12582912.0f;
  v = std::min(std::max(v, -bound), bound);
  return (v + magic) - magic;
}

/// True when roundHalfEvenBounded may replace std::nearbyint in a fake
/// quant's range test `round(v) + zp in [qmin, qmax]` without changing it:
/// beyond the bound both roundings give codes outside any range this small.
inline bool boundedRoundingExact(float zp, float qmin, float qmax) {
  constexpr float limit = 1048576.0f; // 2^20, a quarter of the bound.
  return std::fabs(zp) <= limit && std::fabs(qmin) <= limit &&
         std::fabs(qmax) <= limit;
}

/// Vector loops of the per-tensor fake quant family, explicit SSE2 on
/// x86-64 (GCC will not vectorize these compares and min/max under the
/// default -ftrapping-math), scalar elsewhere; both give the same bits as
/// the scalar formulas in their comments. `sc` is the scale, `zp` the zero
/// point, and boundedRoundingExact(zp, qmin, qmax) must hold.
///
/// out = (clamp(roundHalfEvenBounded(in / sc) + zp, qmin, qmax) - zp) * sc.
void fakeQuantRange(const float *in, float *out, int64_t n, float sc, float zp,
                    float qmin, float qmax);
/// clamped = isnan(in) ? in : min(max(in, lo), hi) (tosa.clamp), then
/// quantized = fakeQuantRange(clamped).
void clampFakeQuantRange(const float *in, float *clamped, float *quantized,
                         int64_t n, float lo, float hi, float sc, float zp,
                         float qmin, float qmax);
/// dx = (roundHalfEvenBounded(x / sc) + zp in [qmin, qmax]) ? dy : 0, the
/// straight-through gradient.
void steRange(const float *x, const float *dy, float *dx, int64_t n, float sc,
              float zp, float qmin, float qmax);
/// out = a > threshold ? steRange(x, dy) : other, the ReLU gradient of it.
void reluSteRange(const float *a, const float *x, const float *dy, float *out,
                  int64_t n, float threshold, float other, float sc, float zp,
                  float qmin, float qmax);

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

/// Fails with a diagnostic unless every operand is an f32 tensor.
LogicalResult allFloat(KernelContext &ctx);

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

//===----------------------------------------------------------------------===//
// Worker pool
//===----------------------------------------------------------------------===//

/// Threads of the simulator's worker pool: QAPEFT_SIM_THREADS when set, else
/// the number of cores (at most 8). When it is more than one, OpenBLAS is
/// told to use one thread: the kernels split their work (images of a
/// convolution, row blocks of a large GEMM, elementwise ranges) across the
/// pool themselves, so that im2col, col2im and the elementwise ops run on all
/// cores too and no BLAS thread spins while a single-threaded kernel runs.
unsigned workerThreads();

/// Runs fn(task) for every task in [0, numTasks), each exactly once, on the
/// worker pool (the caller takes tasks too) and returns when all are done.
/// Pool threads sleep between jobs. A call from inside a task, or while
/// another thread uses the pool, runs inline, so nesting is safe. How tasks
/// map to threads varies from run to run: a deterministic kernel makes its
/// task split depend on the problem size only and combines per-task
/// results in task order.
void parallelTasks(int64_t numTasks, llvm::function_ref<void(int64_t)> fn);

/// parallelFor's contract (fn(begin, end) over disjoint ranges covering
/// [0, n), inline when n < grain) on the worker pool.
void parallelRange(int64_t n, int64_t grain,
                   llvm::function_ref<void(int64_t, int64_t)> fn);

/// C[M,N] = alpha * op(A) op(B) + beta * C, row-major, via OpenBLAS sgemm.
/// Large products are split into fixed row blocks across the worker pool.
void gemm(bool transA, bool transB, int64_t m, int64_t n, int64_t k,
          float alpha, const float *a, int64_t lda, const float *b,
          int64_t ldb, float beta, float *c, int64_t ldc);

/// True when a sum of `k` products of integers of magnitude at most `maxA`
/// and `maxB` is computed exactly in double precision in any order (every
/// partial sum is an integer of magnitude below 2^53). The integer
/// convolutions and matmuls then use OpenBLAS dgemm instead of loops: int8 x
/// int8 sums (|x - zp| <= 255, |w| <= 128) qualify up to K = 2^37, int16 x
/// int8 up to K = 2^30.
inline bool dgemmIsExact(int64_t maxA, int64_t maxB, int64_t k) {
  if (maxA < 0 || maxB < 0 || k < 0)
    return false;
  unsigned __int128 bound = static_cast<unsigned __int128>(maxA) *
                            static_cast<unsigned __int128>(maxB) *
                            static_cast<unsigned __int128>(k);
  return bound < (static_cast<unsigned __int128>(1) << 53);
}

/// The integer convolution dot products dots[n, oy, ox, oc] = sum over the
/// window of x * w (NHWC input and OHWI weight already minus their zero
/// points, so padding contributes 0; no bias), computed with dgemm over
/// im2col tasks of images. Returns false, computing nothing, unless
/// dgemmIsExact(maxAbsX, maxAbsW, kh * kw * c) holds or when
/// QAPEFT_SIM_EXACT_LOOPS=1 asks for the callers' int64 loops.
bool exactConvDots(llvm::ArrayRef<int64_t> x, llvm::ArrayRef<int64_t> w,
                   const ConvGeometry &g, int64_t outC,
                   std::vector<int64_t> &dots);
/// Batched integer matmul dot products out[n, i, j] = sum_k a[n', i, k] *
/// b[n'', k, j] (operands minus their zero points; a batch of 1
/// broadcasts) with dgemm; false as for exactConvDots.
bool exactMatmulDots(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                     int64_t aBatch, int64_t bBatch, int64_t h, int64_t c,
                     int64_t w, std::vector<int64_t> &dots);

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

/// How a convolution's images are split into tasks for the worker pool: a
/// fixed function of the geometry (never of the thread count), so results
/// do not depend on how many threads run them. At least ~8 tasks when there
/// are enough images, each of at most imagesPerChunk images.
inline int64_t imagesPerTask(const ConvGeometry &g) {
  int64_t perTask = std::max<int64_t>(1, (g.n + 7) / 8);
  return std::min(perTask, imagesPerChunk(g));
}

//===----------------------------------------------------------------------===//
// im2col reuse between a convolution and its filter gradient
//===----------------------------------------------------------------------===//

/// A training step computes the im2col matrix of a convolution's input in
/// the forward pass and needs the very same matrix again in
/// conv2d_backprop_filter. While an Im2colCacheScope is alive on a thread
/// (the interpreter opens one around each run of a function that computes
/// filter gradients), conv2d stores its whole im2col matrix (when it fits a
/// byte budget) and conv2d_backprop_filter takes it back. Entries hold a
/// reference to the input tensor, so its storage cannot be recycled and
/// matched by mistake; tensors are immutable during a run, and the scope
/// ends with the run, so a caller changing a tensor between runs is safe.
class Im2colCacheScope {
public:
  Im2colCacheScope();
  ~Im2colCacheScope();
  Im2colCacheScope(const Im2colCacheScope &) = delete;
  Im2colCacheScope &operator=(const Im2colCacheScope &) = delete;

private:
  bool outermost;
};
/// True when a scope is open on this thread and `bytes` more fit its budget.
bool im2colCacheAccepts(int64_t bytes);
/// Remembers `col` ([n*oh*ow, kh*kw*c]) as the im2col matrix of `x` under
/// `g` (no-op without a scope).
void storeIm2col(const Tensor &x, const ConvGeometry &g, Tensor col);
/// The stored matrix of `x` under `g`, removed from the cache, or an invalid
/// tensor.
Tensor takeIm2col(const Tensor &x, const ConvGeometry &g);

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

//===----------------------------------------------------------------------===//
// Fused op groups
//===----------------------------------------------------------------------===//

/// tosa.conv2d on floats; `epilogue(out, begin, end)` runs on every range
/// [begin, end) of output elements as soon as it is final (on the thread that
/// computed it, while it is in cache), the ranges covering the output once.
/// `onOutputShape(shape)` runs first, once the checks have passed (to
/// allocate what the epilogue writes).
LogicalResult conv2dWithEpilogue(
    KernelContext &ctx,
    llvm::function_ref<void(float *, int64_t, int64_t)> epilogue,
    llvm::function_ref<void(ArrayRef<int64_t>)> onOutputShape = nullptr);

/// Op groups the interpreter runs as one kernel (see Interpreter.cpp).
enum class Fusion : uint8_t {
  None,
  /// conv2d -> clamp -> fake_quant (per tensor): the forward of a quantized
  /// convolution with ReLU; one pass computes all three results.
  ConvClampFakeQuant,
  /// select(greater(a, t), fake_quant_grad(x, s, z, dy), f): the ReLU and
  /// straight-through gradients of a per-tensor fake quant in one pass
  /// (only the select's result is produced).
  ReluFakeQuantGrad,
};

/// Runs the group `parts` (one context per op, in program order; inputs of
/// a part that another part computes are null tensors) as one kernel.
/// Returns std::nullopt, having changed nothing, when the run-time operands
/// do not fit the fused form (the caller then runs the parts one by one);
/// the results are bit-identical to running the parts separately.
std::optional<LogicalResult>
runFused(Fusion kind, llvm::MutableArrayRef<KernelContext> parts);
/// The ReluFakeQuantGrad group (GradKernels.cpp).
std::optional<LogicalResult>
fusedReluFakeQuantGrad(llvm::MutableArrayRef<KernelContext> parts);

} // namespace mlir::qapeft::sim::detail

#endif // QAPEFT_LIB_SIM_KERNELS_KERNELUTILS_H
