//===- TrainTest.cpp - training loop and calibration ----------------------===//

#include "SimTestUtils.h"

#include "qapeft/Sim/Calibrate.h"
#include "qapeft/Sim/Data.h"
#include "qapeft/Sim/Train.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cmath>

using namespace qapeft_test;

namespace {

TEST(TrainLoop, ShuffleIsASeededPermutation) {
  auto a = shuffledIndices(1000, 7), b = shuffledIndices(1000, 7),
       c = shuffledIndices(1000, 8);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  std::vector<int64_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < 1000; ++i)
    EXPECT_EQ(sorted[i], i);
  // Not the identity.
  int64_t fixed = 0;
  for (int64_t i = 0; i < 1000; ++i)
    fixed += a[i] == i;
  EXPECT_LT(fixed, 20);
}

TEST(TrainLoop, CosineSchedule) {
  TrainOptions o;
  o.lr = 0.2;
  o.schedule = LRSchedule::Cosine;
  EXPECT_DOUBLE_EQ(learningRate(o, 0, 10), 0.2);
  EXPECT_NEAR(learningRate(o, 5, 10), 0.1, 1e-12);
  EXPECT_NEAR(learningRate(o, 10, 10), 0.0, 1e-12);
  o.schedule = LRSchedule::Constant;
  EXPECT_DOUBLE_EQ(learningRate(o, 7, 10), 0.2);
}

TEST(Calibration, ScaleAndZeroPoint) {
  auto [s, z] = scaleAndZeroPoint({-1.0f, 3.0f}, -128, 127, false);
  EXPECT_FLOAT_EQ(s, 4.0f / 255);
  EXPECT_FLOAT_EQ(z, std::nearbyint(-128 + 1.0f / (4.0f / 255)));
  auto [s2, z2] = scaleAndZeroPoint({-1.0f, 3.0f}, -127, 127, true);
  EXPECT_FLOAT_EQ(s2, 3.0f / 127);
  EXPECT_FLOAT_EQ(z2, 0.0f);
  // A positive-only range still includes 0.
  auto [s3, z3] = scaleAndZeroPoint({2.0f, 4.0f}, 0, 255, false);
  EXPECT_FLOAT_EQ(s3, 4.0f / 255);
  EXPECT_FLOAT_EQ(z3, 0.0f);
  auto [s4, z4] = scaleAndZeroPoint({0.0f, 0.0f}, -128, 127, false);
  EXPECT_FLOAT_EQ(s4, 1.0f);
  EXPECT_FLOAT_EQ(z4, -128.0f);
}

TEST(Calibration, EntropyClipsLongTails) {
  // Mass concentrated in [0, 1) of a [0, 100] range with a few far outliers:
  // the KL threshold must clip well below the maximum but keep the bulk.
  std::vector<double> hist(2048, 0.0);
  for (int i = 0; i < 21; ++i)
    hist[i] = 1000.0 - 40 * i;
  hist[2047] = 1;
  float t = entropyThreshold(hist, 100.0f, 128);
  EXPECT_LT(t, 50.0f);
  EXPECT_GE(t, 21 * 100.0f / 2048);
  // A flat histogram keeps (nearly) the whole range.
  std::vector<double> flat(2048, 1.0);
  EXPECT_GT(entropyThreshold(flat, 10.0f, 128), 9.0f);
}

const char *kCalibModule = R"mlir(
  func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
    %s = qapeft.param "x.scale" dense<1.0> : tensor<f32>
    %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
    %y = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
    %cs = qapeft.param "y.scale" dense<1.0> : tensor<2xf32>
    %cz = qapeft.param "y.zero_point" dense<0.0> : tensor<2xf32>
    %y2 = qapeft.fake_quant %y scale %cs zero_point %cz scheme <bits = 8, storage = i8, symmetric = true, granularity = per_channel, axis = 1> : tensor<?x2xf32>, tensor<2xf32>
    %ts = qapeft.param "t.scale" trainable dense<1.0> : tensor<f32>
    %y3 = qapeft.fake_quant %y2 scale %ts zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
    return %y3 : tensor<?x2xf32>
  }
)mlir";

float paramValue(ModuleOp module, llvm::StringRef name, int64_t i) {
  float v = NAN;
  module.walk([&](mlir::qapeft::ParamOp op) {
    if (op.getName() == name)
      v = Tensor::fromAttr(op.getValue())->getDouble(i);
  });
  return v;
}

TEST(Calibration, MinMaxPerTensorAndPerChannel) {
  SimModule m(kCalibModule);
  ASSERT_TRUE(m.ok());
  // Column 0 spans [-2, 3]; column 1 spans [0.5, 5] (later fake quants see
  // the unquantized values: calibrated fake quants pass through).
  Tensor data = Tensor::fromFloats({4, 2}, {-2, 0.5f, 3, 5, 1, 1, 0, 2});
  CalibrateOptions options;
  options.batch = 3; // Two batches: the min/max must span both.
  auto report = calibrate(*m.module, m.registry, data, options);
  ASSERT_TRUE(succeeded(report));
  EXPECT_EQ(report->lines.size(), 2u);
  // Per tensor, asymmetric: [-2, 5] -> s = 7/255, z = rhe(-128 + 2/s).
  float s = 7.0f / 255;
  EXPECT_FLOAT_EQ(paramValue(*m.module, "x.scale", 0), s);
  EXPECT_FLOAT_EQ(paramValue(*m.module, "x.zero_point", 0),
                  std::nearbyint(-128.0f + 2.0f / s));
  // Per channel, symmetric: max|x| / 127 per column, zero point 0.
  EXPECT_FLOAT_EQ(paramValue(*m.module, "y.scale", 0), 3.0f / 127);
  EXPECT_FLOAT_EQ(paramValue(*m.module, "y.scale", 1), 5.0f / 127);
  EXPECT_FLOAT_EQ(paramValue(*m.module, "y.zero_point", 1), 0.0f);
  // Trainable ranges are left alone.
  EXPECT_FLOAT_EQ(paramValue(*m.module, "t.scale", 0), 1.0f);
}

TEST(Calibration, PercentileIgnoresOutliers) {
  SimModule m(kCalibModule);
  ASSERT_TRUE(m.ok());
  std::vector<float> values;
  for (int i = 0; i < 10000; ++i) {
    values.push_back((i % 100) / 100.0f); // [0, 0.99]
    values.push_back(1.0f);
  }
  values[0] = 1000.0f; // One outlier.
  Tensor data = Tensor::fromFloats({10000, 2}, values);
  std::string error;
  auto options = parseObserver("percentile=99.9", error);
  ASSERT_TRUE(succeeded(options)) << error;
  auto report = calibrate(*m.module, m.registry, data, *options);
  ASSERT_TRUE(succeeded(report));
  // Column 0's max is set by the outlier under minmax; the 99.9th percentile
  // stays near 1 (within a histogram bin of the 1000-wide range).
  EXPECT_LT(paramValue(*m.module, "y.scale", 0) * 127, 1.0f + 1000.0f / 2048 + 1e-3f);
  EXPECT_FALSE(succeeded(parseObserver("percentile=0", error)));
  EXPECT_FALSE(succeeded(parseObserver("kl", error)));
}

TEST(Training, TinyCnnLearnsFashionMnist) {
  if (!llvm::sys::fs::exists(
          "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto source = llvm::MemoryBuffer::getFile(QAPEFT_SIM_TEST_INPUTS
                                            "/tiny-cnn-train.mlir");
  ASSERT_TRUE(static_cast<bool>(source));
  SimModule m((*source)->getBuffer());
  ASSERT_TRUE(m.ok());
  auto train = readFashionMnist("train");
  ASSERT_TRUE(static_cast<bool>(train));
  std::vector<int64_t> rows(1024);
  for (int64_t i = 0; i < 1024; ++i)
    rows[i] = i;
  Tensor x = gatherRows(train->images, rows), y = gatherRows(train->labels, rows);

  auto evaluate = [&](double &loss, double &accuracy) {
    auto out = m.run("forward", {x});
    ASSERT_EQ(out.size(), 1u);
    const float *p = out[0].data<float>();
    loss = 0;
    int64_t correct = 0;
    for (int64_t r = 0; r < 1024; ++r) {
      int32_t label = y.data<int32_t>()[r];
      int64_t best = 0;
      double mx = p[r * 10], sum = 0;
      for (int j = 1; j < 10; ++j)
        if (p[r * 10 + j] > p[r * 10 + best])
          best = j;
      mx = p[r * 10 + best];
      for (int j = 0; j < 10; ++j)
        sum += std::exp(p[r * 10 + j] - mx);
      loss += std::log(sum) - (p[r * 10 + label] - mx);
      correct += best == label;
    }
    loss /= 1024;
    accuracy = correct / 1024.0;
  };
  double loss0, acc0;
  evaluate(loss0, acc0);
  EXPECT_NEAR(loss0, std::log(10.0), 1e-4); // Zero classifier: uniform.

  TrainOptions options;
  options.epochs = 2;
  options.batch = 32;
  options.lr = 0.05;
  options.seed = 3;
  auto result = mlir::qapeft::sim::train(*m.module, m.registry, x, y, options);
  ASSERT_TRUE(succeeded(result));
  ASSERT_EQ(result->epochs.size(), 2u);
  EXPECT_EQ(result->steps.size(), 64u);
  EXPECT_LT(result->epochs[1].loss, result->epochs[0].loss);

  // The trained values were written into the params that @forward reads.
  m.interpreter->invalidateConstants();
  double loss1, acc1;
  evaluate(loss1, acc1);
  EXPECT_LT(loss1, 0.9);
  EXPECT_GT(acc1, 0.65);
  EXPECT_GT(acc1, acc0 + 0.4);

  // Same seed, same result: train a fresh copy and compare the CSV logs.
  SimModule again((*source)->getBuffer());
  auto result2 = mlir::qapeft::sim::train(*again.module, again.registry, x, y,
                                          options);
  ASSERT_TRUE(succeeded(result2));
  EXPECT_EQ(result->csv(), result2->csv());
}

} // namespace
