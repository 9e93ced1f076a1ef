//===- SoftmaxInt8Test.cpp - TFLite's int8 SOFTMAX arithmetic --------------===//
//
// Rows whose outputs follow from the float-table definition by hand
// (equal codes share 256 evenly; a large input scale makes every non-max
// exp 0). The runtime itself is checked by conformance-softmax.test.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/SoftmaxInt8.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

using namespace mlir::qapeft::numerics;

namespace {

std::vector<int8_t> row(std::vector<int8_t> in, float scale, float beta) {
  std::vector<int8_t> out(in.size());
  softmaxInt8Row(in.data(), out.data(), in.size(), softmaxInt8Table(scale, beta));
  return out;
}

TEST(SoftmaxInt8Test, TableIsExpOfTheScaledDistanceFromTheMax) {
  std::array<float, 256> t = softmaxInt8Table(0.5f, 2.0f);
  EXPECT_EQ(t[255], 1.0f);
  EXPECT_EQ(t[254], std::exp(-1.0f));
  EXPECT_EQ(t[0], std::exp(-255.0f));
}

TEST(SoftmaxInt8Test, EqualCodesShareTheGrid) {
  // One value: p = 1 -> 256 - 128 = 128, saturated to 127.
  EXPECT_EQ(row({-7}, 0.1f, 1.0f), std::vector<int8_t>({127}));
  // p = 1/2 -> 0; p = 1/4 -> -64; p = 1/3 -> round(85.33) - 128 = -43.
  EXPECT_EQ(row({3, 3}, 0.1f, 1.0f), std::vector<int8_t>({0, 0}));
  EXPECT_EQ(row({-128, -128, -128, -128}, 0.1f, 1.0f),
            std::vector<int8_t>({-64, -64, -64, -64}));
  EXPECT_EQ(row({9, 9, 9}, 0.3f, 1.0f), std::vector<int8_t>({-43, -43, -43}));
}

TEST(SoftmaxInt8Test, FarBelowTheMaxIsZeroProbability) {
  // exp(-1e9 * d) is 0 for d >= 1: the max takes everything.
  EXPECT_EQ(row({5, 4, -128}, 1e9f, 1.0f),
            std::vector<int8_t>({127, -128, -128}));
  // Two maxima split it.
  EXPECT_EQ(row({5, 5, 4}, 1e9f, 1.0f), std::vector<int8_t>({0, 0, -128}));
}

} // namespace
