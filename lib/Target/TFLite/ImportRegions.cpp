//===- ImportRegions.cpp - TFLite import of int16x8 region entries --------===//
//
// Part of the TFLite importer (see Importer.h), mirroring ExportRegions.cpp:
//
//   DEQUANTIZE int8 -> f32, read only by one QUANTIZE f32 -> int16
//       tosa.rescale i8 -> i16 {tflite.builtin = "DEQUANTIZE+QUANTIZE"}
//
// with the multiplier and shift the integer lowering picks for the pair's
// scales (numerics::findDequantizeQuantizeRescale), so that export(import(f))
// writes f's bytes. The float tensor must be read by the QUANTIZE alone and
// not be a model output. A pair whose scales admit no exact rescale, or any
// other DEQUANTIZE, is left to the f32-island import (ImportFloatIslands.cpp),
// which keeps the float ops.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "qapeft/Numerics/DequantizeQuantize.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

namespace num = mlir::qapeft::numerics;

std::optional<LogicalResult>
Importer::importWideningPair(const tflite::Operator *op,
                             tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  if (widenedQuantizes.contains(op))
    return success(); // imported with its DEQUANTIZE
  if (code != B::DEQUANTIZE)
    return std::nullopt;
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 1 || !outs || outs->size() != 1)
    return std::nullopt;
  const int inIdx = ins->Get(0), midIdx = outs->Get(0);
  const tflite::Tensor *inT = tensor(inIdx), *midT = tensor(midIdx);
  if (!inT || !midT || inT->type() != tflite::TensorType::INT8 ||
      midT->type() != tflite::TensorType::FLOAT32)
    return std::nullopt;
  if (graph->outputs())
    for (int32_t o : *graph->outputs())
      if (o == midIdx)
        return std::nullopt;

  // The one operator reading the float tensor: a QUANTIZE to int16.
  const tflite::Operator *quantize = nullptr;
  for (const tflite::Operator *user : *graph->operators()) {
    if (!user->inputs() ||
        llvm::none_of(*user->inputs(), [&](int32_t i) { return i == midIdx; }))
      continue;
    if (quantize)
      return std::nullopt;
    quantize = user;
  }
  auto *codes = model->operator_codes();
  if (!quantize || !codes || quantize->opcode_index() >= codes->size() ||
      !quantize->inputs() || quantize->inputs()->size() != 1 ||
      !quantize->outputs() || quantize->outputs()->size() != 1)
    return std::nullopt;
  const tflite::OperatorCode *oc = codes->Get(quantize->opcode_index());
  auto qCode = static_cast<B>(std::max<int32_t>(
      static_cast<int32_t>(oc->builtin_code()), oc->deprecated_builtin_code()));
  const int outIdx = quantize->outputs()->Get(0);
  const tflite::Tensor *outT = tensor(outIdx);
  if (qCode != B::QUANTIZE || !outT ||
      outT->type() != tflite::TensorType::INT16)
    return std::nullopt;

  std::optional<TensorQuant> qIn = perTensorQuant(inT),
                             qOut = perTensorQuant(outT);
  if (!qIn || !qOut || qOut->zeroPoint != 0)
    return std::nullopt;
  num::DequantizeQuantize dq;
  dq.inScale = qIn->scale;
  dq.inZeroPoint = qIn->zeroPoint;
  dq.outScale = qOut->scale;
  std::optional<num::TosaScale> scale = num::findDequantizeQuantizeRescale(dq);
  if (!scale)
    return std::nullopt;

  auto in = value(inIdx);
  auto outType = tensorType(outIdx);
  if (failed(in) || failed(outType))
    return failure();
  Value multV = intConst({scale->multiplier}, b.getIntegerType(32));
  Value shiftV = intConst({scale->shift}, b.getIntegerType(8));
  Value izpV = intConst({dq.inZeroPoint}, b.getIntegerType(8));
  Value ozpV = intConst({0}, b.getIntegerType(16));
  auto rescale = tosa::RescaleOp::create(
      b, tensorLoc(outIdx), *outType, *in, multV, shiftV, izpV, ozpV,
      /*scale32=*/true, tosa::RoundingMode::SINGLE_ROUND,
      /*per_channel=*/false, /*input_unsigned=*/false,
      /*output_unsigned=*/false);
  for (NamedAttribute a : quantAttrs(outT))
    rescale->setAttr(a.getName(), a.getValue());
  rescale->setAttr("tflite.builtin", b.getStringAttr("DEQUANTIZE+QUANTIZE"));
  rescale->setAttr("tflite.version", b.getI32IntegerAttr(currentVersion));
  widenedQuantizes.insert(quantize);
  values[outIdx] = rescale.getResult();
  return success();
}
