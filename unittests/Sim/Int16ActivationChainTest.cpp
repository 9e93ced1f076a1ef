//===- Int16ActivationChainTest.cpp - the int16 LOGISTIC/TANH TOSA form ---===//
//
// The TOSA chain of Int16ActivationChain.h, executed by qapeft-sim's integer
// kernels, must equal the scalar model of TFLite's kernel
// (qapeft/Numerics/Int16Activation.h) on every int16 input, at many scales;
// and the bit-level kernels it uses (IntegerBitKernels.cpp) must follow the
// TOSA specification on hand-computed values and refuse what TOSA REQUIREs.
//
//===----------------------------------------------------------------------===//

#include "SimTestUtils.h"

#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"
#include "qapeft/Numerics/Int16Activation.h"

#include "mlir/IR/Verifier.h"

using namespace qapeft_test;
namespace num = mlir::qapeft::numerics;

namespace {

/// Runs the chain for (`sigmoid`, `scale`) on all 65536 int16 codes and
/// returns the number of outputs that differ from the scalar reference.
int64_t mismatches(bool sigmoid, float scale) {
  SimModule m("module {}");
  EXPECT_TRUE(m.ok());
  MLIRContext *ctx = m.context.get();
  OpBuilder b(ctx);
  Location loc = b.getUnknownLoc();
  auto type = RankedTensorType::get({ShapedType::kDynamic, 256, 256, 1},
                                    b.getIntegerType(16));
  b.setInsertionPointToEnd(m.module->getBody());
  auto func = func::FuncOp::create(b, loc, "forward",
                                   FunctionType::get(ctx, {type}, {type}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  EXPECT_FALSE(mlir::qapeft::int16ActivationUnsupported(sigmoid, scale, type));
  Value y = mlir::qapeft::buildInt16Activation(b, loc, sigmoid, scale,
                                               entry->getArgument(0));
  func::ReturnOp::create(b, loc, y);
  EXPECT_TRUE(succeeded(mlir::verify(*m.module)));

  Tensor x = Tensor::empty(DType::I16, {1, 256, 256, 1});
  for (int64_t i = 0; i < 65536; ++i)
    x.setInt(i, i - 32768);
  Interpreter interp(*m.module, m.registry);
  auto out = interp.run("forward", {x});
  EXPECT_TRUE(succeeded(out));
  if (failed(out))
    return -1;
  num::Int16ActivationPrepare p = num::int16ActivationPrepare(sigmoid, scale);
  int64_t bad = 0;
  for (int64_t i = 0; i < 65536; ++i) {
    auto v = static_cast<int16_t>(i - 32768);
    int16_t want = sigmoid ? num::tfliteInt16Logistic(v, p.multiplier, p.shift)
                           : num::tfliteInt16Tanh(v, p.multiplier, p.shift);
    bad += (*out)[0].getInt(i) != want;
  }
  return bad;
}

TEST(Int16ActivationChain, MatchesKernelOnAllInputs) {
  // Shift 12 (1/3072, 0.0005), 14 (0.0001), 21 (1e-6), 0 (2.0), and scales
  // that saturate early.
  for (float s : {1.0f / 3072.0f, 0.0005f, 0.0001f, 1e-6f, 2.0f, 0.0021f,
                  0.000377195f})
    for (bool sigmoid : {true, false})
      EXPECT_EQ(mismatches(sigmoid, s), 0) << (sigmoid ? "sigmoid " : "tanh ")
                                           << s;
}

TEST(Int16ActivationChain, RefusesPowerOfTwoScales) {
  auto type = RankedTensorType::get({1, 8}, IntegerType::get(
      SimModule("module {}").context.get(), 16));
  EXPECT_TRUE(mlir::qapeft::int16ActivationUnsupported(true, 0x1p-12f, type));
  EXPECT_FALSE(mlir::qapeft::int16ActivationUnsupported(true, 0x1p-11f, type));
  EXPECT_TRUE(mlir::qapeft::int16ActivationUnsupported(false, 0x1p-11f, type));
  EXPECT_TRUE(mlir::qapeft::int16ActivationUnsupported(false, 8.0f, type));
}

constexpr const char *kBitOps = R"mlir(
func.func @bits(%a: tensor<6xi32>, %b: tensor<6xi32>) -> (tensor<6xi32>, tensor<6xi32>, tensor<6xi32>, tensor<6xi32>) {
  %abs = tosa.abs %a : (tensor<6xi32>) -> tensor<6xi32>
  %sr = tosa.arithmetic_right_shift %a, %b {round = false} : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %srr = tosa.arithmetic_right_shift %a, %b {round = true} : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  %and = tosa.bitwise_and %a, %b : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  return %abs, %sr, %srr, %and : tensor<6xi32>, tensor<6xi32>, tensor<6xi32>, tensor<6xi32>
}
func.func @gather(%v: tensor<1x4x2xi32>, %i: tensor<1x3xi32>) -> tensor<1x3x2xi32> {
  %g = tosa.gather %v, %i : (tensor<1x4x2xi32>, tensor<1x3xi32>) -> tensor<1x3x2xi32>
  return %g : tensor<1x3x2xi32>
}
)mlir";

Tensor ints(std::vector<int64_t> values, llvm::ArrayRef<int64_t> shape) {
  Tensor t = Tensor::empty(DType::I32, shape);
  for (size_t i = 0; i < values.size(); ++i)
    t.setInt(i, values[i]);
  return t;
}

std::vector<int64_t> values(const Tensor &t) {
  std::vector<int64_t> v;
  for (int64_t i = 0; i < t.numel(); ++i)
    v.push_back(t.getInt(i));
  return v;
}

TEST(IntegerBitKernels, HandComputed) {
  SimModule m(kBitOps);
  ASSERT_TRUE(m.ok());
  Tensor a = ints({-7, 7, -8, 13, -1, 1000}, {6});
  Tensor b = ints({1, 1, 2, 2, 0, 31}, {6});
  std::vector<Tensor> r = m.run("bits", {a, b});
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(values(r[0]), (std::vector<int64_t>{7, 7, 8, 13, 1, 1000}));
  // Floor: -7 >> 1 = -4, -8 >> 2 = -2, 13 >> 2 = 3.
  EXPECT_EQ(values(r[1]), (std::vector<int64_t>{-4, 3, -2, 3, -1, 0}));
  // round adds bit (b - 1): -7 = ...1001 (bit 0 set) -> -3; 7 -> 4;
  // -8 (bit 1 clear) -> -2; 13 = 1101 (bit 1 clear) -> 3; b = 0 -> -1.
  EXPECT_EQ(values(r[2]), (std::vector<int64_t>{-3, 4, -2, 3, -1, 0}));
  // Two's complement: -7 & 1 = 1, -8 & 2 = 0, 13 & 2 = 0, -1 & 0 = 0,
  // 1000 & 31 = 8.
  EXPECT_EQ(values(r[3]), (std::vector<int64_t>{1, 1, 0, 0, 0, 8}));

  Tensor v = ints({10, 11, 20, 21, 30, 31, 40, 41}, {1, 4, 2});
  r = m.run("gather", {v, ints({3, 0, 3}, {1, 3})});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(values(r[0]), (std::vector<int64_t>{40, 41, 10, 11, 40, 41}));
}

TEST(IntegerBitKernels, RefusesWhatTosaRequires) {
  SimModule m(kBitOps);
  ASSERT_TRUE(m.ok());
  // A shift of 32 on i32 is outside [0, 32).
  auto out = m.interpreter->run(
      "bits", {ints({1, 1, 1, 1, 1, 1}, {6}), ints({0, 0, 0, 0, 0, 32}, {6})});
  EXPECT_TRUE(failed(out));
  // abs(INT32_MIN) overflows.
  out = m.interpreter->run("bits", {ints({INT32_MIN, 0, 0, 0, 0, 0}, {6}),
                                    ints({0, 0, 0, 0, 0, 0}, {6})});
  EXPECT_TRUE(failed(out));
  // Index 4 of K = 4.
  Tensor v = ints({10, 11, 20, 21, 30, 31, 40, 41}, {1, 4, 2});
  out = m.interpreter->run("gather", {v, ints({0, 4, 1}, {1, 3})});
  EXPECT_TRUE(failed(out));
}

} // namespace
