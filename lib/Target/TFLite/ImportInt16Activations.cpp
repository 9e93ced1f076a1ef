//===- ImportInt16Activations.cpp - TFLite import of int16 LOGISTIC/TANH --===//
//
// Part of the TFLite importer (see Importer.h), mirroring
// ExportInt16Activations.cpp: an int16 LOGISTIC / TANH becomes the TOSA form
// of TFLite's int16 kernel for the file's input scale
// (qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h), the same builder the
// integer lowering uses, so exporting the import writes the same operator.
// The output quantization is carried on the chain's final cast; the operator
// and its version on every op of the chain are not needed: the final cast
// gets them (tflite.builtin / tflite.version).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult>
Importer::importInt16Activation(const tflite::Operator *op,
                                tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  if (code != B::LOGISTIC && code != B::TANH)
    return std::nullopt;
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 1 || !outs || outs->size() != 1)
    return std::nullopt; // the int8 importer reports it
  const tflite::Tensor *inT = tensor(ins->Get(0));
  if (!inT || inT->type() != tflite::TensorType::INT16)
    return std::nullopt;
  bool sigmoid = code == B::LOGISTIC;
  StringRef name = builtinName(code);
  int inIdx = ins->Get(0), outIdx = outs->Get(0);
  const tflite::Tensor *outT = tensor(outIdx);
  if (!outT)
    return error() << name << ": tensor index out of range";
  // Per tensor, zero point 0.
  auto scaleOf = [](const tflite::Tensor *t) -> std::optional<float> {
    std::optional<TensorQuant> q = perTensorQuant(t);
    if (!q || q->zeroPoint != 0)
      return std::nullopt;
    return q->scale;
  };
  std::optional<float> inScale = scaleOf(inT), outScale = scaleOf(outT);
  if (outT->type() != tflite::TensorType::INT16 || !inScale || !outScale)
    return error() << name
                   << " int16: needs per-tensor int16 input and output with "
                      "zero point 0";
  if (*outScale != kInt16ActivationOutputScale)
    return error() << name << " int16: needs output scale "
                   << kInt16ActivationOutputScale << ", got " << *outScale;
  auto outType = tensorType(outIdx);
  auto in = value(inIdx);
  if (failed(outType) || failed(in))
    return failure();
  auto inType = cast<RankedTensorType>(in->getType());
  if (std::optional<std::string> why =
          int16ActivationUnsupported(sigmoid, *inScale, inType))
    return error() << name << " int16: " << *why;
  Value result =
      buildInt16Activation(b, tensorLoc(outIdx), sigmoid, *inScale, *in);
  Operation *last = result.getDefiningOp();
  for (NamedAttribute a : quantAttrs(outT))
    last->setAttr(a.getName(), a.getValue());
  annotate(last);
  values[outIdx] = result;
  return success();
}
