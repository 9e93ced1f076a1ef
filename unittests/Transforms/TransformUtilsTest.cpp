//===- TransformUtilsTest.cpp - generator, names, target reading ----------===//

#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

namespace {

// Reference values of splitmix64 (the generator of Java's SplittableRandom
// and the seeding routine of the xoshiro family) for seed 0.
TEST(SplitMix64, MatchesReferenceSequence) {
  SplitMix64 gen(0);
  EXPECT_EQ(gen.next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(gen.next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(gen.next(), 0x06c45d188009454fULL);
}

TEST(SplitMix64, UniformStaysInRangeWithMeanNearCentre) {
  SplitMix64 gen(42);
  double sum = 0;
  const int n = 100000;
  float lo = -0.25f, hi = 0.25f;
  for (int i = 0; i < n; ++i) {
    float u = gen.uniform(lo, hi);
    ASSERT_GE(u, lo);
    ASSERT_LT(u, hi);
    sum += u;
  }
  // Standard error of the mean: 0.5 / sqrt(12 n) ~ 4.6e-4.
  EXPECT_NEAR(sum / n, 0.0, 3e-3);
}

TEST(SplitMix64, SameSeedSameStream) {
  SplitMix64 a(tensorSeed(7, "conv1.lora_a")), b(tensorSeed(7, "conv1.lora_a"));
  SplitMix64 c(tensorSeed(8, "conv1.lora_a")), d(tensorSeed(7, "fc.lora_a"));
  uint64_t x = a.next();
  EXPECT_EQ(x, b.next());
  EXPECT_NE(x, c.next());
  EXPECT_NE(x, d.next());
}

// FNV-1a 64 reference values.
TEST(StableHash, Fnv1a) {
  EXPECT_EQ(stableHash(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stableHash("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(stableHash("foobar"), 0x85944171f73967e8ULL);
}

TEST(LocationName, FindsNameThroughFusedAndCallSite) {
  MLIRContext ctx;
  Location unknown = UnknownLoc::get(&ctx);
  Location name = NameLoc::get(StringAttr::get(&ctx, "conv1"));
  EXPECT_EQ(locationName(unknown), "");
  EXPECT_EQ(locationName(name), "conv1");
  EXPECT_EQ(locationName(FusedLoc::get(&ctx, {unknown, name})), "conv1");
  EXPECT_EQ(locationName(CallSiteLoc::get(name, unknown)), "conv1");
}

class TargetTest : public ::testing::Test {
protected:
  TargetTest() { ctx.loadDialect<QAPeftDialect>(); }
  OwningOpRef<ModuleOp> parse(StringRef text) {
    return parseSourceString<ModuleOp>(text, &ctx);
  }
  MLIRContext ctx;
};

TEST_F(TargetTest, AbsentTargetIsNotAnError) {
  auto module = parse("module {}");
  ASSERT_TRUE(module);
  auto t = readTargetSchemes(*module);
  ASSERT_TRUE(succeeded(t));
  EXPECT_FALSE(t->has_value());
}

TEST_F(TargetTest, PerOpOverrideWinsOverDefault) {
  auto module = parse(R"mlir(
    module attributes {qapeft.target = {name = "t",
      activation = #qapeft.scheme<bits = 8, storage = i8>,
      weight = #qapeft.scheme<bits = 8, storage = i8, symmetric = true>,
      ops = {"tosa.matmul" = {weight = #qapeft.scheme<bits = 4, storage = i8,
                                                      symmetric = true>}}}} {}
  )mlir");
  ASSERT_TRUE(module);
  auto t = readTargetSchemes(*module);
  ASSERT_TRUE(succeeded(t));
  ASSERT_TRUE(t->has_value());
  const TargetSchemes &s = **t;
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.schemeFor("tosa.conv2d", "weight").getBits(), 8u);
  EXPECT_EQ(s.schemeFor("tosa.matmul", "weight").getBits(), 4u);
  EXPECT_EQ(s.schemeFor("tosa.matmul", "activation").getBits(), 8u);
  EXPECT_FALSE(s.schemeFor("tosa.matmul", "activation").getSymmetric());
}

TEST_F(TargetTest, WithAxisAndRange) {
  auto s = QuantSchemeAttr::get(&ctx, 8, IntegerType::get(&ctx, 8), true, true,
                                true, Granularity::PerTensor, -1, 0,
                                RoundingMode::Double, RangeSource::Calibrated);
  QuantSchemeAttr pc = withAxisAndRange(s, 2, RangeSource::Weight);
  EXPECT_TRUE(pc.isPerChannel());
  EXPECT_EQ(pc.getAxis(), 2);
  EXPECT_EQ(pc.getRange(), RangeSource::Weight);
  EXPECT_EQ(pc.getRounding(), RoundingMode::Double);
  EXPECT_EQ(pc.getQMin(), -127);
  QuantSchemeAttr pt = withAxisAndRange(pc, -1, RangeSource::Calibrated);
  EXPECT_FALSE(pt.isPerChannel());
  EXPECT_EQ(pt.getAxis(), -1);
}

} // namespace
