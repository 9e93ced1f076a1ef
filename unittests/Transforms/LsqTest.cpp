//===- LsqTest.cpp - learned step size quantization: formula and training -===//
//
// LSQ's scale gradient is defined through the straight-through estimator of
// the rounding (the quantizer itself is piecewise constant in the scale, so
// finite differences do not measure it). These tests check
// qapeft.lsq_scale_grad against hand-computed values, the @train_step that
// --qapeft-training-graph emits for a learnable scale against the formula,
// and that training a badly initialised scale with it lowers the loss.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"
#include "qapeft/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "gtest/gtest.h"

#include <cmath>
#include <vector>

using namespace mlir;
using namespace mlir::qapeft;
using sim::Tensor;

namespace {

class Lsq : public ::testing::Test {
protected:
  Lsq() {
    ctx.loadDialect<QAPeftDialect, tosa::TosaDialect, func::FuncDialect>();
    sim::registerAllKernels(registry);
  }

  OwningOpRef<ModuleOp> parse(StringRef src) {
    OwningOpRef<ModuleOp> m = parseSourceString<ModuleOp>(src, &ctx);
    EXPECT_TRUE(m) << "parse failed";
    return m;
  }

  MLIRContext ctx;
  sim::KernelRegistry registry;
};

// The kernel on values worked out by hand (4-bit signed: codes [-8, 7]).
TEST_F(Lsq, KernelMatchesHandComputedValues) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
func.func @t(%x: tensor<4xf32>, %s: tensor<f32>, %z: tensor<f32>, %dy: tensor<4xf32>) -> tensor<f32> {
  %ds = qapeft.lsq_scale_grad %x, %s, %z, %dy {grad_scale = 0.5 : f32, scheme = #qapeft.scheme<bits = 4, storage = i8, range = learnable>} : (tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return %ds : tensor<f32>
}
func.func @c(%x: tensor<2x2xf32>, %s: tensor<2xf32>, %z: tensor<2xf32>, %dy: tensor<2x2xf32>) -> tensor<2xf32> {
  %ds = qapeft.lsq_scale_grad %x, %s, %z, %dy {grad_scale = 1.0 : f32, scheme = #qapeft.scheme<bits = 4, storage = i8, granularity = per_channel, axis = 1, range = learnable>} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2x2xf32>) -> tensor<2xf32>
  return %ds : tensor<2xf32>
}
)mlir");
  ASSERT_TRUE(m);
  sim::Interpreter interp(*m, registry);
  // s = 0.1, z = 0:
  //   x = 0.26:  v = 2.6, round 3 (inside):   3 - 2.6 = 0.4,  dy 1  ->  0.4
  //   x = -0.95: v = -9.5, round -10 (< -8):  qmin - z = -8,  dy 1  -> -8
  //   x = 0.04:  v = 0.4, round 0 (inside):   0 - 0.4 = -0.4, dy 2  -> -0.8
  //   x = 1.0:   v = 10 (> 7):                qmax - z = 7,   dy -1 -> -7
  // sum -15.4, times grad_scale 0.5: -7.7.
  FailureOr<SmallVector<Tensor>> r = interp.run(
      "t", {Tensor::fromFloats({4}, {0.26f, -0.95f, 0.04f, 1.0f}),
            Tensor::scalar(0.1f), Tensor::scalar(0.0f),
            Tensor::fromFloats({4}, {1, 1, 2, -1})});
  ASSERT_TRUE(succeeded(r));
  EXPECT_NEAR((*r)[0].getDouble(0), -7.7, 1e-5);

  // Per channel (axis 1), s = [0.5, 0.25], z = [2, -1]:
  //   column 0: x = 1.3:  v = 2.6, round 3, code 5 (inside):  0.4,  dy 1
  //             x = 3.0:  v = 6, code 8 (> 7):                7 - 2 = 5, dy 2
  //             -> 0.4 + 10 = 10.4
  //   column 1: x = -2.2: v = -8.8, round -9, code -10 (< -8): -8 + 1 = -7,
  //                       dy 1
  //             x = 0.3:  v = 1.2, round 1, code 0 (inside): -0.2, dy -3
  //             -> -7 + 0.6 = -6.4
  r = interp.run("c", {Tensor::fromFloats({2, 2}, {1.3f, -2.2f, 3.0f, 0.3f}),
                       Tensor::fromFloats({2}, {0.5f, 0.25f}),
                       Tensor::fromFloats({2}, {2.0f, -1.0f}),
                       Tensor::fromFloats({2, 2}, {1, 1, 2, -3})});
  ASSERT_TRUE(succeeded(r));
  EXPECT_NEAR((*r)[0].getDouble(0), 10.4, 1e-5);
  EXPECT_NEAR((*r)[0].getDouble(1), -6.4, 1e-5);
}

// A non-positive scale is an error of the kernel, not a division by zero.
TEST_F(Lsq, KernelRejectsNonPositiveScale) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
func.func @t(%x: tensor<2xf32>, %s: tensor<f32>, %z: tensor<f32>, %dy: tensor<2xf32>) -> tensor<f32> {
  %ds = qapeft.lsq_scale_grad %x, %s, %z, %dy {grad_scale = 1.0 : f32, scheme = #qapeft.scheme<bits = 8, storage = i8, range = learnable>} : (tensor<2xf32>, tensor<f32>, tensor<f32>, tensor<2xf32>) -> tensor<f32>
  return %ds : tensor<f32>
}
)mlir");
  ASSERT_TRUE(m);
  sim::Interpreter interp(*m, registry);
  ScopedDiagnosticHandler quiet(&ctx, [](Diagnostic &) { return success(); });
  FailureOr<SmallVector<Tensor>> r =
      interp.run("t", {Tensor::fromFloats({2}, {1, 2}), Tensor::scalar(0.0f),
                       Tensor::scalar(0.0f), Tensor::fromFloats({2}, {1, 1})});
  EXPECT_TRUE(failed(r));
}

/// Runs --qapeft-training-graph on `src` with `options`.
LogicalResult trainingGraph(ModuleOp module, TrainingGraphOptions options) {
  PassManager pm(module.getContext());
  pm.addPass(createTrainingGraph(options));
  return pm.run(module);
}

// @train_step's scale gradient equals the LSQ formula (SGD with momentum 0
// returns the gradient as the new momentum buffer), with the zero point and
// the gradient scale 1 / sqrt(N * qmax), N = 4 elements per sample.
TEST_F(Lsq, TrainStepScaleGradientIsTheFormula) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %s = qapeft.param "y.scale" trainable dense<0.1> : tensor<f32>
  %z = qapeft.param "y.zero_point" dense<1.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 4, storage = i8, range = learnable> : tensor<?x4xf32>, tensor<f32>
  return %q : tensor<?x4xf32>
}
)mlir");
  ASSERT_TRUE(m);
  TrainingGraphOptions options;
  options.loss = "mse";
  options.optimizer = "sgd";
  ASSERT_TRUE(succeeded(trainingGraph(*m, options)));
  // Codes round(x / 0.1) + 1 in [-8, 7]: 0.63 (6.3 -> code 7, inside), 0.68
  // (6.8 -> code 8, above), -0.87 (-8.7 -> code -8, inside), -0.97 (-9.7 ->
  // code -9, below), and ordinary values.
  std::vector<float> xs = {0.63f, 0.68f,  -0.87f, -0.97f,
                           0.12f, -0.33f, 0.049f, 0.5f};
  std::vector<float> ts = {0.5f, 0.1f, -0.2f, -1.0f, 0.3f, 0.0f, 0.2f, -0.4f};
  sim::Interpreter interp(*m, registry);
  FailureOr<SmallVector<Tensor>> r = interp.run(
      "train_step",
      {Tensor::scalar(0.1f), Tensor::scalar(0.0f), Tensor::scalar(0.0f),
       Tensor::scalar(0.0f), Tensor::fromFloats({2, 4}, xs),
       Tensor::fromFloats({2, 4}, ts)});
  ASSERT_TRUE(succeeded(r));
  double expect = 0;
  int below = 0, above = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    float v = xs[i] / 0.1f;
    float code = std::nearbyint(v) + 1.0f;
    double q = (std::min(std::max(code, -8.0f), 7.0f) - 1.0f) * 0.1f;
    double dq = 2.0 * (q - ts[i]) / 8.0; // mse over 8 elements
    double local = code < -8   ? -8.0 - 1.0
                   : code > 7  ? 7.0 - 1.0
                               : double(std::nearbyint(v)) - double(v);
    below += code < -8;
    above += code > 7;
    expect += dq * local;
  }
  expect /= std::sqrt(4.0 * 7.0);
  EXPECT_EQ(below, 1);
  EXPECT_EQ(above, 1);
  EXPECT_NEAR((*r)[1].getDouble(0), expect, 1e-6);
}

// Training only a badly initialised scale (4-bit symmetric, range +-0.14
// for data in [-1, 1]: most values clip) with the emitted @train_step and
// Adam lowers the loss several-fold and moves the scale into the range
// where the grid covers the data.
TEST_F(Lsq, TrainingMovesScaleAndLowersLoss) {
  OwningOpRef<ModuleOp> m = parse(R"mlir(
func.func @forward(%x: tensor<?x16xf32>) -> tensor<?x16xf32> {
  %s = qapeft.param "y.scale" trainable dense<0.02> : tensor<f32>
  %z = qapeft.param "y.zero_point" dense<0.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 4, storage = i8, symmetric = true, narrow = true, range = learnable> : tensor<?x16xf32>, tensor<f32>
  return %q : tensor<?x16xf32>
}
)mlir");
  ASSERT_TRUE(m);
  TrainingGraphOptions options;
  options.loss = "mse";
  options.optimizer = "adam";
  options.lsqLrFactor = 1.0;
  ASSERT_TRUE(succeeded(trainingGraph(*m, options)));
  sim::Interpreter interp(*m, registry);
  // Deterministic data uniform in [-1, 1): the target is the input itself.
  std::vector<float> xs(8 * 16);
  for (size_t i = 0; i < xs.size(); ++i)
    xs[i] = float((i * 37) % 128) / 64.0f - 1.0f;
  Tensor x = Tensor::fromFloats({8, 16}, xs);
  Tensor s = Tensor::scalar(0.02f), mom = Tensor::scalar(0.0f),
         v = Tensor::scalar(0.0f);
  double firstLoss = 0, lastLoss = 0;
  for (int step = 0; step < 150; ++step) {
    FailureOr<SmallVector<Tensor>> r = interp.run(
        "train_step", {s.clone(), mom.clone(), v.clone(),
                       Tensor::scalar(float(step)), Tensor::scalar(0.005f),
                       x.clone(), x.clone()});
    ASSERT_TRUE(succeeded(r));
    s = std::move((*r)[0]);
    mom = std::move((*r)[1]);
    v = std::move((*r)[2]);
    (step == 0 ? firstLoss : lastLoss) = (*r)[3].getDouble(0);
  }
  // At s = 0.02 almost everything clips to +-0.14: mse ~ 0.25. Uniform data
  // on a 15-level grid covering [-1, 1] (s ~ 0.14) leaves ~s^2/12 ~ 0.002.
  RecordProperty("first_loss", std::to_string(firstLoss));
  RecordProperty("last_loss", std::to_string(lastLoss));
  RecordProperty("learned_scale", std::to_string(s.getDouble(0)));
  EXPECT_GT(firstLoss, 0.2);
  EXPECT_LT(lastLoss, firstLoss / 10);
  EXPECT_GT(s.getDouble(0), 0.1);
  EXPECT_LT(s.getDouble(0), 0.2);
}

} // namespace
