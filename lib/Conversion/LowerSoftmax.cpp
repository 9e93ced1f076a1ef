//===- LowerSoftmax.cpp - integer lowering of an int8 softmax --------------===//
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
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

namespace {

template <typename OpTy>
OpTy onlyUserOf(Value v) {
  if (!v.hasOneUse())
    return nullptr;
  return dyn_cast<OpTy>(*v.getUsers().begin());
}

} // namespace

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
  if (!inQ.isPerTensor() || inQ.storage.getWidth() != 8)
    return max.emitError("cannot lower to integer: a softmax is lowered for "
                         "a per-tensor int8 input only (TFLite's int8 "
                         "SOFTMAX)");
  FakeQuantOp outFq = onlyUserOf<FakeQuantOp>(mul.getResult());
  if (!outFq)
    return mul.emitError("cannot lower to integer: the result of this "
                         "softmax must feed exactly one qapeft.fake_quant");
  FailureOr<QInfo> outQOr = activationInfo(outFq);
  if (failed(outQOr))
    return failure();
  const QInfo outQ = *outQOr;
  if (!outQ.isPerTensor() || outQ.storage.getWidth() != 8)
    return outFq.emitError("cannot lower to integer: the output of a "
                           "softmax must be quantized per tensor in int8");

  IntegerType i8 = builder.getI8Type();
  QInfo fixedQ;
  fixedQ.scales = {1.0f / 256.0f};
  fixedQ.zeroPoints = {-128};
  fixedQ.storage = i8;
  fixedQ.qmin = -128;
  fixedQ.qmax = 127;

  builder.setInsertionPoint(mul);
  Location loc = max.getLoc();
  auto softmax = TFLiteSoftmaxOp::create(
      builder, loc, withElement(mul.getType(), i8), in,
      builder.getF32FloatAttr(inQ.scales[0]), builder.getF32FloatAttr(1.0f));
  setQuantAttrs(softmax, fixedQ);
  newOps.insert(softmax);
  Value value = softmax.getResult();
  infos[value] = fixedQ;

  if (!(outQ == fixedQ)) {
    FailureOr<Value> r = requantizeFixedOutput(outFq, value, fixedQ, outQ,
                                               "this softmax", "int8 SOFTMAX");
    if (failed(r))
      return failure();
    value = *r;
  }
  for (Operation *op : {max.getOperation(), sub.getOperation(),
                        exp.getOperation(), sum.getOperation(),
                        recip.getOperation(), mul.getOperation(),
                        outFq.getOperation()})
    handled.insert(op);
  intValues[mul.getResult()] = value;
  intValues[outFq.getOutput()] = value;
  setTensorName(value, outFq);
  return success();
}
