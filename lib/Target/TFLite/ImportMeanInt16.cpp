//===- ImportMeanInt16.cpp - TFLite import of the int16 MEAN --------------===//
//
// Part of the TFLite importer (see Importer.h), mirroring
// ExportMeanInt16.cpp: an int16 MEAN over [1, 2] with keep_dims becomes the
// integer form of the branch TFLite's kernel takes for the stored scales
// (lib/Conversion/LowerMeanInt16.cpp):
//
//   s_in == s_out   cast i16 -> i32, reduce_sum(1), reduce_sum(2),
//                   intdiv by H*W, cast i32 -> i16
//   otherwise       the same sum, then a tosa.rescale i32 -> i16
//                   {qapeft.rounding = "fp32_mean_half_away",
//                    qapeft.fp32_divisor = H*W,
//                    qapeft.fp32_scale = [s_in / s_out]}
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "qapeft/Numerics/MeanInt16.h"
#include "qapeft/Numerics/Requantize.h"
#include "qapeft/Target/TFLite.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

LogicalResult Importer::importMeanInt16(const tflite::Operator *op) {
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 2 || !outs || outs->size() != 1)
    return error() << "MEAN needs an input, an axes tensor and one output";
  int inIdx = ins->Get(0), axesIdx = ins->Get(1), outIdx = outs->Get(0);
  const tflite::Tensor *inT = tensor(inIdx), *outT = tensor(outIdx);
  if (!inT || !outT)
    return error() << "MEAN: tensor index out of range";
  auto perTensor = [](const tflite::Tensor *t) {
    const tflite::QuantizationParameters *q = t->quantization();
    return q && q->scale() && q->scale()->size() == 1;
  };
  if (inT->type() != tflite::TensorType::INT16 ||
      outT->type() != tflite::TensorType::INT16 || !perTensor(inT) ||
      !perTensor(outT))
    return error() << "MEAN: an int16 MEAN needs per-tensor quantized int16 "
                      "input and output";
  auto zpOf = [](const tflite::Tensor *t) -> int64_t {
    const tflite::QuantizationParameters *q = t->quantization();
    return q->zero_point() && q->zero_point()->size() ? q->zero_point()->Get(0)
                                                      : 0;
  };
  if (zpOf(inT) != 0 || zpOf(outT) != 0)
    return error() << "MEAN: TFLite's int16 MEAN needs zero point 0 on its "
                      "input and output";
  const tflite::ReducerOptions *o = op->builtin_options_as_ReducerOptions();
  if (!o || !o->keep_dims())
    return error() << "MEAN: only keep_dims = true is imported (the form "
                      "the exporter writes)";
  auto axesV = value(axesIdx);
  auto in = value(inIdx);
  auto outType = tensorType(outIdx);
  if (failed(axesV) || failed(in) || failed(outType))
    return failure();
  auto axesConst = axesV->getDefiningOp<tosa::ConstOp>();
  auto dense = axesConst ? dyn_cast<DenseIntElementsAttr>(axesConst.getValues())
                         : DenseIntElementsAttr();
  if (!dense)
    return error() << "MEAN: the axes must be a constant int32 tensor";
  SmallVector<int64_t> axes;
  for (const APInt &v : dense.getValues<APInt>())
    axes.push_back(v.getSExtValue());
  axesConst->erase();
  values.erase(axesIdx);
  llvm::sort(axes);
  auto inType = cast<RankedTensorType>(in->getType());
  if (inType.getRank() != 4 || axes != SmallVector<int64_t>{1, 2})
    return error() << "MEAN: only the mean over axes [1, 2] of a 4-D "
                      "tensor is imported";

  const float sIn = inT->quantization()->scale()->Get(0);
  const float sOut = outT->quantization()->scale()->Get(0);
  const int64_t count = inType.getDimSize(1) * inType.getDimSize(2);
  Location opLoc = tensorLoc(outIdx);
  Type i32 = b.getI32Type();
  SmallVector<int64_t> shape(inType.getShape());
  Value acc =
      tosa::CastOp::create(b, opLoc, RankedTensorType::get(shape, i32), *in);
  shape[1] = 1;
  acc = tosa::ReduceSumOp::create(b, opLoc, RankedTensorType::get(shape, i32),
                                  acc, b.getI32IntegerAttr(1));
  shape[2] = 1;
  auto sumType = RankedTensorType::get(shape, i32);
  acc =
      tosa::ReduceSumOp::create(b, opLoc, sumType, acc, b.getI32IntegerAttr(2));
  Operation *last;
  if (numerics::tfliteMeanInt16IsExact(sIn, sOut)) {
    auto cType = RankedTensorType::get({1, 1, 1, 1}, i32);
    Value c = tosa::ConstOp::create(
        b, loc, cType,
        DenseElementsAttr::get(cType, b.getI32IntegerAttr(count)));
    Value q = tosa::IntDivOp::create(b, opLoc, sumType, acc, c);
    last = tosa::CastOp::create(b, opLoc, *outType, q);
  } else {
    // The fixed-point form of s_in / (H*W*s_out) is informative (the
    // annotation says what runs), computed as the lowering does.
    std::optional<numerics::TosaScale> ts = numerics::computeTosaScale32(
        static_cast<double>(sIn) / (static_cast<double>(count) * sOut));
    if (!ts)
      return error() << "MEAN: the int16 scales " << sIn << " and " << sOut
                     << " give no finite positive ratio";
    auto rescale = tosa::RescaleOp::create(
        b, opLoc, *outType, acc, intConst({ts->multiplier}, i32),
        intConst({ts->shift}, b.getIntegerType(8)), intConst({0}, i32),
        intConst({0}, b.getIntegerType(16)), /*scale32=*/true,
        tosa::RoundingMode::INEXACT_ROUND, /*per_channel=*/false,
        /*input_unsigned=*/false, /*output_unsigned=*/false);
    rescale->setAttr("qapeft.rounding", b.getStringAttr("fp32_mean_half_away"));
    rescale->setAttr("qapeft.fp32_divisor", b.getI64IntegerAttr(count));
    rescale->setAttr(
        "qapeft.fp32_scale",
        b.getF32ArrayAttr({numerics::tfliteMeanInt16Scale(sIn, sOut)}));
    last = rescale;
  }
  for (NamedAttribute a : quantAttrs(outT))
    last->setAttr(a.getName(), a.getValue());
  annotate(last);
  values[outIdx] = last->getResult(0);
  return success();
}
