//===- ExportMeanInt16.cpp - TFLite export of the int16 MEAN --------------===//
//
// Part of the TFLite exporter (see Exporter.h). The two integer forms of
// TFLite's int16 MEAN over [1, 2] with keep_dims (lib/Conversion/
// LowerMeanInt16.cpp has the kernel's arithmetic and how it was probed):
//
//   cast i16->i32 -> reduce_sum(1) -> reduce_sum(2)
//     -> intdiv by H*W -> cast i32->i16                  s_in == s_out
//     -> rescale {qapeft.rounding = "fp32_mean_half_away",
//                 qapeft.fp32_divisor = H*W,
//                 qapeft.fp32_scale = [s_in / s_out]}     s_in != s_out
//
// both written as MEAN version 3 (op_version.cc: int16 input; the runtime
// registers versions 1 to 3). The file holds only the scales, and the
// runtime picks its branch by comparing them, so the exporter re-derives
// the branch, the divisor and the float32 scale from the scales it writes
// and refuses a graph that differs: a written file computes what the graph
// computes.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Numerics/MeanInt16.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

std::optional<LogicalResult> Exporter::exportMeanInt16(tosa::CastOp cast) {
  std::optional<MeanSumOps> m = matchMeanSum(cast, 16);
  if (!m)
    return std::nullopt;
  auto [rows, cols] = *m;
  auto inType = mlir::cast<RankedTensorType>(cast.getInput().getType());
  Value sum = cols.getResult();
  int64_t h = inType.getDimSize(1), w = inType.getDimSize(2);
  if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w))
    return cast.emitError("TFLite export: MEAN needs a static H and W");
  const int64_t count = h * w;

  // The two forms; `last` yields the int16 mean.
  Operation *last = nullptr;
  SmallVector<Operation *> ops = {rows, cols};
  bool exactForm = false;
  if (auto div = soleUser<tosa::IntDivOp>(sum)) {
    auto d = constInts(div.getInput2());
    auto narrow = soleUser<tosa::CastOp>(div.getResult());
    if (div.getInput1() != sum || !d || d->size() != 1 || !narrow ||
        !mlir::cast<ShapedType>(narrow.getType())
             .getElementType()
             .isInteger(16))
      return div.emitError("TFLite export: an int16 MEAN divides the code "
                           "sum by one constant and casts the quotient to "
                           "int16");
    if ((*d)[0] != count)
      return div.emitError("TFLite export: an int16 MEAN over ")
             << h << " x " << w << " divides by " << count << ", not "
             << (*d)[0];
    ops.append({div, narrow});
    last = narrow;
    exactForm = true;
  } else if (auto rescale = soleUser<tosa::RescaleOp>(sum)) {
    auto rounding = rescale->getAttrOfType<StringAttr>("qapeft.rounding");
    if (!rounding || rounding.getValue() != "fp32_mean_half_away")
      return rescale.emitError("TFLite export: an int16 MEAN is exported as "
                               "TFLite's kernel computes it (a tosa.intdiv of "
                               "the code sum, or an fp32_mean_half_away "
                               "rescale)");
    ops.push_back(rescale);
    last = rescale;
  } else {
    return std::nullopt;
  }

  Value out = last->getResult(0);
  std::optional<QParams> qIn = qparamsOf(cast.getInput());
  std::optional<QParams> qOut = qparamsOf(out);
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return last->emitError("TFLite export: MEAN needs per-tensor "
                           "qapeft.scale on its input and output");
  if (qIn->zeroPoint[0] != 0 || qOut->zeroPoint[0] != 0)
    return last->emitError("TFLite export: TFLite's int16 MEAN needs zero "
                           "point 0 on its input and output, got ")
           << qIn->zeroPoint[0] << " and " << qOut->zeroPoint[0];
  const float sIn = qIn->scale[0], sOut = qOut->scale[0];
  const bool exact = numerics::tfliteMeanInt16IsExact(sIn, sOut);
  if (exactForm && !exact)
    return last->emitError("TFLite export: an int16 MEAN with input scale ")
           << sIn << " and output scale " << sOut
           << " runs TFLite's float32 path, not the integer division";
  if (!exactForm) {
    auto rescale = mlir::cast<tosa::RescaleOp>(last);
    if (exact)
      return rescale.emitError("TFLite export: an int16 MEAN with equal "
                               "scales runs TFLite's integer division, not "
                               "the float32 path");
    auto divisor = rescale->getAttrOfType<IntegerAttr>("qapeft.fp32_divisor");
    auto fp32 = rescale->getAttrOfType<ArrayAttr>("qapeft.fp32_scale");
    auto izp = constInts(rescale.getInputZp());
    auto ozp = constInts(rescale.getOutputZp());
    if (!divisor || !fp32 || fp32.size() != 1 || !isa<FloatAttr>(fp32[0]) ||
        !izp || !ozp || rescale.getPerChannel() || rescale.getInputUnsigned() ||
        rescale.getOutputUnsigned() ||
        !mlir::cast<ShapedType>(rescale.getType())
             .getElementType()
             .isInteger(16))
      return rescale.emitError("TFLite export: an int16 MEAN rescale needs "
                               "qapeft.fp32_divisor, one qapeft.fp32_scale, "
                               "constant zero points and signed per-tensor "
                               "int16 output");
    const float expected = numerics::tfliteMeanInt16Scale(sIn, sOut);
    const float got =
        static_cast<float>(mlir::cast<FloatAttr>(fp32[0]).getValueAsDouble());
    if (divisor.getInt() != count || got != expected || (*izp)[0] != 0 ||
        (*ozp)[0] != 0)
      return rescale.emitError("TFLite export: int16 MEAN (divisor ")
             << divisor.getInt() << ", fp32 scale " << got << ", zero points "
             << (*izp)[0] << " and " << (*ozp)[0]
             << ") differs from what TFLite's kernel derives from the "
                "scales (divisor "
             << count << ", fp32 scale " << expected
             << ", zero points 0 and 0)";
  }

  auto inT = tensorFor(cast, cast.getInput());
  if (failed(inT))
    return failure();
  auto axes = intConstTensor(nameFor(out) + "/axes", {1, 2});
  if (failed(axes))
    return failure();
  auto outT = tensorFor(last, out);
  if (failed(outT))
    return failure();
  for (Operation *op : ops)
    fused.insert(op);
  auto opts = tflite::CreateReducerOptions(fbb, /*keep_dims=*/true);
  // op_version.cc: MEAN is version 3 for int16.
  addOperator(tflite::BuiltinOperator::MEAN, 3, {*inT, *axes}, {*outT},
              tflite::BuiltinOptions::ReducerOptions, opts.Union());
  return success();
}
