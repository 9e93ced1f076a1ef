//===- KernelUtils.cpp - helpers shared by the float kernels --------------===//

#include "KernelUtils.h"

#include <cblas.h>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define QAPEFT_SIM_HAVE_AVX2_LOOPS 1
#endif

using namespace mlir;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

LogicalResult mlir::qapeft::sim::detail::allFloat(KernelContext &ctx) {
  for (unsigned i = 0; i < ctx.numInputs(); ++i)
    if (ctx.in(i).dtype() != DType::F32)
      return ctx.emitError() << "operand #" << i << " must be f32, got "
                             << ctx.in(i).describe();
  return success();
}

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

//===----------------------------------------------------------------------===//
// Worker pool
//===----------------------------------------------------------------------===//

namespace {
/// True on a thread while it runs pool tasks: nested calls run inline.
thread_local bool insideTask = false;

/// A fork-join pool of sleeping threads. Task claiming is under one mutex:
/// tasks are coarse (a chunk of images, a block of rows, 64K elements), so
/// the lock is not contended, and a thread that wakes late simply finds no
/// task left instead of racing with the next job.
class WorkerPool {
public:
  explicit WorkerPool(unsigned threads) {
    for (unsigned t = 1; t < threads; ++t)
      workers.emplace_back([this] { workerLoop(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    wake.notify_all();
    for (std::thread &t : workers)
      t.join();
  }
  unsigned size() const { return workers.size() + 1; }

  void run(int64_t numTasks, llvm::function_ref<void(int64_t)> fn) {
    std::unique_lock<std::mutex> owner(ownerMutex, std::try_to_lock);
    if (!owner.owns_lock() || workers.empty() || numTasks < 2) {
      // Busy (another thread's job) or nothing to share: run inline.
      bool wasInside = insideTask;
      insideTask = true;
      for (int64_t i = 0; i < numTasks; ++i)
        fn(i);
      insideTask = wasInside;
      return;
    }
    std::unique_lock<std::mutex> lock(mutex);
    job = &fn;
    next = 0;
    total = numTasks;
    ++jobId;
    wake.notify_all();
    claimAndRun(lock);
    done.wait(lock, [&] { return next >= total && running == 0; });
    job = nullptr;
  }

private:
  /// Runs tasks of the current job until none is left; `lock` is held on
  /// entry and exit, released while a task runs.
  void claimAndRun(std::unique_lock<std::mutex> &lock) {
    while (next < total) {
      int64_t task = next++;
      ++running;
      llvm::function_ref<void(int64_t)> fn = *job;
      lock.unlock();
      insideTask = true;
      fn(task);
      insideTask = false;
      lock.lock();
      --running;
    }
  }

  void workerLoop() {
    uint64_t seen = 0;
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      wake.wait(lock,
                [&] { return stopping || (jobId != seen && next < total); });
      if (stopping)
        return;
      seen = jobId;
      claimAndRun(lock);
      if (running == 0)
        done.notify_all();
    }
  }

  std::vector<std::thread> workers;
  std::mutex ownerMutex; // Held by the thread whose job the pool runs.
  std::mutex mutex;      // Guards everything below.
  std::condition_variable wake, done;
  llvm::function_ref<void(int64_t)> *job = nullptr;
  int64_t next = 0, total = 0, running = 0;
  uint64_t jobId = 0;
  bool stopping = false;
};

unsigned configuredThreads() {
  if (const char *env = std::getenv("QAPEFT_SIM_THREADS")) {
    int v = std::atoi(env);
    if (v >= 1)
      return static_cast<unsigned>(std::min(v, 64));
  }
  unsigned cores = std::thread::hardware_concurrency();
  return std::max(1u, std::min(cores, 8u));
}

WorkerPool &pool() {
  // Never destroyed: kernels may run during static destruction of other
  // objects, and joining threads there can deadlock.
  static WorkerPool *instance = [] {
    unsigned threads = configuredThreads();
    // Our tasks, not OpenBLAS, use the threads (with one thread in all,
    // OpenBLAS must not start its own either).
    openblas_set_num_threads(1);
    return new WorkerPool(threads);
  }();
  return *instance;
}
} // namespace

unsigned mlir::qapeft::sim::detail::workerThreads() { return pool().size(); }

void mlir::qapeft::sim::detail::parallelTasks(
    int64_t numTasks, llvm::function_ref<void(int64_t)> fn) {
  if (numTasks <= 0)
    return;
  if (insideTask || numTasks == 1) {
    for (int64_t i = 0; i < numTasks; ++i)
      fn(i);
    return;
  }
  pool().run(numTasks, fn);
}

void mlir::qapeft::sim::detail::parallelRange(
    int64_t n, int64_t grain, llvm::function_ref<void(int64_t, int64_t)> fn) {
  if (n <= 0)
    return;
  grain = std::max<int64_t>(grain, 1);
  if (n < grain || insideTask) {
    fn(0, n);
    return;
  }
  // Ranges of at least half a grain, at most 4 per thread: enough for a
  // late-waking thread to still take a share.
  int64_t tasks = std::min<int64_t>((2 * n) / grain,
                                    4 * static_cast<int64_t>(workerThreads()));
  tasks = std::max<int64_t>(tasks, 1);
  int64_t chunk = (n + tasks - 1) / tasks;
  parallelTasks(tasks, [&](int64_t t) {
    int64_t begin = t * chunk, end = std::min(n, begin + chunk);
    if (begin < end)
      fn(begin, end);
  });
}

void mlir::qapeft::sim::detail::gemm(bool transA, bool transB, int64_t m,
                                     int64_t n, int64_t k, float alpha,
                                     const float *a, int64_t lda,
                                     const float *b, int64_t ldb, float beta,
                                     float *c, int64_t ldc) {
  if (m == 0 || n == 0)
    return;
  if (k == 0) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  auto call = [&](int64_t row, int64_t rows) {
    const float *aRows = transA ? a + row : a + row * lda;
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans, rows, n, k, alpha, aRows,
                lda, b, ldb, beta, c + row * ldc, ldc);
  };
  // OpenBLAS runs single-threaded: split a large product into row blocks
  // ourselves. The blocks depend on the sizes only (also with one thread,
  // where they run in turn), so the result does not depend on the thread
  // count.
  constexpr int64_t kMinBlockRows = 64, kMinWork = int64_t(1) << 21;
  bool split = !insideTask && m >= 2 * kMinBlockRows && m * n * k >= kMinWork;
  if (!split) {
    (void)pool(); // Sets OpenBLAS's thread count before its first use.
    call(0, m);
    return;
  }
  int64_t blocks = std::min<int64_t>(8, m / kMinBlockRows);
  int64_t blockRows = (m + blocks - 1) / blocks;
  parallelTasks(blocks, [&](int64_t t) {
    int64_t row = t * blockRows, rows = std::min(m - row, blockRows);
    if (rows > 0)
      call(row, rows);
  });
}

//===----------------------------------------------------------------------===//
// im2col cache
//===----------------------------------------------------------------------===//

namespace {
struct Im2colEntry {
  Tensor input;
  ConvGeometry geometry;
  Tensor col;
};
struct Im2colCache {
  int depth = 0;
  int64_t bytes = 0;
  std::vector<Im2colEntry> entries;
};
/// Per thread: each interpreter runs on one thread, and kernels touch the
/// cache only from that thread (never from pool tasks).
thread_local Im2colCache im2colCache;
/// Enough for the example CNN's convolutions at batch 256; a larger input
/// recomputes its im2col matrix in the filter gradient.
constexpr int64_t kIm2colCacheBudget = int64_t(128) << 20;

bool sameGeometry(const ConvGeometry &a, const ConvGeometry &b) {
  return a.n == b.n && a.ih == b.ih && a.iw == b.iw && a.c == b.c &&
         a.kh == b.kh && a.kw == b.kw && a.oh == b.oh && a.ow == b.ow &&
         a.padTop == b.padTop && a.padBottom == b.padBottom &&
         a.padLeft == b.padLeft && a.padRight == b.padRight &&
         a.strideY == b.strideY && a.strideX == b.strideX && a.dilY == b.dilY &&
         a.dilX == b.dilX;
}
} // namespace

Im2colCacheScope::Im2colCacheScope() : outermost(im2colCache.depth++ == 0) {}

Im2colCacheScope::~Im2colCacheScope() {
  --im2colCache.depth;
  if (outermost) {
    im2colCache.entries.clear();
    im2colCache.bytes = 0;
  }
}

bool mlir::qapeft::sim::detail::im2colCacheAccepts(int64_t bytes) {
  return im2colCache.depth > 0 &&
         im2colCache.bytes + bytes <= kIm2colCacheBudget;
}

void mlir::qapeft::sim::detail::storeIm2col(const Tensor &x,
                                            const ConvGeometry &g, Tensor col) {
  if (!im2colCacheAccepts(col.byteSize()))
    return;
  // A second convolution of the same input with the same window would store
  // the same matrix: keep one.
  for (Im2colEntry &e : im2colCache.entries)
    if (e.input.sharesStorageWith(x) && sameGeometry(e.geometry, g))
      return;
  im2colCache.bytes += col.byteSize();
  im2colCache.entries.push_back({x, g, std::move(col)});
}

Tensor mlir::qapeft::sim::detail::takeIm2col(const Tensor &x,
                                             const ConvGeometry &g) {
  auto &entries = im2colCache.entries;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (!it->input.sharesStorageWith(x) || !sameGeometry(it->geometry, g) ||
        it->input.shape() != x.shape())
      continue;
    Tensor col = std::move(it->col);
    im2colCache.bytes -= col.byteSize();
    entries.erase(it);
    return col;
  }
  return Tensor();
}

/// Copies `count` floats; a call to memcpy costs more than a short loop
/// (conv1 of the example CNN has one input channel: 4-byte copies).
static inline void copyFloats(float *__restrict dst,
                              const float *__restrict src, int64_t count) {
  if (count >= 16) {
    std::memcpy(dst, src, count * sizeof(float));
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    dst[i] = src[i];
}

static inline void zeroFloats(float *dst, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    dst[i] = 0.0f;
}

static void im2colSerial(const float *input, const ConvGeometry &g,
                         int64_t first, int64_t count, float *col) {
  int64_t rowLen = g.kh * g.kw * g.c, tapRow = g.kw * g.c;
  for (int64_t n = first; n < first + count; ++n) {
    const float *image = input + n * g.ih * g.iw * g.c;
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        float *row = col + (((n - first) * g.oh + oy) * g.ow + ox) * rowLen;
        int64_t ix0 = ox * g.strideX - g.padLeft;
        // The whole window row is inside the image and contiguous.
        bool rowInside = g.dilX == 1 && ix0 >= 0 && ix0 + g.kw <= g.iw;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
          float *dst = row + ky * tapRow;
          if (iy < 0 || iy >= g.ih) {
            zeroFloats(dst, tapRow);
            continue;
          }
          const float *srcRow = image + iy * g.iw * g.c;
          if (rowInside) {
            copyFloats(dst, srcRow + ix0 * g.c, tapRow);
            continue;
          }
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ix0 + kx * g.dilX;
            if (ix < 0 || ix >= g.iw)
              zeroFloats(dst + kx * g.c, g.c);
            else
              copyFloats(dst + kx * g.c, srcRow + ix * g.c, g.c);
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
  parallelRange(count, 2, [&](int64_t begin, int64_t end) {
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
  parallelRange(count, 2, [&](int64_t begin, int64_t end) {
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

//===----------------------------------------------------------------------===//
// Fake quant loops
//===----------------------------------------------------------------------===//
//
// The SSE2 forms mirror the scalar ones operation for operation. Two facts
// make them bit-identical: std::max(v, c) is `v < c ? c : v` and
// _mm_max_ps(c, v) is `c > v ? c : v`, the same value for every v including
// NaN (both return v); likewise std::min(v, c) and _mm_min_ps(c, v). Ordered
// compares are false on NaN in both.

namespace {
inline float fakeQuantScalar(float x, float sc, float zp, float qmin,
                             float qmax) {
  float q = roundHalfEvenBounded(x / sc) + zp;
  return (std::min(std::max(q, qmin), qmax) - zp) * sc;
}
inline bool steScalar(float x, float sc, float zp, float qmin, float qmax) {
  float q = roundHalfEvenBounded(x / sc) + zp;
  return q >= qmin && q <= qmax;
}

#if defined(__SSE2__)
struct QuantConstants {
  QuantConstants(float sc, float zp, float qmin, float qmax)
      : sc(_mm_set1_ps(sc)), zp(_mm_set1_ps(zp)), qmin(_mm_set1_ps(qmin)),
        qmax(_mm_set1_ps(qmax)) {}
  __m128 sc, zp, qmin, qmax;
  __m128 lowBound = _mm_set1_ps(-4194304.0f),
         highBound = _mm_set1_ps(4194304.0f);
  __m128 magic = _mm_set1_ps(12582912.0f);

  /// roundHalfEvenBounded(x / sc) + zp.
  __m128 code(__m128 x) const {
    __m128 v = _mm_div_ps(x, sc);
    v = _mm_min_ps(highBound, _mm_max_ps(lowBound, v));
    v = _mm_sub_ps(_mm_add_ps(v, magic), magic);
    return _mm_add_ps(v, zp);
  }
  __m128 fakeQuant(__m128 x) const {
    __m128 q = _mm_min_ps(qmax, _mm_max_ps(qmin, code(x)));
    return _mm_mul_ps(_mm_sub_ps(q, zp), sc);
  }
  __m128 inRange(__m128 x) const {
    __m128 q = code(x);
    return _mm_and_ps(_mm_cmpge_ps(q, qmin), _mm_cmple_ps(q, qmax));
  }
};
#endif

#if defined(QAPEFT_SIM_HAVE_AVX2_LOOPS)
// AVX2 forms of the same loops, compiled for AVX2 whatever the build's
// baseline and chosen at run time: eight lanes halve the cost of the
// division, which bounds these loops. Same operations as the SSE2 forms
// (the _CMP_*_OQ predicates are the ordered compares of _mm_cmp*_ps; no
// multiply is followed by an add, so there is nothing to contract into an
// FMA). Each returns how many leading elements it processed.
bool haveAvx2() {
  static const bool have = __builtin_cpu_supports("avx2");
  return have;
}

#define QAPEFT_AVX2 __attribute__((target("avx2")))

QAPEFT_AVX2 inline __m256 codeAvx2(__m256 x, __m256 sc, __m256 zp) {
  const __m256 lowBound = _mm256_set1_ps(-4194304.0f);
  const __m256 highBound = _mm256_set1_ps(4194304.0f);
  const __m256 magic = _mm256_set1_ps(12582912.0f);
  __m256 v = _mm256_div_ps(x, sc);
  v = _mm256_min_ps(highBound, _mm256_max_ps(lowBound, v));
  v = _mm256_sub_ps(_mm256_add_ps(v, magic), magic);
  return _mm256_add_ps(v, zp);
}

QAPEFT_AVX2 inline __m256 fakeQuantAvx2(__m256 x, __m256 sc, __m256 zp,
                                        __m256 qmin, __m256 qmax) {
  __m256 q = _mm256_min_ps(qmax, _mm256_max_ps(qmin, codeAvx2(x, sc, zp)));
  return _mm256_mul_ps(_mm256_sub_ps(q, zp), sc);
}

QAPEFT_AVX2 inline __m256 inRangeAvx2(__m256 x, __m256 sc, __m256 zp,
                                      __m256 qmin, __m256 qmax) {
  __m256 q = codeAvx2(x, sc, zp);
  return _mm256_and_ps(_mm256_cmp_ps(q, qmin, _CMP_GE_OQ),
                       _mm256_cmp_ps(q, qmax, _CMP_LE_OQ));
}

QAPEFT_AVX2 int64_t fakeQuantAvx2Loop(const float *in, float *out, int64_t n,
                                      float s, float z, float lo, float hi) {
  __m256 sc = _mm256_set1_ps(s), zp = _mm256_set1_ps(z),
         qmin = _mm256_set1_ps(lo), qmax = _mm256_set1_ps(hi);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(
        out + i, fakeQuantAvx2(_mm256_loadu_ps(in + i), sc, zp, qmin, qmax));
  return i;
}

QAPEFT_AVX2 int64_t clampFakeQuantAvx2Loop(const float *in, float *clamped,
                                           float *quantized, int64_t n,
                                           float lo, float hi, float s, float z,
                                           float qlo, float qhi) {
  __m256 sc = _mm256_set1_ps(s), zp = _mm256_set1_ps(z),
         qmin = _mm256_set1_ps(qlo), qmax = _mm256_set1_ps(qhi),
         l = _mm256_set1_ps(lo), h = _mm256_set1_ps(hi);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_min_ps(h, _mm256_max_ps(l, _mm256_loadu_ps(in + i)));
    _mm256_storeu_ps(clamped + i, v);
    _mm256_storeu_ps(quantized + i, fakeQuantAvx2(v, sc, zp, qmin, qmax));
  }
  return i;
}

QAPEFT_AVX2 int64_t steAvx2Loop(const float *x, const float *dy, float *dx,
                                int64_t n, float s, float z, float qlo,
                                float qhi) {
  __m256 sc = _mm256_set1_ps(s), zp = _mm256_set1_ps(z),
         qmin = _mm256_set1_ps(qlo), qmax = _mm256_set1_ps(qhi);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm256_storeu_ps(dx + i, _mm256_and_ps(inRangeAvx2(_mm256_loadu_ps(x + i),
                                                       sc, zp, qmin, qmax),
                                           _mm256_loadu_ps(dy + i)));
  return i;
}

QAPEFT_AVX2 int64_t reluSteAvx2Loop(const float *a, const float *x,
                                    const float *dy, float *out, int64_t n,
                                    float threshold, float other, float s,
                                    float z, float qlo, float qhi) {
  __m256 sc = _mm256_set1_ps(s), zp = _mm256_set1_ps(z),
         qmin = _mm256_set1_ps(qlo), qmax = _mm256_set1_ps(qhi),
         t = _mm256_set1_ps(threshold), f = _mm256_set1_ps(other);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 ste =
        _mm256_and_ps(inRangeAvx2(_mm256_loadu_ps(x + i), sc, zp, qmin, qmax),
                      _mm256_loadu_ps(dy + i));
    __m256 greater = _mm256_cmp_ps(_mm256_loadu_ps(a + i), t, _CMP_GT_OQ);
    _mm256_storeu_ps(out + i, _mm256_blendv_ps(f, ste, greater));
  }
  return i;
}
#undef QAPEFT_AVX2
#endif
} // namespace

void mlir::qapeft::sim::detail::fakeQuantRange(const float *in, float *out,
                                               int64_t n, float sc, float zp,
                                               float qmin, float qmax) {
  int64_t i = 0;
#if defined(QAPEFT_SIM_HAVE_AVX2_LOOPS)
  if (haveAvx2())
    i = fakeQuantAvx2Loop(in, out, n, sc, zp, qmin, qmax);
#endif
#if defined(__SSE2__)
  QuantConstants k(sc, zp, qmin, qmax);
  for (; i + 4 <= n; i += 4)
    _mm_storeu_ps(out + i, k.fakeQuant(_mm_loadu_ps(in + i)));
#endif
  for (; i < n; ++i)
    out[i] = fakeQuantScalar(in[i], sc, zp, qmin, qmax);
}

void mlir::qapeft::sim::detail::clampFakeQuantRange(
    const float *in, float *clamped, float *quantized, int64_t n, float lo,
    float hi, float sc, float zp, float qmin, float qmax) {
  int64_t i = 0;
#if defined(QAPEFT_SIM_HAVE_AVX2_LOOPS)
  if (haveAvx2())
    i = clampFakeQuantAvx2Loop(in, clamped, quantized, n, lo, hi, sc, zp, qmin,
                               qmax);
#endif
#if defined(__SSE2__)
  QuantConstants k(sc, zp, qmin, qmax);
  __m128 l = _mm_set1_ps(lo), h = _mm_set1_ps(hi);
  for (; i + 4 <= n; i += 4) {
    // A NaN input passes both (the clamp's NaN propagation).
    __m128 v = _mm_min_ps(h, _mm_max_ps(l, _mm_loadu_ps(in + i)));
    _mm_storeu_ps(clamped + i, v);
    _mm_storeu_ps(quantized + i, k.fakeQuant(v));
  }
#endif
  for (; i < n; ++i) {
    float x = in[i];
    float v = std::isnan(x) ? x : std::min(std::max(x, lo), hi);
    clamped[i] = v;
    quantized[i] = fakeQuantScalar(v, sc, zp, qmin, qmax);
  }
}

void mlir::qapeft::sim::detail::steRange(const float *x, const float *dy,
                                         float *dx, int64_t n, float sc,
                                         float zp, float qmin, float qmax) {
  int64_t i = 0;
#if defined(QAPEFT_SIM_HAVE_AVX2_LOOPS)
  if (haveAvx2())
    i = steAvx2Loop(x, dy, dx, n, sc, zp, qmin, qmax);
#endif
#if defined(__SSE2__)
  QuantConstants k(sc, zp, qmin, qmax);
  for (; i + 4 <= n; i += 4)
    _mm_storeu_ps(dx + i, _mm_and_ps(k.inRange(_mm_loadu_ps(x + i)),
                                     _mm_loadu_ps(dy + i)));
#endif
  for (; i < n; ++i)
    dx[i] = steScalar(x[i], sc, zp, qmin, qmax) ? dy[i] : 0.0f;
}

void mlir::qapeft::sim::detail::reluSteRange(const float *a, const float *x,
                                             const float *dy, float *out,
                                             int64_t n, float threshold,
                                             float other, float sc, float zp,
                                             float qmin, float qmax) {
  int64_t i = 0;
#if defined(QAPEFT_SIM_HAVE_AVX2_LOOPS)
  if (haveAvx2())
    i = reluSteAvx2Loop(a, x, dy, out, n, threshold, other, sc, zp, qmin, qmax);
#endif
#if defined(__SSE2__)
  QuantConstants k(sc, zp, qmin, qmax);
  __m128 t = _mm_set1_ps(threshold), f = _mm_set1_ps(other);
  for (; i + 4 <= n; i += 4) {
    __m128 ste =
        _mm_and_ps(k.inRange(_mm_loadu_ps(x + i)), _mm_loadu_ps(dy + i));
    __m128 greater = _mm_cmpgt_ps(_mm_loadu_ps(a + i), t);
    _mm_storeu_ps(out + i, _mm_or_ps(_mm_and_ps(greater, ste),
                                     _mm_andnot_ps(greater, f)));
  }
#endif
  for (; i < n; ++i) {
    float ste = steScalar(x[i], sc, zp, qmin, qmax) ? dy[i] : 0.0f;
    out[i] = a[i] > threshold ? ste : other;
  }
}

//===----------------------------------------------------------------------===//
// Exact integer dot products on dgemm
//===----------------------------------------------------------------------===//

static bool exactLoopsForced() {
  static const bool forced = [] {
    const char *env = std::getenv("QAPEFT_SIM_EXACT_LOOPS");
    return env && *env && *env != '0';
  }();
  return forced;
}

static int64_t maxAbs(ArrayRef<int64_t> values) {
  int64_t m = 0;
  for (int64_t v : values)
    m = std::max(m, v < 0 ? -v : v);
  return m;
}

bool mlir::qapeft::sim::detail::exactConvDots(ArrayRef<int64_t> x,
                                              ArrayRef<int64_t> w,
                                              const ConvGeometry &g,
                                              int64_t outC,
                                              std::vector<int64_t> &dots) {
  int64_t k = g.kh * g.kw * g.c;
  if (exactLoopsForced() || !dgemmIsExact(maxAbs(x), maxAbs(w), k))
    return false;
  int64_t rowsPerImage = g.oh * g.ow;
  dots.assign(g.n * rowsPerImage * outC, 0);
  if (dots.empty() || k == 0)
    return true;
  // Every partial sum is an integer below 2^53: exact in any order, so the
  // result is the int64 loop's bit for bit.
  std::vector<double> wd(w.begin(), w.end());
  int64_t perTask = imagesPerTask(g);
  int64_t tasks = (g.n + perTask - 1) / perTask;
  parallelTasks(tasks, [&](int64_t t) {
    int64_t first = t * perTask, count = std::min(perTask, g.n - first);
    int64_t rows = count * rowsPerImage;
    std::vector<double> col(rows * k, 0.0), out(rows * outC);
    for (int64_t n = first; n < first + count; ++n)
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          double *row = &col[(((n - first) * g.oh + oy) * g.ow + ox) * k];
          for (int64_t ky = 0; ky < g.kh; ++ky) {
            int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
            if (iy < 0 || iy >= g.ih)
              continue;
            for (int64_t kx = 0; kx < g.kw; ++kx) {
              int64_t ix = ox * g.strideX - g.padLeft + kx * g.dilX;
              if (ix < 0 || ix >= g.iw)
                continue;
              const int64_t *src = &x[((n * g.ih + iy) * g.iw + ix) * g.c];
              double *dst = row + (ky * g.kw + kx) * g.c;
              for (int64_t c = 0; c < g.c; ++c)
                dst[c] = static_cast<double>(src[c]);
            }
          }
        }
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, outC, k, 1.0,
                col.data(), k, wd.data(), k, 0.0, out.data(), outC);
    int64_t *dst = dots.data() + first * rowsPerImage * outC;
    for (int64_t i = 0; i < rows * outC; ++i)
      dst[i] = static_cast<int64_t>(out[i]);
  });
  return true;
}

bool mlir::qapeft::sim::detail::exactMatmulDots(ArrayRef<int64_t> a,
                                                ArrayRef<int64_t> b,
                                                int64_t aBatch, int64_t bBatch,
                                                int64_t h, int64_t c, int64_t w,
                                                std::vector<int64_t> &dots) {
  if (exactLoopsForced() || !dgemmIsExact(maxAbs(a), maxAbs(b), c))
    return false;
  int64_t n = std::max(aBatch, bBatch);
  dots.assign(n * h * w, 0);
  if (dots.empty() || c == 0)
    return true;
  std::vector<double> ad(a.begin(), a.end()), bd(b.begin(), b.end()),
      out(h * w);
  for (int64_t bn = 0; bn < n; ++bn) {
    int64_t an = aBatch == 1 ? 0 : bn, bb = bBatch == 1 ? 0 : bn;
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, h, w, c, 1.0,
                ad.data() + an * h * c, c, bd.data() + bb * c * w, w, 0.0,
                out.data(), w);
    for (int64_t i = 0; i < h * w; ++i)
      dots[bn * h * w + i] = static_cast<int64_t>(out[i]);
  }
  return true;
}
