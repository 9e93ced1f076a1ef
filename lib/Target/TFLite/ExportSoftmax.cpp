//===- ExportSoftmax.cpp - TFLite export of the int8 SOFTMAX ---------------===//
//
// Part of the TFLite exporter (see Exporter.h).
//
//   qapeft.tflite_softmax                      SOFTMAX int8 (version 2)
//
// The runtime derives everything SOFTMAX computes from the tensors' scales
// (SoftmaxPrepare builds its exp table from the input scale and beta, and
// requires the output grid 1/256, -128). So the exporter checks that the
// scale the op computes with is the scale written for its input, and that
// the output tensor carries the fixed grid: a file that is written computes
// what the graph computes.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult> Exporter::exportSoftmaxInt8(Operation *op) {
  auto softmax = dyn_cast<TFLiteSoftmaxOp>(op);
  if (!softmax)
    return std::nullopt;
  std::optional<QParams> qIn = qparamsOf(softmax.getInput());
  std::optional<QParams> qOut = qparamsOf(softmax.getResult());
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return softmax.emitError("TFLite export: SOFTMAX needs per-tensor "
                             "qapeft.scale on its input and output");
  float inScale = softmax.getInputScale().convertToFloat();
  if (qIn->scale[0] != inScale)
    return softmax.emitError("TFLite export: SOFTMAX computes its table from "
                             "the input scale ")
           << qIn->scale[0] << " written to the file, but the op uses "
           << "input_scale " << inScale;
  // activations.cc, SoftmaxPrepare: an int8 output must be 1/256 and -128.
  if (qOut->scale[0] != 1.0f / 256.0f || qOut->zeroPoint[0] != -128)
    return softmax.emitError("TFLite export: SOFTMAX needs output scale "
                             "0.00390625 and zero point -128, got ")
           << qOut->scale[0] << " and " << qOut->zeroPoint[0];
  auto opts = tflite::CreateSoftmaxOptions(
      fbb, softmax.getBeta().convertToFloat());
  // op_version.cc: SOFTMAX is version 2 for int8.
  return addUnaryOperator(tflite::BuiltinOperator::SOFTMAX, 2, softmax,
                          softmax.getInput(), softmax, softmax.getResult(),
                          tflite::BuiltinOptions::SoftmaxOptions, opts.Union());
}
