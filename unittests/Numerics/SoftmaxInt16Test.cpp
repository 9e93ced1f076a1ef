//===- SoftmaxInt16Test.cpp - TFLite's int16 SOFTMAX arithmetic -----------===//
//
// Hand-computed values of the int16 SOFTMAX tables, lookups and rows
// (qapeft/Numerics/SoftmaxInt16.h), each worked out on paper from the
// formulas of gen_lut and reference_ops::SoftmaxInt16 (the comments show
// the steps), and properties that hold whatever the input. The bit-exact
// check against the runtime is test/Target/TFLite/conformance-softmax-
// int16.test; the row cases below also match what the runtime printed for
// them.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/SoftmaxInt16.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using namespace mlir::qapeft::numerics;

namespace {

TEST(SoftmaxInt16, ExpTableEntries) {
  const Int16Lut &lut = softmaxInt16ExpLut();
  // i = 0, x = -10: exp(-10) * 32768 = 1.4877 -> 1; the midpoint
  // exp(-9.99023) * 32768 = 1.5023 -> 2; the interpolated midpoint
  // round((exp(-9.98047) * 32768 + 1) / 2) = round(1.2585) = 1; the bias
  // round((1 - 2) / 2) = round(-0.5) = -1 (ties away from zero): 1 + 1 = 2.
  EXPECT_EQ(lut[0], 2);
  // i = 511, x = -0.0195: 32134.13 -> 32134; midpoint 32449.6 -> 32450;
  // interpolated round((32768 + 32134) / 2) = 32451; bias round(0.5) = 1.
  EXPECT_EQ(lut[511], 32133);
  // exp(0) * 32768 = 32768 saturates.
  EXPECT_EQ(lut[512], 32767);
  // exp is increasing: the table never decreases.
  for (int i = 0; i < 512; ++i)
    EXPECT_LE(lut[i], lut[i + 1]) << i;
}

TEST(SoftmaxInt16, ReciprocalTableEntries) {
  const Int16Lut &lut = softmaxInt16ReciprocalLut();
  // i = 0, x = 0: 32768 -> saturates at 32767 after the bias (0 here:
  // the interpolated and the true midpoint 1/(1 + 1/1024) * 32768 =
  // 32736.03 both round to 32736).
  EXPECT_EQ(lut[0], 32767);
  // i = 511, x = 511/512: 1/1.998047 * 32768 = 16400.02 -> 16400; midpoint
  // 16392.0 and interpolated round((16384 + 16400) / 2) = 16392: bias 0.
  EXPECT_EQ(lut[511], 16400);
  EXPECT_EQ(lut[512], 16384);
  for (int i = 0; i < 512; ++i)
    EXPECT_GE(lut[i], lut[i + 1]) << i;
}

// The tables are computed with std::exp in double; the runtime's libm may
// differ in the last ulp. Every value gen_lut rounds lies at least this far
// from a rounding tie (measured: 9.7e-5 for exp, 3.1e-4 for 1/(1+x)), far
// above any ulp-level difference (~1e-11 at magnitude 32768), so any
// correctly rounded or faithful libm gives the same tables.
TEST(SoftmaxInt16, TablesDoNotDependOnLibmUlps) {
  auto tieDistance = [](double v) {
    return std::fabs(v - std::floor(v) - 0.5);
  };
  auto margin = [&](double (*f)(double), double lo, double hi) {
    double step = (hi - lo) / 512, m = 1.0;
    for (int i = 0; i < 512; ++i) {
      double v = f(lo + i * step) * 32768;
      double mid = f(lo + i * step + step / 2) * 32768;
      double next = f(lo + (i + 1) * step) * 32768;
      m = std::min({m, tieDistance(v), tieDistance(mid),
                    tieDistance((next + std::round(v)) / 2)});
    }
    return std::min(m, tieDistance(f(hi) * 32768));
  };
  EXPECT_GT(margin([](double x) { return std::exp(x); }, -10.0, 0.0), 1e-6);
  EXPECT_GT(margin([](double x) { return 1.0 / (1.0 + x); }, 0.0, 1.0),
            1e-6);
}

TEST(SoftmaxInt16, Lookup) {
  const Int16Lut &e = softmaxInt16ExpLut();
  const Int16Lut &r = softmaxInt16ReciprocalLut();
  // 32767: index 511, offset 127, slope 32767 - 32133 = 634:
  // 32133 + ((634 * 127 + 64) >> 7) = 32133 + (80582 >> 7) = 32133 + 629.
  EXPECT_EQ(int16LutLookup(32767, e), 32762);
  // -32768: index 0, offset 0: the first entry.
  EXPECT_EQ(int16LutLookup(-32768, e), 2);
  // A negative slope rounds with an arithmetic shift: 32744 is index 511,
  // offset 104, slope -16: 16400 + ((-1664 + 64) >> 7) = 16400 - 13.
  EXPECT_EQ(int16LutLookup(32744, r), 16387);
  // Offsets 0 return the table entry itself.
  for (int i = 0; i < 512; ++i)
    EXPECT_EQ(int16LutLookup(static_cast<int16_t>((i - 256) * 128), e), e[i]);
}

TEST(SoftmaxInt16, InputMultiplier) {
  // 0.001 / (10 / 65535) = 6.5535 = 0.8191875 * 2^3.
  QuantizedMultiplier qm = softmaxInt16InputMultiplier(0.001f, 1.0f);
  EXPECT_EQ(qm.shift, 3);
  EXPECT_EQ(qm.multiplier,
            static_cast<int32_t>(std::round(
                static_cast<double>(0.001f) / (10.0 / 65535.0) / 8 *
                2147483648.0)));
  // beta enters through the float32 product input_scale * beta.
  EXPECT_EQ(softmaxInt16InputMultiplier(0.002f, 0.5f),
            softmaxInt16InputMultiplier(0.002f * 0.5f, 1.0f));
  // Scales below 2^-32 of the range flush to (0, 0).
  EXPECT_EQ(softmaxInt16InputMultiplier(1e-20f, 1.0f),
            (QuantizedMultiplier{0, 0}));
}

std::vector<int16_t> row(std::vector<int16_t> in, float scale) {
  std::vector<int16_t> out(in.size());
  softmaxInt16Row(in.data(), out.data(), static_cast<int64_t>(in.size()),
                  softmaxInt16InputMultiplier(scale, 1.0f));
  return out;
}

TEST(SoftmaxInt16, HandComputedRows) {
  // One value: e = 32762, sum = 32762, clz = 17, shifted = (32762 << 16 +
  // 2^13) >> 14 = 131048, r = lookup(131048 - 98304 = 32744) = 16387,
  // out = (32762 * 16387 + 2^13) >> 14 = 32768 -> 32767.
  EXPECT_EQ(row({5}, 0.001f), std::vector<int16_t>({32767}));
  EXPECT_EQ(row({-32768}, 0.7f), std::vector<int16_t>({32767}));
  // Two equal values: sum = 65524, clz = 16, shifted = 131048 again,
  // out = (32762 * 16387 + 2^14) >> 15 = 16384 (one half).
  EXPECT_EQ(row({5, 5}, 0.001f), std::vector<int16_t>({16384, 16384}));
  // A value 32768 codes (32.8 at scale 0.001) below the max: its exp is
  // the table's floor 2, sum = 32764, shifted = 131056, r = lookup(32752)
  // = 16400 + ((-16 * 112 + 64) >> 7) = 16386; out = (32762 * 16386 +
  // 2^13) >> 14 = 32766 and (2 * 16386 + 2^13) >> 14 = 2.
  EXPECT_EQ(row({0, -32768}, 0.001f), std::vector<int16_t>({32766, 2}));
}

TEST(SoftmaxInt16, CloseToRealSoftmax) {
  std::mt19937 rng(11);
  for (float scale : {0.0003f, 0.001f, 0.004f}) {
    for (int n : {3, 17, 300}) {
      // Codes within 12 / scale below 20000: exps of [-12, 0], some below
      // the table's range (exp(-10)).
      std::uniform_int_distribution<int> dist(
          -static_cast<int>(12.0f / scale), 0);
      std::vector<int16_t> in(n);
      for (int16_t &v : in)
        v = static_cast<int16_t>(20000 + dist(rng));
      std::vector<int16_t> out = row(in, scale);
      int16_t m = *std::max_element(in.begin(), in.end());
      double sum = 0;
      for (int16_t v : in)
        sum += std::exp(scale * (v - m));
      for (int j = 0; j < n; ++j) {
        double p = std::exp(scale * (in[j] - m)) / sum;
        // Each exp is off by a few Q0.15 steps (interpolation, and the
        // floor 2/32768 for exps below exp(-10)); the reciprocal is off by
        // about 1e-4 relative.
        EXPECT_NEAR(out[j] / 32768.0, p, 3e-4 * p + 4.0 / 32768.0)
            << "scale " << scale << " n " << n << " j " << j;
      }
    }
  }
}

TEST(SoftmaxInt16, DependsOnlyOnDistanceToRowMax) {
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> dist(-20000, 0);
  std::vector<int16_t> a(50), b(50);
  for (int j = 0; j < 50; ++j) {
    a[j] = static_cast<int16_t>(dist(rng));
    b[j] = static_cast<int16_t>(a[j] + 12345);
  }
  EXPECT_EQ(row(a, 0.0005f), row(b, 0.0005f));
}

} // namespace
