//===- GradientCheckTest.cpp - @train_step gradients vs finite differences ===//
//
// Every backward rule of --qapeft-training-graph is checked numerically: the
// pass emits @train_step with SGD (momentum 0), which returns the new
// momentum buffer `0 * 0 + g`, i.e. exactly the gradient; qapeft-sim's
// interpreter runs it, and central differences of the loss (also from
// @train_step) at perturbed parameters give the reference. Models are small
// and their data deterministic (splitmix64), chosen so no ReLU/clamp input or
// max-pool tie sits within the finite-difference step of a kink.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace mlir;
using namespace mlir::qapeft;
using sim::Tensor;

namespace {

/// Nested `[...]` literal of `shape` filled from `gen` uniform in [lo, hi).
void appendNested(std::string &s, SplitMix64 &gen, ArrayRef<int64_t> shape,
                  float lo, float hi) {
  if (shape.empty()) {
    // Four decimals: short text, values exactly reproducible when printed.
    s += llvm::formatv("{0:F4}", gen.uniform(lo, hi)).str();
    return;
  }
  s += "[";
  for (int64_t i = 0; i < shape[0]; ++i) {
    if (i)
      s += ", ";
    appendNested(s, gen, shape.drop_front(), lo, hi);
  }
  s += "]";
}

/// `dense<...> : tensor<shape x f32>` with values from `gen`.
std::string denseValues(SplitMix64 &gen, ArrayRef<int64_t> shape, float lo,
                        float hi) {
  std::string s = "dense<";
  appendNested(s, gen, shape, lo, hi);
  s += "> : tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32>";
}

/// Result of one check: the worst relative error over the checked entries.
struct CheckResult {
  double worstRelError = 0;
  int checked = 0;
};

class GradientCheck : public ::testing::Test {
protected:
  GradientCheck() {
    ctx.loadDialect<QAPeftDialect, tosa::TosaDialect, func::FuncDialect>();
    sim::registerAllKernels(registry);
  }

  /// Runs the training-graph pass on `source` (with `loss`), then compares
  /// @train_step's gradients with central differences for every trainable
  /// parameter. `input` and `labels` are the batch.
  CheckResult check(StringRef source, StringRef loss, const Tensor &input,
                    const Tensor &labels, double h = 1e-2) {
    CheckResult result;
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, &ctx);
    if (!module) {
      ADD_FAILURE() << "parse failed";
      return result;
    }
    PassManager pm(&ctx);
    TrainingGraphOptions options;
    options.loss = loss.str();
    options.optimizer = "sgd";
    options.momentum = 0.0;
    pm.addPass(createTrainingGraph(options));
    if (failed(pm.run(*module))) {
      ADD_FAILURE() << "--qapeft-training-graph failed";
      return result;
    }
    auto train = module->lookupSymbol<func::FuncOp>("train_step");
    // Initial parameter values: the trainable params of @forward, in order.
    SmallVector<Tensor> params;
    module->lookupSymbol<func::FuncOp>("forward").walk([&](ParamOp p) {
      if (p.getTrainable())
        params.push_back(*Tensor::fromAttr(p.getValue()));
    });
    size_t n = params.size();
    EXPECT_EQ(train.getNumArguments(), 2 * n + 4);

    sim::Interpreter interp(*module, registry);
    auto run = [&](ArrayRef<Tensor> ps) -> SmallVector<Tensor> {
      SmallVector<Tensor> args;
      for (const Tensor &p : ps)
        args.push_back(p.clone());
      for (const Tensor &p : ps)
        args.push_back(Tensor::zeros(sim::DType::F32, p.shape()));
      args.push_back(Tensor::scalar(0.0f)); // step
      args.push_back(Tensor::scalar(0.0f)); // lr: parameters stay put
      args.push_back(input.clone());
      args.push_back(labels.clone());
      FailureOr<SmallVector<Tensor>> r = interp.run("train_step", args);
      if (failed(r)) {
        ADD_FAILURE() << "executing @train_step failed";
        return {};
      }
      return *r;
    };

    SmallVector<Tensor> base = run(params);
    if (base.size() != 2 * n + 2)
      return result;
    for (size_t i = 0; i < n; ++i) {
      const Tensor &grad = base[n + i];
      int64_t numel = params[i].numel();
      // Every element of small tensors, an even spread of larger ones.
      int64_t stride = std::max<int64_t>(1, numel / 24);
      for (int64_t j = 0; j < numel; j += stride) {
        SmallVector<Tensor> plus(params.begin(), params.end());
        SmallVector<Tensor> minus(params.begin(), params.end());
        plus[i] = params[i].clone();
        minus[i] = params[i].clone();
        double v = params[i].getDouble(j);
        plus[i].setDouble(j, v + h);
        minus[i].setDouble(j, v - h);
        SmallVector<Tensor> rp = run(plus), rm = run(minus);
        if (rp.empty() || rm.empty())
          return result;
        // Use the parameter values actually stored (f32) for the step.
        double step = plus[i].getDouble(j) - minus[i].getDouble(j);
        double fd = (rp[2 * n].getDouble(0) - rm[2 * n].getDouble(0)) / step;
        double g = grad.getDouble(j);
        double rel =
            std::abs(fd - g) / std::max({std::abs(fd), std::abs(g), 1e-2});
        result.worstRelError = std::max(result.worstRelError, rel);
        ++result.checked;
        EXPECT_LT(rel, 2e-2) << "parameter " << i << " element " << j
                             << ": analytic " << g << " vs numeric " << fd;
      }
    }
    return result;
  }

  Tensor randomTensor(ArrayRef<int64_t> shape, uint64_t seed, float lo = -1,
                      float hi = 1) {
    SplitMix64 gen(seed);
    SmallVector<float> v(sim::numElements(shape));
    for (float &x : v)
      x = gen.uniform(lo, hi);
    return Tensor::fromFloats(shape, v);
  }

  MLIRContext ctx;
  sim::KernelRegistry registry;
};

// conv2d with stride, padding and dilation; clamp with both bounds active;
// reshape; bias gradients; the input gradient of the second conv.
TEST_F(GradientCheck, ConvClampReshape) {
  SplitMix64 gen(1);
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x7x7x2xf32>) -> tensor<?x8xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w1 = qapeft.param "c1.weight" trainable )mlir" +
                    denseValues(gen, {3, 3, 3, 2}, -0.6f, 0.6f) + R"mlir(
  %b1 = qapeft.param "c1.bias" trainable dense<[0.05, -0.1, 0.15]> : tensor<3xf32>
  %c1 = tosa.conv2d %x, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 2, 2>} : (tensor<?x7x7x2xf32>, tensor<3x3x3x2xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x3xf32>
  %r = tosa.clamp %c1 {min_val = -0.5 : f32, max_val = 0.5 : f32} : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32>
  %w2 = qapeft.param "c2.weight" trainable )mlir" +
                    denseValues(gen, {2, 2, 2, 3}, -0.8f, 0.8f) + R"mlir(
  %b2 = qapeft.param "c2.bias" dense<[0.0, 0.1]> : tensor<2xf32>
  %c2 = tosa.conv2d %r, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<2x2x2x3xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x2xf32>
  %s = tosa.const_shape {values = dense<[-1, 8]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %c2, %s : (tensor<?x2x2x2xf32>, !tosa.shape<2>) -> tensor<?x8xf32>
  return %o : tensor<?x8xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 7, 7, 2}, 11),
                        randomTensor({2, 8}, 12), /*h=*/1e-3);
  EXPECT_GT(r.checked, 40);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// matmul, add/sub/mul with broadcasting, transpose; softmax cross-entropy.
TEST_F(GradientCheck, MatmulElementwiseTransposeSoftmaxCE) {
  SplitMix64 gen(2);
  std::string src = R"mlir(
func.func @forward(%x: tensor<1x3x4xf32>) -> tensor<5x3xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = qapeft.param "w" trainable )mlir" +
                    denseValues(gen, {1, 4, 5}, -1, 1) + R"mlir(
  %b = qapeft.param "b" trainable )mlir" +
                    denseValues(gen, {1, 1, 5}, -1, 1) + R"mlir(
  %g = qapeft.param "g" trainable )mlir" +
                    denseValues(gen, {1, 3, 1}, 0.5f, 1.5f) + R"mlir(
  %c = qapeft.param "c" trainable )mlir" +
                    denseValues(gen, {1, 1, 5}, -1, 1) + R"mlir(
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x3x4xf32>, tensor<1x4x5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x3x5xf32>
  %z = tosa.add %y, %b : (tensor<1x3x5xf32>, tensor<1x1x5xf32>) -> tensor<1x3x5xf32>
  %u = tosa.mul %z, %g, %shift : (tensor<1x3x5xf32>, tensor<1x3x1xf32>, tensor<1xi8>) -> tensor<1x3x5xf32>
  %v = tosa.sub %u, %c : (tensor<1x3x5xf32>, tensor<1x1x5xf32>) -> tensor<1x3x5xf32>
  %t = tosa.transpose %v {perms = array<i32: 0, 2, 1>} : (tensor<1x3x5xf32>) -> tensor<1x5x3xf32>
  %s = tosa.const_shape {values = dense<[5, 3]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %t, %s : (tensor<1x5x3xf32>, !tosa.shape<2>) -> tensor<5x3xf32>
  return %o : tensor<5x3xf32>
}
)mlir";
  Tensor labels = Tensor::zeros(sim::DType::I32, {5});
  for (int64_t i = 0; i < 5; ++i)
    labels.setInt(i, (i * 2) % 3);
  CheckResult r =
      check(src, "softmax-cross-entropy", randomTensor({1, 3, 4}, 21), labels);
  EXPECT_EQ(r.checked, 33);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// The elementwise functions exp, sigmoid and tanh.
TEST_F(GradientCheck, ExpSigmoidTanh) {
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x6xf32>) -> tensor<?x6xf32> {
  %w = qapeft.param "w" trainable dense<[[0.3, -0.7, 1.1, -0.2, 0.5, 0.9]]> : tensor<1x6xf32>
  %y = tosa.add %x, %w : (tensor<?x6xf32>, tensor<1x6xf32>) -> tensor<?x6xf32>
  %s = tosa.sigmoid %y : (tensor<?x6xf32>) -> tensor<?x6xf32>
  %t = tosa.tanh %s : (tensor<?x6xf32>) -> tensor<?x6xf32>
  %e = tosa.exp %t : (tensor<?x6xf32>) -> tensor<?x6xf32>
  return %e : tensor<?x6xf32>
}
)mlir";
  CheckResult r =
      check(src, "mse", randomTensor({3, 6}, 51), randomTensor({3, 6}, 52));
  EXPECT_EQ(r.checked, 6);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// Fake quant has no useful derivative; the training graph uses the
// straight-through estimator: dL/dx = dL/dy inside the grid, 0 where the
// value clips. Checked against the formula, with inputs on both sides.
TEST_F(GradientCheck, FakeQuantStraightThrough) {
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %w = qapeft.param "w" trainable dense<[[0.3, -0.2, 0.05, 0.5]]> : tensor<1x4xf32>
  %s = qapeft.param "y.scale" dense<0.1> : tensor<f32>
  %z = qapeft.param "y.zero_point" dense<0.0> : tensor<f32>
  %y = tosa.add %x, %w : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %q = qapeft.fake_quant %y scale %s zero_point %z scheme <bits = 4, storage = i8, symmetric = true> : tensor<?x4xf32>, tensor<f32>
  return %q : tensor<?x4xf32>
}
)mlir";
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, &ctx);
  ASSERT_TRUE(module);
  PassManager pm(&ctx);
  TrainingGraphOptions options;
  options.loss = "mse";
  options.optimizer = "sgd";
  pm.addPass(createTrainingGraph(options));
  ASSERT_TRUE(succeeded(pm.run(*module)));
  // 4-bit signed grid: codes [-8, 7] with scale 0.1.
  std::vector<float> xs = {0.1f, 0.6f, -1.23f, 0.3f, -1.0f, 0.0f, 0.52f, 0.1f};
  Tensor x = Tensor::fromFloats({2, 4}, xs);
  Tensor t = randomTensor({2, 4}, 61, -0.5f, 0.5f);
  float w[4] = {0.3f, -0.2f, 0.05f, 0.5f};
  SmallVector<Tensor> args = {Tensor::fromFloats({1, 4}, w),
                              Tensor::zeros(sim::DType::F32, {1, 4}),
                              Tensor::scalar(0.0f),
                              Tensor::scalar(0.0f),
                              x.clone(),
                              t.clone()};
  sim::Interpreter interp(*module, registry);
  FailureOr<SmallVector<Tensor>> r = interp.run("train_step", args);
  ASSERT_TRUE(succeeded(r));
  const Tensor &grad = (*r)[1];
  int clipped = 0;
  for (int j = 0; j < 4; ++j) {
    double expect = 0;
    for (int n = 0; n < 2; ++n) {
      float v = xs[n * 4 + j] + w[j];
      float code = std::nearbyint(v / 0.1f);
      float q = std::min(std::max(code, -8.0f), 7.0f) * 0.1f;
      bool inside = code >= -8 && code <= 7;
      clipped += !inside;
      if (inside)
        expect += 2.0 * (q - t.getDouble(n * 4 + j)) / 8.0;
    }
    EXPECT_NEAR(grad.getDouble(j), expect, 1e-6) << "element " << j;
  }
  // -1.23 + 0.05 (code -11.8) and 0.3 + 0.5 (code 8) clip; no value sits
  // on a rounding tie.
  EXPECT_EQ(clipped, 2);
}

// max_pool2d (no ties) and avg_pool2d with padding excluded from the count.
TEST_F(GradientCheck, Pools) {
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x6x6x2xf32>) -> tensor<?x18xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = qapeft.param "s" trainable dense<[[[[0.7, -1.3]]]]> : tensor<1x1x1x2xf32>
  %y = tosa.mul %x, %s, %shift : (tensor<?x6x6x2xf32>, tensor<1x1x1x2xf32>, tensor<1xi8>) -> tensor<?x6x6x2xf32>
  %m = tosa.max_pool2d %y {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>} : (tensor<?x6x6x2xf32>) -> tensor<?x3x3x2xf32>
  %a = tosa.avg_pool2d %m, %zp, %zp {acc_type = f32, kernel = array<i64: 3, 3>, stride = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>} : (tensor<?x3x3x2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x3x2xf32>
  %sh = tosa.const_shape {values = dense<[-1, 18]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %a, %sh : (tensor<?x3x3x2xf32>, !tosa.shape<2>) -> tensor<?x18xf32>
  return %o : tensor<?x18xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 6, 6, 2}, 31),
                        randomTensor({2, 18}, 32));
  EXPECT_EQ(r.checked, 2);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// depthwise_conv2d: multiplier 2 with stride and padding (filter, bias and
// the input gradient through a per-channel scale), then a second depthwise
// conv with dilation and multiplier 1 whose input gradient feeds the first.
TEST_F(GradientCheck, DepthwiseConv) {
  SplitMix64 gen(5);
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x6x6x3xf32>) -> tensor<?x36xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = qapeft.param "s" trainable dense<[[[[0.8, -1.2, 1.1]]]]> : tensor<1x1x1x3xf32>
  %xs = tosa.mul %x, %s, %shift : (tensor<?x6x6x3xf32>, tensor<1x1x1x3xf32>, tensor<1xi8>) -> tensor<?x6x6x3xf32>
  %w1 = qapeft.param "d1.weight" trainable )mlir" +
                    denseValues(gen, {3, 3, 3, 2}, -0.6f, 0.6f) + R"mlir(
  %b1 = qapeft.param "d1.bias" trainable dense<[0.1, -0.2, 0.05, 0.0, 0.3, -0.1]> : tensor<6xf32>
  %d1 = tosa.depthwise_conv2d %xs, %w1, %b1, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 1>, stride = array<i64: 2, 1>} : (tensor<?x6x6x3xf32>, tensor<3x3x3x2xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x6x6xf32>
  %w2 = qapeft.param "d2.weight" )mlir" +
                    denseValues(gen, {1, 3, 6, 1}, -0.8f, 0.8f) + R"mlir(
  %b2 = qapeft.param "d2.bias" dense<0.0> : tensor<6xf32>
  %d2 = tosa.depthwise_conv2d %d1, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x3x6x6xf32>, tensor<1x3x6x1xf32>, tensor<6xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3x2x6xf32>
  %sh = tosa.const_shape {values = dense<[-1, 36]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %d2, %sh : (tensor<?x3x2x6xf32>, !tosa.shape<2>) -> tensor<?x36xf32>
  return %o : tensor<?x36xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 6, 6, 3}, 71),
                        randomTensor({2, 36}, 72), /*h=*/1e-3);
  // s: 3, d1.weight: 54 with stride 2 (27), d1.bias: 6.
  EXPECT_EQ(r.checked, 3 + 27 + 6);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// concat (two trainable inputs), a softmax spelled in TOSA (reduce_max,
// sub, exp, reduce_sum, reciprocal, mul), reduce_max directly in the loss and
// reduce_sum of a slice (columns 2..6 of the concatenation).
TEST_F(GradientCheck, ConcatReduceSoftmax) {
  SplitMix64 gen(6);
  std::string src = R"mlir(
func.func @forward(%x: tensor<2x6xf32>) -> tensor<2x11xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = qapeft.param "w" trainable )mlir" +
                    denseValues(gen, {1, 6}, -1, 1) + R"mlir(
  %q = qapeft.param "q" trainable )mlir" +
                    denseValues(gen, {2, 3}, -1, 1) + R"mlir(
  %y = tosa.add %x, %w : (tensor<2x6xf32>, tensor<1x6xf32>) -> tensor<2x6xf32>
  %c = tosa.concat %y, %q {axis = 1 : i32} : (tensor<2x6xf32>, tensor<2x3xf32>) -> tensor<2x9xf32>
  %m = tosa.reduce_max %c {axis = 1 : i32} : (tensor<2x9xf32>) -> tensor<2x1xf32>
  %d = tosa.sub %c, %m : (tensor<2x9xf32>, tensor<2x1xf32>) -> tensor<2x9xf32>
  %e = tosa.exp %d : (tensor<2x9xf32>) -> tensor<2x9xf32>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x9xf32>) -> tensor<2x1xf32>
  %r = tosa.reciprocal %sum : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x9xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x9xf32>
  %s0 = tosa.const_shape {values = dense<[0, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %s1 = tosa.const_shape {values = dense<[2, 5]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %sl = tosa.slice %c, %s0, %s1 : (tensor<2x9xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x5xf32>
  %cs = tosa.reduce_sum %sl {axis = 1 : i32} : (tensor<2x5xf32>) -> tensor<2x1xf32>
  %o = tosa.concat %p, %m, %cs {axis = 1 : i32} : (tensor<2x9xf32>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x11xf32>
  return %o : tensor<2x11xf32>
}
)mlir";
  CheckResult r =
      check(src, "mse", randomTensor({2, 6}, 81), randomTensor({2, 11}, 82));
  EXPECT_EQ(r.checked, 6 + 6);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// Bottleneck adapters (relu, then identity) with every tensor trainable and
// non-zero, the relu one on a value that depends on a trainable scale (so
// its input gradient is checked too); then prompt rows before a sequence.
TEST_F(GradientCheck, BottleneckAndPrompt) {
  SplitMix64 gen(7);
  std::string src = R"mlir(
func.func @forward(%x: tensor<2x3x4xf32>) -> tensor<2x7xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %s = qapeft.param "s" trainable dense<[[[0.9, -1.1, 1.3, 0.7]]]> : tensor<1x1x4xf32>
  %xs = tosa.mul %x, %s, %shift : (tensor<2x3x4xf32>, tensor<1x1x4xf32>, tensor<1xi8>) -> tensor<2x3x4xf32>
  %d = qapeft.param "a.down" trainable )mlir" +
                    denseValues(gen, {3, 4}, -0.8f, 0.8f) + R"mlir(
  %db = qapeft.param "a.down_bias" trainable dense<[0.1, -0.05, 0.2]> : tensor<3xf32>
  %u = qapeft.param "a.up" trainable )mlir" +
                    denseValues(gen, {4, 3}, -0.8f, 0.8f) + R"mlir(
  %ub = qapeft.param "a.up_bias" trainable dense<[0.05, -0.1, 0.0, 0.2]> : tensor<4xf32>
  %y = qapeft.bottleneck %xs, %d, %db, %u, %ub relu houlsby : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<4x3xf32>, tensor<4xf32>
  %d2 = qapeft.param "b.down" )mlir" +
                    denseValues(gen, {2, 4}, -0.8f, 0.8f) + R"mlir(
  %db2 = qapeft.param "b.down_bias" dense<0.0> : tensor<2xf32>
  %u2 = qapeft.param "b.up" trainable )mlir" +
                    denseValues(gen, {4, 2}, -0.8f, 0.8f) + R"mlir(
  %ub2 = qapeft.param "b.up_bias" dense<0.0> : tensor<4xf32>
  %y2 = qapeft.bottleneck %y, %d2, %db2, %u2, %ub2 identity pfeiffer : tensor<2x3x4xf32>, tensor<2x4xf32>, tensor<2xf32>, tensor<4x2xf32>, tensor<4xf32>
  %p = qapeft.param "prompt" trainable )mlir" +
                    denseValues(gen, {4, 4}, -0.5f, 0.5f) + R"mlir(
  %z = qapeft.prompt %y2, %p : (tensor<2x3x4xf32>, tensor<4x4xf32>) -> tensor<2x7x4xf32>
  %w = qapeft.param "w" )mlir" +
                    denseValues(gen, {1, 1, 4}, -1, 1) + R"mlir(
  %zw = tosa.mul %z, %w, %shift : (tensor<2x7x4xf32>, tensor<1x1x4xf32>, tensor<1xi8>) -> tensor<2x7x4xf32>
  %t = tosa.tanh %zw : (tensor<2x7x4xf32>) -> tensor<2x7x4xf32>
  %r = tosa.reduce_sum %t {axis = 2 : i32} : (tensor<2x7x4xf32>) -> tensor<2x7x1xf32>
  %sh = tosa.const_shape {values = dense<[2, 7]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %r, %sh : (tensor<2x7x1xf32>, !tosa.shape<2>) -> tensor<2x7xf32>
  return %o : tensor<2x7xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 3, 4}, 91),
                        randomTensor({2, 7}, 92), /*h=*/1e-3);
  // s 4, a.down 12, a.down_bias 3, a.up 12, a.up_bias 4, b.up 8, prompt 16.
  EXPECT_EQ(r.checked, 4 + 12 + 3 + 12 + 4 + 8 + 16);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// The adapters: LoRA on a conv weight (out_axis 0) and on a matmul weight
// (out_axis 2), the LoRA side path, and (IA)^3. B starts non-zero so that
// A's gradient is not trivially zero.
TEST_F(GradientCheck, Adapters) {
  SplitMix64 gen(4);
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x4x4x3xf32>) -> tensor<?x16xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %w = qapeft.param "c.weight" )mlir" +
                    denseValues(gen, {4, 1, 2, 3}, -0.5f, 0.5f) + R"mlir(
  %a = qapeft.param "c.lora_a" trainable )mlir" +
                    denseValues(gen, {2, 6}, -0.5f, 0.5f) + R"mlir(
  %bm = qapeft.param "c.lora_b" trainable )mlir" +
                    denseValues(gen, {4, 2}, -0.5f, 0.5f) + R"mlir(
  %wd = qapeft.lora_delta %w, %a, %bm {alpha = 3.0 : f32, rank = 2 : i64} : tensor<4x1x2x3xf32>, tensor<2x6xf32>, tensor<4x2xf32>
  %bias = qapeft.param "c.bias" dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %c = tosa.conv2d %x, %wd, %bias, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 1>, stride = array<i64: 1, 1>} : (tensor<?x4x4x3xf32>, tensor<4x1x2x3xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x4xf32>
  %l = qapeft.param "c.ia3" trainable dense<[0.9, 1.1, 1.2, 0.8]> : tensor<4xf32>
  %y = qapeft.ia3 %c, %l {axis = 3 : i64} : tensor<?x4x4x4xf32>, tensor<4xf32>
  %w2 = qapeft.param "p.weight" )mlir" +
                    denseValues(gen, {2, 1, 1, 4}, -0.5f, 0.5f) + R"mlir(
  %b2 = qapeft.param "p.bias" dense<[0.0, 0.0]> : tensor<2xf32>
  %p = tosa.conv2d %y, %w2, %b2, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x4x4x4xf32>, tensor<2x1x1x4xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x4x4x2xf32>
  %sa = qapeft.param "p.lora_a" trainable )mlir" +
                    denseValues(gen, {2, 4}, -0.5f, 0.5f) + R"mlir(
  %sb = qapeft.param "p.lora_b" trainable )mlir" +
                    denseValues(gen, {2, 2}, -0.5f, 0.5f) + R"mlir(
  %q = qapeft.lora_side %y, %p, %sa, %sb {alpha = 4.0 : f32, rank = 2 : i64} : tensor<?x4x4x4xf32>, tensor<?x4x4x2xf32>, tensor<2x4xf32>, tensor<2x2xf32>
  %s3 = tosa.const_shape {values = dense<[1, -1, 2]> : tensor<3xindex>} : () -> !tosa.shape<3>
  %q3 = tosa.reshape %q, %s3 : (tensor<?x4x4x2xf32>, !tosa.shape<3>) -> tensor<1x?x2xf32>
  %mw = qapeft.param "m.weight" )mlir" +
                    denseValues(gen, {1, 2, 4}, -0.5f, 0.5f) + R"mlir(
  %ma = qapeft.param "m.lora_a" trainable )mlir" +
                    denseValues(gen, {1, 2}, -0.5f, 0.5f) + R"mlir(
  %mb = qapeft.param "m.lora_b" trainable )mlir" +
                    denseValues(gen, {4, 1}, -0.5f, 0.5f) + R"mlir(
  %md = qapeft.lora_delta %mw, %ma, %mb {alpha = 2.0 : f32, rank = 1 : i64, out_axis = 2 : i64} : tensor<1x2x4xf32>, tensor<1x2xf32>, tensor<4x1xf32>
  %mm = tosa.matmul %q3, %md, %zp, %zp : (tensor<1x?x2xf32>, tensor<1x2x4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x?x4xf32>
  %s2 = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %o = tosa.reshape %mm, %s2 : (tensor<1x?x4xf32>, !tosa.shape<2>) -> tensor<?x16xf32>
  return %o : tensor<?x16xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 4, 4, 3}, 41),
                        randomTensor({8, 16}, 42));
  EXPECT_EQ(r.checked, 12 + 8 + 4 + 8 + 4 + 2 + 4);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// The fully connected form (reshape -> 1x1 conv2d -> reshape), ReLU
// (clamp [0, FLT_MAX], so only the lower bound masks) and ReLU6 (clamp
// [0, 6], with values above 6 from the per-column gain), and a mean over the
// last axis spelled as TOSA has it (reduce_sum, then mul by 1/n).
TEST_F(GradientCheck, FullyConnectedReluRelu6Mean) {
  SplitMix64 gen(8);
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x2x2x3xf32>) -> tensor<?x11xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %s4 = tosa.const_shape {values = dense<[-1, 1, 1, 12]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %f = tosa.reshape %x, %s4 : (tensor<?x2x2x3xf32>, !tosa.shape<4>) -> tensor<?x1x1x12xf32>
  %w = qapeft.param "fc.weight" trainable )mlir" +
                    denseValues(gen, {5, 1, 1, 12}, -0.5f, 0.5f) + R"mlir(
  %b = qapeft.param "fc.bias" trainable dense<[0.1, -0.2, 0.05, 0.3, -0.1]> : tensor<5xf32>
  %c = tosa.conv2d %f, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x12xf32>, tensor<5x1x1x12xf32>, tensor<5xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x5xf32>
  %s2 = tosa.const_shape {values = dense<[-1, 5]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %c, %s2 : (tensor<?x1x1x5xf32>, !tosa.shape<2>) -> tensor<?x5xf32>
  %k = qapeft.param "k" trainable dense<[[7.0, -5.0, 8.0, 6.5, -7.5]]> : tensor<1x5xf32>
  %yk = tosa.mul %y, %k, %shift : (tensor<?x5xf32>, tensor<1x5xf32>, tensor<1xi8>) -> tensor<?x5xf32>
  %relu = tosa.clamp %yk {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x5xf32>) -> tensor<?x5xf32>
  %relu6 = tosa.clamp %yk {min_val = 0.0 : f32, max_val = 6.0 : f32} : (tensor<?x5xf32>) -> tensor<?x5xf32>
  %sum = tosa.reduce_sum %yk {axis = 1 : i32} : (tensor<?x5xf32>) -> tensor<?x1xf32>
  %inv = "tosa.const"() {values = dense<0.2> : tensor<1x1xf32>} : () -> tensor<1x1xf32>
  %mean = tosa.mul %sum, %inv, %shift : (tensor<?x1xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x1xf32>
  %o = tosa.concat %relu, %relu6, %mean {axis = 1 : i32} : (tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x1xf32>) -> tensor<?x11xf32>
  return %o : tensor<?x11xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({4, 2, 2, 3}, 101),
                        randomTensor({4, 11}, 102), /*h=*/1e-3);
  // fc.weight: 60 elements with stride 2 (30), fc.bias 5, k 5.
  EXPECT_EQ(r.checked, 30 + 5 + 5);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

// A bottleneck adapter with the exact GELU, every tensor trainable and
// non-zero, on an input that depends on a trainable scale.
TEST_F(GradientCheck, GeluBottleneck) {
  SplitMix64 gen(9);
  std::string src = R"mlir(
func.func @forward(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %s = qapeft.param "s" trainable dense<[[[1.2, -0.9, 1.4, 0.8]]]> : tensor<1x1x4xf32>
  %xs = tosa.mul %x, %s, %shift : (tensor<?x3x4xf32>, tensor<1x1x4xf32>, tensor<1xi8>) -> tensor<?x3x4xf32>
  %d = qapeft.param "a.down" trainable )mlir" +
                    denseValues(gen, {3, 4}, -0.9f, 0.9f) + R"mlir(
  %db = qapeft.param "a.down_bias" trainable dense<[0.2, -0.3, 0.1]> : tensor<3xf32>
  %u = qapeft.param "a.up" trainable )mlir" +
                    denseValues(gen, {4, 3}, -0.9f, 0.9f) + R"mlir(
  %ub = qapeft.param "a.up_bias" trainable dense<[0.05, -0.1, 0.15, 0.0]> : tensor<4xf32>
  %y = qapeft.bottleneck %xs, %d, %db, %u, %ub gelu houlsby : tensor<?x3x4xf32>, tensor<3x4xf32>, tensor<3xf32>, tensor<4x3xf32>, tensor<4xf32>
  %t = tosa.tanh %y : (tensor<?x3x4xf32>) -> tensor<?x3x4xf32>
  return %t : tensor<?x3x4xf32>
}
)mlir";
  CheckResult r = check(src, "mse", randomTensor({2, 3, 4}, 111),
                        randomTensor({2, 3, 4}, 112), /*h=*/1e-3);
  EXPECT_EQ(r.checked, 4 + 12 + 3 + 12 + 4);
  RecordProperty("worst_rel_error", std::to_string(r.worstRelError));
}

} // namespace
