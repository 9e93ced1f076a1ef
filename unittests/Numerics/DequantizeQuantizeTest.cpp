//===- DequantizeQuantizeTest.cpp - TFLite's int8 -> int16 float route ----===//
//
// The widening at the entry of an int16x8 region (DequantizeQuantize.h):
// the float route's arithmetic on cases whose answer follows from float32
// and double rounding alone, and the rescale search, checked code by code
// against the float route over many scale pairs.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/DequantizeQuantize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>

using namespace mlir::qapeft::numerics;

namespace {
DequantizeQuantize route(float inScale, int64_t inZp, float outScale) {
  DequantizeQuantize dq;
  dq.inScale = inScale;
  dq.inZeroPoint = inZp;
  dq.outScale = outScale;
  return dq;
}

/// Deterministic LCG: reproducible scale pairs.
struct Lcg {
  uint64_t state = 7;
  double uniform() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

/// The rescale the lowering emits, evaluated as TOSA does (single rounding,
/// saturated to int16).
int64_t rescale(const DequantizeQuantize &dq, TosaScale s, int64_t q) {
  int64_t v = applyScale32(q - dq.inZeroPoint, s.multiplier, s.shift, false) +
              dq.outZeroPoint;
  return std::min<int64_t>(std::max<int64_t>(v, dq.outMin), dq.outMax);
}
} // namespace

// Exact halves round away from zero (TfLiteRound), on both signs.
TEST(DequantizeQuantize, TiesAwayFromZero) {
  DequantizeQuantize dq = route(0.5f, 0, 1.0f);
  EXPECT_EQ(dq.compute(1), 1);
  EXPECT_EQ(dq.compute(-1), -1);
  EXPECT_EQ(dq.compute(3), 2);
  EXPECT_EQ(dq.compute(-3), -2);
  EXPECT_EQ(dq.compute(-128), -64);
}

// QUANTIZE divides in double: float32(0.1f * 127) / double(0.2f) is just
// below 63.5 (a float32 division would round it to 63.5 and then to 64).
TEST(DequantizeQuantize, DivisionInDouble) {
  DequantizeQuantize dq = route(0.1f, 0, 0.2f);
  float f = 127.0f * 0.1f;
  ASSERT_EQ(f / 0.2f, 63.5f);
  EXPECT_LT(dq.unrounded(127), 63.5);
  EXPECT_EQ(dq.compute(127), 63);
  EXPECT_EQ(dq.compute(-127), -63);
}

// The zero point is subtracted before the float product, and the output
// saturates to int16.
TEST(DequantizeQuantize, ZeroPointAndSaturation) {
  DequantizeQuantize dq = route(0.25f, -5, 0.001f);
  EXPECT_EQ(dq.compute(-5), 0);
  EXPECT_EQ(dq.compute(-4), 250);
  EXPECT_EQ(dq.compute(127), 32767); // 33000 saturates
  EXPECT_EQ(dq.compute(-128), -30750);
  DequantizeQuantize tiny = route(0.25f, 0, 1e-6f);
  EXPECT_EQ(tiny.compute(-1), -32768);
  EXPECT_EQ(tiny.compute(1), 32767);
}

// TFLite's multiplier for 0.5 (2^30, shift 31) rounds -0.5 up to 0; the
// search moves it by one so that negative halves go down, and the result
// matches all 256 codes.
TEST(DequantizeQuantize, SearchFixesTies) {
  DequantizeQuantize dq = route(0.5f, 0, 1.0f);
  TosaScale standard{1 << 30, 31};
  std::optional<int64_t> bad = firstDequantizeQuantizeMismatch(dq, standard);
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(*bad, -127);
  std::optional<TosaScale> s = findDequantizeQuantizeRescale(dq);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->shift, 31);
  EXPECT_EQ(s->multiplier, (1 << 30) + 1);
  for (int64_t q = -128; q <= 127; ++q)
    EXPECT_EQ(rescale(dq, *s, q), dq.compute(q)) << "code " << q;
}

// When TFLite's multiplier is already exact, the search keeps it.
TEST(DequantizeQuantize, KeepsTheStandardMultiplier) {
  DequantizeQuantize dq = route(0.1f, -5, 0.001f);
  std::optional<TosaScale> standard =
      rescaleMultiplier(double(0.1f) / double(0.001f), Rounding::Single, true);
  ASSERT_TRUE(standard.has_value());
  ASSERT_FALSE(firstDequantizeQuantizeMismatch(dq, *standard).has_value());
  std::optional<TosaScale> s = findDequantizeQuantizeRescale(dq);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, *standard);
}

// float32(0.1f * x) / 0.2f lands just below the half for x = 127 and 125
// (rounded down) and exactly on it for x = 123 (rounded away, up): no
// straight line through the codes' rounding intervals exists, so no
// rescale is exact, and the search says so.
TEST(DequantizeQuantize, ImpossiblePairsAreReported) {
  DequantizeQuantize dq = route(0.1f, 0, 0.2f);
  EXPECT_EQ(dq.compute(123), 62);
  EXPECT_EQ(dq.compute(125), 62);
  EXPECT_EQ(dq.compute(127), 63);
  EXPECT_FALSE(findDequantizeQuantizeRescale(dq).has_value());
}

// Outside int32 the runtime's float -> int conversion is undefined: refused.
TEST(DequantizeQuantize, Int32RangeIsRefused) {
  DequantizeQuantize dq = route(1.0f, 0, 1e-8f);
  EXPECT_FALSE(dq.inInt32Range());
  EXPECT_FALSE(findDequantizeQuantizeRescale(dq).has_value());
}

// Over 5000 pairs spanning calibrated scales (input 4.5e-5 .. 1, ratio
// s_in / s_out e^-2 .. e^10, any zero point) the search finds an exact
// rescale for nearly all, and every rescale it returns agrees with the
// float route on all 256 codes (checked here independently of the
// search's own check).
TEST(DequantizeQuantize, SearchIsExactOverManyPairs) {
  Lcg rng;
  int found = 0;
  const int pairs = 5000;
  for (int i = 0; i < pairs; ++i) {
    float inScale = static_cast<float>(std::exp(-10.0 + 10.0 * rng.uniform()));
    int64_t zp = static_cast<int64_t>(rng.uniform() * 256.0) - 128;
    float outScale =
        static_cast<float>(inScale / std::exp(-2.0 + 12.0 * rng.uniform()));
    DequantizeQuantize dq = route(inScale, zp, outScale);
    std::optional<TosaScale> s = findDequantizeQuantizeRescale(dq);
    if (!s)
      continue;
    ++found;
    for (int64_t q = -128; q <= 127; ++q)
      ASSERT_EQ(rescale(dq, *s, q), dq.compute(q))
          << "scales " << inScale << " zp " << zp << " -> " << outScale
          << " code " << q;
  }
  // 99.8% measured; an exact rescale exists unless float32 noise bends the
  // codes' rounding pattern.
  EXPECT_GE(found, pairs * 99 / 100);
}
