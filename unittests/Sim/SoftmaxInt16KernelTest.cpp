//===- SoftmaxInt16KernelTest.cpp - qapeft.tflite_softmax on int16 --------===//
//
// The simulator's int16 qapeft.tflite_softmax: rows over the last axis of
// any rank, the op's own multiplier, and results worked out by hand (see
// unittests/Numerics/SoftmaxInt16Test.cpp for the steps) or printed by the
// TFLite runtime for the same model and input.
//
//===----------------------------------------------------------------------===//

#include "SimTestUtils.h"

#include <string>
#include <vector>

using namespace qapeft_test;

namespace {

std::string softmax16Module(const std::string &shape, float scale,
                            int32_t mult, int32_t shift) {
  std::string t = "tensor<" + shape + "xi16>";
  char attrs[192];
  std::snprintf(attrs, sizeof(attrs),
                "{input_scale = %.9e : f32, input_multiplier = %d : i32, "
                "input_shift = %d : i32}",
                scale, mult, shift);
  return "func.func @f(%x: " + t + ") -> " + t + " {\n" +
         "  %y = qapeft.tflite_softmax %x " + attrs + " : " + t + "\n" +
         "  return %y : " + t + "\n}\n";
}

Tensor codes(std::vector<int64_t> shape, const std::vector<int> &values) {
  Tensor t = Tensor::empty(DType::I16, shape);
  for (size_t i = 0; i < values.size(); ++i)
    t.setInt(static_cast<int64_t>(i), values[i]);
  return t;
}

std::vector<int> ints(const Tensor &t) {
  std::vector<int> v;
  for (int64_t i = 0; i < t.numel(); ++i)
    v.push_back(static_cast<int>(t.getInt(i)));
  return v;
}

TEST(TFLiteSoftmaxInt16Kernel, HandComputedRowsOverTheLastAxis) {
  // Input scale 0.001: multiplier (1759191844, 3). A 2x1x2 tensor is two
  // rows of two: [5, 5] -> halves; [0, -32768] -> 32766 and the exp
  // table's floor 2 (scaled by 16386 / 2^14).
  SimModule m(softmax16Module("2x1x2", 0.001f, 1759191844, 3));
  ASSERT_TRUE(m.ok());
  auto out = m.run("f", {codes({2, 1, 2}, {5, 5, 0, -32768})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::I16);
  EXPECT_EQ(ints(out[0]), (std::vector<int>{16384, 16384, 32766, 2}));
}

TEST(TFLiteSoftmaxInt16Kernel, UsesTheOpsMultiplier) {
  // [0, -32768] at input scale 1e-5 (multiplier (1125882699, -3)) is a
  // difference of 0.328; the same op with shift -4 (the multiplier of scale
  // 5e-6) must see half of it: the kernel reads the op's attributes, not
  // input_scale.
  SimModule a(softmax16Module("1x2", 0.00001f, 1125882699, -3));
  SimModule b(softmax16Module("1x2", 0.00001f, 1125882699, -4));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  auto x = codes({1, 2}, {0, -32768});
  auto ra = ints(a.run("f", {x})[0]);
  auto rb = ints(b.run("f", {x})[0]);
  EXPECT_NE(ra, rb);
  // exp(-0.32768) / (1 + exp(-0.32768)) = 0.4188; half of it: 0.4591.
  EXPECT_NEAR(ra[1] / 32768.0, 0.418, 0.002);
  EXPECT_NEAR(rb[1] / 32768.0, 0.459, 0.002);
}

TEST(TFLiteSoftmaxInt16Kernel, WrapsLikeTheRuntimeAtLargeScales) {
  // Input scale 8: multiplier (1717960704, 16), so (q - max) << 16 wraps in
  // int32 for differences of 32768 or more. The runtime printed
  // 1 1 1 10922 10922 10922 for this row (a probe while writing the
  // kernel): the two wrapped differences -32773 land near 0 and share the
  // row with the max, where the float softmax gives the max all of it.
  SimModule m(softmax16Module("6", 8.0f, 1717960704, 16));
  ASSERT_TRUE(m.ok());
  auto out = m.run("f", {codes({6}, {0, -1000, -20000, -32768, 5, -32768})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(ints(out[0]), (std::vector<int>{1, 1, 1, 10922, 10922, 10922}));
}

} // namespace
