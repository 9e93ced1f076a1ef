//===- QuantSchemeTest.cpp - the quant scheme attribute -------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
QuantSchemeAttr makeScheme(MLIRContext &ctx, unsigned bits, bool isSigned,
                           bool narrow) {
  ctx.loadDialect<QAPeftDialect>();
  return QuantSchemeAttr::get(&ctx, bits, IntegerType::get(&ctx, 8), isSigned,
                              /*symmetric=*/narrow, narrow,
                              Granularity::PerTensor, -1, 0,
                              RoundingMode::Single, RangeSource::Calibrated);
}

TEST(QuantScheme, CodeRange) {
  MLIRContext ctx;
  QuantSchemeAttr s8 = makeScheme(ctx, 8, true, false);
  EXPECT_EQ(s8.getQMin(), -128);
  EXPECT_EQ(s8.getQMax(), 127);
  QuantSchemeAttr s8n = makeScheme(ctx, 8, true, true);
  EXPECT_EQ(s8n.getQMin(), -127);
  EXPECT_EQ(s8n.getQMax(), 127);
  QuantSchemeAttr u8 = makeScheme(ctx, 8, false, false);
  EXPECT_EQ(u8.getQMin(), 0);
  EXPECT_EQ(u8.getQMax(), 255);
  QuantSchemeAttr s4n = makeScheme(ctx, 4, true, true);
  EXPECT_EQ(s4n.getQMin(), -7);
  EXPECT_EQ(s4n.getQMax(), 7);
}
} // namespace
