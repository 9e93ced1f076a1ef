//===- TargetDescTest.cpp - the target description query API --------------===//

#include "qapeft/TargetDesc/TargetDesc.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {

FailureOr<TargetDesc>
parseText(llvm::StringRef text,
          llvm::SmallVectorImpl<TargetDiagnostic> &diags) {
  return TargetDesc::parse(
      llvm::MemoryBuffer::getMemBufferCopy(text, "inline.yaml"), diags);
}

TargetDesc parseOk(llvm::StringRef text) {
  llvm::SmallVector<TargetDiagnostic> diags;
  FailureOr<TargetDesc> t = parseText(text, diags);
  for (const TargetDiagnostic &d : diags)
    ADD_FAILURE() << d.str();
  EXPECT_TRUE(succeeded(t));
  return succeeded(t) ? *t : TargetDesc();
}

// Every layer changes something different, so each answer shows which
// layer it came from.
constexpr llvm::StringLiteral kLayered = R"yaml(
name: layered
rounding: double
precisions: [int8, int16x8]
activation: {bits: 8}
input: {signed: false}
weight:
  bits: 8
  symmetric: true
  narrow_range: true
  granularity: per-channel
bias: {bits: 32}
accumulator: {bits: 32}
modes:
  int16x8:
    activation: {bits: 16, symmetric: true}
    bias: {bits: 64, limit_bits: 40}
    accumulator: {bits: 48, storage: i64}
ops:
  tosa.conv2d:
    max_stride: 3
  tosa.depthwise_conv2d: {}
  tosa.matmul:
    precisions: [int8]
    weight: {granularity: per-tensor, symmetric: false, narrow_range: false}
  tosa.sigmoid:
    activation: {scale: 0.00390625}
    modes:
      int8:
        activation: {zero_point: -128}
      int16x8:
        activation: {scale: 0.000030517578125, zero_point: 0}
  tosa.erf:
    supported: false
    reason: no table for it
)yaml";

TEST(TargetDesc, SchemesPerRoleOpAndPrecision) {
  MLIRContext ctx;
  TargetDesc t = parseOk(kLayered);
  EXPECT_EQ(t.getName(), "layered");
  EXPECT_EQ(t.getRounding(), RoundingMode::Double);
  EXPECT_EQ(t.getDefaultPrecision(), Precision::Int8);

  // Conv weight: int8 symmetric narrow, per channel on OHWI's axis 0.
  QuantSchemeAttr w = t.getScheme(&ctx, "tosa.conv2d", TensorRole::Weight);
  EXPECT_EQ(w.getBits(), 8u);
  EXPECT_EQ(w.getStorage().getWidth(), 8u);
  EXPECT_TRUE(w.getSymmetric());
  EXPECT_TRUE(w.getNarrow());
  EXPECT_EQ(w.getGranularity(), Granularity::PerChannel);
  EXPECT_EQ(w.getAxis(), 0);
  EXPECT_EQ(w.getQMin(), -127);
  EXPECT_EQ(w.getQMax(), 127);
  EXPECT_EQ(w.getRounding(), RoundingMode::Double);
  EXPECT_EQ(w.getRange(), RangeSource::Weight);

  // Depthwise (HWCM): the same grid on axis 2, listed op or not.
  EXPECT_EQ(
      t.getScheme(&ctx, "tosa.depthwise_conv2d", TensorRole::Weight).getAxis(),
      2);
  EXPECT_EQ(t.getScheme(&ctx, "tosa.conv3d", TensorRole::Weight).getAxis(), 0);

  // The matmul override switches to per-tensor and drops the inherited axis.
  QuantSchemeAttr mw = t.getScheme(&ctx, "tosa.matmul", TensorRole::Weight);
  EXPECT_EQ(mw.getGranularity(), Granularity::PerTensor);
  EXPECT_EQ(mw.getAxis(), -1);
  EXPECT_FALSE(mw.getSymmetric());
  EXPECT_EQ(mw.getQMin(), -128);
  EXPECT_EQ(mw.getRange(), RangeSource::Weight);

  // The model input starts from the activation grid, then `input` keys.
  QuantSchemeAttr in = t.getScheme(&ctx, "", TensorRole::Input);
  EXPECT_EQ(in.getBits(), 8u);
  EXPECT_FALSE(in.getIsSigned());
  EXPECT_EQ(in.getQMax(), 255);
  EXPECT_EQ(in.getRange(), RangeSource::Calibrated);

  // int16x8: the mode's activation, bias and accumulator.
  QuantSchemeAttr a16 = t.getScheme(&ctx, "tosa.conv2d", TensorRole::Activation,
                                    Precision::Int16x8);
  EXPECT_EQ(a16.getBits(), 16u);
  EXPECT_EQ(a16.getStorage().getWidth(), 16u);
  EXPECT_TRUE(a16.getSymmetric());
  EXPECT_EQ(t.getBias("tosa.conv2d", Precision::Int16x8).bits, 64u);
  EXPECT_EQ(t.getBias("tosa.conv2d", Precision::Int16x8).valueBits(), 40u);
  EXPECT_EQ(t.getAccumulator("tosa.conv2d", Precision::Int16x8).bits, 48u);
  EXPECT_EQ(t.getAccumulator("tosa.conv2d", Precision::Int16x8).storageBits,
            64u);
  EXPECT_EQ(t.getAccumulator("tosa.conv2d").bits, 32u);
  EXPECT_EQ(t.getBias("tosa.conv2d").valueBits(), 32u);

  // Op layer then op-mode layer: fixed qparams differ per precision.
  const QuantSpec &s8 = t.getQuant("tosa.sigmoid", TensorRole::Activation);
  ASSERT_TRUE(s8.fixedScale && s8.fixedZeroPoint);
  EXPECT_DOUBLE_EQ(*s8.fixedScale, 1.0 / 256);
  EXPECT_EQ(*s8.fixedZeroPoint, -128);
  const QuantSpec &s16 =
      t.getQuant("tosa.sigmoid", TensorRole::Activation, Precision::Int16x8);
  EXPECT_EQ(s16.bits, 16u);
  EXPECT_DOUBLE_EQ(*s16.fixedScale, 1.0 / 32768);
  EXPECT_EQ(*s16.fixedZeroPoint, 0);
  // An op's activation override is its output, not the model input.
  EXPECT_FALSE(t.getQuant("tosa.sigmoid", TensorRole::Input).fixedScale);

  EXPECT_EQ(*t.lookupOp("tosa.conv2d")->constraints.maxStride, 3);
}

TEST(TargetDesc, OpSupport) {
  TargetDesc t = parseOk(kLayered);
  std::string why;
  EXPECT_TRUE(t.isOpSupported("tosa.conv2d"));
  EXPECT_TRUE(t.isOpSupported("tosa.conv2d", Precision::Int16x8));
  EXPECT_FALSE(t.isOpSupported("tosa.add", std::nullopt, &why));
  EXPECT_EQ(why, "'tosa.add' is not in the ops of target 'layered'");
  EXPECT_FALSE(t.isOpSupported("tosa.erf", std::nullopt, &why));
  EXPECT_EQ(why, "target 'layered' cannot run 'tosa.erf': no table for it");
  EXPECT_FALSE(t.isOpSupported("tosa.matmul", Precision::Int16x8, &why));
  EXPECT_EQ(why, "'tosa.matmul' runs only at int8 on target 'layered', not "
                 "at int16x8");
  EXPECT_FALSE(t.isOpSupported("tosa.conv2d", Precision::F32, &why));
  EXPECT_EQ(why, "precision f32 is not supported by target 'layered' "
                 "(precisions: int8, int16x8)");

  // Without an op list every op runs.
  TargetDesc open = parseOk("name: open\nactivation: {bits: 8}\n"
                            "weight: {bits: 8}\n");
  EXPECT_FALSE(open.hasOpList());
  EXPECT_TRUE(open.isOpSupported("tosa.anything"));
}

TEST(TargetDesc, ErrorsCarryPositions) {
  llvm::SmallVector<TargetDiagnostic> diags;
  EXPECT_TRUE(failed(parseText("name: x\n"
                               "activation:\n"
                               "  bits: 8\n"
                               "  symmetric: true\n"
                               "  zero_point: 5\n"
                               "weight: {bits: 33}\n",
                               diags)));
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].file, "inline.yaml");
  EXPECT_EQ(diags[0].line, 5u);
  EXPECT_EQ(diags[0].column, 15u);
  EXPECT_EQ(diags[0].message, "symmetric quantization fixes the zero point "
                              "at 0, but zero_point is 5");
  EXPECT_EQ(diags[1].line, 6u);
  EXPECT_EQ(diags[1].column, 16u);
  EXPECT_EQ(diags[1].str(),
            "inline.yaml:6:16: weight bits must be in [2, 16], got 33");

  diags.clear();
  EXPECT_TRUE(failed(parseText("name: x\nactivation: {bits: 8}\n"
                               "weight: {bits: 8, storage: i7}\n",
                               diags)));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, 3u);
  EXPECT_EQ(diags[0].column, 28u);

  diags.clear();
  EXPECT_TRUE(failed(TargetDesc::loadFile("/nonexistent/x.yaml", diags)));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_NE(diags[0].message.find("cannot read target file"),
            std::string::npos);
}

TEST(TargetDesc, RoundingNames) {
  EXPECT_EQ(parseRoundingYAML("single"), RoundingMode::Single);
  EXPECT_EQ(parseRoundingYAML("double"), RoundingMode::Double);
  EXPECT_EQ(parseRoundingYAML("fp32-half-even"), RoundingMode::Fp32HalfEven);
  EXPECT_EQ(parseRoundingYAML("half-away"), RoundingMode::HalfAway);
  EXPECT_EQ(parseRoundingYAML("fp32_half_even"), std::nullopt);
  for (RoundingMode m : {RoundingMode::Single, RoundingMode::Double,
                         RoundingMode::Fp32HalfEven, RoundingMode::HalfAway})
    EXPECT_EQ(parseRoundingYAML(stringifyRoundingYAML(m)), m);
}

TEST(TargetDesc, GridCodes) {
  QuantSpec q;
  q.bits = 4;
  q.narrow = true;
  EXPECT_EQ(q.qmin(), -7);
  EXPECT_EQ(q.qmax(), 7);
  q.narrow = false;
  q.isSigned = false;
  EXPECT_EQ(q.qmin(), 0);
  EXPECT_EQ(q.qmax(), 15);
  q.bits = 16;
  q.isSigned = true;
  EXPECT_EQ(q.qmin(), -32768);
  EXPECT_EQ(q.qmax(), 32767);
}

/// The attribute is the whole description: reading it back answers every
/// query the same way, and writing it again gives the same attribute.
void expectSameAnswers(MLIRContext &ctx, const TargetDesc &a,
                       const TargetDesc &b) {
  EXPECT_EQ(a.getName(), b.getName());
  EXPECT_EQ(a.getRounding(), b.getRounding());
  EXPECT_EQ(a.getUnsupportedOpPolicy(), b.getUnsupportedOpPolicy());
  EXPECT_EQ(a.hasOpList(), b.hasOpList());
  llvm::SmallVector<std::string> ops = {"tosa.conv2d", "tosa.depthwise_conv2d",
                                        "tosa.matmul", "tosa.sigmoid",
                                        "tosa.unlisted"};
  for (const auto &entry : a.getOps())
    ops.push_back(entry.first);
  for (Precision p : a.getPrecisions()) {
    if (isFloatPrecision(p))
      continue;
    for (const std::string &op : ops) {
      EXPECT_EQ(a.isOpSupported(op, p), b.isOpSupported(op, p)) << op;
      for (TensorRole r :
           {TensorRole::Input, TensorRole::Activation, TensorRole::Weight}) {
        EXPECT_EQ(a.getScheme(&ctx, op, r, p), b.getScheme(&ctx, op, r, p))
            << a.getName().str() << " " << op << " "
            << stringifyTensorRole(r).str();
        EXPECT_TRUE(a.getQuant(op, r, p) == b.getQuant(op, r, p)) << op;
      }
      EXPECT_TRUE(a.getBias(op, p) == b.getBias(op, p)) << op;
      EXPECT_TRUE(a.getAccumulator(op, p) == b.getAccumulator(op, p)) << op;
    }
  }
}

TEST(TargetDesc, AttributeRoundTripsEveryShippedTarget) {
  MLIRContext ctx;
  std::error_code ec;
  int count = 0;
  for (llvm::sys::fs::directory_iterator it(getBuiltinTargetsDir(), ec), end;
       it != end && !ec; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".yaml")
      continue;
    ++count;
    llvm::SmallVector<TargetDiagnostic> diags;
    FailureOr<TargetDesc> t = TargetDesc::loadFile(it->path(), diags);
    ASSERT_TRUE(succeeded(t)) << it->path();
    DictionaryAttr attr = t->toAttr(&ctx);
    FailureOr<TargetDesc> back = TargetDesc::fromAttr(
        attr, [&] { return emitError(UnknownLoc::get(&ctx)); });
    ASSERT_TRUE(succeeded(back)) << it->path();
    EXPECT_EQ(back->toAttr(&ctx), attr) << it->path();
    expectSameAnswers(ctx, *t, *back);
  }
  EXPECT_GE(count, 6); // the six shipped ones, at least
}

TEST(TargetDesc, ModuleReader) {
  MLIRContext ctx;
  OpBuilder b(&ctx);
  ModuleOp module = ModuleOp::create(b.getUnknownLoc());
  EXPECT_FALSE(TargetDesc::hasTarget(module));
  {
    // A missing target is an error at the module.
    ScopedDiagnosticHandler silence(&ctx,
                                    [](Diagnostic &) { return success(); });
    EXPECT_TRUE(failed(TargetDesc::fromModule(module)));
    module->setAttr(kTargetAttrName, b.getDictionaryAttr({}));
    EXPECT_TRUE(failed(TargetDesc::fromModule(module)));
  }
  TargetDesc t = parseOk(kLayered);
  module->setAttr(kTargetAttrName, t.toAttr(&ctx));
  EXPECT_TRUE(TargetDesc::hasTarget(module));
  FailureOr<TargetDesc> read = TargetDesc::fromModule(module);
  ASSERT_TRUE(succeeded(read));
  expectSameAnswers(ctx, t, *read);
  // The raw contract: per-op weight key for the depthwise axis.
  auto dict = module->getAttrOfType<DictionaryAttr>(kTargetAttrName);
  auto ops = dict.getAs<DictionaryAttr>("ops");
  auto dw = ops.getAs<DictionaryAttr>("tosa.depthwise_conv2d");
  EXPECT_EQ(dw.getAs<QuantSchemeAttr>("weight").getAxis(), 2);
  EXPECT_EQ(dict.getAs<IntegerAttr>("accumulator_bits").getInt(), 32);
  EXPECT_EQ(dict.getAs<RoundingModeAttr>("rounding").getValue(),
            RoundingMode::Double);
  module->erase();
}

TEST(TargetDesc, FindTargetFile) {
  std::string error;
  FailureOr<std::string> p = findTargetFile("tflite-int8", {}, error);
  ASSERT_TRUE(succeeded(p)) << error;
  EXPECT_TRUE(llvm::StringRef(*p).ends_with("targets/tflite-int8.yaml"));
  EXPECT_TRUE(
      failed(findTargetFile("no-such-target", {"/nonexistent"}, error)));
  EXPECT_NE(error.find("/nonexistent"), std::string::npos);
  EXPECT_TRUE(failed(findTargetFile("missing.yaml", {}, error)));
  EXPECT_TRUE(failed(findTargetFile("", {}, error)));
}

} // namespace
