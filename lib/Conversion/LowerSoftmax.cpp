//===- LowerSoftmax.cpp - integer lowering of an int8/int16 softmax --------===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// A softmax over the last axis, as the float model spells it in TOSA,
//
//   m = reduce_max(x); e = exp(x - m); y = e * reciprocal(reduce_sum(e))
//
// on a per-tensor int8 input and ending in one output fake quant, becomes
// `qapeft.tflite_softmax`: TFLite's builtin int8 SOFTMAX, whose arithmetic
// (a float exp table built from the input scale, float32 sum and
// normalization, std::round) TOSA cannot express. The op writes TFLite's
// fixed grid, scale 1/256 and zero point -128, which --qapeft-insert-fake-
// quant gives the softmax's output quantizer; any other calibrated output
// grid is reached with a requantization after the op, with a warning (two
// roundings where the fake-quant forward has one).
//
// On an int16 input (int16x8) it becomes TFLite's int16 SOFTMAX instead,
// whose arithmetic is all integer but built on two gen_lut tables TOSA has
// no op for (interpolating 513-entry tables indexed by the top 9 bits).
// TFLite requires input zero point 0 and writes the fixed grid 1/32768,
// zero point 0; the op carries the multiplier SoftmaxPrepare derives, so
// the integer graph states everything the simulator needs.
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"
#include "qapeft/Numerics/SoftmaxInt16.h"

#include "mlir/IR/Matchers.h"

#include <string>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

LogicalResult FunctionLowering::lowerSoftmax(tosa::ReduceMaxOp max) {
  Value x = max.getInput();
  auto fail = [&]() {
    return max.emitError("cannot lower to integer: a tosa.reduce_max is "
                         "lowered only as the start of a softmax over the "
                         "last axis (reduce_max, sub, exp, reduce_sum, "
                         "reciprocal, mul, then one qapeft.fake_quant, "
                         "with no quantizer in between)");
  };
  std::optional<SoftmaxChain> chain = matchSoftmax(max);
  if (!chain)
    return fail();
  auto [sub, exp, sum, recip, mul] = *chain;

  Value in = lookupInt(x);
  if (!in)
    return max.emitError("cannot lower to integer: the input of this "
                         "softmax is not fake quantized");
  const QInfo inQ = infos.lookup(in);
  const unsigned bits = inQ.storage.getWidth();
  if (!inQ.isPerTensor() || (bits != 8 && bits != 16))
    return max.emitError("cannot lower to integer: a softmax is lowered for "
                         "a per-tensor int8 or int16 input only (TFLite's "
                         "int8 and int16 SOFTMAX)");
  const bool int16 = bits == 16;
  if (int16) {
    // activations.cc SoftmaxPrepare: TF_LITE_ENSURE_EQ(input zero point, 0).
    if (inQ.zeroPoints[0] != 0)
      return max.emitError("cannot lower to integer: TFLite's int16 SOFTMAX "
                           "needs input zero point 0, got ")
             << inQ.zeroPoints[0];
    // The kernel sums a row's exps in int32: each is at most 32767.
    auto inType = cast<ShapedType>(in.getType());
    int64_t cols = inType.hasRank() && inType.getRank() > 0
                       ? inType.getDimSize(inType.getRank() - 1)
                       : ShapedType::kDynamic;
    if (ShapedType::isDynamic(cols) || cols > num::kSoftmaxInt16MaxRow)
      return max.emitError("cannot lower to integer: TFLite's int16 SOFTMAX "
                           "sums a row in int32, so the last axis must be "
                           "static and at most ")
             << num::kSoftmaxInt16MaxRow << ", got "
             << (ShapedType::isDynamic(cols) ? std::string("?")
                                             : std::to_string(cols));
  }
  FailureOr<UnitOutput> unit =
      unitOutput(mul, mul.getResult(), "softmax", bits,
                 "the output of a softmax", ", as its input");
  if (failed(unit))
    return failure();
  const FakeQuantOp outFq = unit->fq;
  const QInfo outQ = unit->q;

  // TFLite's fixed output grids: int8 1/256, -128; int16 1/32768, 0.
  IntegerType storage = builder.getIntegerType(bits);
  QInfo fixedQ;
  fixedQ.scales = {int16 ? 1.0f / 32768.0f : 1.0f / 256.0f};
  fixedQ.zeroPoints = {int16 ? 0 : -128};
  fixedQ.storage = storage;
  fixedQ.qmin = int16 ? -32768 : -128;
  fixedQ.qmax = int16 ? 32767 : 127;

  builder.setInsertionPoint(mul);
  Location loc = max.getLoc();
  const float beta = 1.0f;
  IntegerAttr multAttr, shiftAttr;
  if (int16) {
    num::QuantizedMultiplier qm =
        num::softmaxInt16InputMultiplier(inQ.scales[0], beta);
    multAttr = builder.getI32IntegerAttr(qm.multiplier);
    shiftAttr = builder.getI32IntegerAttr(qm.shift);
    // The kernel scales q - max (down to -65535) by 2^shift in int32 before
    // its rounding multiply; from shift 16 on, large differences wrap. The
    // simulator wraps exactly as the runtime does (probed at input scale 8:
    // the row [0, -1000, -20000, -32768, 5, -32768] comes out as 1, 1, 1,
    // 10922, 10922, 10922), but the float model does not.
    if (qm.shift >= 16)
      max.emitWarning("TFLite's int16 SOFTMAX multiplies input differences "
                      "by 2^")
          << qm.shift << " in int32 for input scale " << inQ.scales[0]
          << ": differences of " << (int64_t(1) << (31 - qm.shift))
          << " codes or more wrap around, on the device and in the "
             "simulator (a smaller input scale avoids it)";
  }
  auto softmax = TFLiteSoftmaxOp::create(
      builder, loc, withElement(mul.getType(), storage), in,
      builder.getF32FloatAttr(inQ.scales[0]), builder.getF32FloatAttr(beta),
      multAttr, shiftAttr);
  setQuantAttrs(softmax, fixedQ);
  newOps.insert(softmax);
  Value value = softmax.getResult();
  infos[value] = fixedQ;

  if (!(outQ == fixedQ)) {
    FailureOr<Value> r =
        requantizeFixedOutput(outFq, value, fixedQ, outQ, "this softmax",
                              int16 ? "int16 SOFTMAX" : "int8 SOFTMAX");
    if (failed(r))
      return failure();
    value = *r;
  }
  for (Operation *op : {max.getOperation(), sub.getOperation(),
                        exp.getOperation(), sum.getOperation(),
                        recip.getOperation()})
    handled.insert(op);
  finishUnit(mul, mul.getResult(), outFq, value);
  return success();
}
