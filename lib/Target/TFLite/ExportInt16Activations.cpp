//===- ExportInt16Activations.cpp - TFLite export of int16 LOGISTIC/TANH --===//
//
// Part of the TFLite exporter (see Exporter.h).
//
//   cast i16 -> i32 {qapeft.activation} ... cast i32 -> i16   LOGISTIC / TANH
//                                                             (int16, version 3)
//
// The chain is the TOSA form of TFLite's int16 kernel
// (qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h). TFLite derives the
// kernel's multiplier and shift in Prepare from the input scale stored in
// the file, so the exporter rebuilds the chain from the scale it writes and
// refuses a graph whose chain differs in any op, attribute or constant: a
// file that is written computes what the graph computes. The output must be
// on TFLite's fixed grid (scale 1/32768, zero point 0) and the input zero
// point 0, as the kernel's Prepare requires.
//
// op_version.cc: LOGISTIC and TANH with int16 input and output are version
// 3 (runtime_version.cc: TF 2.3.0).
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult> Exporter::exportInt16Activation(Operation *op) {
  std::optional<bool> sigmoid = int16ActivationStart(op);
  if (!sigmoid)
    return std::nullopt;
  StringRef name = *sigmoid ? "LOGISTIC" : "TANH";
  Value in = op->getOperand(0);
  std::optional<QParams> qIn = qparamsOf(in);
  if (!qIn || !qIn->perTensor())
    return op->emitError("TFLite export: int16 ")
           << name << " needs a per-tensor qapeft.scale on its input";
  if (qIn->zeroPoint[0] != 0)
    return op->emitError("TFLite export: int16 ")
           << name << " needs input zero point 0, got " << qIn->zeroPoint[0];
  std::string why;
  FailureOr<Int16ActivationMatch> m =
      matchInt16Activation(op, qIn->scale[0], why);
  if (failed(m))
    return op->emitError("TFLite export: the int16 ")
           << name << " chain is not TFLite's kernel for input scale "
           << qIn->scale[0] << ": " << why;
  Value out = m->last->getResult(0);
  std::optional<QParams> qOut = qparamsOf(out);
  if (!qOut || !qOut->perTensor() ||
      qOut->scale[0] != kInt16ActivationOutputScale ||
      qOut->zeroPoint[0] != 0)
    return m->last->emitError("TFLite export: int16 ")
           << name << " needs output scale " << kInt16ActivationOutputScale
           << " and zero point 0";
  for (Operation *chainOp : m->ops)
    if (chainOp != op)
      fused.insert(chainOp);
  return addUnaryOperator(*sigmoid ? tflite::BuiltinOperator::LOGISTIC
                                   : tflite::BuiltinOperator::TANH,
                          3, op, in, m->last, out);
}
