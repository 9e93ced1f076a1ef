//===- SoftmaxKernelTest.cpp - qapeft.tflite_softmax properties -----------===//
//
// The bit-exact check of qapeft.tflite_softmax is against the TFLite runtime
// (test/Target/TFLite/conformance-softmax.test). These tests pin down what
// must hold whatever the runtime: the result is the real softmax on the grid
// 1/256, -128 to within one code, it depends only on q - max(q) per row, and
// beta enters only through the float product -input_scale * beta.
//
//===----------------------------------------------------------------------===//

#include "SimTestUtils.h"

#include <cmath>
#include <string>

using namespace qapeft_test;

namespace {

std::string softmaxModule(int64_t rows, int64_t cols, float scale,
                          float beta) {
  std::string t = "tensor<" + std::to_string(rows) + "x" +
                  std::to_string(cols) + "xi8>";
  char attrs[128];
  std::snprintf(attrs, sizeof(attrs),
                "{input_scale = %.9e : f32, beta = %.9e : f32}", scale, beta);
  return "func.func @f(%x: " + t + ") -> " + t + " {\n" +
         "  %y = qapeft.tflite_softmax %x " + attrs + " : " + t + "\n" +
         "  return %y : " + t + "\n}\n";
}

Tensor randomCodes(int64_t rows, int64_t cols, std::mt19937 &rng, int lo,
                   int hi) {
  std::uniform_int_distribution<int> dist(lo, hi);
  Tensor t = Tensor::empty(DType::I8, {rows, cols});
  for (int64_t i = 0; i < t.numel(); ++i)
    t.setInt(i, dist(rng));
  return t;
}

TEST(TFLiteSoftmaxKernel, WithinOneCodeOfRealSoftmax) {
  const int64_t rows = 16, cols = 12;
  for (float scale : {0.0123f, 0.05f, 0.25f, 1.5f}) {
    SimModule m(softmaxModule(rows, cols, scale, 1.0f));
    ASSERT_TRUE(m.ok());
    std::mt19937 rng(7);
    Tensor x = randomCodes(rows, cols, rng, -128, 127);
    auto out = m.run("f", {x});
    ASSERT_EQ(out.size(), 1u);
    for (int64_t r = 0; r < rows; ++r) {
      double mx = -1e9, sum = 0;
      for (int64_t j = 0; j < cols; ++j)
        mx = std::max(mx, double(x.getInt(r * cols + j)));
      for (int64_t j = 0; j < cols; ++j)
        sum += std::exp(scale * (x.getInt(r * cols + j) - mx));
      for (int64_t j = 0; j < cols; ++j) {
        double p = std::exp(scale * (x.getInt(r * cols + j) - mx)) / sum;
        double ideal = std::min(127.0, std::round(p * 256.0) - 128.0);
        EXPECT_LE(std::abs(out[0].getInt(r * cols + j) - ideal), 1.0)
            << "scale " << scale << " row " << r << " col " << j;
      }
    }
  }
}

TEST(TFLiteSoftmaxKernel, DependsOnlyOnDistanceToRowMax) {
  const int64_t rows = 8, cols = 10;
  SimModule m(softmaxModule(rows, cols, 0.07f, 1.0f));
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(3);
  Tensor x = randomCodes(rows, cols, rng, -100, 20);
  Tensor shifted = Tensor::empty(DType::I8, {rows, cols});
  for (int64_t i = 0; i < x.numel(); ++i)
    shifted.setInt(i, x.getInt(i) + 107);
  auto a = m.run("f", {x});
  auto b = m.run("f", {shifted});
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  for (int64_t i = 0; i < x.numel(); ++i)
    EXPECT_EQ(a[0].getInt(i), b[0].getInt(i)) << i;
}

TEST(TFLiteSoftmaxKernel, BetaScalesTheInputScale) {
  // -s * 2 and -(2 s) * 1 are the same float32, so the tables are equal.
  const int64_t rows = 6, cols = 9;
  SimModule a(softmaxModule(rows, cols, 0.03f, 2.0f));
  SimModule b(softmaxModule(rows, cols, 0.06f, 1.0f));
  SimModule c(softmaxModule(rows, cols, 0.03f, 1.0f));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  std::mt19937 rng(11);
  Tensor x = randomCodes(rows, cols, rng, -128, 127);
  auto ra = a.run("f", {x}), rb = b.run("f", {x}), rc = c.run("f", {x});
  ASSERT_EQ(ra.size(), 1u);
  ASSERT_EQ(rb.size(), 1u);
  ASSERT_EQ(rc.size(), 1u);
  bool differsFromBetaOne = false;
  for (int64_t i = 0; i < x.numel(); ++i) {
    EXPECT_EQ(ra[0].getInt(i), rb[0].getInt(i)) << i;
    differsFromBetaOne |= ra[0].getInt(i) != rc[0].getInt(i);
  }
  EXPECT_TRUE(differsFromBetaOne);
}

TEST(TFLiteSoftmaxKernel, SaturatesAtTheGridEnds) {
  // One code far above the rest: probability 1 is 256 - 128 = 128, which
  // saturates to 127; the others underflow to -128. A uniform row of 4 is
  // 64 - 128 = -64.
  SimModule m(softmaxModule(2, 4, 0.5f, 1.0f));
  ASSERT_TRUE(m.ok());
  Tensor x = Tensor::empty(DType::I8, {2, 4});
  const int codes[] = {127, -128, -128, -128, 5, 5, 5, 5};
  for (int i = 0; i < 8; ++i)
    x.setInt(i, codes[i]);
  auto out = m.run("f", {x});
  ASSERT_EQ(out.size(), 1u);
  const int expected[] = {127, -128, -128, -128, -64, -64, -64, -64};
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(out[0].getInt(i), expected[i]) << i;
}

} // namespace
