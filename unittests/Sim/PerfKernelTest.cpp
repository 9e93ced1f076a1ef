//===- PerfKernelTest.cpp - the simulator's speed-ups change no result ----===//
//
// The worker pool, the vector fake-quant loops, the fused op groups and the
// im2col reuse between a convolution and its filter gradient are
// optimisations only: these tests check that each gives bit-identical
// results to the plain formulation it replaces.
//
//===----------------------------------------------------------------------===//

#include "SimTestUtils.h"

#include "../../lib/Sim/Kernels/KernelUtils.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

using namespace qapeft_test;
namespace kernels = mlir::qapeft::sim::detail;

namespace {

bool sameBits(float a, float b) {
  return std::memcmp(&a, &b, sizeof(float)) == 0;
}

void expectSameBits(const Tensor &a, const Tensor &b) {
  ASSERT_EQ(a.shape(), b.shape());
  ASSERT_EQ(a.dtype(), b.dtype());
  ASSERT_EQ(std::memcmp(a.raw(), b.raw(), a.byteSize()), 0)
      << "tensors differ in some bit";
}

TEST(WorkerPool, RunsEveryTaskExactlyOnce) {
  constexpr int kTasks = 1000;
  std::vector<std::atomic<int>> seen(kTasks);
  std::vector<std::atomic<int>> nested(kTasks * 3);
  kernels::parallelTasks(kTasks, [&](int64_t t) {
    seen[t]++;
    // A call from inside a task runs inline and completes.
    kernels::parallelTasks(3, [&](int64_t u) { nested[t * 3 + u]++; });
  });
  for (int t = 0; t < kTasks; ++t)
    ASSERT_EQ(seen[t].load(), 1) << t;
  for (int t = 0; t < kTasks * 3; ++t)
    ASSERT_EQ(nested[t].load(), 1) << t;
  // Back-to-back jobs: a worker that wakes late must not run a task of the
  // next job twice or of the previous one at all.
  for (int job = 0; job < 200; ++job) {
    std::vector<std::atomic<int>> counts(7);
    kernels::parallelTasks(7, [&](int64_t t) { counts[t]++; });
    for (int t = 0; t < 7; ++t)
      ASSERT_EQ(counts[t].load(), 1) << "job " << job << " task " << t;
  }
}

TEST(WorkerPool, ParallelRangeCoversTheRangeOnce) {
  const int64_t n = 1000003;
  std::vector<uint8_t> hits(n, 0);
  kernels::parallelRange(n, 1000, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      hits[i]++;
  });
  for (int64_t i = 0; i < n; ++i)
    ASSERT_EQ(hits[i], 1) << i;
  // Below the grain: one call with the whole range.
  int calls = 0;
  kernels::parallelRange(10, 1000, [&](int64_t begin, int64_t end) {
    ++calls;
    EXPECT_EQ(begin, 0);
    EXPECT_EQ(end, 10);
  });
  EXPECT_EQ(calls, 1);
}

/// Values that exercise every branch of the fake-quant formulas: ordinary
/// ones, exact rounding ties, codes at and beyond the range limits, huge
/// values (beyond roundHalfEvenBounded's bound), infinities, NaN, signed
/// zeros and denormals. An odd count leaves a scalar tail after the vector
/// loop.
std::vector<float> trickyValues(float scale) {
  std::vector<float> v;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-300.0f, 300.0f);
  for (int i = 0; i < 800; ++i)
    v.push_back(dist(rng) * scale);
  for (int k = -140; k <= 140; k += 3)
    v.push_back((k + 0.5f) * scale); // Ties: round half to even.
  for (float f : {1e30f, -1e30f, 5e6f, -5e6f, 4194304.5f, -4194304.5f,
                  std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(),
                  std::numeric_limits<float>::quiet_NaN(), 0.0f, -0.0f,
                  std::numeric_limits<float>::denorm_min(), 127.0f * scale,
                  -128.0f * scale, 127.5f * scale, -128.5f * scale})
    v.push_back(f);
  if (v.size() % 4 == 0)
    v.push_back(0.25f * scale);
  return v;
}

TEST(FakeQuantLoops, BitIdenticalToTheScalarFormulas) {
  const float sc = 0.037f, zp = 3.0f, qmin = -128.0f, qmax = 127.0f;
  std::vector<float> x = trickyValues(sc);
  int64_t n = x.size();
  // A second operand (the ReLU input, the incoming gradient) of the same
  // length, with its own NaN and zeros.
  std::vector<float> a(n), dy(n);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  for (int64_t i = 0; i < n; ++i) {
    a[i] = i % 17 == 0 ? 0.0f : dist(rng);
    dy[i] = dist(rng);
  }
  a[5] = std::numeric_limits<float>::quiet_NaN();
  a[6] = -0.0f;

  // Each special value goes through the 8-lane, the 4-lane and the scalar
  // code in turn as the start moves (AVX2 and SSE2 where the machine has
  // them).
  for (int64_t off : {0, 1, 2, 3, 4, 5, 6, 7}) {
    SCOPED_TRACE(off);
    int64_t len = n - off;
    const float *xs = x.data() + off, *as = a.data() + off,
                *gs = dy.data() + off;
    std::vector<float> out(len), clamped(len), quantized(len), dx(len),
        relu(len);
    kernels::fakeQuantRange(xs, out.data(), len, sc, zp, qmin, qmax);
    kernels::clampFakeQuantRange(xs, clamped.data(), quantized.data(), len,
                                 0.0f, 6.0f, sc, zp, qmin, qmax);
    kernels::steRange(xs, gs, dx.data(), len, sc, zp, qmin, qmax);
    kernels::reluSteRange(as, xs, gs, relu.data(), len, 0.0f, -0.0f, sc, zp,
                          qmin, qmax);
    for (int64_t i = 0; i < len; ++i) {
      // fakeQuantKernel's formula.
      float q = kernels::roundHalfEvenBounded(xs[i] / sc) + zp;
      float fq = (std::min(std::max(q, qmin), qmax) - zp) * sc;
      ASSERT_TRUE(sameBits(out[i], fq)) << "fake quant of " << xs[i];
      // clampKernel's formula, then the fake quant of it.
      float c =
          std::isnan(xs[i]) ? xs[i] : std::min(std::max(xs[i], 0.0f), 6.0f);
      float cq = kernels::roundHalfEvenBounded(c / sc) + zp;
      ASSERT_TRUE(sameBits(clamped[i], c)) << "clamp of " << xs[i];
      ASSERT_TRUE(sameBits(quantized[i],
                           (std::min(std::max(cq, qmin), qmax) - zp) * sc))
          << "clamp + fake quant of " << xs[i];
      // The straight-through gradient as first written, with
      // std::nearbyint: the bounded rounding changes no decision.
      float qn = std::nearbyint(xs[i] / sc) + zp;
      float ste = qn >= qmin && qn <= qmax ? gs[i] : 0.0f;
      ASSERT_TRUE(sameBits(dx[i], ste)) << "STE of " << xs[i];
      // greater + select.
      ASSERT_TRUE(sameBits(relu[i], as[i] > 0.0f ? ste : -0.0f))
          << "ReLU STE of " << as[i] << ", " << xs[i];
    }
  }
  ASSERT_TRUE(kernels::boundedRoundingExact(zp, qmin, qmax));
  // The bounded rounding is round half to even up to its bound.
  for (float v : {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 1e6f + 0.5f,
                  4194303.5f, 1.49999988f})
    EXPECT_EQ(kernels::roundHalfEvenBounded(v), std::nearbyint(v)) << v;
}

/// A quantized conv + ReLU layer and its gradients, as the training graph
/// emits them; %dy is the gradient arriving from the next layer.
constexpr const char *kLayer = R"mlir(
  func.func @layer(%x: tensor<?x9x9x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>, %dy: tensor<?x5x5x4xf32>)
      -> (tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<4x3x3x3xf32>) {
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %s = "tosa.const"() {values = dense<0.02> : tensor<f32>} : () -> tensor<f32>
    %z = "tosa.const"() {values = dense<-128.0> : tensor<f32>} : () -> tensor<f32>
    %zero = "tosa.const"() {values = dense<0.0> : tensor<1x1x1x1xf32>} : () -> tensor<1x1x1x1xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x9x9x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x5x5x4xf32>
    %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x5x5x4xf32>) -> tensor<?x5x5x4xf32>
    %q = qapeft.fake_quant %r scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x5x5x4xf32>, tensor<f32>
    %g = qapeft.fake_quant_grad %r, %s, %z, %dy {scheme = #qapeft.scheme<bits = 8, storage = i8>} : (tensor<?x5x5x4xf32>, tensor<f32>, tensor<f32>, tensor<?x5x5x4xf32>) -> tensor<?x5x5x4xf32>
    %m = tosa.greater %y, %zero : (tensor<?x5x5x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x5x5x4xi1>
    %dr = tosa.select %m, %g, %zero : (tensor<?x5x5x4xi1>, tensor<?x5x5x4xf32>, tensor<1x1x1x1xf32>) -> tensor<?x5x5x4xf32>
    %dw = qapeft.conv2d_backprop_filter %x, %dr {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x9x9x3xf32>, tensor<?x5x5x4xf32>) -> tensor<4x3x3x3xf32>
    return %y, %r, %q, %dr, %dw : tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<?x5x5x4xf32>, tensor<4x3x3x3xf32>
  }
  func.func @filter_grad(%x: tensor<?x9x9x3xf32>, %dr: tensor<?x5x5x4xf32>) -> tensor<4x3x3x3xf32> {
    %dw = qapeft.conv2d_backprop_filter %x, %dr {dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x9x9x3xf32>, tensor<?x5x5x4xf32>) -> tensor<4x3x3x3xf32>
    return %dw : tensor<4x3x3x3xf32>
  })mlir";

TEST(Fusion, FusedGroupsGiveTheBitsOfTheSeparateOps) {
  SimModule m(kLayer);
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(3);
  // 20 images: several tasks of the image split.
  Tensor x = randomTensor({20, 9, 9, 3}, rng, -1.0f, 1.0f);
  Tensor w = randomTensor({4, 3, 3, 3}, rng, -1.0f, 1.0f);
  Tensor b = randomTensor({4}, rng, -0.5f, 0.5f);
  Tensor dy = randomTensor({20, 5, 5, 4}, rng);
  // The layer's forward and its ReLU gradient are one fused group each.
  EXPECT_EQ(m.interpreter->numFusedGroups("layer"), 2u);
  std::vector<Tensor> fused = m.run("layer", {x, w, b, dy});
  m.interpreter->setFusion(false);
  EXPECT_EQ(m.interpreter->numFusedGroups("layer"), 0u);
  std::vector<Tensor> separate = m.run("layer", {x, w, b, dy});
  ASSERT_EQ(fused.size(), 5u);
  ASSERT_EQ(separate.size(), 5u);
  for (size_t i = 0; i < fused.size(); ++i) {
    SCOPED_TRACE(i);
    expectSameBits(fused[i], separate[i]);
  }
  // The outputs are what the ops define: ReLU, a saturating fake quant
  // (scale 0.02, zero point -128: [0, 5.1]), and the masked gradient.
  const float *y = fused[0].data<float>(), *r = fused[1].data<float>(),
              *q = fused[2].data<float>(), *dr = fused[3].data<float>();
  int saturated = 0, masked = 0;
  for (int64_t i = 0; i < fused[0].numel(); ++i) {
    EXPECT_EQ(r[i], std::max(y[i], 0.0f));
    float code = std::nearbyint(r[i] / 0.02f) - 128.0f;
    EXPECT_EQ(q[i],
              (std::min(std::max(code, -128.0f), 127.0f) + 128.0f) * 0.02f);
    bool pass = y[i] > 0.0f && code <= 127.0f;
    EXPECT_EQ(dr[i], pass ? dy.data<float>()[i] : 0.0f);
    saturated += code > 127.0f;
    masked += !pass;
  }
  EXPECT_GT(saturated, 0) << "the test should reach the clamp of the range";
  EXPECT_GT(masked, 0);
}

TEST(Im2colReuse, FilterGradientMatchesAFreshComputation) {
  SimModule m(kLayer);
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(5);
  Tensor x = randomTensor({20, 9, 9, 3}, rng);
  Tensor w = randomTensor({4, 3, 3, 3}, rng);
  Tensor b = randomTensor({4}, rng);
  Tensor dy = randomTensor({20, 5, 5, 4}, rng);
  // @layer reuses its conv2d's im2col matrix of %x for the filter
  // gradient; @filter_grad computes it afresh: the same bits.
  std::vector<Tensor> out = m.run("layer", {x, w, b, dy});
  ASSERT_EQ(out.size(), 5u);
  std::vector<Tensor> fresh = m.run("filter_grad", {x, out[3]});
  ASSERT_EQ(fresh.size(), 1u);
  expectSameBits(out[4], fresh[0]);

  // And it is the filter gradient: sum over images and positions of
  // dr * x at the tap (pad 1, stride 2).
  const float *px = x.data<float>(), *pd = out[3].data<float>();
  for (int64_t o = 0; o < 4; ++o)
    for (int64_t ky = 0; ky < 3; ++ky)
      for (int64_t kx = 0; kx < 3; ++kx)
        for (int64_t c = 0; c < 3; ++c) {
          double sum = 0.0;
          for (int64_t n = 0; n < 20; ++n)
            for (int64_t oy = 0; oy < 5; ++oy)
              for (int64_t ox = 0; ox < 5; ++ox) {
                int64_t iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx;
                if (iy < 0 || iy >= 9 || ix < 0 || ix >= 9)
                  continue;
                sum += double(pd[((n * 5 + oy) * 5 + ox) * 4 + o]) *
                       px[((n * 9 + iy) * 9 + ix) * 3 + c];
              }
          EXPECT_NEAR(out[4].data<float>()[((o * 3 + ky) * 3 + kx) * 3 + c],
                      sum, 1e-4);
        }

  // A caller may change its tensors between runs: nothing is reused across
  // runs, so the next run sees the new input.
  for (int64_t i = 0; i < x.numel(); ++i)
    x.data<float>()[i] *= -0.5f;
  std::vector<Tensor> again = m.run("layer", {x, w, b, dy});
  std::vector<Tensor> freshAgain = m.run("filter_grad", {x, again[3]});
  expectSameBits(again[4], freshAgain[0]);
  EXPECT_FALSE(std::memcmp(again[4].raw(), out[4].raw(), out[4].byteSize()) ==
               0);
}

TEST(IntegerDgemm, ExactnessBound) {
  // int8 x int8: |x - zp| <= 255, |w| <= 128, so K up to 2^37 is exact.
  EXPECT_TRUE(kernels::dgemmIsExact(255, 128, int64_t(1) << 37));
  EXPECT_FALSE(kernels::dgemmIsExact(256, 128, int64_t(1) << 38));
  // 2^15 * 2^7 * 2^31 = 2^53 is one too many.
  EXPECT_TRUE(kernels::dgemmIsExact(32768, 128, (int64_t(1) << 31) - 1));
  EXPECT_FALSE(kernels::dgemmIsExact(32768, 128, int64_t(1) << 31));
  // No overflow in the bound itself.
  int64_t big = std::numeric_limits<int64_t>::max();
  EXPECT_FALSE(kernels::dgemmIsExact(big, big, big));
  EXPECT_TRUE(kernels::dgemmIsExact(0, big, big));
}

/// Random integers in [lo, hi] as a tensor of `dtype`.
Tensor randomInts(DType dtype, llvm::ArrayRef<int64_t> shape, std::mt19937 &rng,
                  int64_t lo, int64_t hi) {
  std::uniform_int_distribution<int64_t> dist(lo, hi);
  Tensor t = Tensor::empty(dtype, shape);
  for (int64_t i = 0; i < t.numel(); ++i)
    t.setInt(i, dist(rng));
  return t;
}

TEST(IntegerDgemm, ConvAndMatmulEqualTheInt64Loops) {
  // Full-range int8 operands with an input zero point, a stride, padding and
  // a dilation, and 20 images (several tasks).
  SimModule m(R"mlir(
    func.func @conv(%x: tensor<20x9x8x5xi8>, %w: tensor<4x3x3x5xi8>, %b: tensor<4xi32>) -> tensor<20x5x3x4xi32> {
      %xzp = "tosa.const"() {values = dense<-3> : tensor<1xi8>} : () -> tensor<1xi8>
      %wzp = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
      %y = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, pad = array<i64: 1, 1, 1, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 2>} : (tensor<20x9x8x5xi8>, tensor<4x3x3x5xi8>, tensor<4xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<20x5x3x4xi32>
      return %y : tensor<20x5x3x4xi32>
    }
    func.func @mm(%a: tensor<2x5x300xi8>, %b: tensor<1x300x3xi8>) -> tensor<2x5x3xi32> {
      %azp = "tosa.const"() {values = dense<7> : tensor<1xi8>} : () -> tensor<1xi8>
      %bzp = "tosa.const"() {values = dense<-2> : tensor<1xi8>} : () -> tensor<1xi8>
      %y = tosa.matmul %a, %b, %azp, %bzp : (tensor<2x5x300xi8>, tensor<1x300x3xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<2x5x3xi32>
      return %y : tensor<2x5x3xi32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(13);
  Tensor x = randomInts(DType::I8, {20, 9, 8, 5}, rng, -128, 127);
  Tensor w = randomInts(DType::I8, {4, 3, 3, 5}, rng, -127, 127);
  Tensor b = randomInts(DType::I32, {4}, rng, -100000, 100000);
  std::vector<Tensor> y = m.run("conv", {x, w, b});
  ASSERT_EQ(y.size(), 1u);
  // oh = (9 + 2 - 2 - 1) / 2 + 1 = 5, ow = (8 + 1 - 4 - 1) / 2 + 1 = 3.
  ASSERT_EQ(y[0].shape(), llvm::ArrayRef<int64_t>({20, 5, 3, 4}));
  for (int64_t n = 0; n < 20; ++n)
    for (int64_t oy = 0; oy < 5; ++oy)
      for (int64_t ox = 0; ox < 3; ++ox)
        for (int64_t o = 0; o < 4; ++o) {
          int64_t sum = b.getInt(o);
          for (int64_t ky = 0; ky < 3; ++ky)
            for (int64_t kx = 0; kx < 3; ++kx) {
              int64_t iy = oy * 2 - 1 + ky, ix = ox * 2 - 1 + kx * 2;
              if (iy < 0 || iy >= 9 || ix < 0 || ix >= 8)
                continue;
              for (int64_t c = 0; c < 5; ++c)
                sum += (x.getInt(((n * 9 + iy) * 8 + ix) * 5 + c) + 3) *
                       w.getInt(((o * 3 + ky) * 3 + kx) * 5 + c);
            }
          ASSERT_EQ(y[0].getInt(((n * 5 + oy) * 3 + ox) * 4 + o), sum)
              << n << " " << oy << " " << ox << " " << o;
        }

  Tensor a = randomInts(DType::I8, {2, 5, 300}, rng, -128, 127);
  Tensor bm = randomInts(DType::I8, {1, 300, 3}, rng, -128, 127);
  std::vector<Tensor> p = m.run("mm", {a, bm});
  ASSERT_EQ(p.size(), 1u);
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t i = 0; i < 5; ++i)
      for (int64_t j = 0; j < 3; ++j) {
        int64_t sum = 0;
        for (int64_t k = 0; k < 300; ++k)
          sum += (a.getInt((n * 5 + i) * 300 + k) - 7) *
                 (bm.getInt(k * 3 + j) + 2);
        ASSERT_EQ(p[0].getInt((n * 5 + i) * 3 + j), sum);
      }
}

} // namespace
