//===- LowerActivations.cpp - integer lowering of sigmoid, tanh, softmax and mean ---===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// tosa.sigmoid and tosa.tanh on an int8 tensor (int16: see
// LowerInt16Activations.cpp) become a `tosa.table` of 256
// entries computed here, at compile time, exactly as TFLite's builtin
// LOGISTIC / TANH kernels compute their lookup table in Prepare
// (activations.cc, PopulateLookupTable): for every input code q,
//
//   x = float(s_in) * float(q - zp_in)              (float32)
//   y = 1 / (1 + expf(-x))  or  tanhf(x)            (float32)
//   t = std::round(y * (1 / s_out)) + zp_out         (ties away from zero)
//
// saturated to int8. TFLite fixes the output quantization of these ops
// (LOGISTIC: 1/256 and -128, TANH: 1/128 and 0), so the table always maps
// onto that grid; the op carries `qapeft.activation = "sigmoid" | "tanh"` so
// the TFLite exporter knows which operator the table stands for (it checks
// the entries against the ones the runtime will compute from the scales).
//
// When the calibrated output quantizer has another scale or zero point, a
// requantization (a TFLite QUANTIZE) follows the table, with a warning: the
// device then rounds twice where the fake-quant forward rounded once.
//
// A global average pool (tosa.avg_pool2d whose window is the whole unpadded
// H x W input) is TFLite's int8 MEAN over axes [1, 2] with keep_dims (an
// int16 one is lowered in LowerMeanInt16.cpp). It is
// lowered for XNNPACK's arithmetic (rounding fp32-half-even), which the
// delegate's global average pooling computes as
//
//   acc = sum over H, W of q - H * W * zp_in                 (int32)
//   out = clamp(nearbyint(float(acc) * ((s_in / s_out) / float(H * W)))
//               + zp_out)                                    (float32)
//
// in integer TOSA: cast i8 -> i32, reduce_sum on axis 1 and on axis 2, add
// -H * W * zp_in, and an fp32_half_even rescale i32 -> i8 carrying that
// float32 scale.
//
// With rounding single or double (tflite-int8, TFLite's builtin kernels) it
// is lowered for the builtin kernel instead. For int8, keep_dims and axes
// [1, 2] TFLite's EvalMean (reduce.cc, kGenericOptimized) runs
// optimized_integer_ops::Mean, which sums the raw codes (the input zero
// point is folded into a separately rounded bias, so the result is not a
// function of the true mean alone) and requantizes with
//
//   real  = s_in / (float(H * W) * s_out)                     (float32)
//   (m, s) = QuantizeMultiplier(real)
//   temp  = zp_in * s_in / s_out                              (float32)
//   bias  = zp_out - int(temp > 0 ? temp + 0.5f : temp - 0.5f)
//   out   = clamp(MultiplyByQuantizedMultiplier(sum, m, s) + bias)
//
// MultiplyByQuantizedMultiplier is gemmlowp's double rounding in the runtime
// we check against (tfjs-tflite 0.0.1-alpha.10): probes with 168 inputs over
// 7 shapes and scales matched double rounding every time and single
// rounding in only 63 of 84 random cases. So this MEAN is DOUBLE_ROUND (which
// equals gemmlowp's SaturatingRoundingDoublingHighMul + RoundingDivideByPOT:
// checked exhaustively for |sum| <= 400 * 128 over 6000 multipliers with
// TFLite shifts -12 .. 20) even under rounding=single: that is what the
// kernel computes. In TOSA: cast i8 -> i32, reduce_sum on axis 1 and on
// axis 2, and a DOUBLE_ROUND rescale i32 -> i8 with input_zp 0 and
// output_zp = bias (the rescale adds output_zp and saturates, which is
// exactly the kernel's clamp). A bias outside int8 cannot be an output_zp:
// then the DOUBLE_ROUND rescale writes i32, a tosa.add adds the bias and an
// identity rescale (multiplier 2^30, shift 30) saturates to i8.
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Numerics/ActivationTable.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

namespace {

/// The fixed output quantization TFLite requires of LOGISTIC / TANH on int8.
QInfo fixedActivationOutput(bool sigmoid, IntegerType i8) {
  QInfo q;
  q.scales = {sigmoid ? 1.0f / 256.0f : 1.0f / 128.0f};
  q.zeroPoints = {sigmoid ? -128 : 0};
  q.storage = i8;
  q.qmin = -128;
  q.qmax = 127;
  return q;
}


} // namespace

FailureOr<Value> FunctionLowering::requantizeFixedOutput(
    FakeQuantOp outFq, Value value, const QInfo &fixedQ, const QInfo &outQ,
    StringRef what, StringRef kernel) {
  outFq.emitWarning("the output of ")
      << what << " is quantized with scale " << outQ.scales[0]
      << " and zero point " << outQ.zeroPoints[0] << ", but TFLite's "
      << kernel << " writes scale " << fixedQ.scales[0] << " and zero point "
      << fixedQ.zeroPoints[0] << "; requantizing after it (rounds twice)";
  builder.setInsertionPoint(outFq);
  // On the device this is a QUANTIZE after the kernel.
  return emitActivationRequantize(outFq, value, fixedQ, outQ);
}

std::optional<LogicalResult> FunctionLowering::lowerActivation(Operation *op) {
  if (auto max = dyn_cast<tosa::ReduceMaxOp>(op))
    return lowerSoftmax(max);
  if (auto pool = dyn_cast<tosa::AvgPool2dOp>(op))
    return lowerGlobalAveragePool(pool);
  bool sigmoid = isa<tosa::SigmoidOp>(op);
  if (!sigmoid && !isa<tosa::TanhOp>(op))
    return std::nullopt;
  StringRef what = sigmoid ? "tosa.sigmoid" : "tosa.tanh";
  Value in = lookupInt(op->getOperand(0));
  if (!in)
    return op->emitError("cannot lower to integer: the input of this ")
           << what << " is not fake quantized";
  const QInfo inQ = infos.lookup(in);
  if (!inQ.isPerTensor())
    return op->emitError("cannot lower to integer: ")
           << what << " needs a per-tensor quantized input";
  if (inQ.storage.getWidth() == 16)
    return lowerInt16Activation(op, sigmoid);
  if (inQ.storage.getWidth() != 8)
    return op->emitError("cannot lower to integer: ")
           << what << " is lowered for int8 and int16 only, got "
           << inQ.storage;
  Value result = op->getResult(0);
  FailureOr<UnitOutput> unit =
      unitOutput(op, result, what, 8, "the output of " + what);
  if (failed(unit))
    return failure();
  const FakeQuantOp outFq = unit->fq;
  const QInfo &outQ = unit->q;

  IntegerType i8 = builder.getI8Type();
  QInfo fixedQ = fixedActivationOutput(sigmoid, i8);
  SmallVector<int64_t> entries = llvm::to_vector(
      numerics::tfliteActivationTable(sigmoid, inQ.scales[0], inQ.zeroPoints[0],
                                      fixedQ.scales[0], fixedQ.zeroPoints[0]));

  builder.setInsertionPoint(op);
  Location loc = op->getLoc();
  Value table =
      intConst(builder, loc, RankedTensorType::get({256}, i8), entries);
  auto lookup = tosa::TableOp::create(builder, loc,
                                      withElement(result.getType(), i8), in,
                                      table);
  lookup->setAttr("qapeft.activation",
                  builder.getStringAttr(sigmoid ? "sigmoid" : "tanh"));
  setQuantAttrs(lookup, fixedQ);
  newOps.insert(lookup);
  Value value = lookup.getResult();
  infos[value] = fixedQ;

  if (!(outQ == fixedQ)) {
    FailureOr<Value> r = requantizeFixedOutput(
        outFq, value, fixedQ, outQ, what, sigmoid ? "LOGISTIC" : "TANH");
    if (failed(r))
      return failure();
    value = *r;
  }
  finishUnit(op, result, outFq, value);
  return success();
}

LogicalResult
FunctionLowering::lowerGlobalAveragePool(tosa::AvgPool2dOp pool) {
  Value in = lookupInt(pool.getInput());
  if (!in)
    return pool.emitError("cannot lower to integer: the input of this "
                          "tosa.avg_pool2d is not fake quantized");
  auto inType = cast<RankedTensorType>(in.getType());
  ArrayRef<int64_t> kernel = pool.getKernel();
  int64_t h = inType.getDimSize(1), w = inType.getDimSize(2);
  bool global = inType.getRank() == 4 && !ShapedType::isDynamic(h) &&
                !ShapedType::isDynamic(w) && kernel[0] == h &&
                kernel[1] == w &&
                llvm::all_of(pool.getPad(), [](int64_t p) { return p == 0; });
  if (!global)
    return pool.emitError("cannot lower to integer: only a global average "
                          "pool (window = the whole unpadded H x W input) "
                          "is lowered, as TFLite's MEAN");
  const QInfo inQ = infos.lookup(in);
  // TFLite's int16 MEAN has its own arithmetic (LowerMeanInt16.cpp).
  if (inQ.isPerTensor() && inQ.storage.getWidth() == 16)
    return lowerGlobalAveragePoolInt16(pool, in, inQ);
  if (!inQ.isPerTensor() || inQ.storage.getWidth() != 8)
    return pool.emitError("cannot lower to integer: the global average pool "
                          "is lowered for per-tensor int8 or int16 input "
                          "only");
  Value result = pool.getResult();
  FailureOr<UnitOutput> unit =
      unitOutput(pool, result, "tosa.avg_pool2d", 8,
                 "the output of an int8 global average pool");
  if (failed(unit))
    return failure();
  const FakeQuantOp outFq = unit->fq;
  const QInfo outQ = unit->q;
  const num::Rounding rounding = roundingFor(outFq);
  if (rounding == num::Rounding::HalfAway)
    return pool.emitError("cannot lower to integer: a global average pool "
                          "(TFLite MEAN) is lowered for TFLite's builtin "
                          "kernel (rounding single or double) or XNNPACK "
                          "(fp32-half-even), not for rounding half-away");
  const int64_t count = h * w;
  builder.setInsertionPoint(pool);
  Location loc = pool.getLoc();
  IntegerType i32 = builder.getI32Type();
  auto sumCodes = [&]() {
    Value acc =
        tosa::CastOp::create(builder, loc, withElement(inType, i32), in);
    SmallVector<int64_t> shape(inType.getShape());
    shape[1] = 1;
    acc = tosa::ReduceSumOp::create(builder, loc,
                                    RankedTensorType::get(shape, i32), acc,
                                    builder.getI32IntegerAttr(1));
    shape[2] = 1;
    return tosa::ReduceSumOp::create(builder, loc,
                                     RankedTensorType::get(shape, i32), acc,
                                     builder.getI32IntegerAttr(2))
        .getResult();
  };
  auto finish = [&](Value r) {
    infos[r] = outQ;
    finishUnit(pool, result, outFq, r);
    return success();
  };

  if (rounding != num::Rounding::Fp32HalfEven) {
    // The builtin kernel's parameters, in its float32 arithmetic (see the
    // file comment; the TFLite exporter re-derives them the same way).
    const float sIn = inQ.scales[0], sOut = outQ.scales[0];
    const float realScale = sIn / (static_cast<float>(count) * sOut);
    float temp = static_cast<float>(static_cast<int32_t>(inQ.zeroPoints[0]) *
                                    sIn / sOut);
    temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
    if (!(std::fabs(temp) < 1e9f))
      return pool.emitError("cannot lower to integer: TFLite's builtin MEAN "
                            "bias zp_in * s_in / s_out is out of range");
    const int64_t bias =
        outQ.zeroPoints[0] - static_cast<int64_t>(static_cast<int32_t>(temp));
    num::TosaScale ts = num::toTosaScale32(num::quantizeMultiplier(
        static_cast<double>(realScale), /*singleRounding=*/false));
    if (ts.shift < 2 || ts.shift > 62)
      return pool.emitError("cannot lower to integer: TFLite's builtin MEAN "
                            "multiplier s_in / (H * W * s_out) = ")
             << realScale << " has no tosa.rescale form";
    Value acc = sumCodes();
    IntegerType i8 = builder.getI8Type();
    auto rescaleTo = [&](Value x, Type elem, int32_t mult, int32_t shift,
                         int64_t outZp, tosa::RoundingMode mode) {
      return tosa::RescaleOp::create(
          builder, loc, withElement(x.getType(), elem), x,
          scalarConst(builder, loc, i32, mult),
          scalarConst(builder, loc, i8, shift),
          scalarConst(builder, loc, i32, 0),
          scalarConst(builder, loc, elem, outZp), builder.getBoolAttr(true),
          tosa::RoundingModeAttr::get(builder.getContext(), mode),
          builder.getBoolAttr(false), builder.getBoolAttr(false),
          builder.getBoolAttr(false));
    };
    tosa::RescaleOp rescale;
    if (bias >= -128 && bias <= 127) {
      rescale = rescaleTo(acc, outQ.storage, ts.multiplier, ts.shift, bias,
                          tosa::RoundingMode::DOUBLE_ROUND);
    } else {
      // A bias outside int8 cannot be an output_zp: requantize to int32, add
      // it, and saturate to int8 with an exact identity rescale (2^30 * 2^-30).
      Value scaled = rescaleTo(acc, i32, ts.multiplier, ts.shift, 0,
                               tosa::RoundingMode::DOUBLE_ROUND);
      scaled = tosa::AddOp::create(builder, loc, scaled.getType(), scaled,
                                   broadcastConst(builder, loc, 4, i32, bias));
      rescale = rescaleTo(scaled, outQ.storage, 1 << 30, 30, 0,
                          tosa::RoundingMode::SINGLE_ROUND);
    }
    setQuantAttrs(rescale, outQ);
    return finish(rescale.getResult());
  }

  // XNNPACK's float32 scale and int32 offset (see the file comment).
  const float scale = (inQ.scales[0] / outQ.scales[0]) /
                      static_cast<float>(count);
  const int64_t offset = -count * inQ.zeroPoints[0];
  Value acc = sumCodes();
  if (offset != 0)
    acc = tosa::AddOp::create(builder, loc, acc.getType(), acc,
                              broadcastConst(builder, loc, 4, i32, offset));
  FailureOr<Value> r = emitRescale(outFq, acc, 0, {double(scale)}, {scale},
                                   outQ, num::Rounding::Fp32HalfEven);
  if (failed(r))
    return failure();
  return finish(*r);
}
