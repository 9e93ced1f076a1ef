//===- KernelTest.cpp - float and qapeft kernels against naive loops ------===//

#include "SimTestUtils.h"

#include <cmath>

using namespace qapeft_test;

namespace {

/// Naive NHWC x OHWI convolution, the definition of tosa.conv2d.
std::vector<float> naiveConv(const Tensor &x, const Tensor &w,
                             const Tensor &b, int pt, int pl, int sy, int sx,
                             int dy, int dx, int oh, int ow) {
  int64_t n = x.dim(0), ih = x.dim(1), iw = x.dim(2), c = x.dim(3);
  int64_t o = w.dim(0), kh = w.dim(1), kw = w.dim(2);
  std::vector<float> out(n * oh * ow * o);
  for (int64_t in = 0; in < n; ++in)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xx = 0; xx < ow; ++xx)
        for (int64_t oc = 0; oc < o; ++oc) {
          double acc = b.data<float>()[oc];
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx)
              for (int64_t ic = 0; ic < c; ++ic) {
                int64_t iy = y * sy - pt + ky * dy, ix = xx * sx - pl + kx * dx;
                if (iy < 0 || iy >= ih || ix < 0 || ix >= iw)
                  continue;
                acc += double(x.data<float>()[((in * ih + iy) * iw + ix) * c +
                                              ic]) *
                       w.data<float>()[((oc * kh + ky) * kw + kx) * c + ic];
              }
          out[((in * oh + y) * ow + xx) * o + oc] = acc;
        }
  return out;
}

TEST(FloatKernels, Conv2DMatchesNaiveLoop) {
  // Stride 2, asymmetric padding, dilation 2, dynamic batch.
  SimModule m(R"mlir(
    func.func @f(%x: tensor<?x10x8x3xf32>, %w: tensor<5x3x2x3xf32>, %b: tensor<5xf32>) -> tensor<?x4x5x5xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 0, 2, 0>, stride = array<i64: 2, 2>, dilation = array<i64: 2, 1>} : (tensor<?x10x8x3xf32>, tensor<5x3x2x3xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x5x5xf32>
      return %y : tensor<?x4x5x5xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(1);
  Tensor x = randomTensor({3, 10, 8, 3}, rng), w = randomTensor({5, 3, 2, 3}, rng),
         b = randomTensor({5}, rng);
  auto out = m.run("f", {x, w, b});
  ASSERT_EQ(out.size(), 1u);
  // oh = (10 + 1 - 2*2 - 1)/2 + 1 = 4, ow = (8 + 2 - 1 - 1)/2 + 1 = 5.
  ASSERT_EQ(out[0].shape(), llvm::ArrayRef<int64_t>({3, 4, 5, 5}));
  std::vector<float> ref = naiveConv(x, w, b, 1, 2, 2, 2, 2, 1, 4, 5);
  ASSERT_EQ(static_cast<size_t>(out[0].numel()), ref.size());
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_NEAR(out[0].data<float>()[i], ref[i], 1e-4) << i;
}

TEST(FloatKernels, PointwiseConvAndMatmul) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<?x2x3x4xf32>, %w: tensor<6x1x1x4xf32>, %b: tensor<6xf32>) -> tensor<?x2x3x6xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x2x3x4xf32>, tensor<6x1x1x4xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x3x6xf32>
      return %y : tensor<?x2x3x6xf32>
    }
    func.func @mm(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.matmul %a, %b, %zp, %zp : (tensor<2x3x4xf32>, tensor<2x4x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x3x5xf32>
      return %y : tensor<2x3x5xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(2);
  Tensor x = randomTensor({2, 2, 3, 4}, rng), w = randomTensor({6, 1, 1, 4}, rng),
         b = randomTensor({6}, rng);
  auto out = m.run("f", {x, w, b});
  ASSERT_EQ(out.size(), 1u);
  std::vector<float> ref = naiveConv(x, w, b, 0, 0, 1, 1, 1, 1, 2, 3);
  for (size_t i = 0; i < ref.size(); ++i)
    EXPECT_NEAR(out[0].data<float>()[i], ref[i], 1e-5);

  Tensor a = randomTensor({2, 3, 4}, rng), bb = randomTensor({2, 4, 5}, rng);
  auto mm = m.run("mm", {a, bb});
  ASSERT_EQ(mm.size(), 1u);
  for (int n = 0; n < 2; ++n)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 5; ++j) {
        double s = 0;
        for (int k = 0; k < 4; ++k)
          s += a.data<float>()[(n * 3 + i) * 4 + k] *
               bb.data<float>()[(n * 4 + k) * 5 + j];
        EXPECT_NEAR(mm[0].data<float>()[(n * 3 + i) * 5 + j], s, 1e-5);
      }
}

TEST(FloatKernels, DepthwiseConvMatchesNaiveLoop) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<?x5x5x2xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<4xf32>) -> tensor<?x5x5x4xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x5x5x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x5x5x4xf32>
      return %y : tensor<?x5x5x4xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(3);
  Tensor x = randomTensor({2, 5, 5, 2}, rng), w = randomTensor({3, 3, 2, 2}, rng),
         b = randomTensor({4}, rng);
  auto out = m.run("f", {x, w, b});
  ASSERT_EQ(out.size(), 1u);
  for (int n = 0; n < 2; ++n)
    for (int y = 0; y < 5; ++y)
      for (int xx = 0; xx < 5; ++xx)
        for (int c = 0; c < 2; ++c)
          for (int mm = 0; mm < 2; ++mm) {
            double acc = b.data<float>()[c * 2 + mm];
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                int iy = y - 1 + ky, ix = xx - 1 + kx;
                if (iy < 0 || iy >= 5 || ix < 0 || ix >= 5)
                  continue;
                acc += x.data<float>()[((n * 5 + iy) * 5 + ix) * 2 + c] *
                       w.data<float>()[((ky * 3 + kx) * 2 + c) * 2 + mm];
              }
            EXPECT_NEAR(
                out[0].data<float>()[((n * 5 + y) * 5 + xx) * 4 + c * 2 + mm],
                acc, 1e-5);
          }
}

TEST(FloatKernels, PoolingExcludesPaddingFromAverage) {
  SimModule m(R"mlir(
    func.func @avg(%x: tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
      return %y : tensor<1x2x2x1xf32>
    }
    func.func @max(%x: tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32> {
      %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>} : (tensor<1x2x2x1xf32>) -> tensor<1x1x1x1xf32>
      return %y : tensor<1x1x1x1xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  Tensor x = Tensor::fromFloats({1, 2, 2, 1}, {1, 2, 3, 4});
  auto avg = m.run("avg", {x});
  ASSERT_EQ(avg.size(), 1u);
  // Windows: {1}, {1,2}, {1,3}, {1,2,3,4}.
  const float expected[] = {1.0f, 1.5f, 2.0f, 2.5f};
  for (int i = 0; i < 4; ++i)
    EXPECT_FLOAT_EQ(avg[0].data<float>()[i], expected[i]);
  auto mx = m.run("max", {x});
  ASSERT_EQ(mx.size(), 1u);
  EXPECT_FLOAT_EQ(mx[0].data<float>()[0], 4.0f);
}

TEST(FloatKernels, LayoutOps) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<2x1xf32>, tensor<3x5xf32>, tensor<2x6xf32>, tensor<2x1xf32>, tensor<2xi32>) {
      %t = tosa.transpose %x {perms = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
      %st = tosa.const_shape {values = dense<[0, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
      %sz = tosa.const_shape {values = dense<[2, 1]> : tensor<2xindex>} : () -> !tosa.shape<2>
      %s = tosa.slice %x, %st, %sz : (tensor<2x3xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x1xf32>
      %pp = tosa.const_shape {values = dense<[1, 0, 1, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
      %pv = "tosa.const"() {values = dense<-1.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %p = tosa.pad %x, %pp, %pv : (tensor<2x3xf32>, !tosa.shape<4>, tensor<1xf32>) -> tensor<3x5xf32>
      %c = tosa.concat %x, %x {axis = 1 : i32} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
      %r = tosa.reduce_max %x {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x1xf32>
      %a = tosa.argmax %x {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2xi32>
      return %t, %s, %p, %c, %r, %a : tensor<3x2xf32>, tensor<2x1xf32>, tensor<3x5xf32>, tensor<2x6xf32>, tensor<2x1xf32>, tensor<2xi32>
    })mlir");
  ASSERT_TRUE(m.ok());
  Tensor x = Tensor::fromFloats({2, 3}, {1, 5, 3, 7, 2, 7});
  auto out = m.run("f", {x});
  ASSERT_EQ(out.size(), 6u);
  EXPECT_EQ(std::vector<float>(out[0].data<float>(), out[0].data<float>() + 6),
            (std::vector<float>{1, 7, 5, 2, 3, 7}));
  EXPECT_EQ(std::vector<float>(out[1].data<float>(), out[1].data<float>() + 2),
            (std::vector<float>{5, 2}));
  EXPECT_EQ(std::vector<float>(out[2].data<float>(), out[2].data<float>() + 15),
            (std::vector<float>{-1, -1, -1, -1, -1, -1, 1, 5, 3, -1, -1, 7, 2,
                                7, -1}));
  EXPECT_EQ(std::vector<float>(out[3].data<float>(), out[3].data<float>() + 12),
            (std::vector<float>{1, 5, 3, 1, 5, 3, 7, 2, 7, 7, 2, 7}));
  EXPECT_EQ(std::vector<float>(out[4].data<float>(), out[4].data<float>() + 2),
            (std::vector<float>{5, 7}));
  // argmax takes the first maximum.
  EXPECT_EQ(out[5].data<int32_t>()[0], 1);
  EXPECT_EQ(out[5].data<int32_t>()[1], 0);
}

TEST(FloatKernels, BroadcastingAndCast) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi8>) {
      %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
      %y = tosa.mul %x, %b, %shift : (tensor<2x3xf32>, tensor<1x3xf32>, tensor<1xi8>) -> tensor<2x3xf32>
      %c = tosa.cast %y : (tensor<2x3xf32>) -> tensor<2x3xi8>
      return %y, %c : tensor<2x3xf32>, tensor<2x3xi8>
    })mlir");
  ASSERT_TRUE(m.ok());
  Tensor x = Tensor::fromFloats({2, 3}, {0.5f, 1.5f, 2.5f, -0.5f, 100.0f, -3.25f});
  Tensor b = Tensor::fromFloats({1, 3}, {1.0f, 1.0f, 2.0f});
  auto out = m.run("f", {x, b});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_FLOAT_EQ(out[0].data<float>()[2], 5.0f);
  EXPECT_FLOAT_EQ(out[0].data<float>()[4], 100.0f);
  // Float-to-int casts round half to even and saturate.
  const int8_t expected[] = {0, 2, 5, 0, 100, -6};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(out[1].data<int8_t>()[i], expected[i]) << i;
}

TEST(QAPeftKernels, FakeQuantGranularitiesRoundHalfToEven) {
  SimModule m(R"mlir(
    func.func @t(%x: tensor<4xf32>) -> tensor<4xf32> {
      %s = "tosa.const"() {values = dense<1.0> : tensor<f32>} : () -> tensor<f32>
      %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
      %y = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 4, storage = i8> : tensor<4xf32>, tensor<f32>
      return %y : tensor<4xf32>
    }
    func.func @c(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %s = "tosa.const"() {values = dense<[0.5, 2.0, 1.0]> : tensor<3xf32>} : () -> tensor<3xf32>
      %z = "tosa.const"() {values = dense<[0.0, 1.0, -2.0]> : tensor<3xf32>} : () -> tensor<3xf32>
      %y = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, granularity = per_channel, axis = 1> : tensor<2x3xf32>, tensor<3xf32>
      return %y : tensor<2x3xf32>
    }
    func.func @g(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
      %s = "tosa.const"() {values = dense<[[1.0, 0.25]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
      %z = "tosa.const"() {values = dense<0.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
      %y = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8, granularity = per_group, axis = 1, group_size = 2> : tensor<1x4xf32>, tensor<1x2xf32>
      return %y : tensor<1x4xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  // 4-bit signed: [-8, 7]. 2.5 -> 2 (half to even), 3.5 -> 4, 9 -> 7,
  // -8.5 -> -8 (even, and the clamp).
  auto t = m.run("t", {Tensor::fromFloats({4}, {2.5f, 3.5f, 9.0f, -8.5f})});
  ASSERT_EQ(t.size(), 1u);
  const float et[] = {2, 4, 7, -8};
  for (int i = 0; i < 4; ++i)
    EXPECT_FLOAT_EQ(t[0].data<float>()[i], et[i]);
  // Per channel along axis 1: q = rhe(x/s) + z.
  auto c = m.run("c", {Tensor::fromFloats({2, 3}, {0.3f, 3.0f, 1.5f, 100.0f, -500.0f, -200.0f})});
  ASSERT_EQ(c.size(), 1u);
  // 0.3/0.5=0.6->1 ->0.5; 3/2=1.5->2,+1=3 -> (3-1)*2=4; 1.5->2,-2=0 -> 2;
  // 100/0.5=200 -> clamp 127 -> 63.5; -250+1 -> -128 -> (-129)*2=-258;
  // -200-2 -> -128 -> (-126)*1.
  const float ec[] = {0.5f, 4.0f, 2.0f, 63.5f, -258.0f, -126.0f};
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(c[0].data<float>()[i], ec[i]) << i;
  // Per group of 2 along axis 1: scales 1.0 for x[0..1], 0.25 for x[2..3].
  auto g = m.run("g", {Tensor::fromFloats({1, 4}, {0.4f, 1.6f, 0.4f, 0.1f})});
  ASSERT_EQ(g.size(), 1u);
  const float eg[] = {0.0f, 2.0f, 0.5f, 0.0f};
  for (int i = 0; i < 4; ++i)
    EXPECT_FLOAT_EQ(g[0].data<float>()[i], eg[i]) << i;
}

TEST(QAPeftKernels, AdaptersMatchTheirDefinitions) {
  SimModule m(R"mlir(
    func.func @delta(%w: tensor<3x2x2xf32>, %a: tensor<2x4xf32>, %b: tensor<3x2xf32>) -> tensor<3x2x2xf32> {
      %y = qapeft.lora_delta %w, %a, %b {alpha = 4.0 : f32, rank = 2 : i64} : tensor<3x2x2xf32>, tensor<2x4xf32>, tensor<3x2xf32>
      return %y : tensor<3x2x2xf32>
    }
    func.func @delta1(%w: tensor<2x3xf32>, %a: tensor<1x2xf32>, %b: tensor<3x1xf32>) -> tensor<2x3xf32> {
      %y = qapeft.lora_delta %w, %a, %b {alpha = 1.0 : f32, rank = 1 : i64, out_axis = 1 : i64} : tensor<2x3xf32>, tensor<1x2xf32>, tensor<3x1xf32>
      return %y : tensor<2x3xf32>
    }
    func.func @side(%x: tensor<2x3xf32>, %base: tensor<2x2xf32>, %a: tensor<1x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x2xf32> {
      %y = qapeft.lora_side %x, %base, %a, %b {alpha = 2.0 : f32, rank = 1 : i64} : tensor<2x3xf32>, tensor<2x2xf32>, tensor<1x3xf32>, tensor<2x1xf32>
      return %y : tensor<2x2xf32>
    }
    func.func @ia3(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
      %y = qapeft.ia3 %x, %s {axis = 1 : i64} : tensor<2x3xf32>, tensor<3xf32>
      return %y : tensor<2x3xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(5);
  Tensor w = randomTensor({3, 2, 2}, rng), a = randomTensor({2, 4}, rng),
         b = randomTensor({3, 2}, rng);
  auto d = m.run("delta", {w, a, b});
  ASSERT_EQ(d.size(), 1u);
  for (int o = 0; o < 3; ++o)
    for (int col = 0; col < 4; ++col) {
      double s = 0;
      for (int r = 0; r < 2; ++r)
        s += b.data<float>()[o * 2 + r] * a.data<float>()[r * 4 + col];
      EXPECT_NEAR(d[0].data<float>()[o * 4 + col],
                  w.data<float>()[o * 4 + col] + 2.0 * s, 1e-5);
    }
  // out_axis = 1: rows of B index axis 1, columns of A index axis 0.
  Tensor w1 = randomTensor({2, 3}, rng), a1 = randomTensor({1, 2}, rng),
         b1 = randomTensor({3, 1}, rng);
  auto d1 = m.run("delta1", {w1, a1, b1});
  ASSERT_EQ(d1.size(), 1u);
  for (int i = 0; i < 2; ++i)
    for (int o = 0; o < 3; ++o)
      EXPECT_NEAR(d1[0].data<float>()[i * 3 + o],
                  w1.data<float>()[i * 3 + o] +
                      b1.data<float>()[o] * a1.data<float>()[i],
                  1e-5);
  Tensor x = randomTensor({2, 3}, rng), base = randomTensor({2, 2}, rng),
         as = randomTensor({1, 3}, rng), bs = randomTensor({2, 1}, rng);
  auto side = m.run("side", {x, base, as, bs});
  ASSERT_EQ(side.size(), 1u);
  for (int r = 0; r < 2; ++r) {
    double h = 0;
    for (int k = 0; k < 3; ++k)
      h += x.data<float>()[r * 3 + k] * as.data<float>()[k];
    for (int j = 0; j < 2; ++j)
      EXPECT_NEAR(side[0].data<float>()[r * 2 + j],
                  base.data<float>()[r * 2 + j] + 2.0 * h * bs.data<float>()[j],
                  1e-5);
  }
  Tensor s = Tensor::fromFloats({3}, {1, 2, 3});
  auto ia3 = m.run("ia3", {x, s});
  ASSERT_EQ(ia3.size(), 1u);
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(ia3[0].data<float>()[i],
                    x.data<float>()[i] * float(i % 3 + 1));
}

TEST(Interpreter, ReportsUnsupportedOpsAndBadArguments) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
      %y = tosa.sin %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
      return %y : tensor<?x3xf32>
    }
    func.func @g(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
      return %x : tensor<?x3xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::string diagnostics;
  ScopedDiagnosticHandler handler(m.context.get(), [&](Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return success();
  });
  EXPECT_TRUE(failed(m.interpreter->checkSupported("f")));
  EXPECT_NE(diagnostics.find("cannot execute 'tosa.sin'"), std::string::npos)
      << diagnostics;
  diagnostics.clear();
  auto r = m.interpreter->run("g", {Tensor::zeros(DType::F32, {2, 4})});
  EXPECT_TRUE(failed(r));
  EXPECT_NE(diagnostics.find("expects 'tensor<?x3xf32>', got tensor<2x4xf32>"),
            std::string::npos)
      << diagnostics;
  diagnostics.clear();
  r = m.interpreter->run("g", {Tensor::zeros(DType::I32, {2, 3})});
  EXPECT_TRUE(failed(r));
  EXPECT_NE(diagnostics.find("got tensor<2x3xi32>"), std::string::npos);
  // Dynamic batch: any batch size runs.
  auto ok = m.run("g", {Tensor::zeros(DType::F32, {7, 3})});
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].dim(0), 7);
}

} // namespace

namespace {
TEST(Interpreter, ConstantsFromEveryElementsForm) {
  SimModule m(R"mlir(
    func.func @f() -> (tensor<3xf32>, tensor<2x2xi8>, tensor<2xf32>, tensor<3xi32>) {
      %r = "tosa.const"() {values = dense_resource<blob1> : tensor<3xf32>} : () -> tensor<3xf32>
      %i = "tosa.const"() {values = dense<[[1, -2], [127, -128]]> : tensor<2x2xi8>} : () -> tensor<2x2xi8>
      %s = "tosa.const"() {values = dense<2.5> : tensor<2xf32>} : () -> tensor<2xf32>
      %c = arith.constant dense<[7, 8, 9]> : tensor<3xi32>
      return %r, %i, %s, %c : tensor<3xf32>, tensor<2x2xi8>, tensor<2xf32>, tensor<3xi32>
    }
    {-#
      dialect_resources: {
        builtin: {
          blob1: "0x040000000000803F0000004000004040"
        }
      }
    #-})mlir");
  ASSERT_TRUE(m.ok());
  auto out = m.run("f", {});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(std::vector<float>(out[0].data<float>(), out[0].data<float>() + 3),
            (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(out[1].getInt(1), -2);
  EXPECT_EQ(out[1].getInt(3), -128);
  EXPECT_EQ(out[2].data<float>()[1], 2.5f);
  EXPECT_EQ(out[3].getInt(2), 9);
}
} // namespace

namespace {
TEST(Interpreter, RegionsAndCalls) {
  SimModule m(R"mlir(
    func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
      %r = qapeft.region int16x8 {
        %y = tosa.add %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
        qapeft.yield %y : tensor<2xf32>
      } : tensor<2xf32>
      %z = func.call @g(%r) : (tensor<2xf32>) -> tensor<2xf32>
      return %z : tensor<2xf32>
    }
    func.func private @g(%x: tensor<2xf32>) -> tensor<2xf32> {
      %y = tosa.exp %x : (tensor<2xf32>) -> tensor<2xf32>
      return %y : tensor<2xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  auto out = m.run("f", {Tensor::fromFloats({2}, {0.0f, 0.5f})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_FLOAT_EQ(out[0].data<float>()[0], 1.0f);
  EXPECT_FLOAT_EQ(out[0].data<float>()[1], std::exp(1.0f));
}
} // namespace
