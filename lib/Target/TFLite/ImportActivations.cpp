//===- ImportActivations.cpp - TFLite import of activations, MEAN, float ops ---===//
//
// Part of the TFLite importer (see Importer.h), mirroring
// ExportActivations.cpp:
//
//   LOGISTIC / TANH (int8)   tosa.table {qapeft.activation} with the table
//                            the runtime computes from the scales
//   MEAN [1, 2], keep_dims   XNNPACK's form: cast i8 -> i32, reduce_sum on
//   (int8)                   axes 1 and 2, add -H*W*zp_in, fp32_half_even
//                            rescale by (s_in / s_out) / float(H*W)
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"
#include "Importer.h"

#include "qapeft/Numerics/ActivationTable.h"
#include "qapeft/Target/TFLite.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult>
Importer::importActivation(const tflite::Operator *op,
                           tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  if (std::optional<LogicalResult> r = importInt16Activation(op, code))
    return r;
  if (std::optional<LogicalResult> r = importQuantizedSoftmax(op, code))
    return r;
  if (std::optional<LogicalResult> r = importFloatIsland(op, code))
    return r;
  if (code == B::MEAN) {
    const tflite::Tensor *in =
        op->inputs() && op->inputs()->size() ? tensor(op->inputs()->Get(0))
                                             : nullptr;
    if (in && in->type() == tflite::TensorType::INT16)
      return importMeanInt16(op);
    return importMean(op);
  }
  if (code != B::LOGISTIC && code != B::TANH)
    return std::nullopt;
  bool sigmoid = code == B::LOGISTIC;
  StringRef name = builtinName(code);
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 1 || !outs || outs->size() != 1)
    return error() << name << " needs one input and one output";
  int inIdx = ins->Get(0), outIdx = outs->Get(0);
  const tflite::Tensor *inT = tensor(inIdx), *outT = tensor(outIdx);
  if (!inT || !outT)
    return error() << name << ": tensor index out of range";
  std::optional<TensorQuant> qIn = perTensorQuant(inT),
                             qOut = perTensorQuant(outT);
  if (inT->type() != tflite::TensorType::INT8 ||
      outT->type() != tflite::TensorType::INT8 || !qIn || !qOut)
    return error() << name
                   << ": only per-tensor quantized int8 is imported";
  auto outType = tensorType(outIdx);
  auto in = value(inIdx);
  if (failed(outType) || failed(in))
    return failure();
  SmallVector<int64_t> entries =
      llvm::to_vector(numerics::tfliteActivationTable(
          sigmoid, qIn->scale, qIn->zeroPoint, qOut->scale, qOut->zeroPoint));
  Value table = intConst(entries, b.getIntegerType(8));
  auto lookup =
      tosa::TableOp::create(b, tensorLoc(outIdx), *outType, *in, table);
  for (NamedAttribute a : quantAttrs(outT))
    lookup->setAttr(a.getName(), a.getValue());
  lookup->setAttr("qapeft.activation",
                  b.getStringAttr(sigmoid ? "sigmoid" : "tanh"));
  annotate(lookup);
  values[outIdx] = lookup.getResult();
  return success();
}

FailureOr<Importer::MeanSum>
Importer::importMeanSum(const tflite::Operator *op, tflite::TensorType type,
                        StringRef typeError) {
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 2 || !outs || outs->size() != 1)
    return error() << "MEAN needs an input, an axes tensor and one output";
  int inIdx = ins->Get(0), axesIdx = ins->Get(1), outIdx = outs->Get(0);
  const tflite::Tensor *inT = tensor(inIdx), *outT = tensor(outIdx);
  if (!inT || !outT)
    return error() << "MEAN: tensor index out of range";
  std::optional<TensorQuant> qIn = perTensorQuant(inT),
                             qOut = perTensorQuant(outT);
  if (inT->type() != type || outT->type() != type || !qIn || !qOut)
    return error() << "MEAN: " << typeError;
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
  auto dense = axesConst
                   ? dyn_cast<DenseIntElementsAttr>(axesConst.getValues())
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
  Location opLoc = tensorLoc(outIdx);
  Type i32 = b.getI32Type();
  SmallVector<int64_t> shape(inType.getShape());
  Value acc = tosa::CastOp::create(b, opLoc, RankedTensorType::get(shape, i32),
                                   *in);
  shape[1] = 1;
  acc = tosa::ReduceSumOp::create(b, opLoc, RankedTensorType::get(shape, i32),
                                  acc, b.getI32IntegerAttr(1));
  shape[2] = 1;
  acc = tosa::ReduceSumOp::create(b, opLoc, RankedTensorType::get(shape, i32),
                                  acc, b.getI32IntegerAttr(2));
  return MeanSum{*qIn,
                 *qOut,
                 outIdx,
                 *outType,
                 inType.getDimSize(1) * inType.getDimSize(2),
                 acc,
                 opLoc};
}

LogicalResult Importer::importMean(const tflite::Operator *op) {
  FailureOr<MeanSum> mean =
      importMeanSum(op, tflite::TensorType::INT8,
                    "only per-tensor quantized int8 is imported");
  if (failed(mean))
    return failure();
  const int64_t count = mean->count;
  const float scale =
      (mean->in.scale / mean->out.scale) / static_cast<float>(count);
  const int64_t offset = -count * mean->in.zeroPoint;
  Location opLoc = mean->loc;
  Type i32 = b.getI32Type();
  Value acc = mean->sum;
  if (offset != 0) {
    auto cType = RankedTensorType::get({1, 1, 1, 1}, i32);
    Value c = tosa::ConstOp::create(
        b, loc, cType,
        DenseElementsAttr::get(cType, b.getI32IntegerAttr(offset)));
    acc = tosa::AddOp::create(b, opLoc, acc.getType(), acc, c);
  }
  // The file does not say which kernel runs it (the builtin kernel's form,
  // see ExportActivations.cpp, writes the same operator), so the read-back
  // rebuilds XNNPACK's form.
  // The TOSA multiplier and shift of the same real scale (TOSA's
  // INEXACT_ROUND; qapeft.fp32_scale is what XNNPACK multiplies by).
  auto [m, s] = quantizeMultiplier(static_cast<double>(scale));
  Value multV = intConst({m}, i32);
  Value shiftV = intConst({31 - s}, b.getIntegerType(8));
  Value izpV = intConst({0}, i32);
  Value ozpV = intConst({mean->out.zeroPoint}, b.getIntegerType(8));
  auto rescale = tosa::RescaleOp::create(
      b, opLoc, mean->outType, acc, multV, shiftV, izpV, ozpV, /*scale32=*/true,
      tosa::RoundingMode::INEXACT_ROUND, /*per_channel=*/false,
      /*input_unsigned=*/false, /*output_unsigned=*/false);
  rescale->setAttr("qapeft.rounding", b.getStringAttr("fp32_half_even"));
  rescale->setAttr("qapeft.fp32_scale", b.getF32ArrayAttr({scale}));
  for (NamedAttribute a : quantAttrs(tensor(mean->outIdx)))
    rescale->setAttr(a.getName(), a.getValue());
  annotate(rescale);
  values[mean->outIdx] = rescale.getResult();
  return success();
}
