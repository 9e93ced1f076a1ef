//===- RequantizeTest.cpp - exact requantization arithmetic ---------------===//
//
// Hand-computed cases for every rounding mode: exact .5 ties (positive and
// negative), shifts above 31, saturation, the 2^31 multiplier edge, and
// cross-checks that two formulations real runtimes use agree bit for bit
// (gemmlowp double rounding vs TOSA DOUBLE_ROUND, TFLite int16x8 vs TOSA
// apply_scale_16).
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/Requantize.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <limits>

using namespace mlir::qapeft::numerics;

namespace {
constexpr int32_t kHalf = int32_t(1) << 30; // 0.5 as a Q31 multiplier
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

/// Deterministic 64-bit LCG so the randomized cross-checks are reproducible.
struct Lcg {
  uint64_t state;
  uint64_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  }
  int64_t range(int64_t lo, int64_t hi) {
    return lo + int64_t(next() % uint64_t(hi - lo + 1));
  }
};

TEST(Rounding, HalfToEvenAndAwayOnTies) {
  EXPECT_EQ(roundHalfToEven(0.5), 0);
  EXPECT_EQ(roundHalfToEven(1.5), 2);
  EXPECT_EQ(roundHalfToEven(2.5), 2);
  EXPECT_EQ(roundHalfToEven(-0.5), 0);
  EXPECT_EQ(roundHalfToEven(-1.5), -2);
  EXPECT_EQ(roundHalfToEven(-2.5), -2);
  EXPECT_EQ(roundHalfToEven(2.5000001), 3);
  EXPECT_EQ(roundHalfAwayFromZero(0.5), 1);
  EXPECT_EQ(roundHalfAwayFromZero(2.5), 3);
  EXPECT_EQ(roundHalfAwayFromZero(-0.5), -1);
  EXPECT_EQ(roundHalfAwayFromZero(-2.5), -3);
  EXPECT_EQ(roundHalfToEven(1e300), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(roundHalfToEven(-1e300), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(roundHalfToEven(std::nan("")), 0);
}

TEST(Quantize, FloatQuantizerRoundsHalfEvenAndClamps) {
  EXPECT_EQ(quantizeFloat(0.25f, 0.5f, 0, -128, 127), 0);  // 0.5 -> 0
  EXPECT_EQ(quantizeFloat(0.75f, 0.5f, 0, -128, 127), 2);  // 1.5 -> 2
  EXPECT_EQ(quantizeFloat(-0.75f, 0.5f, 0, -128, 127), -2); // -1.5 -> -2
  EXPECT_EQ(quantizeFloat(-1.25f, 0.5f, 0, -128, 127), -2); // -2.5 -> -2
  EXPECT_EQ(quantizeFloat(100.0f, 0.5f, -128, -128, 127), 72);
  EXPECT_EQ(quantizeFloat(1000.0f, 0.5f, -128, -128, 127), 127);
  EXPECT_EQ(quantizeFloat(-1000.0f, 0.5f, 0, -127, 127), -127); // narrow
  EXPECT_EQ(quantizeFloat(3e38f, 1e-30f, 5, -128, 127), 127);   // inf ratio
  EXPECT_FLOAT_EQ(dequantizeFloat(72, 0.5f, -128), 100.0f);
}

TEST(Quantize, BiasRoundsHalfEvenAndReportsOverflow) {
  EXPECT_EQ(quantizeBias(1.0f, 0.5f, 0.25f, 32), 8);
  EXPECT_EQ(quantizeBias(0.1875f, 0.5f, 0.25f, 32), 2);  // 1.5 -> 2
  EXPECT_EQ(quantizeBias(0.3125f, 0.5f, 0.25f, 32), 2);  // 2.5 -> 2
  EXPECT_EQ(quantizeBias(-0.3125f, 0.5f, 0.25f, 32), -2);
  // 2^31 - 1 fits, 2^31 does not.
  EXPECT_EQ(quantizeBias(1073741824.0f, 0.5f, 1.0f, 32), std::nullopt);
  EXPECT_EQ(quantizeBias(-1073741824.0f, 0.5f, 1.0f, 32),
            -(int64_t(1) << 31));
  EXPECT_EQ(quantizeBias(536870912.0f, 0.5f, 1.0f, 32),
            int64_t(1) << 30);
  EXPECT_EQ(quantizeBias(1e10f, 1e-3f, 1e-3f, 32), std::nullopt);
  EXPECT_EQ(quantizeBias(-16384.5f, 0.5f, 1.0f, 16), std::nullopt);
  EXPECT_EQ(quantizeBias(-16384.0f, 0.5f, 1.0f, 16), -32768);
  EXPECT_EQ(quantizeBias(16383.5f, 0.5f, 1.0f, 16), 32767);
  EXPECT_EQ(quantizeBias(16384.0f, 0.5f, 1.0f, 16), std::nullopt);
  EXPECT_EQ(quantizeBias(1.0f, 0.0f, 1.0f, 32), std::nullopt);
  // 64-bit biases (TFLite int16x8): 2^62 fits, 2^63 does not.
  EXPECT_EQ(quantizeBias(std::ldexp(1.0f, 62), 1.0f, 1.0f, 64),
            int64_t(1) << 62);
  EXPECT_EQ(quantizeBias(std::ldexp(1.0f, 63), 1.0f, 1.0f, 64), std::nullopt);
  EXPECT_EQ(quantizeBias(-std::ldexp(1.0f, 63), 1.0f, 1.0f, 64),
            std::numeric_limits<int64_t>::min());
}

TEST(Multiplier, QuantizeMultiplierLikeTFLite) {
  EXPECT_EQ(quantizeMultiplier(0.5, false), (QuantizedMultiplier{kHalf, 0}));
  EXPECT_EQ(quantizeMultiplier(1.0, false), (QuantizedMultiplier{kHalf, 1}));
  EXPECT_EQ(quantizeMultiplier(0.25, false), (QuantizedMultiplier{kHalf, -1}));
  EXPECT_EQ(quantizeMultiplier(0.75, false),
            (QuantizedMultiplier{1610612736, 0}));
  // Mantissa * 2^31 = 2^30 + 0.5: TfLiteRound goes away from zero.
  EXPECT_EQ(quantizeMultiplier(0.5 + std::ldexp(1.0, -32), false),
            (QuantizedMultiplier{kHalf + 1, 0}));
  // The 2^31 edge: 1 - 2^-33 rounds to a 2^31 mantissa and renormalizes.
  EXPECT_EQ(quantizeMultiplier(1.0 - std::ldexp(1.0, -33), false),
            (QuantizedMultiplier{kHalf, 1}));
  // Just below the edge stays at 2^31 - 1.
  EXPECT_EQ(quantizeMultiplier(1.0 - std::ldexp(1.0, -31), false),
            (QuantizedMultiplier{kInt32Max, 0}));
  // Smallest kept scale (shift -31), then flushed to zero below it.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -32), false),
            (QuantizedMultiplier{kHalf, -31}));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -33), false),
            (QuantizedMultiplier{0, 0}));
  // Single rounding saturates shifts above 30.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, 31), false),
            (QuantizedMultiplier{kHalf, 32}));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, 31), true),
            (QuantizedMultiplier{kInt32Max, 30}));
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, 29), true),
            (QuantizedMultiplier{kHalf, 30}));
  EXPECT_EQ(quantizeMultiplier(0.0, true), (QuantizedMultiplier{0, 0}));
  EXPECT_EQ(quantizeMultiplier(-0.5, true), (QuantizedMultiplier{0, 0}));
}

TEST(Multiplier, ReducedSixteenBitMultiplier) {
  EXPECT_EQ(reduceMultiplierTo16(kHalf), 16384);
  EXPECT_EQ(reduceMultiplierTo16(0x12348000), 0x1235); // tie rounds up
  EXPECT_EQ(reduceMultiplierTo16(0x12347FFF), 0x1234);
  EXPECT_EQ(reduceMultiplierTo16(0x7FFEFFFF), 0x7FFF);
  EXPECT_EQ(reduceMultiplierTo16(0x7FFF0000), 0x7FFF); // would be 0x8000
  EXPECT_EQ(reduceMultiplierTo16(kInt32Max), 0x7FFF);
}

TEST(Multiplier, TosaReferenceScales) {
  EXPECT_EQ(computeTosaScale32(0.5), (TosaScale{kHalf, 31}));
  EXPECT_EQ(computeTosaScale32(1.0 - std::ldexp(1.0, -33)),
            (TosaScale{kHalf, 30}));
  EXPECT_EQ(computeTosaScale16(0.5), (TosaScale{16384, 15}));
  EXPECT_EQ(computeTosaScale16(0.75), (TosaScale{24576, 15}));
  // Shifts above 62 move into the multiplier (TFLite would flush to 0).
  EXPECT_EQ(computeTosaScale32(std::ldexp(1.0, -40)),
            (TosaScale{int32_t(1) << 22, 62}));
  EXPECT_EQ(computeTosaScale32(-1.0), std::nullopt);
  // In the common range the TOSA reference and TFLite agree exactly.
  Lcg rng{42};
  for (int i = 0; i < 20000; ++i) {
    // Mantissas in [0.5, 1), exponents keeping TFLite's shift in range.
    double scale = std::ldexp(double(rng.range(1 << 29, (1 << 30) - 1)) /
                                  (1 << 30),
                              int(rng.range(-30, 20)));
    EXPECT_EQ(computeTosaScale32(scale),
              toTosaScale32(quantizeMultiplier(scale, false)))
        << scale;
  }
}

TEST(Multiplier, RescaleMultiplierPerMode) {
  EXPECT_EQ(rescaleMultiplier(0.5, Rounding::Single, true),
            (TosaScale{kHalf, 31}));
  EXPECT_EQ(rescaleMultiplier(0.5, Rounding::Single, false),
            (TosaScale{16384, 15}));
  EXPECT_EQ(rescaleMultiplier(std::ldexp(1.0, -40), Rounding::Double, true),
            (TosaScale{0, 31}));
  // 2^29 needs a TOSA shift of 1: not expressible.
  EXPECT_EQ(rescaleMultiplier(std::ldexp(1.0, 29), Rounding::Single, true),
            std::nullopt);
  EXPECT_EQ(rescaleMultiplier(std::ldexp(1.0, 28), Rounding::Double, true),
            (TosaScale{kHalf, 2}));
  EXPECT_EQ(rescaleMultiplier(std::nan(""), Rounding::Double, true),
            std::nullopt);
}

TEST(Multiplier, XnnpackScaleIsFloat32LeftToRight) {
  // (1e-30 * 1e-30) underflows in float32 before the division; a double
  // or right-to-left evaluation would give 1e-30.
  EXPECT_EQ(xnnpackRequantizationScale(1e-30f, 1e-30f, 1e-30f), 0.0f);
  EXPECT_EQ(xnnpackRequantizationScale(0.5f, 0.25f, 0.125f), 1.0f);
}

TEST(Gemmlowp, SaturatingRoundingDoublingHighMul) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kHalf, kHalf), 536870912);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1, kHalf), 1);   // 0.5 -> 1
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-1, kHalf), 0);  // -0.5 -> 0
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, kHalf), -1); // -1.5 -> -1
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, kHalf), 2);   // 1.5 -> 2
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Min, kInt32Min),
            kInt32Max);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Min, kInt32Max),
            -kInt32Max);
}

TEST(Gemmlowp, RoundingDivideByPOTTiesAwayFromZero) {
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(roundingDivideByPOT(3, 1), 2);
  EXPECT_EQ(roundingDivideByPOT(-3, 1), -2);
  EXPECT_EQ(roundingDivideByPOT(-2, 2), -1);
  EXPECT_EQ(roundingDivideByPOT(-6, 2), -2);
  EXPECT_EQ(roundingDivideByPOT(7, 2), 2);
  EXPECT_EQ(roundingDivideByPOT(-7, 2), -2);
  EXPECT_EQ(roundingDivideByPOT(-5, 2), -1);
  EXPECT_EQ(roundingDivideByPOT(-123, 0), -123);
  EXPECT_EQ(roundingDivideByPOT(kInt32Min, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kInt32Max, 31), 1);
}

TEST(TFLite, SingleVersusDoubleRounding) {
  // x * 0.375: single rounding gives 0, the double rounding 0.75 -> 1 ->
  // 0.5 -> 1 (and -1 for negative x).
  const int32_t m = 1610612736; // 0.75
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(1, m, -1), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(1, m, -1), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-1, m, -1), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-1, m, -1), -1);
  // Exact ties: single goes up, double away from zero.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(3, kHalf, 0), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-3, kHalf, 0), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-512, kHalf, -9), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-512, kHalf, -9), 0);
  // Left shifts (multiplier > 1).
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(100, kHalf, 3), 400);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(100, kHalf, 3), 400);
  // The int32 product x << left wraps before the multiply.
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(1 << 30, kHalf, 2), 0);
}

TEST(TFLite, Int16x8ReducedMultiplier) {
  // 0.75 * 2^-3: m16 = 24576, total shift 18.
  const int32_t m = 1610612736;
  EXPECT_EQ(multiplyByQuantizedMultiplierInt64(1000, m, -3), 94); // 93.75
  EXPECT_EQ(multiplyByQuantizedMultiplierInt64(-1000, m, -3), -94);
  // Exact ties: 16 * 0.09375 = 1.5 -> 2, -1.5 -> -1 (ties up).
  EXPECT_EQ(multiplyByQuantizedMultiplierInt64(16, m, -3), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierInt64(-16, m, -3), -1);
  // 48-bit accumulators.
  int64_t big = (int64_t(1) << 46) + 12345;
  EXPECT_EQ(multiplyByQuantizedMultiplierInt64(big, kHalf, -20),
            int32_t((big * 16384 + (int64_t(1) << 34)) >> 35));
}

TEST(Tosa, ApplyScale32SingleAndDoubleWithLargeShifts) {
  // shift 40: 1000 / 1024 -> 1; 512 / 1024 = 0.5 tie.
  EXPECT_EQ(applyScale32(1000, kHalf, 40, false), 1);
  EXPECT_EQ(applyScale32(512, kHalf, 40, false), 1);
  EXPECT_EQ(applyScale32(-512, kHalf, 40, false), 0); // ties up
  EXPECT_EQ(applyScale32(512, kHalf, 40, true), 1);
  EXPECT_EQ(applyScale32(-512, kHalf, 40, true), -1); // away from zero
  // The double-round nudge only exists for shifts > 31.
  EXPECT_EQ(applyScale32(-3, kHalf, 31, true), -1);
  EXPECT_EQ(applyScale32(-3, kHalf, 31, false), -1);
  // Shift 62 with extreme operands.
  EXPECT_EQ(applyScale32(kInt32Max, kInt32Max, 62, false), 1);
  EXPECT_EQ(applyScale32(kInt32Min, kInt32Max, 62, false), -1);
  EXPECT_EQ(applyScale32(kInt32Min, kInt32Max, 62, true), -1);
  EXPECT_TRUE(applyScale32InContract(kInt32Min, kInt32Max, 62));
  EXPECT_FALSE(applyScale32InContract(4, kHalf, 3));  // value >= 2^(s-1)
  EXPECT_TRUE(applyScale32InContract(-4, kHalf, 3));
  EXPECT_FALSE(applyScale32InContract(0, kHalf, 1));
  EXPECT_FALSE(applyScale32InContract(0, -1, 31));
}

TEST(Tosa, ApplyScale16) {
  EXPECT_EQ(applyScale16(3, 16384, 15), 2);  // 1.5 -> 2
  EXPECT_EQ(applyScale16(-3, 16384, 15), -1); // -1.5 -> -1
  EXPECT_EQ(applyScale16(int64_t(1) << 46, 0x7FFF, 20),
            int32_t(((int64_t(1) << 46) * 0x7FFF + (1 << 19)) >> 20));
  EXPECT_TRUE(applyScale16InContract(int64_t(1) << 46, 0x7FFF, 30));
  EXPECT_FALSE(applyScale16InContract(int64_t(1) << 46, 0x7FFF, 20));
  EXPECT_FALSE(applyScale16InContract(0, 0x8000, 20));
  EXPECT_FALSE(applyScale16InContract(int64_t(1) << 47, 1, 20));
}

TEST(HalfAway, TiesAwayFromZero) {
  EXPECT_EQ(applyScaleHalfAway(3, kHalf, 31), 2);
  EXPECT_EQ(applyScaleHalfAway(-3, kHalf, 31), -2);
  EXPECT_EQ(applyScaleHalfAway(-1, kHalf, 31), -1);
  EXPECT_EQ(applyScaleHalfAway(5, kHalf, 32), 1);   // 1.25
  EXPECT_EQ(applyScaleHalfAway(-5, kHalf, 32), -1); // -1.25
  EXPECT_EQ(applyScaleHalfAway(-512, kHalf, 40), -1);
  EXPECT_EQ(applyScaleHalfAway(-511, kHalf, 40), 0);
}

TEST(Fp32, XnnpackOrder) {
  EXPECT_EQ(requantizeFp32(5, 0.5f, 0, -128, 127), 2);   // 2.5 -> 2
  EXPECT_EQ(requantizeFp32(7, 0.5f, 0, -128, 127), 4);   // 3.5 -> 4
  EXPECT_EQ(requantizeFp32(-5, 0.5f, 0, -128, 127), -2); // -2.5 -> -2
  EXPECT_EQ(requantizeFp32(5, 0.5f, 3, -128, 127), 5);
  // Clamped relative to the zero point before rounding.
  EXPECT_EQ(requantizeFp32(1000, 0.5f, 100, -128, 127), 127);
  EXPECT_EQ(requantizeFp32(-1000, 0.5f, 100, -128, 127), -128);
  EXPECT_EQ(requantizeFp32(-1000, 0.5f, -128, -128, 127), -128); // ReLU floor
  // float(acc) rounds to 24 bits first: 2^24 + 1 -> 2^24.
  EXPECT_EQ(requantizeFp32((1 << 24) + 1, 1.0f, 0, kInt32Min, kInt32Max),
            1 << 24);
  // The product is a float32 product: 3 * 0.1f = 0.3000000119 -> 0,
  // while 5 * 0.1f = 0.5 exactly (in float) -> 0 (even), 15 * 0.1f -> 2.
  EXPECT_EQ(requantizeFp32(5, 0.1f, 0, -128, 127), 0);
  EXPECT_EQ(requantizeFp32(15, 0.1f, 0, -128, 127), 2);
  EXPECT_EQ(requantizeFp32(25, 0.1f, 0, -128, 127), 2);
}

TEST(Requantize, AllModesWithZeroPointAndSaturation) {
  RequantParams p;
  p.scale = TosaScale{kHalf, 31}; // 0.5
  p.fpScale = 0.5f;
  int64_t expected[4][4] = {
      // value: 5, -5, 234 (zp 10 -> 127), 236 (saturates)
      {3, -2, 127, 127}, // single: 2.5 -> 3, -2.5 -> -2
      {3, -2, 127, 127}, // double (shift 31: no second rounding)
      {2, -2, 127, 127}, // fp32 half even
      {3, -3, 127, 127}, // half away
  };
  Rounding modes[4] = {Rounding::Single, Rounding::Double,
                       Rounding::Fp32HalfEven, Rounding::HalfAway};
  int64_t values[4] = {5, -5, 234, 236};
  for (int m = 0; m < 4; ++m) {
    p.mode = modes[m];
    for (int v = 0; v < 2; ++v)
      EXPECT_EQ(requantize(values[v], p, 0, -128, 127), expected[m][v])
          << roundingName(modes[m]) << " " << values[v];
    for (int v = 2; v < 4; ++v)
      EXPECT_EQ(requantize(values[v], p, 10, -128, 127), expected[m][v])
          << roundingName(modes[m]) << " " << values[v];
    EXPECT_EQ(requantize(-100000, p, 0, -128, 127), -128);
    EXPECT_EQ(requantize(100000, p, 0, -32768, 32767), 32767);
  }
  p.mode = Rounding::Single;
  p.scale32 = false;
  p.scale = TosaScale{16384, 15};
  EXPECT_EQ(requantize(-3, p, 0, -32768, 32767), -1);
}

// gemmlowp's double rounding and TOSA's DOUBLE_ROUND (shift = 31 - tflite
// shift, nudge 2^30 for shifts > 31) are the same function wherever the
// gemmlowp left shift does not overflow; the lowering relies on it.
TEST(CrossCheck, GemmlowpEqualsTosaDoubleRound) {
  Lcg rng{7};
  for (int i = 0; i < 200000; ++i) {
    int32_t m = int32_t(rng.range(int64_t(1) << 30, (int64_t(1) << 31) - 1));
    int shift = int(rng.range(-31, 8));
    int64_t limit = int64_t(1) << (31 - std::max(shift, 0) - 1);
    int32_t x = int32_t(rng.range(-limit, limit - 1));
    if (i % 4 == 0) // force exact ties on the first rounding
      x = int32_t(rng.range(-1000, 1000));
    int32_t gemmlowp = multiplyByQuantizedMultiplierDouble(x, m, shift);
    TosaScale t = toTosaScale32(QuantizedMultiplier{m, shift});
    ASSERT_EQ(gemmlowp, applyScale32(x, t.multiplier, t.shift, true))
        << "x=" << x << " m=" << m << " shift=" << shift;
    ASSERT_EQ(multiplyByQuantizedMultiplierSingle(x, m, shift),
              applyScale32(x, t.multiplier, t.shift, false))
        << "x=" << x << " m=" << m << " shift=" << shift;
  }
}

TEST(CrossCheck, TFLiteInt16x8EqualsTosaScale16) {
  Lcg rng{11};
  for (int i = 0; i < 100000; ++i) {
    int32_t m = int32_t(rng.range(int64_t(1) << 30, (int64_t(1) << 31) - 1));
    int shift = int(rng.range(-31, 0));
    int64_t x = rng.range(-(int64_t(1) << 40), int64_t(1) << 40);
    TosaScale t = toTosaScale16(QuantizedMultiplier{m, shift});
    ASSERT_EQ(multiplyByQuantizedMultiplierInt64(x, m, shift),
              applyScale16(x, t.multiplier, t.shift));
  }
}

TEST(CrossCheck, FixedPointModesAgreeWithExactRationalOffTies) {
  // Away from ties single and half-away rounding give the nearest integer
  // of value * m / 2^s (checked against long double); double rounding may
  // be off by one where the first rounding at bit 31 crosses a half.
  Lcg rng{3};
  for (int i = 0; i < 50000; ++i) {
    int32_t m = int32_t(rng.range(int64_t(1) << 30, (int64_t(1) << 31) - 1));
    int shift = int(rng.range(32, 50));
    int32_t x = int32_t(rng.range(-(int64_t(1) << 24), int64_t(1) << 24));
    long double exact = (long double)x * m / std::ldexp(1.0L, shift);
    long double frac = exact - std::floor(exact);
    if (std::fabs(frac - 0.5L) < 1e-6L)
      continue;
    int32_t nearest = int32_t(std::llround(exact));
    ASSERT_EQ(applyScale32(x, m, shift, false), nearest);
    ASSERT_LE(std::abs(applyScale32(x, m, shift, true) - nearest), 1);
    ASSERT_EQ(applyScaleHalfAway(x, m, shift), nearest);
  }
}
} // namespace

namespace {

TEST(XnnpackQuantizeTest, EightBitMultiplierInTheDelegatesRange) {
  using namespace mlir::qapeft::numerics;
  // lrintf rounds 256 s to even: 2.5 -> 2, 3.5 -> 4.
  EXPECT_EQ(xnnpackQuantizeMultiplier(2.5f / 256.0f), 2);
  EXPECT_EQ(xnnpackQuantizeMultiplier(3.5f / 256.0f), 4);
  // The range ends are taken; just outside, the builtin kernel runs.
  EXPECT_EQ(xnnpackQuantizeMultiplier(0x1.0p-8f), 1);
  EXPECT_EQ(xnnpackQuantizeMultiplier(0x1.0p+7f), 32768);
  EXPECT_EQ(xnnpackQuantizeMultiplier(0x1.0p-9f), std::nullopt);
  EXPECT_EQ(xnnpackQuantizeMultiplier(129.0f), std::nullopt);
  // The TOSA form doubles multiplier and shift.
  std::optional<TosaScale> t = xnnpackQuantizeScale(0.5f);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->multiplier, 256);
  EXPECT_EQ(t->shift, 9);
}

TEST(XnnpackQuantizeTest, TiesRoundUpAndTheResultSaturates) {
  using namespace mlir::qapeft::numerics;
  // s = 0.5 (m = 128): +-0.5 round up to 1 and 0, -1.5 to -1.
  EXPECT_EQ(xnnpackQuantize(1, 0, 0, 128), 1);
  EXPECT_EQ(xnnpackQuantize(-1, 0, 0, 128), 0);
  EXPECT_EQ(xnnpackQuantize(-3, 0, 0, 128), -1);
  // Zero points: (10 - 4) * 0.5 + 3 = 6.
  EXPECT_EQ(xnnpackQuantize(10, 4, 3, 128), 6);
  // s = 2 (m = 512): 127 * 2 saturates.
  EXPECT_EQ(xnnpackQuantize(127, 0, 0, 512), 127);
  EXPECT_EQ(xnnpackQuantize(-128, 0, 0, 512), -128);
}

} // namespace
