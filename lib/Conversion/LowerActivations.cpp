//===- LowerActivations.cpp - integer lowering of sigmoid, tanh, softmax and mean ---===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// tosa.sigmoid and tosa.tanh on an int8 tensor become a `tosa.table` of 256
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
// H x W input) is TFLite's int8 MEAN over axes [1, 2] with keep_dims. It is
// lowered for XNNPACK's arithmetic (rounding fp32-half-even), which the
// delegate's global average pooling computes as
//
//   acc = sum over H, W of q - H * W * zp_in                 (int32)
//   out = clamp(nearbyint(float(acc) * ((s_in / s_out) / float(H * W)))
//               + zp_out)                                    (float32)
//
// in integer TOSA: cast i8 -> i32, reduce_sum on axis 1 and on axis 2, add
// -H * W * zp_in, and an fp32_half_even rescale i32 -> i8 carrying that
// float32 scale. TFLite's builtin int8 MEAN (the path without XNNPACK)
// computes something else that is not modeled yet, so other roundings are
// refused.
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

std::optional<LogicalResult> FunctionLowering::lowerActivation(Operation *op) {
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
  if (inQ.storage.getWidth() != 8)
    return op->emitError("cannot lower to integer: ")
           << what << " is lowered for int8 only (TFLite's int16 "
           << (sigmoid ? "LOGISTIC" : "TANH")
           << " is a fixed-point kernel with power-of-two scales), got "
           << inQ.storage;
  Value result = op->getResult(0);
  FakeQuantOp outFq;
  if (result.hasOneUse())
    outFq = dyn_cast<FakeQuantOp>(*result.getUsers().begin());
  if (!outFq)
    return op->emitError("cannot lower to integer: the result of this ")
           << what << " must feed exactly one qapeft.fake_quant";
  FailureOr<QInfo> outQOr = activationInfo(outFq);
  if (failed(outQOr))
    return failure();
  const QInfo &outQ = *outQOr;
  if (!outQ.isPerTensor() || outQ.storage.getWidth() != 8)
    return outFq.emitError("cannot lower to integer: the output of ")
           << what << " must be quantized per tensor in int8";

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
    outFq.emitWarning("the output of ")
        << what << " is quantized with scale " << outQ.scales[0]
        << " and zero point " << outQ.zeroPoints[0] << ", but TFLite's "
        << (sigmoid ? "LOGISTIC" : "TANH") << " writes scale "
        << fixedQ.scales[0] << " and zero point " << fixedQ.zeroPoints[0]
        << "; requantizing after the table (rounds twice)";
    builder.setInsertionPoint(outFq);
    double real = double(fixedQ.scales[0]) / double(outQ.scales[0]);
    float fp = fixedQ.scales[0] / outQ.scales[0];
    FailureOr<Value> r =
        emitRescale(outFq, value, fixedQ.zeroPoints[0], {real}, {fp}, outQ,
                    roundingFor(outFq));
    if (failed(r))
      return failure();
    value = *r;
    infos[value] = outQ;
  }
  handled.insert(op);
  handled.insert(outFq);
  intValues[result] = value;
  intValues[outFq.getOutput()] = value;
  setTensorName(value, outFq);
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
  if (!inQ.isPerTensor() || inQ.storage.getWidth() != 8)
    return pool.emitError("cannot lower to integer: the global average pool "
                          "is lowered for per-tensor int8 input only");
  Value result = pool.getResult();
  FakeQuantOp outFq;
  if (result.hasOneUse())
    outFq = dyn_cast<FakeQuantOp>(*result.getUsers().begin());
  if (!outFq)
    return pool.emitError("cannot lower to integer: the result of this "
                          "tosa.avg_pool2d must feed exactly one "
                          "qapeft.fake_quant");
  FailureOr<QInfo> outQOr = activationInfo(outFq);
  if (failed(outQOr))
    return failure();
  const QInfo outQ = *outQOr;
  if (!outQ.isPerTensor() || outQ.storage.getWidth() != 8)
    return outFq.emitError("cannot lower to integer: the global average "
                           "pool's output must be quantized per tensor in "
                           "int8");
  if (roundingFor(outFq) != num::Rounding::Fp32HalfEven)
    return pool.emitError("cannot lower to integer: a global average pool "
                          "(TFLite MEAN) is lowered only for XNNPACK's "
                          "arithmetic (rounding fp32-half-even); the builtin "
                          "int8 MEAN kernel is not modeled");

  // XNNPACK's float32 scale and int32 offset (see the file comment).
  const int64_t count = h * w;
  const float scale = (inQ.scales[0] / outQ.scales[0]) /
                      static_cast<float>(count);
  const int64_t offset = -count * inQ.zeroPoints[0];

  builder.setInsertionPoint(pool);
  Location loc = pool.getLoc();
  IntegerType i32 = builder.getI32Type();
  Value acc = tosa::CastOp::create(builder, loc, withElement(inType, i32), in);
  SmallVector<int64_t> shape(inType.getShape());
  shape[1] = 1;
  acc = tosa::ReduceSumOp::create(builder, loc,
                                  RankedTensorType::get(shape, i32), acc,
                                  builder.getI32IntegerAttr(1));
  shape[2] = 1;
  acc = tosa::ReduceSumOp::create(builder, loc,
                                  RankedTensorType::get(shape, i32), acc,
                                  builder.getI32IntegerAttr(2));
  if (offset != 0)
    acc = tosa::AddOp::create(builder, loc, acc.getType(), acc,
                              broadcastConst(builder, loc, 4, i32, offset));
  FailureOr<Value> r = emitRescale(outFq, acc, 0, {double(scale)}, {scale},
                                   outQ, num::Rounding::Fp32HalfEven);
  if (failed(r))
    return failure();
  infos[*r] = outQ;
  handled.insert(pool);
  handled.insert(outFq);
  intValues[result] = *r;
  intValues[outFq.getOutput()] = *r;
  setTensorName(*r, outFq);
  return success();
}
