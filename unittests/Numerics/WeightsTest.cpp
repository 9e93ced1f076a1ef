//===- WeightsTest.cpp - shared float32 weight arithmetic -----------------===//

#include "qapeft/Numerics/Weights.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::qapeft::numerics;

namespace {

TEST(Lora, Scaling) {
  EXPECT_EQ(loraScaling(8.0f, 4), 2.0f);
  EXPECT_EQ(loraScaling(1.0f, 3), static_cast<float>(1.0 / 3.0));
  EXPECT_EQ(loraScaling(8.0f, 0), 0.0f);
}

TEST(Lora, MergeOutAxis0) {
  // W + 2 * B @ A with B @ A = [[1, -2], [0.125, -0.25]].
  std::vector<float> w = {1, 2, 3, 4}, a = {0.5f, -1.0f}, b = {2.0f, 0.25f};
  std::vector<float> out(4);
  mergeLora(w.data(), {2, 1, 1, 2}, a.data(), b.data(), 0, 1, 2.0f,
            out.data());
  EXPECT_EQ(out, (std::vector<float>{3.0f, -2.0f, 3.25f, 3.5f}));
}

TEST(Lora, MergeOutAxis1) {
  // [2, 3] weight, rows = axis 1 (3), columns = axis 0 (2).
  std::vector<float> w(6, 0.0f), a = {2, 4, 6, 8}, b = {1, 0, 0, 1, 1, 1};
  mergeLora(w.data(), {2, 3}, a.data(), b.data(), 1, 2, 0.5f, w.data());
  EXPECT_EQ(w, (std::vector<float>{1, 3, 4, 2, 4, 6}));
}

TEST(Lora, ProductIsRoundedBeforeTheAdd) {
  // (1 + 2^-23)(1 - 2^-23) = 1 - 2^-46 rounds to 1 in float32, so W + d is
  // exactly 0; a fused multiply-add would give -2^-46.
  float e = std::ldexp(1.0f, -23);
  std::vector<float> w = {-1.0f}, a = {1.0f - e}, b = {1.0f + e};
  std::vector<float> out(1);
  mergeLora(w.data(), {1, 1}, a.data(), b.data(), 0, 1, 1.0f, out.data());
  EXPECT_EQ(out[0], 0.0f);
}

TEST(WeightRange, SymmetricPerChannel) {
  std::vector<float> w = {1.0f, -2.0f, 0.5f, 0.25f, 0.0f, 0.0f};
  std::vector<float> s, z;
  weightRange(w.data(), {3, 2}, 0, /*symmetric=*/true, -127, 127, s, z);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], static_cast<float>(2.0 / 127.0));
  EXPECT_EQ(s[1], static_cast<float>(0.5 / 127.0));
  EXPECT_EQ(s[2], 1.0f); // all-zero channel
  EXPECT_EQ(z, (std::vector<float>{0, 0, 0}));
}

TEST(WeightRange, PerChannelOnAnInnerAxis) {
  // [2, 2] along axis 1: channel 0 = {1, -3}, channel 1 = {2, 0.5}.
  std::vector<float> w = {1.0f, 2.0f, -3.0f, 0.5f};
  std::vector<float> s, z;
  weightRange(w.data(), {2, 2}, 1, true, -127, 127, s, z);
  EXPECT_EQ(s, (std::vector<float>{static_cast<float>(3.0 / 127.0),
                                   static_cast<float>(2.0 / 127.0)}));
}

TEST(WeightRange, AsymmetricIncludesZero) {
  std::vector<float> w = {-1.0f, 3.0f};
  std::vector<float> s, z;
  weightRange(w.data(), {2}, -1, false, -128, 127, s, z);
  EXPECT_EQ(s[0], 4.0f / 255.0f);
  // -128 - (-1) / (4/255) = -128 + 63.75 = -64.25 -> -64.
  EXPECT_EQ(z[0], -64.0f);
  // Only positive values: the range is extended to 0, zp = qmin.
  std::vector<float> pos = {0.5f, 1.0f};
  weightRange(pos.data(), {2}, -1, false, -128, 127, s, z);
  EXPECT_EQ(s[0], 1.0f / 255.0f);
  EXPECT_EQ(z[0], -128.0f);
}

} // namespace
