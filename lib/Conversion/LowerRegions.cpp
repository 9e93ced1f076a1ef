//===- LowerRegions.cpp - integer lowering of mixed-precision regions -----===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// A `qapeft.region` is lowered in place of the region op, into the
// function's block (the integer graph is flat):
//
//   - integer precisions (int8, int16x8, int4x8): --qapeft-assign-precision
//     has put the fake quants inside on the region's grids, so the body is
//     lowered op by op like the rest of the function; the widths follow from
//     the quantizers (i16 activations accumulate in i48 with an i48 bias).
//     The boundaries are the region's entry and exit fake quants, lowered as
//     requantizations (tosa.rescale i8 <-> i16) by the activation lowering;
//     lowerPrecisionBoundary below gives them the arithmetic of TFLite's
//     runtime for the TFLite roundings (single: builtin kernels,
//     fp32-half-even: XNNPACK, which takes no int16 op and leaves the
//     boundaries to the builtin kernels):
//       exit  i16 -> i8: QUANTIZE, which rounds twice (DOUBLE_ROUND);
//       entry i8 -> i16: DEQUANTIZE + QUANTIZE (the runtime has no int8 ->
//                        int16 QUANTIZE), a rescale chosen to compute it.
//     For double and half-away (CMSIS-NN / TFLite Micro style fixed-point
//     kernels, whose QUANTIZE requantizes int8 to int16 directly) they stay
//     the target's fixed-point rescale.
//   - f32 islands: every integer input is dequantized (the float-io form
//     `(q - zp) * s`), the body's float ops are kept as they are, and each
//     fake quant reading a result quantizes it back (the float-io quantize
//     form). Compile-time operands (weights, biases) become f32 constants.
//
//===----------------------------------------------------------------------===//

#include "ConversionUtils.h"
#include "FunctionLowering.h"

#include "qapeft/Numerics/DequantizeQuantize.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

namespace {
/// The activation storage width of an integer precision.
unsigned activationWidth(Precision p) {
  return p == Precision::Int16x8 ? 16 : 8;
}

/// True if `fq` quantizes an activation (not a compile-time weight).
bool isActivationQuantizer(FakeQuantOp fq) {
  return !isCompileTimeTensor(fq.getInput()) &&
         !fq.getInput().getDefiningOp<LoraDeltaOp>();
}
} // namespace

std::optional<LogicalResult> FunctionLowering::lowerRegion(Operation *op) {
  auto region = dyn_cast<RegionOp>(op);
  if (!region)
    return std::nullopt;
  Precision precision = region.getPrecision();
  StringRef pname = stringifyPrecision(precision);
  if (precision == Precision::F16)
    return region.emitError("cannot lower to integer: f16 regions are not "
                            "supported (TOSA's int profile has no f16; use "
                            "an f32 region)");
  bool floatIsland = precision == Precision::F32;
  Block &body = region.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());

  // The quantizers inside must be on the region's grid: a region wrapped by
  // hand (or before the fake quants were inserted) would silently compute
  // at the surrounding precision.
  for (Operation &inner : body.without_terminator()) {
    auto fq = dyn_cast<FakeQuantOp>(inner);
    if (!fq)
      continue;
    if (floatIsland)
      return fq.emitError("cannot lower to integer: an f32 region holds no "
                          "qapeft.fake_quant (run --qapeft-assign-precision "
                          "to place the region's quantizers)");
    if (!isActivationQuantizer(fq))
      continue;
    unsigned width = fq.getScheme().getStorage().getWidth();
    if (width != activationWidth(precision))
      return fq.emitError("cannot lower to integer: this activation is "
                          "quantized to i")
             << width << " inside a " << pname
             << " region, whose activations are i" << activationWidth(precision)
             << " (run --qapeft-assign-precision to re-scheme the region)";
  }

  // Move the body in front of the region: the op lowerings build their
  // integer ops right before the ops they replace, which must be in the
  // function's block. The moved float ops are erased with the others.
  SmallVector<Operation *> bodyOps;
  for (Operation &inner : body.without_terminator())
    bodyOps.push_back(&inner);
  for (Operation *inner : bodyOps) {
    inner->moveBefore(region);
    originalOps.insert(inner);
  }

  if (!floatIsland) {
    // A boundary requantization may read the model input directly; the
    // integer argument types are set at the end (finish()), but the rescale
    // takes its zero point's type from its input, so give the quantized
    // arguments their integer type now (they only feed fake quants, which
    // are erased).
    for (auto &[index, q] : argInfos) {
      BlockArgument arg = func.getArgument(index);
      arg.setType(withElement(arg.getType(), q.storage));
    }
    for (Operation *inner : bodyOps)
      if (failed(lowerOp(inner)))
        return failure();
    for (auto [result, yielded] :
         llvm::zip(region.getResults(), yield.getValues())) {
      Value iv = lookupInt(yielded);
      if (!iv)
        return region.emitError("cannot lower to integer: result ")
               << result.getResultNumber() << " of this " << pname
               << " region is not fake quantized";
      intValues[result] = iv;
    }
    return success();
  }

  // --- f32 island.
  IRMapping map;
  llvm::DenseMap<Value, Value> dequantized;
  builder.setInsertionPoint(region);
  auto floatOperand = [&](Operation *user, Value v) -> FailureOr<Value> {
    if (Value m = map.lookupOrNull(v))
      return m;
    if (Value iv = lookupInt(v)) {
      Value &d = dequantized[iv];
      if (!d) {
        auto it = infos.find(iv);
        if (it == infos.end() || !it->second.isPerTensor())
          return user->emitError("cannot lower to integer: the input of this "
                                 "f32 region op is not a per-tensor "
                                 "quantized value");
        d = emitDequantize(user->getLoc(), iv, it->second);
        newOps.insert(d.getDefiningOp());
      }
      return d;
    }
    Operation *def = v.getDefiningOp();
    if (def && (isa<tosa::ConstOp, tosa::ConstShapeOp>(def) ||
                def->hasTrait<OpTrait::ConstantLike>())) {
      Operation *clone = builder.clone(*def);
      newOps.insert(clone);
      return clone->getResult(cast<OpResult>(v).getResultNumber());
    }
    // Parameters (trained values) become plain f32 constants.
    if (auto vals = getConstantFloats(v)) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (type && type.hasStaticShape()) {
        auto c = tosa::ConstOp::create(builder, v.getLoc(), type,
                                       makeF32Attr(type, *vals));
        newOps.insert(c);
        return c.getResult();
      }
    }
    return user->emitError("cannot lower to integer: an operand of this op "
                           "in an f32 region is neither quantized nor a "
                           "compile-time tensor");
  };
  for (Operation *inner : bodyOps) {
    // Compile-time values are materialized where they are used.
    if (isa<ParamOp, tosa::ConstOp, tosa::ConstShapeOp>(inner) ||
        inner->hasTrait<OpTrait::ConstantLike>())
      continue;
    if (inner->getNumRegions() != 0)
      return inner->emitError("cannot lower to integer: nested regions in "
                              "an f32 region");
    for (Value v : inner->getOperands()) {
      FailureOr<Value> f = floatOperand(inner, v);
      if (failed(f))
        return failure();
      map.map(v, *f);
    }
    Operation *clone = builder.clone(*inner, map);
    newOps.insert(clone);
    handled.insert(inner);
  }

  // The quantize boundary: every fake quant of a result (placed after the
  // region by --qapeft-assign-precision) quantizes the float value.
  for (auto [result, yielded] :
       llvm::zip(region.getResults(), yield.getValues())) {
    FailureOr<Value> fv = floatOperand(region, yielded);
    if (failed(fv))
      return failure();
    for (Operation *user : result.getUsers()) {
      auto fq = dyn_cast<FakeQuantOp>(user);
      if (!fq || fq.getInput() != result)
        return user->emitError("cannot lower to integer: the result of an "
                               "f32 region must be quantized by a "
                               "qapeft.fake_quant before other ops use it");
      FailureOr<QInfo> q = activationInfo(fq);
      if (failed(q))
        return failure();
      Value out = emitQuantize(fq.getLoc(), *fv, *q);
      newOps.insert(out.getDefiningOp());
      intValues[fq.getOutput()] = out;
      infos[out] = *q;
      setTensorName(out, fq);
      handled.insert(fq);
    }
  }
  return success();
}

/// The boundaries of an int16x8 region in an int8 model, for a TFLite
/// target (rounding single or fp32-half-even).
///
/// Exit, i16 -> i8: TFLite's QUANTIZE (quantize.cc, Requantize) uses
/// MultiplyByQuantizedMultiplier on int32, which rounds twice in the runtime
/// the project tests against although its convolutions round once. Probed:
/// all 65536 int16 codes through QUANTIZE to int8 (scales 1.342e-4 ->
/// 0.01724, shift 38) differ from single rounding in 128 codes and equal
/// DOUBLE_ROUND in all, on the builtin kernels and with XNNPACK (which does
/// not take the op). So the exit is a DOUBLE_ROUND rescale.
///
/// Entry, i8 -> i16: the runtime refuses a QUANTIZE from int8 to int16 at
/// model load, so the widening can only be exported as DEQUANTIZE (int8 ->
/// f32) + QUANTIZE (f32 -> int16), whose arithmetic (a float32 product, a
/// division in double, ties away from zero; numerics/DequantizeQuantize.h
/// says how it was probed) is not a fixed-point requantization. Integer TOSA
/// has no float step, but the input has only 256 codes: a single-rounding
/// tosa.rescale whose multiplier is chosen so that it yields the float
/// route's value for every one of them computes the same function exactly,
/// keeps the integer graph integer, and is what qapeft-sim runs. (A lookup
/// table would also be exact, but TOSA's i8 table yields i8.) The exporter
/// re-checks all 256 codes against the scales it writes before writing the
/// pair.
///
/// Where float32 rounding bends the codes' pattern so that no multiplier
/// fits (about 0.2% of random scale pairs, e.g. 0.1 -> 0.2), this is an
/// error naming the scales rather than a near miss.
std::optional<LogicalResult>
FunctionLowering::lowerPrecisionBoundary(FakeQuantOp fq, Value in,
                                         const QInfo &inQ, const QInfo &outQ) {
  const unsigned inBits = inQ.storage.getWidth(),
                 outBits = outQ.storage.getWidth();
  const bool entry = inBits == 8 && outBits == 16;
  const bool exit = inBits == 16 && outBits == 8;
  if (!entry && !exit)
    return std::nullopt;
  num::Rounding mode = roundingFor(fq);
  if (mode == num::Rounding::Double || mode == num::Rounding::HalfAway)
    return std::nullopt;
  if (!outQ.isPerTensor())
    return fq.emitError("cannot lower to integer: a requantization between "
                        "int8 and int16 needs a per-tensor output");
  builder.setInsertionPoint(fq);
  Value out;
  if (exit) {
    double real = double(inQ.scales[0]) / double(outQ.scales[0]);
    float fp = inQ.scales[0] / outQ.scales[0];
    FailureOr<Value> r = emitRescale(fq, in, inQ.zeroPoints[0], {real}, {fp},
                                     outQ, num::Rounding::Double);
    if (failed(r))
      return failure();
    out = *r;
  } else {
    num::DequantizeQuantize dq;
    dq.inScale = inQ.scales[0];
    dq.inZeroPoint = inQ.zeroPoints[0];
    dq.outScale = outQ.scales[0];
    dq.outZeroPoint = outQ.zeroPoints[0];
    // TFLite's QUANTIZE saturates to the int16 type, as tosa.rescale does.
    dq.outMin = -32768;
    dq.outMax = 32767;
    if (!dq.inInt32Range())
      return fq.emitError("cannot lower to integer: TFLite's DEQUANTIZE + "
                          "QUANTIZE from int8 scale ")
             << dq.inScale << " to int16 scale " << dq.outScale
             << " leaves int32 before it saturates (the runtime's float to "
                "int conversion is undefined there)";
    std::optional<num::TosaScale> scale =
        num::findDequantizeQuantizeRescale(dq);
    if (!scale)
      return fq.emitError("cannot lower to integer: no tosa.rescale computes "
                          "TFLite's int8 -> int16 widening (DEQUANTIZE + "
                          "QUANTIZE, the only form TFLite's runtime accepts) "
                          "exactly for input scale ")
             << dq.inScale << ", zero point " << dq.inZeroPoint
             << " and output scale " << dq.outScale
             << ": float32 rounding in DEQUANTIZE puts the 256 codes off any "
                "one multiplier; re-calibrate, or change one of the two "
                "scales slightly";
    Location loc = fq.getLoc();
    // Operands in order (argument evaluation order is unspecified).
    Value mult =
        scalarConst(builder, loc, builder.getI32Type(), scale->multiplier);
    Value shift = scalarConst(builder, loc, builder.getI8Type(), scale->shift);
    Value inZp = scalarConst(builder, loc, inQ.storage, dq.inZeroPoint);
    Value outZp = scalarConst(builder, loc, outQ.storage, dq.outZeroPoint);
    auto rescale = tosa::RescaleOp::create(
        builder, loc,
        withElement(cast<RankedTensorType>(in.getType()), outQ.storage), in,
        mult, shift, inZp, outZp, builder.getBoolAttr(true),
        tosa::RoundingModeAttr::get(ctx, tosa::RoundingMode::SINGLE_ROUND),
        builder.getBoolAttr(false), builder.getBoolAttr(false),
        builder.getBoolAttr(false));
    setQuantAttrs(rescale, outQ);
    out = rescale.getResult();
  }
  intValues[fq.getOutput()] = out;
  infos[out] = outQ;
  setTensorName(out, fq);
  return success();
}
