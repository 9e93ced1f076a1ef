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
  FailureOr<MeanSum> mean = importMeanSum(
      op, tflite::TensorType::INT16,
      "an int16 MEAN needs per-tensor quantized int16 input and output");
  if (failed(mean))
    return failure();
  if (mean->in.zeroPoint != 0 || mean->out.zeroPoint != 0)
    return error() << "MEAN: TFLite's int16 MEAN needs zero point 0 on its "
                      "input and output";
  const float sIn = mean->in.scale, sOut = mean->out.scale;
  const int64_t count = mean->count;
  Location opLoc = mean->loc;
  Type i32 = b.getI32Type();
  Value acc = mean->sum;
  auto sumType = cast<RankedTensorType>(acc.getType());
  auto outType = mean->outType;
  Operation *last;
  if (numerics::tfliteMeanInt16IsExact(sIn, sOut)) {
    auto cType = RankedTensorType::get({1, 1, 1, 1}, i32);
    Value c = tosa::ConstOp::create(
        b, loc, cType,
        DenseElementsAttr::get(cType, b.getI32IntegerAttr(count)));
    Value q = tosa::IntDivOp::create(b, opLoc, sumType, acc, c);
    last = tosa::CastOp::create(b, opLoc, outType, q);
  } else {
    // The fixed-point form of s_in / (H*W*s_out) is informative (the
    // annotation says what runs), computed as the lowering does.
    std::optional<numerics::TosaScale> ts = numerics::computeTosaScale32(
        static_cast<double>(sIn) / (static_cast<double>(count) * sOut));
    if (!ts)
      return error() << "MEAN: the int16 scales " << sIn << " and " << sOut
                     << " give no finite positive ratio";
    auto rescale = tosa::RescaleOp::create(
        b, opLoc, outType, acc, intConst({ts->multiplier}, i32),
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
  for (NamedAttribute a : quantAttrs(tensor(mean->outIdx)))
    last->setAttr(a.getName(), a.getValue());
  annotate(last);
  values[mean->outIdx] = last->getResult(0);
  return success();
}
