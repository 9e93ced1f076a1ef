//===- LowerElementwise.cpp - integer lowering of elementwise add, sub and mul ---===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// The integer form computes exactly what TFLite's int8 / int16x8 ADD, SUB and
// MUL kernels compute (tensorflow/lite/kernels/{add,sub,mul}.cc and
// internal/reference/integer_ops/{add,mul}.h), with TFLite's multipliers.
// Those kernels requantize with TFLite's own MultiplyByQuantizedMultiplier,
// which in the default build (the one the conformance runtime ships) is
// gemmlowp's double rounding: RoundingDivideByPOT(SaturatingRounding-
// DoublingHighMul(x * 2^max(e, 0), m), max(-e, 0)). That is exactly TOSA's
// DOUBLE_ROUND with shift 31 - e: for shift > 31 the rounding constant
// 2^(shift-1) +/- 2^30 (by the sign of x) reproduces both roundings, and for
// shift <= 31 both are one rounding. (The convolutions of that runtime
// requantize with one rounding; see LowerToInteger.cpp.) The conformance
// test against the real runtime shows the difference for MUL, where single
// rounding is off by one LSB on a few percent of the outputs.
//
// ADD: both inputs are brought to a common grid of scale 2 * max(s1, s2) /
//   2^L (L = 20 for int8, 15 for int16):
//     scaled_i = MBQM((x_i - z_i) << L, m_i, e_i),  m_i 2^e_i ~ s_i / (2 max)
//   summed in int32 and requantized by MBQM(sum, m_o, e_o) + z_o with
//   m_o 2^e_o ~ 2 max / (2^L s_o), then clamped to the fused activation.
//   In TOSA: an exact identity tosa.rescale x_i - z_i to i32, a tosa.mul by
//   2^L (exact: 255 << 20 and 2^15 << 15 fit int32; a single rescale cannot
//   shift int16 values left by 15 within TOSA's value range), a DOUBLE_ROUND
//   tosa.rescale by (m_i, 31 - e_i), tosa.add, a DOUBLE_ROUND tosa.rescale
//   by (m_o, 31 - e_o) with output_zp z_o, and a tosa.clamp.
// SUB: TFLite runs the ADD kernel with input 2's multiplier negated, so
//   input 2 contributes MBQM(-(x2 - z2) << L, m2, e2), which differs from
//   -MBQM((x2 - z2) << L, m2, e2) on ties. The lowering multiplies input 2
//   by -2^L instead of 2^L (the same products, the same rounding) and adds.
// MUL: (x1 - z1) * (x2 - z2) in int32 (exact identity tosa.rescales to i32
//   with the zero points, then tosa.mul) and one DOUBLE_ROUND
//   requantization by s1 * s2 / s_o (evaluated in float32, as mul.cc does).
//
// With XNNPACK's rounding (fp32-half-even: TFLite's default delegate takes
// int8 ADD, SUB and MUL), the arithmetic is XNNPACK's: ADD/SUB
//   acc = sum (x_i - z_i) m_i with m_i = lrintf(s_i / s_o * 2^shift) (SUB's
//   second negated), shift = 20 - exponent(max s_i / s_o), output
//   (acc + 2^(shift-1)) >> shift + z_o (an exact tosa.rescale by 2^30 and
//   shift + 30); MUL the integer product requantized in float32 by
//   float(s1 * s2) / s_o with ties to even (tosa.rescale INEXACT_ROUND with
//   qapeft.rounding = "fp32_half_even"). int16 stays on the builtin kernels.
//
// The exporter (lib/Target/TFLite/ExportElementwise.cpp) matches exactly
// these patterns and checks the multipliers against the ones TFLite derives
// from the stored scales.
//
//===----------------------------------------------------------------------===//

#include "ConversionUtils.h"
#include "FunctionLowering.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

namespace {

/// A per-tensor tosa.rescale with a 32-bit multiplier.
/// `inElem` is the input's integer type (a function argument still has its
/// float type while the function is lowered).
Value emitRescale32(OpBuilder &b, Location loc, Value in, Type inElem,
                    RankedTensorType outType, int64_t multiplier,
                    int64_t shift, int64_t inZp, int64_t outZp,
                    bool doubleRound) {
  MLIRContext *ctx = b.getContext();
  Value mult = scalarConst(b, loc, b.getI32Type(), multiplier);
  Value sh = scalarConst(b, loc, b.getI8Type(), shift);
  Value izp = scalarConst(b, loc, inElem, inZp);
  Value ozp = scalarConst(b, loc, outType.getElementType(), outZp);
  return tosa::RescaleOp::create(
      b, loc, outType, in, mult, sh, izp, ozp, b.getBoolAttr(true),
      tosa::RoundingModeAttr::get(ctx, doubleRound
                                           ? tosa::RoundingMode::DOUBLE_ROUND
                                           : tosa::RoundingMode::SINGLE_ROUND),
      b.getBoolAttr(false), b.getBoolAttr(false), b.getBoolAttr(false));
}

/// TFLite's QuantizeMultiplier(real) as a TOSA (multiplier, right shift).
std::pair<int64_t, int64_t> tosaOf(double real) {
  num::QuantizedMultiplier qm =
      num::quantizeMultiplier(real, /*singleRounding=*/false);
  return {qm.multiplier, 31 - qm.shift};
}

} // namespace

std::optional<LogicalResult> FunctionLowering::lowerElementwise(Operation *op) {
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op))
    return std::nullopt;
  StringRef what = op->getName().getStringRef();
  bool isMul = isa<tosa::MulOp>(op);
  bool isSub = isa<tosa::SubOp>(op);
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !isa<FloatType>(resultType.getElementType()))
    return op->emitError("cannot lower to integer: expected a float ")
           << what;

  // --- Operands: quantized activations, or fake-quantized constants that
  // become integer constants on their own grid (TFLite stores them as
  // quantized constant tensors).
  Value ins[2];
  QInfo inQ[2];
  for (unsigned k = 0; k < 2; ++k) {
    Value v = op->getOperand(k);
    if (Value iv = lookupInt(v)) {
      ins[k] = iv;
      inQ[k] = infos.lookup(iv);
      continue;
    }
    auto fq = v.getDefiningOp<FakeQuantOp>();
    std::optional<SmallVector<float>> vals =
        fq ? getConstantFloats(fq.getInput()) : std::nullopt;
    auto vt = fq ? dyn_cast<RankedTensorType>(fq.getInput().getType())
                 : RankedTensorType();
    if (!fq || !vals || !vt || !vt.hasStaticShape())
      return op->emitError("cannot lower to integer: operand ")
             << k << " of this " << what
             << " is neither a quantized activation nor a fake-quantized "
                "static constant";
    FailureOr<QInfo> q = activationInfo(fq);
    if (failed(q))
      return failure();
    SmallVector<int64_t> codes;
    for (float f : *vals)
      codes.push_back(num::quantizeFloat(f, q->scales[0], q->zeroPoints[0],
                                         q->qmin, q->qmax));
    builder.setInsertionPoint(op);
    ins[k] = intConst(builder, constantLoc(fq.getInput()),
                      withElement(vt, q->storage), codes);
    setQuantAttrs(ins[k].getDefiningOp(), *q);
    inQ[k] = *q;
  }
  for (unsigned k = 0; k < 2; ++k)
    if (!inQ[k].isPerTensor())
      return op->emitError("cannot lower to integer: operand ")
             << k << " of this " << what << " is quantized per channel";
  if (inQ[0].storage != inQ[1].storage)
    return op->emitError("cannot lower to integer: the operands of this ")
           << what << " are stored in " << inQ[0].storage << " and "
           << inQ[1].storage << "; TFLite's kernels need one type";

  // --- The chain to the output quantizer (a fused clamp, reshapes).
  FailureOr<Chain> chainOr = walkChain(op, what, /*outChannels=*/-1);
  if (failed(chainOr))
    return failure();
  Chain chain = std::move(*chainOr);
  const QInfo &outQ = chain.outQ;
  if (outQ.storage != inQ[0].storage)
    return chain.outFq.emitError("cannot lower to integer: the output of this "
                                 "")
           << what << " is stored in " << outQ.storage
           << " but its operands in " << inQ[0].storage
           << "; TFLite's kernels need one type";
  // TFLite's builtin elementwise kernels (targets with single or double
  // rounding) have one arithmetic; XNNPACK's and half-away ones differ.
  // XNNPACK (fp32_half_even, TFLite's default delegate) runs MUL as an fp32
  // requantization of the integer product and ADD/SUB in its own fixed
  // point (see xnnpackAdd below); half-away rounding has no lowering.
  // XNNPACK has no int16 ADD/SUB/MUL: those nodes stay on the builtin
  // kernels.
  bool wide = outQ.storage.getWidth() == 16;
  num::Rounding mode = roundingFor(chain.outFq);
  bool xnnpack = mode == num::Rounding::Fp32HalfEven && !wide;
  bool fp32Mul = isMul && xnnpack;
  if (mode == num::Rounding::HalfAway)
    return op->emitError("cannot lower to integer: ")
           << what << " is lowered with the arithmetic of TFLite's builtin "
           << "kernels or XNNPACK only, but the target requantizes with '"
           << num::roundingName(mode) << "'";

  Location loc = op->getLoc();
  builder.setInsertionPoint(op);
  Type i32 = builder.getI32Type();
  auto i32Of = [&](Value v) {
    return withElement(v.getType(), i32);
  };
  auto accType = withElement(resultType, i32);
  float s1 = inQ[0].scales[0], s2 = inQ[1].scales[0], so = outQ.scales[0];
  Value acc;
  double realOut;

  if (isMul) {
    // (x1 - z1) * (x2 - z2) must fit the rescale's contract below.
    int64_t m1 = std::max(std::llabs(inQ[0].qmin - inQ[0].zeroPoints[0]),
                          std::llabs(inQ[0].qmax - inQ[0].zeroPoints[0]));
    int64_t m2 = std::max(std::llabs(inQ[1].qmin - inQ[1].zeroPoints[0]),
                          std::llabs(inQ[1].qmax - inQ[1].zeroPoints[0]));
    Value c[2];
    for (unsigned k = 0; k < 2; ++k)
      // Identity rescale minus the zero point: (v 2^30 + 2^29) >> 30 == v.
      c[k] = emitRescale32(builder, loc, ins[k], inQ[k].storage,
                           i32Of(ins[k]), int64_t(1) << 30, 30,
                           inQ[k].zeroPoints[0], 0, /*doubleRound=*/false);
    Value shift = scalarConst(builder, loc, builder.getI8Type(), 0);
    acc = tosa::MulOp::create(builder, loc, accType, c[0], c[1], shift);
    // mul.cc computes the real multiplier in float32 (s1 * s2 / so on the
    // tensors' float scales); the runtime's outputs show it (a multiplier
    // from the double product is one off in its last bits and changes
    // rounding ties).
    float realF = s1 * s2 / so;
    realOut = double(realF);
    auto [m, sh] = tosaOf(realOut);
    if (sh < 2 || sh > 62 || __int128(m1) * m2 >= (__int128(1) << (sh - 1)))
      return op->emitError("cannot lower to integer: the requantization "
                           "scale ")
             << realOut << " of this " << what
             << " is too large for a TOSA rescale of the product";
  } else if (xnnpack) {
    // XNNPACK's qs8 add (sub: the second scale negated), from the float32
    // ratios r_i = s_i / s_o: shift = 20 - exponent(max |r_i|),
    // multipliers lrintf(r_i 2^shift), acc = sum (x_i - z_i) m_i, and the
    // output (acc + 2^(shift-1)) >> shift + z_o. The delegate only takes
    // ratios in [2^-10, 2^8) (XNNPACK's asserts: shift in [12, 30]).
    float ratio[2] = {s1 / so, s2 / so};
    float maxRatio = std::max(ratio[0], ratio[1]);
    int exponent = std::ilogb(maxRatio);
    int shift = 20 - exponent;
    if (shift < 12 || shift > 30 || ratio[0] < 0x1.0p-10f ||
        ratio[1] < 0x1.0p-10f)
      return op->emitError("cannot lower to integer: XNNPACK's ")
             << what << " needs input-to-output scale ratios in [2^-10, "
             << "2^8), got " << ratio[0] << " and " << ratio[1];
    Value terms[2];
    for (unsigned k = 0; k < 2; ++k) {
      Value v = emitRescale32(builder, loc, ins[k], inQ[k].storage,
                              i32Of(ins[k]), int64_t(1) << 30, 30,
                              inQ[k].zeroPoints[0], 0, /*doubleRound=*/false);
      int64_t m = static_cast<int64_t>(std::lrintf(std::ldexp(ratio[k], shift)));
      if (isSub && k == 1)
        m = -m;
      Value f = broadcastConst(builder, loc,
                               cast<RankedTensorType>(v.getType()).getRank(),
                               i32, double(m));
      Value noShift = scalarConst(builder, loc, builder.getI8Type(), 0);
      terms[k] = tosa::MulOp::create(builder, loc, v.getType(), v, f, noShift);
    }
    acc = tosa::AddOp::create(builder, loc, accType, terms[0], terms[1]);
    // (acc 2^30 + 2^(shift+29)) >> (shift + 30): rounding half up, exact.
    Value value = emitRescale32(builder, loc, acc, i32,
                                withElement(resultType, outQ.storage),
                                int64_t(1) << 30, shift + 30, 0,
                                outQ.zeroPoints[0], /*doubleRound=*/false);
    setQuantAttrs(value.getDefiningOp(), outQ);
    if (failed(emitChain(value, chain, outQ)))
      return failure();
    handled.insert(op);
    return success();
  } else {
    // TFLite: twice_max_input_scale = 2 * max(float, float), real
    // multipliers in double, the output's divisor (1 << L) * s_o in float.
    int leftShift = wide ? 15 : 20;
    double twiceMax = 2 * std::max(s1, s2);
    double real[2] = {double(s1) / twiceMax, double(s2) / twiceMax};
    realOut = twiceMax / double(float(1 << leftShift) * so);
    Value scaled[2];
    for (unsigned k = 0; k < 2; ++k) {
      // x - z exactly: (v 2^30 + 2^29) >> 30 == v.
      Value v = emitRescale32(builder, loc, ins[k], inQ[k].storage,
                              i32Of(ins[k]), int64_t(1) << 30, 30,
                              inQ[k].zeroPoints[0], 0, /*doubleRound=*/false);
      // << L, negated for SUB's second operand (TFLite negates its
      // multiplier; negating the shifted input gives the same products and
      // the same rounding).
      int64_t factor = int64_t(1) << leftShift;
      if (isSub && k == 1)
        factor = -factor;
      Value f = broadcastConst(builder, loc,
                               cast<RankedTensorType>(v.getType()).getRank(),
                               i32, double(factor));
      Value noShift = scalarConst(builder, loc, builder.getI8Type(), 0);
      v = tosa::MulOp::create(builder, loc, v.getType(), v, f, noShift);
      auto [m, sh] = tosaOf(real[k]);
      scaled[k] = emitRescale32(builder, loc, v, i32, i32Of(ins[k]), m, sh, 0,
                                0, /*doubleRound=*/true);
    }
    acc = tosa::AddOp::create(builder, loc, accType, scaled[0], scaled[1]);
  }

  // --- Requantize to the output grid.
  if (fp32Mul) {
    // XNNPACK: float(acc) * (float(s1 * s2) / so), ties to even.
    float fp32Scale = (s1 * s2) / so;
    FailureOr<Value> r = emitRescale(chain.outFq, acc, 0, {realOut},
                                     {fp32Scale}, outQ, mode);
    if (failed(r))
      return failure();
    Value value = *r;
    if (failed(emitChain(value, chain, outQ)))
      return failure();
    handled.insert(op);
    return success();
  }
  auto [mo, sho] = tosaOf(realOut);
  if (sho < 2 || sho > 62)
    return op->emitError("cannot lower to integer: the output scale of this ")
           << what << " gives a requantization shift " << sho
           << " outside TOSA's [2, 62]";
  Value value = emitRescale32(builder, loc, acc, i32,
                              withElement(resultType, outQ.storage), mo, sho,
                              0, outQ.zeroPoints[0], /*doubleRound=*/true);
  setQuantAttrs(value.getDefiningOp(), outQ);
  if (failed(emitChain(value, chain, outQ)))
    return failure();
  handled.insert(op);
  return success();
}
