//===- ExportSoftmax.cpp - TFLite export of the int8/int16 SOFTMAX ---------===//
//
// Part of the TFLite exporter (see Exporter.h).
//
//   qapeft.tflite_softmax on i8                SOFTMAX int8 (version 2)
//   qapeft.tflite_softmax on i16               SOFTMAX int16 (version 3)
//
// The runtime derives everything SOFTMAX computes from the tensors' scales
// and beta (SoftmaxPrepare builds its int8 exp table, or its int16
// multiplier, from the input scale and beta, and requires a fixed output
// grid). So the exporter checks that the scale the op computes with is the
// scale written for its input, that an int16 op's multiplier is the one
// Prepare derives from it, and that the output tensor carries the fixed
// grid: a file that is written computes what the graph computes.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/SoftmaxInt16.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult> Exporter::exportQuantizedSoftmax(Operation *op) {
  auto softmax = dyn_cast<TFLiteSoftmaxOp>(op);
  if (!softmax)
    return std::nullopt;
  auto inType = cast<ShapedType>(softmax.getInput().getType());
  const bool int16 = inType.getElementType().isInteger(16);
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
  float beta = softmax.getBeta().convertToFloat();
  int version = 2;
  if (int16) {
    // activations.cc SoftmaxPrepare (int16): input and output zero point 0,
    // output scale 1/32768; the int16 kernel takes tensors of rank 1 to 4.
    if (qIn->zeroPoint[0] != 0)
      return softmax.emitError("TFLite export: an int16 SOFTMAX needs input "
                               "zero point 0, got ")
             << qIn->zeroPoint[0];
    if (qOut->scale[0] != 1.0f / 32768.0f || qOut->zeroPoint[0] != 0)
      return softmax.emitError("TFLite export: an int16 SOFTMAX needs output "
                               "scale 3.05175781e-05 (1/32768) and zero "
                               "point 0, got ")
             << qOut->scale[0] << " and " << qOut->zeroPoint[0];
    if (!inType.hasRank() || inType.getRank() < 1 || inType.getRank() > 4)
      return softmax.emitError("TFLite export: TFLite's int16 SOFTMAX takes "
                               "tensors of rank 1 to 4");
    int64_t cols = inType.getDimSize(inType.getRank() - 1);
    if (ShapedType::isDynamic(cols) ||
        cols > numerics::kSoftmaxInt16MaxRow)
      return softmax.emitError("TFLite export: TFLite's int16 SOFTMAX sums "
                               "a row in int32; rows must be static and at "
                               "most ")
             << numerics::kSoftmaxInt16MaxRow << " long";
    numerics::QuantizedMultiplier qm =
        numerics::softmaxInt16InputMultiplier(inScale, beta);
    // The verifier guarantees both attributes on an int16 op.
    int64_t mult = softmax.getInputMultiplierAttr().getInt();
    int64_t shift = softmax.getInputShiftAttr().getInt();
    if (mult != qm.multiplier || shift != qm.shift)
      return softmax.emitError("TFLite export: the runtime derives the int16 "
                               "SOFTMAX multiplier ")
             << qm.multiplier << " with shift " << qm.shift
             << " from input scale " << inScale << " and beta " << beta
             << ", but the op uses " << mult << " with shift " << shift;
    // op_version.cc: SOFTMAX is version 3 for int16.
    version = 3;
  } else if (qOut->scale[0] != 1.0f / 256.0f || qOut->zeroPoint[0] != -128) {
    // activations.cc, SoftmaxPrepare: an int8 output must be 1/256 and -128.
    return softmax.emitError("TFLite export: SOFTMAX needs output scale "
                             "0.00390625 and zero point -128, got ")
           << qOut->scale[0] << " and " << qOut->zeroPoint[0];
  }
  auto opts = tflite::CreateSoftmaxOptions(fbb, beta);
  // op_version.cc: SOFTMAX is version 2 for int8 (3 for int16, above).
  return addUnaryOperator(tflite::BuiltinOperator::SOFTMAX, version, softmax,
                          softmax.getInput(), softmax, softmax.getResult(),
                          tflite::BuiltinOptions::SoftmaxOptions, opts.Union());
}
