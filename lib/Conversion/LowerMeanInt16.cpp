//===- LowerMeanInt16.cpp - integer lowering of the int16 MEAN ------------===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h); the int8 MEAN
// is in LowerActivations.cpp, which dispatches int16 inputs here.
//
// A global average pool on int16 (int16x8) is TFLite's int16 MEAN over axes
// [1, 2] with keep_dims. XNNPACK has no int16 operators, so it always runs
// on TFLite's builtin kernel, whatever rounding the target names for its
// other requantizations. TFLite's Prepare refuses an int16 MEAN unless both
// zero points are 0, and its Eval (reduce.cc, TF ~2.10, no optimized int16
// path) has two branches:
//
//   s_in == s_out (float32)  reference_ops::Mean on the codes: the int32
//                            sum divided by H * W in C++ integer division
//                            (truncation toward zero);
//   otherwise                reference_ops::QuantizedMeanOrSum in float32:
//                            mean = float(sum) / float(H * W),
//                            out = clamp(roundf(mean * (s_in / s_out)))
//                            (roundf: ties away from zero).
//
// Found by probing the runtime we check against (tfjs-tflite
// 0.0.1-alpha.10, --kernels builtin): int16 MEAN models written with flatc
// from the exporter's schema, run on pseudo-random codes (uniform over
// int16, and clustered within +-50 and +-3 of a random centre, and constant,
// so that ties occur), and compared with candidate formulas:
//
//   * 24264 outputs over 12 shapes (1x1 .. 32x32) x 12 scale ratios
//     (1/3 .. 100): the float formula above matched all 24264; the same
//     formula with ties to even 23873, in double precision 24188, with one
//     float multiply by (s_in / s_out) / H*W 24232, the exact real rounded
//     23765 and gemmlowp double rounding (the int8 kernel's arithmetic)
//     22985. So the arithmetic really is float32, in this order.
//   * 17064 outputs with s_in == s_out (4 scales, 8 shapes): integer
//     division matched all, the float formula 12224.
//   * Zero points 3 or 5 fail Prepare ("zero_point != 0"); operator
//     versions 1 .. 3 are accepted, 4 is not registered.
//
// The integer path is integer TOSA: cast i16 -> i32, reduce_sum on axes 1
// and 2, tosa.intdiv by H * W, cast i32 -> i16 (the quotient of int16 codes
// fits int16). The float path cannot be integer TOSA: a float32 divide
// followed by a float32 multiply has no fixed-point equivalent (the probe
// shows a single fixed-point or float multiply differs), so it is modelled
// as the XNNPACK MEAN is: the same sum, then a tosa.rescale i32 -> i16 with
// rounding_mode = INEXACT_ROUND and
//
//   qapeft.rounding = "fp32_mean_half_away", qapeft.fp32_divisor = H * W,
//   qapeft.fp32_scale = [float(s_in) / float(s_out)]
//
// which qapeft-sim executes with exactly the kernel's float32 operations
// (qapeft/Numerics/MeanInt16.h); its multiplier and shift operands hold the
// fixed-point s_in / (H * W * s_out) for readers that ignore the annotation.
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Numerics/MeanInt16.h"

#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

LogicalResult
FunctionLowering::lowerGlobalAveragePoolInt16(tosa::AvgPool2dOp pool, Value in,
                                              const QInfo &inQ) {
  auto inType = cast<RankedTensorType>(in.getType());
  Value result = pool.getResult();
  FailureOr<UnitOutput> unit =
      unitOutput(pool, result, "tosa.avg_pool2d", 16,
                 "the output of an int16 global average pool",
                 " (TFLite's MEAN keeps the type)");
  if (failed(unit))
    return failure();
  const FakeQuantOp outFq = unit->fq;
  const QInfo outQ = unit->q;
  if (inQ.zeroPoints[0] != 0 || outQ.zeroPoints[0] != 0)
    return pool.emitError("cannot lower to integer: TFLite's int16 MEAN "
                          "needs zero point 0 on its input and output, got ")
           << inQ.zeroPoints[0] << " and " << outQ.zeroPoints[0];
  if (roundingFor(outFq) == num::Rounding::HalfAway)
    return pool.emitError("cannot lower to integer: a global average pool "
                          "(TFLite MEAN) is lowered for TFLite's builtin "
                          "kernel (rounding single or double) or XNNPACK "
                          "(fp32-half-even), not for rounding half-away");
  const int64_t count = inType.getDimSize(1) * inType.getDimSize(2);
  // The kernel sums into an int32 (and TOSA requires the i32 reduce_sum not
  // to overflow): H * W codes of magnitude up to 2^15 must fit.
  if (count > std::numeric_limits<int32_t>::max() / 32768)
    return pool.emitError("cannot lower to integer: an int16 global average "
                          "pool over ")
           << count << " elements may overflow TFLite's int32 sum (at most "
           << std::numeric_limits<int32_t>::max() / 32768 << ")";

  builder.setInsertionPoint(pool);
  Location loc = pool.getLoc();
  IntegerType i32 = builder.getI32Type();
  Value acc = tosa::CastOp::create(builder, loc, withElement(inType, i32), in);
  SmallVector<int64_t> shape(inType.getShape());
  shape[1] = 1;
  acc =
      tosa::ReduceSumOp::create(builder, loc, RankedTensorType::get(shape, i32),
                                acc, builder.getI32IntegerAttr(1));
  shape[2] = 1;
  auto sumType = RankedTensorType::get(shape, i32);
  acc = tosa::ReduceSumOp::create(builder, loc, sumType, acc,
                                  builder.getI32IntegerAttr(2));

  Operation *last;
  const float sIn = inQ.scales[0], sOut = outQ.scales[0];
  if (num::tfliteMeanInt16IsExact(sIn, sOut)) {
    Value quotient = tosa::IntDivOp::create(
        builder, loc, sumType, acc,
        broadcastConst(builder, loc, 4, i32, static_cast<double>(count)));
    last = tosa::CastOp::create(builder, loc,
                                withElement(sumType, outQ.storage), quotient);
  } else {
    const float scale = num::tfliteMeanInt16Scale(sIn, sOut);
    const double real =
        static_cast<double>(sIn) / (static_cast<double>(count) * sOut);
    std::optional<num::TosaScale> ts = num::computeTosaScale32(real);
    if (!ts)
      return pool.emitError("cannot lower to integer: the int16 MEAN scale "
                            "s_in / (H * W * s_out) = ")
             << real << " is not a finite positive number";
    IntegerType i8 = builder.getI8Type();
    auto rescale = tosa::RescaleOp::create(
        builder, loc, withElement(sumType, outQ.storage), acc,
        scalarConst(builder, loc, i32, ts->multiplier),
        scalarConst(builder, loc, i8, ts->shift),
        scalarConst(builder, loc, i32, 0),
        scalarConst(builder, loc, outQ.storage, 0), builder.getBoolAttr(true),
        tosa::RoundingModeAttr::get(ctx, tosa::RoundingMode::INEXACT_ROUND),
        builder.getBoolAttr(false), builder.getBoolAttr(false),
        builder.getBoolAttr(false));
    rescale->setAttr("qapeft.rounding",
                     builder.getStringAttr("fp32_mean_half_away"));
    rescale->setAttr("qapeft.fp32_divisor", builder.getI64IntegerAttr(count));
    rescale->setAttr("qapeft.fp32_scale", builder.getF32ArrayAttr({scale}));
    last = rescale;
  }
  setQuantAttrs(last, outQ);
  Value r = last->getResult(0);
  infos[r] = outQ;
  finishUnit(pool, result, outFq, r);
  return success();
}
