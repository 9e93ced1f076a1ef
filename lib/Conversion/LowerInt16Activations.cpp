//===- LowerInt16Activations.cpp - int16 sigmoid/tanh to integer TOSA -----===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// tosa.sigmoid / tosa.tanh on an int16 input (per tensor, zero point 0)
// become the integer TOSA form of TFLite's int16 LOGISTIC / TANH kernel
// (reference_integer_ops::Logistic / Tanh with the multiplier and shift that
// the kernel's Prepare derives from the input scale), built by
// qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h: a rescale of the
// input by tosa.mul, abs, segment index and fraction, two tosa.gather reads
// of TF's 256-entry sigmoid table, the interpolation, the saturation and
// the sign-dependent rounding. A single i16 tosa.table is exact only at one
// input scale per op (1/3072 for LOGISTIC, 1/6144 for TANH; session-10
// probe), this form at every scale the runtime runs through that kernel.
//
// The result is on TFLite's fixed int16 output grid (scale 1/32768, zero
// point 0). When the calibrated output quantizer has another grid, a
// requantization follows, with a warning (the device rounds twice).
//
// Refused with a diagnostic: a nonzero input zero point (TFLite requires
// 0), power-of-two input scales (2^-12 for LOGISTIC, 2^-12 and 2^-11 for
// TANH, within CheckedLog2's tolerance), where the runtime runs gemmlowp's
// fixed-point kernel instead, and scales whose multiplier overflows the
// kernel's int32 arithmetic.
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

LogicalResult FunctionLowering::lowerInt16Activation(Operation *op,
                                                     bool sigmoid) {
  StringRef what = sigmoid ? "tosa.sigmoid" : "tosa.tanh";
  StringRef kernel = sigmoid ? "LOGISTIC" : "TANH";
  Value in = lookupInt(op->getOperand(0));
  const QInfo inQ = infos.lookup(in);
  if (inQ.zeroPoints[0] != 0)
    return op->emitError("cannot lower to integer: TFLite's int16 ")
           << kernel << " needs input zero point 0, got "
           << inQ.zeroPoints[0];
  // Function arguments are retyped only after lowering their users.
  auto inType = cast<RankedTensorType>(withElement(in.getType(), inQ.storage));
  if (std::optional<std::string> why =
          int16ActivationUnsupported(sigmoid, inQ.scales[0], inType))
    return op->emitError("cannot lower to integer: ")
           << what << " on int16: " << *why;

  Value result = op->getResult(0);
  FailureOr<UnitOutput> unit =
      unitOutput(op, result, what, 16, "the output of the int16 " + what);
  if (failed(unit))
    return failure();
  const FakeQuantOp outFq = unit->fq;
  const QInfo &outQ = unit->q;

  // TFLite's fixed output grid; the kernel writes [-32767, 32767], inside
  // every 16-bit range, so the calibrated range is kept when the grids
  // agree.
  QInfo fixedQ = outQ;
  fixedQ.scales = {kInt16ActivationOutputScale};
  fixedQ.zeroPoints = {0};

  builder.setInsertionPoint(op);
  Value value =
      buildInt16Activation(builder, op->getLoc(), sigmoid, inQ.scales[0], in);
  newOps.insert(value.getDefiningOp());
  setQuantAttrs(value.getDefiningOp(), fixedQ);
  infos[value] = fixedQ;

  if (!(outQ == fixedQ)) {
    FailureOr<Value> r =
        requantizeFixedOutput(outFq, value, fixedQ, outQ, what, kernel);
    if (failed(r))
      return failure();
    value = *r;
  }
  finishUnit(op, result, outFq, value);
  return success();
}
