//===- GradientTest.cpp - gradient kernels against finite differences -----===//
//
// For each gradient op, a scalar loss L = sum(forward(x) * R) (or the op's own
// loss) is differentiated numerically with central differences and compared
// with what the gradient kernel computes, all through the interpreter.
//
//===----------------------------------------------------------------------===//

#include "SimTestUtils.h"

#include <cmath>

using namespace qapeft_test;

namespace {

/// Central-difference gradient of `loss` with respect to every element of
/// `x`, compared against `analytic`.
template <typename LossFn>
void expectGradient(Tensor x, const Tensor &analytic, LossFn loss,
                    double eps = 1e-2, double tol = 2e-3) {
  ASSERT_EQ(x.shape(), analytic.shape());
  Tensor probe = x.clone();
  for (int64_t i = 0; i < x.numel(); ++i) {
    float saved = probe.data<float>()[i];
    probe.data<float>()[i] = saved + eps;
    double up = loss(probe);
    probe.data<float>()[i] = saved - eps;
    double down = loss(probe);
    probe.data<float>()[i] = saved;
    double numeric = (up - down) / (2 * eps);
    EXPECT_NEAR(analytic.data<float>()[i], numeric,
                tol * std::max(1.0, std::fabs(numeric)))
        << "element " << i;
  }
}

const char *kConvModule = R"mlir(
  func.func @fwd(%x: tensor<?x7x7x2xf32>, %w: tensor<3x3x3x2xf32>) -> tensor<?x4x4x3xf32> {
    %b = "tosa.const"() {values = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x7x7x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x3xf32>
    return %y : tensor<?x4x4x3xf32>
  }
  func.func @dx(%dy: tensor<?x4x4x3xf32>, %w: tensor<3x3x3x2xf32>) -> tensor<?x7x7x2xf32> {
    %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<3x3x3x2xf32>) -> tensor<?x7x7x2xf32>
    return %dx : tensor<?x7x7x2xf32>
  }
  func.func @dw(%x: tensor<?x7x7x2xf32>, %dy: tensor<?x4x4x3xf32>) -> tensor<3x3x3x2xf32> {
    %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>, dilation = array<i64: 1, 1>} : (tensor<?x7x7x2xf32>, tensor<?x4x4x3xf32>) -> tensor<3x3x3x2xf32>
    return %dw : tensor<3x3x3x2xf32>
  }
  func.func @fwd_dil(%x: tensor<?x6x6x1xf32>, %w: tensor<2x3x3x1xf32>) -> tensor<?x6x6x2xf32> {
    %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>} : (tensor<?x6x6x1xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x6x6x2xf32>
    return %y : tensor<?x6x6x2xf32>
  }
  func.func @dx_dil(%dy: tensor<?x6x6x2xf32>, %w: tensor<2x3x3x1xf32>) -> tensor<?x6x6x1xf32> {
    %dx = qapeft.conv2d_backprop_input %dy, %w {pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>} : (tensor<?x6x6x2xf32>, tensor<2x3x3x1xf32>) -> tensor<?x6x6x1xf32>
    return %dx : tensor<?x6x6x1xf32>
  }
  func.func @dw_dil(%x: tensor<?x6x6x1xf32>, %dy: tensor<?x6x6x2xf32>) -> tensor<2x3x3x1xf32> {
    %dw = qapeft.conv2d_backprop_filter %x, %dy {pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>, dilation = array<i64: 2, 2>} : (tensor<?x6x6x1xf32>, tensor<?x6x6x2xf32>) -> tensor<2x3x3x1xf32>
    return %dw : tensor<2x3x3x1xf32>
  }
)mlir";

void checkConv(const char *fwd, const char *dxFn, const char *dwFn,
               llvm::ArrayRef<int64_t> xShape, llvm::ArrayRef<int64_t> wShape,
               unsigned seed) {
  SimModule m(kConvModule);
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(seed);
  Tensor x = randomTensor(xShape, rng), w = randomTensor(wShape, rng);
  auto y = m.run(fwd, {x, w});
  ASSERT_EQ(y.size(), 1u);
  Tensor r = randomTensor(y[0].shape(), rng);
  auto dx = m.run(dxFn, {r, w});
  auto dw = m.run(dwFn, {x, r});
  ASSERT_EQ(dx.size(), 1u);
  ASSERT_EQ(dw.size(), 1u);
  expectGradient(x, dx[0], [&](const Tensor &xp) {
    return dot(m.run(fwd, {xp, w})[0], r);
  });
  expectGradient(w, dw[0], [&](const Tensor &wp) {
    return dot(m.run(fwd, {x, wp})[0], r);
  });
}

TEST(GradientCheck, Conv2DStridedPadded) {
  checkConv("fwd", "dx", "dw", {2, 7, 7, 2}, {3, 3, 3, 2}, 11);
}

TEST(GradientCheck, Conv2DDilated) {
  checkConv("fwd_dil", "dx_dil", "dw_dil", {2, 6, 6, 1}, {2, 3, 3, 1}, 12);
}

TEST(GradientCheck, Pooling) {
  SimModule m(R"mlir(
    func.func @max(%x: tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32> {
      %y = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 1, 1>} : (tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32>
      return %y : tensor<?x4x4x2xf32>
    }
    func.func @dmax(%x: tensor<?x4x4x2xf32>, %dy: tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32> {
      %dx = qapeft.max_pool2d_grad %x, %dy {kernel = array<i64: 2, 2>, stride = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>} : (tensor<?x4x4x2xf32>, tensor<?x4x4x2xf32>) -> tensor<?x4x4x2xf32>
      return %dx : tensor<?x4x4x2xf32>
    }
    func.func @avg(%x: tensor<?x7x7x2xf32>) -> tensor<?x4x4x2xf32> {
      %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
      %y = tosa.avg_pool2d %x, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x7x7x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x2xf32>
      return %y : tensor<?x4x4x2xf32>
    }
    func.func @davg(%dy: tensor<?x4x4x2xf32>) -> tensor<?x7x7x2xf32> {
      %dx = qapeft.avg_pool2d_grad %dy {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x4x4x2xf32>) -> tensor<?x7x7x2xf32>
      return %dx : tensor<?x7x7x2xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(13);
  Tensor x = randomTensor({2, 4, 4, 2}, rng);
  Tensor r = randomTensor({2, 4, 4, 2}, rng);
  auto dx = m.run("dmax", {x, r});
  ASSERT_EQ(dx.size(), 1u);
  // A small step keeps every window's argmax in place.
  expectGradient(x, dx[0], [&](const Tensor &xp) {
    return dot(m.run("max", {xp})[0], r);
  }, 1e-3, 5e-3);

  Tensor xa = randomTensor({2, 7, 7, 2}, rng);
  Tensor ra = randomTensor({2, 4, 4, 2}, rng);
  auto da = m.run("davg", {ra});
  ASSERT_EQ(da.size(), 1u);
  expectGradient(xa, da[0], [&](const Tensor &xp) {
    return dot(m.run("avg", {xp})[0], ra);
  });
}

TEST(GradientCheck, LossesAndMatmulGraph) {
  SimModule m(R"mlir(
    func.func @ce(%l: tensor<?x5xf32>, %y: tensor<?xi32>) -> (tensor<f32>, tensor<?x5xf32>, tensor<f32>) {
      %loss, %dl, %c = qapeft.softmax_cross_entropy %l, %y : (tensor<?x5xf32>, tensor<?xi32>) -> (tensor<f32>, tensor<?x5xf32>, tensor<f32>)
      return %loss, %dl, %c : tensor<f32>, tensor<?x5xf32>, tensor<f32>
    }
    func.func @mse(%p: tensor<3x2xf32>, %t: tensor<3x2xf32>) -> (tensor<f32>, tensor<3x2xf32>) {
      %loss, %d = qapeft.mse %p, %t : (tensor<3x2xf32>, tensor<3x2xf32>) -> (tensor<f32>, tensor<3x2xf32>)
      return %loss, %d : tensor<f32>, tensor<3x2xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  std::mt19937 rng(14);
  Tensor logits = randomTensor({4, 5}, rng, -3, 3);
  Tensor labels = Tensor::empty(DType::I32, {4});
  const int32_t ls[] = {0, 4, 2, 2};
  for (int i = 0; i < 4; ++i)
    labels.data<int32_t>()[i] = ls[i];
  auto ce = m.run("ce", {logits, labels});
  ASSERT_EQ(ce.size(), 3u);
  expectGradient(logits, ce[1], [&](const Tensor &lp) {
    return m.run("ce", {lp, labels})[0].getDouble(0);
  }, 1e-2, 5e-3);
  // correct counts rows whose first argmax equals the label.
  int64_t correct = 0;
  for (int r = 0; r < 4; ++r) {
    int best = 0;
    for (int j = 1; j < 5; ++j)
      if (logits.data<float>()[r * 5 + j] > logits.data<float>()[r * 5 + best])
        best = j;
    correct += best == ls[r];
  }
  EXPECT_EQ(ce[2].getDouble(0), correct);

  Tensor p = randomTensor({3, 2}, rng), t = randomTensor({3, 2}, rng);
  auto mse = m.run("mse", {p, t});
  ASSERT_EQ(mse.size(), 2u);
  double expected = 0;
  for (int i = 0; i < 6; ++i)
    expected += std::pow(p.data<float>()[i] - t.data<float>()[i], 2) / 6;
  EXPECT_NEAR(mse[0].getDouble(0), expected, 1e-6);
  expectGradient(p, mse[1], [&](const Tensor &pp) {
    return m.run("mse", {pp, t})[0].getDouble(0);
  });
}

TEST(GradientCheck, FakeQuantStraightThroughAndWeightRange) {
  SimModule m(R"mlir(
    func.func @ste(%x: tensor<2x3xf32>, %dy: tensor<2x3xf32>) -> tensor<2x3xf32> {
      %s = "tosa.const"() {values = dense<[0.1, 0.2, 1.0]> : tensor<3xf32>} : () -> tensor<3xf32>
      %z = "tosa.const"() {values = dense<[0.0, 10.0, 0.0]> : tensor<3xf32>} : () -> tensor<3xf32>
      %dx = qapeft.fake_quant_grad %x, %s, %z, %dy {scheme = #qapeft.scheme<bits = 8, storage = i8, granularity = per_channel, axis = 1>} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
      return %dx : tensor<2x3xf32>
    }
    func.func @ste_t(%x: tensor<4xf32>, %dy: tensor<4xf32>) -> tensor<4xf32> {
      %s = "tosa.const"() {values = dense<0.5> : tensor<f32>} : () -> tensor<f32>
      %z = "tosa.const"() {values = dense<3.0> : tensor<f32>} : () -> tensor<f32>
      %dx = qapeft.fake_quant_grad %x, %s, %z, %dy {scheme = #qapeft.scheme<bits = 4, storage = i8, is_signed = false>} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
      return %dx : tensor<4xf32>
    }
    func.func @sym(%w: tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
      %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = 0, range = weight>} : (tensor<2x3xf32>) -> (tensor<2xf32>, tensor<2xf32>)
      return %s, %z : tensor<2xf32>, tensor<2xf32>
    }
    func.func @asym(%w: tensor<2x3xf32>) -> (tensor<f32>, tensor<f32>) {
      %s, %z = qapeft.weight_range %w {scheme = #qapeft.scheme<bits = 8, storage = i8, range = weight>} : (tensor<2x3xf32>) -> (tensor<f32>, tensor<f32>)
      return %s, %z : tensor<f32>, tensor<f32>
    })mlir");
  ASSERT_TRUE(m.ok());
  // Channel 0: s=0.1, q in [-128, 127] <=> x in [-12.85, 12.75);
  // channel 1: s=0.2, z=10: x/0.2 + 10 in range <=> x in [-27.7, 23.5);
  // channel 2: s=1: x in [-128.5, 127.5].
  Tensor x = Tensor::fromFloats({2, 3}, {12.74f, 23.6f, -128.4f, 12.8f, -27.6f, 127.6f});
  Tensor dy = Tensor::fromFloats({2, 3}, {1, 2, 3, 4, 5, 6});
  auto dx = m.run("ste", {x, dy});
  ASSERT_EQ(dx.size(), 1u);
  const float expected[] = {1, 0, 3, 0, 5, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(dx[0].data<float>()[i], expected[i]) << i;

  // Per tensor, unsigned 4 bit [0, 15], s = 0.5, z = 3: x/s + 3 in range
  // <=> x in [-1.75, 6.25) (ties to even at the ends: -1.75 -> -4+3 = -1).
  auto dxt = m.run("ste_t", {Tensor::fromFloats({4}, {-1.75f, -1.7f, 6.2f, 6.3f}),
                             Tensor::fromFloats({4}, {1, 2, 3, 4})});
  ASSERT_EQ(dxt.size(), 1u);
  const float expectedT[] = {0, 2, 3, 0};
  for (int i = 0; i < 4; ++i)
    EXPECT_FLOAT_EQ(dxt[0].data<float>()[i], expectedT[i]) << i;

  Tensor w = Tensor::fromFloats({2, 3}, {0.5f, -1.27f, 0.2f, 0.0f, 0.0f, 0.0f});
  auto sym = m.run("sym", {w});
  ASSERT_EQ(sym.size(), 2u);
  EXPECT_FLOAT_EQ(sym[0].data<float>()[0], 1.27f / 127);
  EXPECT_FLOAT_EQ(sym[0].data<float>()[1], 1.0f); // all-zero channel
  EXPECT_FLOAT_EQ(sym[1].data<float>()[0], 0.0f);

  Tensor w2 = Tensor::fromFloats({2, 3}, {0.5f, 1.0f, 2.0f, 3.0f, 1.5f, 2.5f});
  auto asym = m.run("asym", {w2});
  ASSERT_EQ(asym.size(), 2u);
  // min is extended to 0: scale = 3/255, zp = rhe(-128 - 0) = -128.
  EXPECT_FLOAT_EQ(asym[0].getDouble(0), 3.0f / 255);
  EXPECT_FLOAT_EQ(asym[1].getDouble(0), -128.0f);
}

TEST(GradientCheck, OptimizerUpdates) {
  SimModule m(R"mlir(
    func.func @adam(%p: tensor<2xf32>, %g: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>, %step: tensor<f32>, %lr: tensor<f32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
      %p2, %m2, %v2 = qapeft.adam %p, %g, %m, %v, %step, %lr {beta1 = 0.9 : f32, beta2 = 0.999 : f32, epsilon = 1.0e-8 : f32} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<f32>, tensor<f32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
      return %p2, %m2, %v2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
    }
    func.func @sgd(%p: tensor<2xf32>, %g: tensor<2xf32>, %m: tensor<2xf32>, %lr: tensor<f32>) -> (tensor<2xf32>, tensor<2xf32>) {
      %p2, %m2 = qapeft.sgd %p, %g, %m, %lr {momentum = 0.5 : f32} : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<f32>) -> (tensor<2xf32>, tensor<2xf32>)
      return %p2, %m2 : tensor<2xf32>, tensor<2xf32>
    })mlir");
  ASSERT_TRUE(m.ok());
  Tensor p = Tensor::fromFloats({2}, {1.0f, -2.0f});
  Tensor g = Tensor::fromFloats({2}, {0.5f, -0.25f});
  Tensor mom = Tensor::fromFloats({2}, {0.1f, 0.0f});
  Tensor v = Tensor::fromFloats({2}, {0.01f, 0.0f});
  auto adam = m.run("adam", {p, g, mom, v, Tensor::scalar(0), Tensor::scalar(0.1f)});
  ASSERT_EQ(adam.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    double m2 = 0.9 * mom.data<float>()[i] + 0.1 * g.data<float>()[i];
    double v2 = 0.999 * v.data<float>()[i] +
                0.001 * g.data<float>()[i] * g.data<float>()[i];
    double p2 = p.data<float>()[i] -
                0.1 * (m2 / 0.1) / (std::sqrt(v2 / 0.001) + 1e-8);
    EXPECT_NEAR(adam[1].data<float>()[i], m2, 1e-6);
    EXPECT_NEAR(adam[2].data<float>()[i], v2, 1e-7);
    EXPECT_NEAR(adam[0].data<float>()[i], p2, 1e-5);
  }
  auto sgd = m.run("sgd", {p, g, mom, Tensor::scalar(0.1f)});
  ASSERT_EQ(sgd.size(), 2u);
  EXPECT_FLOAT_EQ(sgd[1].data<float>()[0], 0.5f * 0.1f + 0.5f);
  EXPECT_FLOAT_EQ(sgd[0].data<float>()[0], 1.0f - 0.1f * 0.55f);
  EXPECT_FLOAT_EQ(sgd[0].data<float>()[1], -2.0f + 0.1f * 0.25f);
}

} // namespace
