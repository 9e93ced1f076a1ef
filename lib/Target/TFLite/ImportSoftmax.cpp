//===- ImportSoftmax.cpp - TFLite import of the int8/int16 SOFTMAX ---------===//
//
// Part of the TFLite importer (see Importer.h), mirroring ExportSoftmax.cpp:
//
//   SOFTMAX (int8 -> int8)     qapeft.tflite_softmax {input_scale, beta}
//   SOFTMAX (int16 -> int16)   qapeft.tflite_softmax {input_scale, beta,
//                                                     input_multiplier,
//                                                     input_shift}
//
// The input scale and beta are what the runtime builds its exp table (int8)
// or its multiplier (int16, derived here as SoftmaxPrepare does) from; the
// output must be on the grid SoftmaxPrepare requires (1/256, -128 for int8;
// 1/32768, 0 for int16, whose input zero point must also be 0).
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"
#include "Importer.h"

#include "qapeft/Target/TFLite.h"

#include <cmath>

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/SoftmaxInt16.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult>
Importer::importQuantizedSoftmax(const tflite::Operator *op,
                                 tflite::BuiltinOperator code) {
  if (code != tflite::BuiltinOperator::SOFTMAX)
    return std::nullopt;
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 1 || !outs || outs->size() != 1)
    return error() << "SOFTMAX needs one input and one output";
  int inIdx = ins->Get(0), outIdx = outs->Get(0);
  const tflite::Tensor *inT = tensor(inIdx), *outT = tensor(outIdx);
  if (!inT || !outT)
    return error() << "SOFTMAX: tensor index out of range";
  // Float SOFTMAX belongs to the f32 islands (ImportFloatIslands.cpp).
  const bool int16 = inT->type() == tflite::TensorType::INT16;
  if (inT->type() != tflite::TensorType::INT8 && !int16)
    return std::nullopt;
  std::optional<TensorQuant> qIn = perTensorQuant(inT),
                             qOut = perTensorQuant(outT);
  if (outT->type() != inT->type() || !qIn || !qOut)
    return error() << "SOFTMAX: only per-tensor quantized int8 -> int8 and "
                      "int16 -> int16 are imported";
  if (!int16 && (qOut->scale != 1.0f / 256.0f || qOut->zeroPoint != -128))
    return error() << "SOFTMAX: an int8 output must have scale 0.00390625 "
                      "and zero point -128 (TFLite's fixed grid), got "
                   << qOut->scale << " and " << qOut->zeroPoint;
  if (int16 && (qOut->scale != 1.0f / 32768.0f || qOut->zeroPoint != 0))
    return error() << "SOFTMAX: an int16 output must have scale "
                      "3.05175781e-05 (1/32768) and zero point 0 (TFLite's "
                      "fixed grid), got "
                   << qOut->scale << " and " << qOut->zeroPoint;
  if (int16 && qIn->zeroPoint != 0)
    return error() << "SOFTMAX: an int16 input must have zero point 0, got "
                   << qIn->zeroPoint;
  float inScale = qIn->scale;
  float beta = 1.0f;
  if (auto *o = op->builtin_options_as_SoftmaxOptions())
    beta = o->beta();
  if (!std::isfinite(inScale) || inScale <= 0.0f || !std::isfinite(beta) ||
      beta <= 0.0f)
    return error() << "SOFTMAX: the input scale and beta must be finite and "
                      "positive, got "
                   << inScale << " and " << beta;
  auto outType = tensorType(outIdx);
  auto in = value(inIdx);
  if (failed(outType) || failed(in))
    return failure();
  // The importer's context need not have loaded the qapeft dialect (a pure
  // TOSA file never needs it).
  ctx->getOrLoadDialect<QAPeftDialect>();
  IntegerAttr multAttr, shiftAttr;
  if (int16) {
    numerics::QuantizedMultiplier qm =
        numerics::softmaxInt16InputMultiplier(inScale, beta);
    multAttr = b.getI32IntegerAttr(qm.multiplier);
    shiftAttr = b.getI32IntegerAttr(qm.shift);
  }
  auto softmax = TFLiteSoftmaxOp::create(
      b, tensorLoc(outIdx), *outType, *in, b.getF32FloatAttr(inScale),
      b.getF32FloatAttr(beta), multAttr, shiftAttr);
  for (NamedAttribute a : quantAttrs(outT))
    softmax->setAttr(a.getName(), a.getValue());
  annotate(softmax);
  values[outIdx] = softmax.getResult();
  return success();
}
