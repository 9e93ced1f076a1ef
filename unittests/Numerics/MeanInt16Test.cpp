//===- MeanInt16Test.cpp - TFLite's int16 MEAN arithmetic -----------------===//
//
// Worked by hand from the formulas in MeanInt16.h; the float-path values
// for 7 x 5 windows are also the real runtime's outputs (tfjs-tflite
// 0.0.1-alpha.10, --kernels builtin, probed with codes summing to those
// sums), chosen where a double-precision mean, one float multiply by
// (s_in / s_out) / 35, or ties to even would each give another answer.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/MeanInt16.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir::qapeft::numerics;

namespace {

constexpr int64_t kMin = -32768, kMax = 32767;

TEST(MeanInt16, BranchFollowsFloat32Scales) {
  EXPECT_TRUE(tfliteMeanInt16IsExact(0.05f, 0.05f));
  EXPECT_FALSE(tfliteMeanInt16IsExact(0.05f, std::nextafter(0.05f, 1.0f)));
  EXPECT_EQ(tfliteMeanInt16Scale(0.5f, 0.25f), 2.0f);
}

TEST(MeanInt16, ExactTruncatesTowardZero) {
  EXPECT_EQ(tfliteMeanInt16Exact(7, 2), 3);
  EXPECT_EQ(tfliteMeanInt16Exact(-7, 2), -3); // not floor's -4
  EXPECT_EQ(tfliteMeanInt16Exact(-1, 9), 0);
  EXPECT_EQ(tfliteMeanInt16Exact(-32768 * 4, 4), -32768);
}

TEST(MeanInt16, FloatRoundsTiesAwayFromZero) {
  // mean 5, * 0.5 = 2.5 -> 3 (ties to even would give 2); -2.5 -> -3.
  EXPECT_EQ(tfliteMeanInt16Float(20, 4, 0.5f, 0, kMin, kMax), 3);
  EXPECT_EQ(tfliteMeanInt16Float(-20, 4, 0.5f, 0, kMin, kMax), -3);
  // mean 2.5, * 0.5 = 1.25 -> 1; mean 3.5 * 0.5 = 1.75 -> 2.
  EXPECT_EQ(tfliteMeanInt16Float(10, 4, 0.5f, 0, kMin, kMax), 1);
  EXPECT_EQ(tfliteMeanInt16Float(14, 4, 0.5f, 0, kMin, kMax), 2);
}

TEST(MeanInt16, FloatIsFloat32DivideThenMultiply) {
  const float scale = tfliteMeanInt16Scale(0.1f, 0.0123f);
  // The runtime's outputs; the exact real value -140823 / 35 * 0.1 / 0.0123
  // is -32711.498.., which a double-precision evaluation rounds to -32711.
  EXPECT_EQ(tfliteMeanInt16Float(-140823, 35, scale, 0, kMin, kMax), -32712);
  EXPECT_EQ(tfliteMeanInt16Float(140823, 35, scale, 0, kMin, kMax), 32712);
  EXPECT_EQ(tfliteMeanInt16Float(-140569, 35, scale, 0, kMin, kMax), -32653);
  EXPECT_EQ(tfliteMeanInt16Float(-140315, 35, scale, 0, kMin, kMax), -32594);
}

TEST(MeanInt16, FloatSaturates) {
  EXPECT_EQ(tfliteMeanInt16Float(32767 * 4, 4, 3.0f, 0, kMin, kMax), kMax);
  EXPECT_EQ(tfliteMeanInt16Float(-32768 * 4, 4, 3.0f, 0, kMin, kMax), kMin);
  EXPECT_EQ(tfliteMeanInt16Float(100, 1, 1.5f, 0, kMin, kMax), 150);
}

} // namespace
