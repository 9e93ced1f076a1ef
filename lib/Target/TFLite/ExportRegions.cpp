//===- ExportRegions.cpp - TFLite export of requantizations ---------------===//
//
// Part of the TFLite exporter (see Exporter.h): the tosa.rescale between two
// quantized activations, among them the boundaries of an int16x8 region in
// an int8 model.
//
//   tosa.rescale i8/i16 -> i8 or i16 -> i16     QUANTIZE (version 1, 2 for
//                                               an int16 output)
//   tosa.rescale i8 -> i16 (a region's entry)   DEQUANTIZE int8 -> f32
//                                               (version 2) + QUANTIZE
//                                               f32 -> int16 (version 2)
//
// QUANTIZE between quantized tensors rounds twice in the runtime's builtin
// kernel (see exportRequantize); XNNPACK runs an int8 one in 8-bit fixed
// point, which the lowering marks qapeft.rounding = "xnnpack_q8" for the
// XNNPACK target (checkXnnpackQuantize). QUANTIZE refuses int8 -> int16 at
// model load (quantize.cc), so the widening goes through float. That pair
// does not compute a fixed-point requantization: DEQUANTIZE multiplies in
// float32, QUANTIZE divides by the output scale in double and rounds ties
// away from zero (numerics/DequantizeQuantize.h, found by probing the
// runtime). The integer lowering picks a rescale that reproduces this for
// all 256 int8 codes (LowerRegions.cpp); the exporter re-derives the pair's
// values from the scales it writes and compares all 256 codes with the
// rescale, so a file that is written computes what the graph computes,
// whoever wrote the rescale.
//
// The float tensor between the two operators is named after the int16
// output (`<output>/dequantized`), so an import and re-export of the file
// writes the same bytes.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Numerics/DequantizeQuantize.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

namespace num = mlir::qapeft::numerics;

FailureOr<Exporter::RequantOperands>
Exporter::readRequantize(tosa::RescaleOp op) {
  if (op.getPerChannel())
    return op.emitError("TFLite export: TFLite requantizes per tensor only");
  std::optional<QParams> qIn = qparamsOf(op.getInput());
  std::optional<QParams> qOut = qparamsOf(op.getResult());
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return op.emitError("TFLite export: requantization needs per-tensor "
                        "qapeft.scale on its input and output");
  auto izp = constInts(op.getInputZp()), ozp = constInts(op.getOutputZp());
  auto mult = constInts(op.getMultiplier()), shift = constInts(op.getShift());
  if (!izp || !ozp || !mult || !shift || mult->size() != 1 ||
      shift->size() != 1)
    return op.emitError("TFLite export: rescale operands must be constants");
  if ((*izp)[0] != qIn->zeroPoint[0] || (*ozp)[0] != qOut->zeroPoint[0])
    return op.emitError("TFLite export: rescale zero points (")
           << (*izp)[0] << ", " << (*ozp)[0]
           << ") differ from the tensors' zero points (" << qIn->zeroPoint[0]
           << ", " << qOut->zeroPoint[0] << ")";
  return RequantOperands{*qIn,      *qOut,      (*izp)[0],
                         (*ozp)[0], (*mult)[0], (*shift)[0]};
}

/// A rescale marked qapeft.rounding = "xnnpack_q8" (the integer lowering's
/// int8 -> int8 requantization for the XNNPACK target) is written as
/// QUANTIZE version 1, which XNNPACK runs in 8-bit fixed point. The file
/// stores only scales and zero points: the multiplier is re-derived from
/// them, and the rescale must compute XNNPACK's value on every int8 code
/// (within TOSA's apply_scale_32 contract), else the file would not compute
/// the graph.
static LogicalResult checkXnnpackQuantize(tosa::RescaleOp op, float inScale,
                                          float outScale, int64_t inZp,
                                          int64_t outZp, int64_t multiplier,
                                          int64_t shift) {
  Type inET = cast<ShapedType>(op.getInput().getType()).getElementType();
  Type outET = cast<ShapedType>(op.getType()).getElementType();
  if (!inET.isInteger(8) || !outET.isInteger(8) || !op.getScale32() ||
      op.getRoundingMode() != tosa::RoundingMode::SINGLE_ROUND)
    return op.emitError("TFLite export: an xnnpack_q8 rescale must be a "
                        "SINGLE_ROUND int8 -> int8 rescale with a 32-bit "
                        "multiplier, got a ")
           << tosa::stringifyRoundingMode(op.getRoundingMode())
           << " rescale from " << inET << " to " << outET
           << (op.getScale32() ? "" : " (scale32 = false)");
  float fp = inScale / outScale;
  std::optional<int32_t> m = num::xnnpackQuantizeMultiplier(fp);
  if (!m)
    return op.emitError("TFLite export: XNNPACK takes an int8 QUANTIZE only "
                        "for scale ratios in [2^-8, 2^7], got ")
           << fp << "; outside it the builtin kernel runs (lower it again: "
           << "DOUBLE_ROUND)";
  if (multiplier < 0 || multiplier > INT32_MAX || shift < 2 || shift > 62)
    return op.emitError("TFLite export: multiplier ")
           << multiplier << ", shift " << shift
           << " is outside TOSA's apply_scale_32 contract";
  for (int64_t q = -128; q <= 127; ++q) {
    int64_t want = num::xnnpackQuantize(q, inZp, outZp, *m);
    int64_t v = q - inZp;
    if (!num::applyScale32InContract(v, static_cast<int32_t>(multiplier),
                                     static_cast<int32_t>(shift)))
      return op.emitError("TFLite export: multiplier ")
             << multiplier << ", shift " << shift
             << " is outside TOSA's apply_scale_32 contract for int8 code "
             << q;
    int64_t got = std::clamp<int64_t>(
        num::applyScale32(v, static_cast<int32_t>(multiplier),
                          static_cast<int32_t>(shift), false) +
            outZp,
        -128, 127);
    if (got != want)
      return op.emitError("TFLite export: rescale by multiplier ")
             << multiplier << " shift " << shift << " gives " << got
             << " for int8 code " << q << ", but XNNPACK derives multiplier "
             << *m << " / 256 from the scales (input " << inScale
             << ", output " << outScale << ") and gives " << want;
  }
  return success();
}

/// A rescale from one quantized activation to another (i8/i16 -> i8/i16, per
/// tensor) is TFLite's QUANTIZE in its requantize form, which computes
/// MultiplyByQuantizedMultiplier(x - zp_in, M, s) + zp_out with M from
/// QuantizeMultiplier(double(s_in) / double(s_out)), rounding twice; an
/// int8 -> int16 rescale is DEQUANTIZE + QUANTIZE.
LogicalResult Exporter::exportRequantize(tosa::RescaleOp op) {
  Type inET = cast<ShapedType>(op.getInput().getType()).getElementType();
  Type outET = cast<ShapedType>(op.getType()).getElementType();
  auto isAct = [](Type t) { return t.isInteger(8) || t.isInteger(16); };
  if (!isAct(inET) || !isAct(outET) || op.getInputUnsigned() ||
      op.getOutputUnsigned())
    return op.emitError("TFLite export: a tosa.rescale from ")
           << inET << " to " << outET
           << " is neither a convolution's requantization nor a "
              "requantization between int8/int16 activations";
  // TFLite's QUANTIZE requantizes int8 only to int8/uint8 (quantize.cc
  // rejects an int16 output at model load): the entry of an int16x8 region
  // in an int8 model goes through float (ExportRegions.cpp).
  FailureOr<RequantOperands> r = readRequantize(op);
  if (failed(r))
    return failure();
  if (inET.isInteger(8) && outET.isInteger(16))
    return exportWideningRequantize(op, *r);
  const QParams &qIn = r->in, &qOut = r->out;
  const int64_t izp = r->inZp, ozp = r->outZp, mult = r->multiplier,
                shift = r->shift;
  if ((inET.isInteger(16) && qIn.zeroPoint[0] != 0) ||
      (outET.isInteger(16) && qOut.zeroPoint[0] != 0))
    return op.emitError("TFLite export: int16 activations must be symmetric "
                        "(zero point 0)");
  if (!op.getScale32())
    return op.emitError("TFLite export: TFLite requantizes with 32-bit "
                        "multipliers (scale32 = true)");
  auto rounding = op->getAttrOfType<StringAttr>("qapeft.rounding");
  const bool int8 = inET.isInteger(8) && outET.isInteger(8);
  const bool xnnpackQ8 = rounding && rounding.getValue() == "xnnpack_q8";
  if (xnnpackQ8 && failed(checkXnnpackQuantize(op, qIn.scale[0], qOut.scale[0],
                                             izp, ozp, mult, shift)))
    return failure();
  // An fp32 requantization between int8 activations is not what either of
  // the runtime's QUANTIZE kernels computes: written only if it equals, on
  // every code, the kernel that runs it on XNNPACK (XNNPACK's fixed point
  // inside its scale range, the builtin double rounding outside).
  if (int8 && rounding && rounding.getValue() == "fp32_half_even") {
    float fp = qIn.scale[0] / qOut.scale[0];
    auto [m, s] = quantizeMultiplier(static_cast<double>(qIn.scale[0]) /
                                     static_cast<double>(qOut.scale[0]));
    std::optional<int32_t> xm = num::xnnpackQuantizeMultiplier(fp);
    for (int64_t q = -128; q <= 127; ++q) {
      int64_t got = std::clamp<int64_t>(
          static_cast<int64_t>(std::nearbyint(static_cast<float>(q - izp) *
                                              fp)) +
              ozp,
          -128, 127);
      int64_t want =
          xm ? num::xnnpackQuantize(q, izp, ozp, *xm)
             : std::clamp<int64_t>(
                   num::applyScale32(q - izp, m, 31 - s, /*doubleRound=*/true) +
                       ozp,
                   -128, 127);
      if (got != want)
        return op.emitError("TFLite export: this fp32 requantization gives ")
               << got << " for int8 code " << q << " where the runtime's "
               << (xm ? "XNNPACK" : "builtin") << " QUANTIZE gives " << want
               << "; lower it for the XNNPACK target again (it emits "
                  "XNNPACK's fixed-point form)";
    }
  }
  if (auto fp32 = op->getAttrOfType<ArrayAttr>("qapeft.fp32_scale")) {
    float expected = qIn.scale[0] / qOut.scale[0];
    auto got = fp32.size() == 1 ? dyn_cast<FloatAttr>(fp32[0]) : FloatAttr();
    if (!got || static_cast<float>(got.getValueAsDouble()) != expected)
      return op.emitError("TFLite export: qapeft.fp32_scale differs from the "
                          "float32 scale derived from the file's scales (")
             << expected << ")";
  }
  auto [m, s] = quantizeMultiplier(static_cast<double>(qIn.scale[0]) /
                                   static_cast<double>(qOut.scale[0]));
  if (!xnnpackQ8 && (mult != m || shift != 31 - s))
    return op.emitError("TFLite export: rescale by multiplier ")
           << mult << " shift " << shift
           << ", but TFLite derives multiplier " << m << " shift " << (31 - s)
           << " from the scales (input " << qIn.scale[0] << ", output "
           << qOut.scale[0] << "); the runtime would compute different values";
  // The runtime's QUANTIZE (quantize.cc, Requantize) applies
  // MultiplyByQuantizedMultiplier on int32, which rounds twice in the
  // runtime this project tests against. Probed on every input code: int16
  // -> int8 at shift 38 differs from single rounding in 128 of 65536 codes,
  // int8 -> int8 at 1/256 -> 0.01724 (shift 33) in 33 of 256; both equal
  // DOUBLE_ROUND everywhere. Below a shift of 32 the two roundings agree.
  // A single-rounding rescale is written only if it equals DOUBLE_ROUND on
  // every code of its input type.
  if (!op->hasAttr("qapeft.rounding") &&
      op.getRoundingMode() == tosa::RoundingMode::SINGLE_ROUND &&
      shift > 31) {
    auto requant = [&](int64_t q, bool twice) {
      int64_t v =
          num::applyScale32(q - izp, static_cast<int32_t>(mult),
                            static_cast<int32_t>(shift), twice) +
          ozp;
      return std::clamp(v, qmin(outET), qmax(outET));
    };
    for (int64_t q = qmin(inET); q <= qmax(inET); ++q)
      if (requant(q, false) != requant(q, true))
        return op.emitError("TFLite export: TFLite's QUANTIZE rounds twice "
                            "(MultiplyByQuantizedMultiplier), and this "
                            "single-rounding rescale (multiplier ")
               << mult << ", shift " << shift << ") gives "
               << requant(q, false) << " for input code " << q
               << " where the runtime gives " << requant(q, true)
               << "; lower it with rounding_mode = DOUBLE_ROUND";
  }
  auto opts = tflite::CreateQuantizeOptions(fbb);
  return addUnaryOperator(
      tflite::BuiltinOperator::QUANTIZE, outET.isInteger(16) ? 2 : 1, op,
      op.getInput(), op, op.getResult(),
      tflite::BuiltinOptions::QuantizeOptions, opts.Union());
}

LogicalResult Exporter::exportWideningRequantize(tosa::RescaleOp op,
                                                 const RequantOperands &r) {
  const QParams &qIn = r.in, &qOut = r.out;
  if (qOut.zeroPoint[0] != 0)
    return op.emitError("TFLite export: int16 activations must be symmetric "
                        "(zero point 0)");
  if (!op.getScale32() ||
      op.getRoundingMode() != tosa::RoundingMode::SINGLE_ROUND ||
      op->hasAttr("qapeft.rounding"))
    return op.emitError("TFLite export: an int8 -> int16 rescale is written "
                        "as DEQUANTIZE + QUANTIZE and must be a "
                        "single-rounding rescale with a 32-bit multiplier "
                        "(lower it for a TFLite target: rounding single or "
                        "fp32-half-even)");

  num::DequantizeQuantize dq;
  dq.inScale = qIn.scale[0];
  dq.inZeroPoint = qIn.zeroPoint[0];
  dq.outScale = qOut.scale[0];
  dq.outZeroPoint = 0;
  if (!dq.inInt32Range())
    return op.emitError("TFLite export: DEQUANTIZE + QUANTIZE from int8 "
                        "scale ")
           << dq.inScale << " to int16 scale " << dq.outScale
           << " leaves int32 before it saturates (the runtime's float to int "
              "conversion is undefined there)";
  num::TosaScale scale{static_cast<int32_t>(r.multiplier),
                       static_cast<int32_t>(r.shift)};
  if (std::optional<int64_t> q =
          num::firstDequantizeQuantizeMismatch(dq, scale)) {
    int64_t x = *q - dq.inZeroPoint;
    auto diag = op.emitError("TFLite export: TFLite has no int8 -> int16 "
                             "QUANTIZE, and the DEQUANTIZE + QUANTIZE it "
                             "runs instead computes, from the scales (input ")
                << dq.inScale << ", zero point " << dq.inZeroPoint
                << "; output " << dq.outScale << "), " << dq.compute(*q)
                << " for int8 code " << *q
                << ", where this rescale (multiplier " << scale.multiplier
                << ", shift " << scale.shift << ") gives ";
    if (num::applyScale32InContract(x, scale.multiplier, scale.shift))
      diag << std::clamp<int64_t>(
          num::applyScale32(x, scale.multiplier, scale.shift, false), -32768,
          32767);
    else
      diag << "no value (outside TOSA's apply_scale_32 contract)";
    return diag;
  }

  auto in = tensorFor(op, op.getInput());
  if (failed(in))
    return failure();
  std::string outName = nameFor(op.getResult());
  auto out = tensorFor(op, op.getResult());
  if (failed(out))
    return failure();
  auto shape = staticShape(op, op.getType());
  if (failed(shape))
    return failure();
  int mid = addTensor(outName + "/dequantized", *shape,
                      tflite::TensorType::FLOAT32, 0, std::nullopt);
  // op_version.cc: DEQUANTIZE is version 2 for int8; QUANTIZE 2 for an
  // int16 output.
  addOperator(tflite::BuiltinOperator::DEQUANTIZE, 2, {*in}, {mid},
              tflite::BuiltinOptions::DequantizeOptions,
              tflite::CreateDequantizeOptions(fbb).Union());
  addOperator(tflite::BuiltinOperator::QUANTIZE, 2, {mid}, {*out},
              tflite::BuiltinOptions::QuantizeOptions,
              tflite::CreateQuantizeOptions(fbb).Union());
  return success();
}
