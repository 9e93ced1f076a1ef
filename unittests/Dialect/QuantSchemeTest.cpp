//===- QuantSchemeTest.cpp - the quant scheme attribute -------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "gtest/gtest.h"

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::qapeft;

namespace {
QuantSchemeAttr makeScheme(MLIRContext &ctx, unsigned bits, bool isSigned,
                           bool narrow, unsigned storageWidth = 8) {
  ctx.loadDialect<QAPeftDialect>();
  return QuantSchemeAttr::get(&ctx, bits, IntegerType::get(&ctx, storageWidth),
                              isSigned,
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

TEST(QuantScheme, CodeRangeExtremes) {
  MLIRContext ctx;
  QuantSchemeAttr s2 = makeScheme(ctx, 2, true, false);
  EXPECT_EQ(s2.getQMin(), -2);
  EXPECT_EQ(s2.getQMax(), 1);
  QuantSchemeAttr u2 = makeScheme(ctx, 2, false, false);
  EXPECT_EQ(u2.getQMin(), 0);
  EXPECT_EQ(u2.getQMax(), 3);
  QuantSchemeAttr s16 = makeScheme(ctx, 16, true, false, 16);
  EXPECT_EQ(s16.getQMin(), -32768);
  EXPECT_EQ(s16.getQMax(), 32767);
  QuantSchemeAttr s16n = makeScheme(ctx, 16, true, true, 16);
  EXPECT_EQ(s16n.getQMin(), -32767);
  QuantSchemeAttr u16 = makeScheme(ctx, 16, false, false, 16);
  EXPECT_EQ(u16.getQMax(), 65535);
  // A narrower grid in a wider storage type keeps the grid's own range.
  QuantSchemeAttr s4in8 = makeScheme(ctx, 4, true, false, 8);
  EXPECT_EQ(s4in8.getQMin(), -8);
  EXPECT_EQ(s4in8.getQMax(), 7);
}

/// Builds a scheme through the verifier and returns the error it reported
/// ("" when the scheme is valid).
std::string verifyScheme(MLIRContext &ctx, unsigned bits, IntegerType storage,
                         bool isSigned, bool narrow, Granularity g,
                         int64_t axis, int64_t groupSize) {
  ctx.loadDialect<QAPeftDialect>();
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  Location loc = UnknownLoc::get(&ctx);
  QuantSchemeAttr attr = QuantSchemeAttr::getChecked(
      [&] { return emitError(loc); }, &ctx, bits, storage, isSigned,
      /*symmetric=*/false, narrow, g, axis, groupSize, RoundingMode::Single,
      RangeSource::Calibrated);
  EXPECT_EQ(static_cast<bool>(attr), message.empty()) << message;
  return message;
}

TEST(QuantScheme, Verifier) {
  MLIRContext ctx;
  auto i8 = IntegerType::get(&ctx, 8);
  auto i4 = IntegerType::get(&ctx, 4);
  auto ui8 = IntegerType::get(&ctx, 8, IntegerType::Unsigned);
  auto si8 = IntegerType::get(&ctx, 8, IntegerType::Signed);
  const auto T = Granularity::PerTensor, C = Granularity::PerChannel,
             G = Granularity::PerGroup;

  EXPECT_EQ(verifyScheme(ctx, 8, i8, true, false, T, -1, 0), "");
  EXPECT_EQ(verifyScheme(ctx, 4, i4, true, true, C, 0, 0), "");
  EXPECT_EQ(verifyScheme(ctx, 8, ui8, false, false, G, 1, 32), "");
  EXPECT_EQ(verifyScheme(ctx, 8, si8, true, true, C, 3, 0), "");

  EXPECT_EQ(verifyScheme(ctx, 1, i8, true, false, T, -1, 0),
            "bits must be in [2, 16], got 1");
  EXPECT_EQ(verifyScheme(ctx, 8, i4, true, false, T, -1, 0),
            "8 bits do not fit the storage type 'i4'");
  EXPECT_EQ(verifyScheme(ctx, 8, ui8, true, false, T, -1, 0),
            "a signed scheme cannot be stored in 'ui8'");
  EXPECT_EQ(verifyScheme(ctx, 8, si8, false, false, T, -1, 0),
            "an unsigned scheme cannot be stored in 'si8'");
  EXPECT_EQ(verifyScheme(ctx, 8, i8, false, true, T, -1, 0),
            "narrow range needs a signed scheme");
  EXPECT_EQ(verifyScheme(ctx, 8, i8, true, false, T, 1, 0),
            "a per_tensor scheme takes no axis (got 1)");
  EXPECT_EQ(verifyScheme(ctx, 8, i8, true, false, C, -1, 0),
            "a per_channel scheme needs an axis >= 0");
  EXPECT_EQ(verifyScheme(ctx, 8, i8, true, false, G, 0, 0),
            "a per_group scheme needs group_size >= 1");
  EXPECT_EQ(verifyScheme(ctx, 8, i8, true, false, C, 0, 4),
            "group_size is only meaningful for per_group");
}

//===----------------------------------------------------------------------===//
// The numeric fact behind FakeQuantOp::fold: a value on the grid,
// k * s, quantizes back to k, provided the float type has at least bits + 2
// bits of precision.
//===----------------------------------------------------------------------===//

/// round_half_even(fl(fl(k * s) / s)) == k in the float format `sem`.
bool gridPointSurvives(const llvm::fltSemantics &sem, int64_t k, float s) {
  bool lost;
  APFloat scale(s);
  scale.convert(sem, APFloat::rmNearestTiesToEven, &lost);
  // k itself must be exact in the format, as the folder's bound implies.
  APFloat x(static_cast<double>(k));
  x.convert(sem, APFloat::rmNearestTiesToEven, &lost);
  if (lost)
    return false;
  x.multiply(scale, APFloat::rmNearestTiesToEven);
  x.divide(scale, APFloat::rmNearestTiesToEven);
  x.roundToIntegral(APFloat::rmNearestTiesToEven);
  return x.convertToDouble() == static_cast<double>(k);
}

std::vector<float> testScales() {
  // Typical activation/weight scales, awkward mantissas, and the extremes:
  // subnormal, tiny normal and very large (still far from overflow).
  return {1.0f,      0.1f,      1.0f / 255, 0.0078125f, 3.0517578e-05f,
          0.3333333f, 7.1234567e-3f, 1e-30f,    1.4e-45f,   1e-40f,
          1e30f,      6.02e23f,   0.999999f, 1.000001f,  123.456f};
}

TEST(FakeQuantFold, F32GridPointsAreExactFor16Bits) {
  // Every k = q - z of a 16-bit grid (|k| < 2^16) survives in f32.
  const auto &f32 = APFloat::IEEEsingle();
  for (float s : testScales()) {
    int64_t bad = 0;
    for (int64_t k = -65535; k <= 65535; k += (k > -300 && k < 300) ? 1 : 7)
      bad += !gridPointSurvives(f32, k, s);
    EXPECT_EQ(bad, 0) << "scale " << s;
  }
}

TEST(FakeQuantFold, F16PrecisionBound) {
  // f16 has 11 bits of precision: 9-bit grids survive (the folder's bound
  // p >= bits + 2), 12-bit grids do not always, so the folder must not fold
  // them.
  const auto &f16 = APFloat::IEEEhalf();
  int64_t bad9 = 0, bad12 = 0;
  for (float s : {1.0f / 3, 0.1f, 0.0123f, 0.7f, 1.1f}) {
    for (int64_t k = -511; k <= 511; ++k)
      bad9 += !gridPointSurvives(f16, k, s);
    for (int64_t k = -4095; k <= 4095; ++k)
      bad12 += !gridPointSurvives(f16, k, s);
  }
  EXPECT_EQ(bad9, 0);
  EXPECT_GT(bad12, 0);
}
} // namespace
