//===- TFLiteNumericsTest.cpp - TFLite's multiplier and activation math ---===//
//
// The exporter accepts a graph only if its rescales equal what TFLite derives
// from the file's float scales, so these helpers must reproduce TFLite's
// QuantizeMultiplier, its 16-bit reduction and its activation bounds exactly.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Target/TFLite.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>

using namespace mlir::qapeft;

namespace {

TEST(TFLiteQuantizeMultiplier, PowersOfTwo) {
  EXPECT_EQ(quantizeMultiplier(0.5), std::make_pair(int32_t(1) << 30, 0));
  EXPECT_EQ(quantizeMultiplier(0.25), std::make_pair(int32_t(1) << 30, -1));
  EXPECT_EQ(quantizeMultiplier(1.0), std::make_pair(int32_t(1) << 30, 1));
  EXPECT_EQ(quantizeMultiplier(0.0), std::make_pair(0, 0));
}

TEST(TFLiteQuantizeMultiplier, RoundsHalfAwayAndRenormalizes) {
  // 0.005 = 0.64 * 2^-7 and 0.64 * 2^31 = 1374389534.72 -> 1374389535.
  EXPECT_EQ(quantizeMultiplier(0.005), std::make_pair(int32_t(1374389535), -7));
  // A mantissa that rounds up to 2^31 is renormalized to 2^30, shift + 1.
  auto [q2, s2] = quantizeMultiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(q2, int32_t(1) << 30);
  EXPECT_EQ(s2, 1);
}

TEST(TFLiteQuantizeMultiplier, TinyFlushesToZero) {
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -40)), std::make_pair(0, 0));
  // 2^-31 is still representable: mantissa 0.5, exponent -30.
  EXPECT_EQ(quantizeMultiplier(std::ldexp(1.0, -31)),
            std::make_pair(int32_t(1) << 30, -30));
}

TEST(TFLiteConvRescale, Int8UsesQ31) {
  // The scales of test/Target/TFLite/conv2d.mlir: 0.05 * 0.01 / 0.1.
  double m = double(0.05f) * double(0.01f) / double(0.1f);
  EXPECT_EQ(tfliteConvRescale(m, /*int16x8=*/false),
            std::make_pair(int32_t(1374389504), 38));
}

TEST(TFLiteConvRescale, Int16x8Reduces16Bits) {
  double m = double(0.001f) * double(0.3f) / double(0.002f);
  auto [q, s] = quantizeMultiplier(m);
  ASSERT_EQ(q, 1288490240);
  ASSERT_EQ(31 - s, 33);
  // (1288490240 + 2^15) >> 16 = 19661; 19661 << 16 = 1288503296.
  EXPECT_EQ(tfliteConvRescale(m, true, /*scale32=*/false),
            std::make_pair(int32_t(19661), 17));
  EXPECT_EQ(tfliteConvRescale(m, true, /*scale32=*/true),
            std::make_pair(int32_t(1288503296), 33));
  // Both forms compute the same: (acc * r + 2^16) >> 17 == (acc * (r << 16)
  // + 2^32) >> 33 for every acc.
  for (int64_t acc : {-123456789LL, -5LL, 0LL, 7LL, 98765432LL}) {
    int64_t a = (acc * 19661 + (int64_t(1) << 16)) >> 17;
    int64_t b = (acc * 1288503296LL + (int64_t(1) << 32)) >> 33;
    EXPECT_EQ(a, b) << acc;
  }
  // Q31 multipliers from 0x7FFF0000 up saturate to 0x7FFF instead of
  // rounding to 2^15: 0.99999 * 2^31 = 2147462173 >= 0x7FFF0000.
  EXPECT_EQ(tfliteConvRescale(0.99999, true, false),
            std::make_pair(int32_t(0x7FFF), 15));
}

TEST(TFLiteActivationRange, QuantizedBounds) {
  // NONE, RELU, RELU_N1_TO_1, RELU6 on int8 with scale 0.1, zero point 5.
  EXPECT_EQ(quantizedActivationRange(0, 0.1f, 5, -128, 127),
            std::make_pair(int64_t(-128), int64_t(127)));
  EXPECT_EQ(quantizedActivationRange(1, 0.1f, 5, -128, 127),
            std::make_pair(int64_t(5), int64_t(127)));
  EXPECT_EQ(quantizedActivationRange(2, 0.1f, 5, -128, 127),
            std::make_pair(int64_t(-5), int64_t(15)));
  EXPECT_EQ(quantizedActivationRange(3, 0.1f, 5, -128, 127),
            std::make_pair(int64_t(5), int64_t(65)));
  // RELU6 beyond the representable range saturates; zero below qmin clamps.
  EXPECT_EQ(quantizedActivationRange(3, 0.01f, 0, -128, 127),
            std::make_pair(int64_t(0), int64_t(127)));
  EXPECT_EQ(quantizedActivationRange(1, 0.5f, -200, -128, 127),
            std::make_pair(int64_t(-128), int64_t(127)));
  // int16, and a tie: +-1 / 2 = +-0.5 rounds away from zero.
  EXPECT_EQ(quantizedActivationRange(2, 2.0f, 0, -32768, 32767),
            std::make_pair(int64_t(-1), int64_t(1)));
}

} // namespace
