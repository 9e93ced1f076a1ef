//===- ExportActivations.cpp - TFLite export of activations, MEAN, float islands ---===//
//
// Part of the TFLite exporter (see Exporter.h).
//
//   tosa.table {qapeft.activation = "sigmoid" | "tanh"}   LOGISTIC / TANH
//   (the int16 forms: ExportInt16Activations.cpp)
//   cast i8->i32 -> reduce_sum(1) -> reduce_sum(2)
//     [-> add -H*W*zp_in] -> fp32_half_even rescale      MEAN [1, 2], keep_dims
//     (XNNPACK's arithmetic)
//   cast i8->i32 -> reduce_sum(1) -> reduce_sum(2)
//     -> DOUBLE_ROUND rescale, output_zp = bias          MEAN [1, 2], keep_dims
//     (the builtin kernel's arithmetic)
//
// TFLite's int8 LOGISTIC and TANH build their lookup table in Prepare from
// the tensors' float scales (activations.cc, PopulateLookupTable); the file
// stores only the scales. So the exporter recomputes the runtime's table
// from the scales it writes and refuses a graph whose table differs: a file
// that is written computes what the graph computes.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Numerics/ActivationTable.h"
#include "qapeft/Numerics/Requantize.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;


std::optional<LogicalResult> Exporter::exportActivation(Operation *op) {
  if (std::optional<LogicalResult> r = exportInt16Activation(op))
    return r;
  if (std::optional<LogicalResult> r = exportQuantizedSoftmax(op))
    return r;
  // f32 islands first: their float convolutions, casts and reshapes would
  // otherwise be taken for the integer forms.
  if (std::optional<LogicalResult> r = exportFloatIsland(op))
    return r;
  if (auto table = dyn_cast<tosa::TableOp>(op))
    return exportActivationTable(table);
  if (auto cast = dyn_cast<tosa::CastOp>(op))
    return exportMean(cast);
  return std::nullopt;
}

/// The integer form of an int8 MEAN over [1, 2] with keep_dims (see
/// LowerActivations.cpp): XNNPACK's global average pooling, which sums the
/// codes, adds -H*W*zp_in and requantizes in float32 by
/// (s_in / s_out) / float(H*W) with ties to even. The offset and the float
/// scale are re-derived from the scales written to the file.
std::optional<MeanSumOps> mlir::qapeft::tfl::matchMeanSum(tosa::CastOp cast,
                                                          unsigned inWidth) {
  auto inType = dyn_cast<RankedTensorType>(cast.getInput().getType());
  auto wideType = dyn_cast<RankedTensorType>(cast.getType());
  if (!inType || !wideType || inType.getRank() != 4 ||
      !inType.getElementType().isInteger(inWidth) ||
      !wideType.getElementType().isInteger(32))
    return std::nullopt;
  auto rows = soleUser<tosa::ReduceSumOp>(cast.getResult());
  if (!rows || rows.getAxis() != 1)
    return std::nullopt;
  auto cols = soleUser<tosa::ReduceSumOp>(rows.getResult());
  if (!cols || cols.getAxis() != 2)
    return std::nullopt;
  return MeanSumOps{rows, cols};
}

std::optional<LogicalResult> Exporter::exportMean(tosa::CastOp cast) {
  if (std::optional<LogicalResult> r = exportMeanInt16(cast))
    return r;
  std::optional<MeanSumOps> m = matchMeanSum(cast, 8);
  if (!m)
    return std::nullopt;
  auto [rows, cols] = *m;
  auto inType = mlir::cast<RankedTensorType>(cast.getInput().getType());
  Value acc = cols.getResult();
  if (auto rescale = soleUser<tosa::RescaleOp>(acc);
      rescale && rescale.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND)
    return exportBuiltinMean(cast, rows, cols, rescale);
  auto add = soleUser<tosa::AddOp>(acc);
  std::optional<SmallVector<int64_t>> offset;
  if (add) {
    offset = constInts(add.getInput2());
    if (add.getInput1() != acc || !offset || offset->size() != 1)
      return add.emitError("TFLite export: MEAN's offset must be a scalar "
                           "constant added to the sum");
    acc = add.getResult();
  }
  auto rescale = soleUser<tosa::RescaleOp>(acc);
  if (!rescale)
    return std::nullopt;
  Type outET = mlir::cast<ShapedType>(rescale.getType()).getElementType();
  if (!outET.isInteger(8))
    return rescale.emitError("TFLite export: MEAN writes int8, got ") << outET;
  auto rounding = rescale->getAttrOfType<StringAttr>("qapeft.rounding");
  auto fp32 = rescale->getAttrOfType<ArrayAttr>("qapeft.fp32_scale");
  if (!rounding || rounding.getValue() != "fp32_half_even" || !fp32 ||
      fp32.size() != 1 || !isa<FloatAttr>(fp32[0]))
    return rescale.emitError("TFLite export: an int8 MEAN is exported in "
                             "XNNPACK's form (fp32_half_even rescale with one "
                             "qapeft.fp32_scale) or the builtin kernel's "
                             "(DOUBLE_ROUND rescale of the code sum)");
  std::optional<QParams> qIn = qparamsOf(cast.getInput());
  std::optional<QParams> qOut = qparamsOf(rescale.getResult());
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return rescale.emitError("TFLite export: MEAN needs per-tensor "
                             "qapeft.scale on its input and output");
  auto izp = constInts(rescale.getInputZp());
  auto ozp = constInts(rescale.getOutputZp());
  if (!izp || !ozp)
    return rescale.emitError("TFLite export: rescale zero points must be "
                             "constants");
  int64_t h = inType.getDimSize(1), w = inType.getDimSize(2);
  if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w))
    return cast.emitError("TFLite export: MEAN needs a static H and W");
  const int64_t count = h * w;
  const float scale =
      (qIn->scale[0] / qOut->scale[0]) / static_cast<float>(count);
  const int64_t expectedOffset = -count * qIn->zeroPoint[0];
  float got = static_cast<float>(
      mlir::cast<FloatAttr>(fp32[0]).getValueAsDouble());
  if ((*izp)[0] != 0 || (*ozp)[0] != qOut->zeroPoint[0] || got != scale ||
      (offset ? (*offset)[0] : 0) != expectedOffset)
    return rescale.emitError("TFLite export: MEAN (offset ")
           << (offset ? (*offset)[0] : 0) << ", fp32 scale " << got
           << ", zero points " << (*izp)[0] << " and " << (*ozp)[0]
           << ") differs from what XNNPACK derives from the scales (offset "
           << expectedOffset << ", fp32 scale " << scale
           << ", zero points 0 and " << qOut->zeroPoint[0] << ")";
  for (Operation *op : {rows.getOperation(), cols.getOperation(),
                        add ? add.getOperation() : nullptr,
                        rescale.getOperation()})
    if (op)
      fused.insert(op);
  return writeMean(cast, rescale);
}

/// Writes MEAN(input of `cast`, axes [1, 2], keep_dims) -> result of
/// `rescale`.
LogicalResult Exporter::writeMean(tosa::CastOp cast, tosa::RescaleOp rescale) {
  auto in = tensorFor(cast, cast.getInput());
  if (failed(in))
    return failure();
  auto axes = intConstTensor(nameFor(rescale.getResult()) + "/axes", {1, 2});
  if (failed(axes))
    return failure();
  auto out = tensorFor(rescale, rescale.getResult());
  if (failed(out))
    return failure();
  auto opts = tflite::CreateReducerOptions(fbb, /*keep_dims=*/true);
  // op_version.cc: MEAN is version 2 for int8.
  addOperator(tflite::BuiltinOperator::MEAN, 2, {*in, *axes}, {*out},
              tflite::BuiltinOptions::ReducerOptions, opts.Union());
  return success();
}

/// The builtin kernel's form (see LowerActivations.cpp): the raw code sum
/// requantized by a DOUBLE_ROUND rescale whose multiplier, shift and
/// output_zp (the bias) must be what optimized_integer_ops::Mean derives
/// from the scales and zero points written to the file.
LogicalResult Exporter::exportBuiltinMean(tosa::CastOp cast,
                                          tosa::ReduceSumOp rows,
                                          tosa::ReduceSumOp cols,
                                          tosa::RescaleOp rescale) {
  auto inType = mlir::cast<RankedTensorType>(cast.getInput().getType());
  if (!rescale.getScale32() || rescale.getPerChannel() ||
      rescale.getInputUnsigned() || rescale.getOutputUnsigned())
    return rescale.emitError("TFLite export: the builtin int8 MEAN "
                             "requantizes with one signed 32-bit multiplier");
  // A bias outside int8: i32 rescale, + bias, identity rescale to i8.
  tosa::AddOp biasAdd;
  tosa::RescaleOp last = rescale;
  std::optional<int64_t> wideBias;
  Type outET = mlir::cast<ShapedType>(rescale.getType()).getElementType();
  if (outET.isInteger(32)) {
    biasAdd = soleUser<tosa::AddOp>(rescale.getResult());
    last = biasAdd ? soleUser<tosa::RescaleOp>(biasAdd.getResult())
                   : tosa::RescaleOp();
    auto b = biasAdd ? constInts(biasAdd.getInput2()) : std::nullopt;
    auto m = last ? constInts(last.getMultiplier()) : std::nullopt;
    auto sh = last ? constInts(last.getShift()) : std::nullopt;
    auto z1 = last ? constInts(last.getInputZp()) : std::nullopt;
    auto z2 = last ? constInts(last.getOutputZp()) : std::nullopt;
    if (!biasAdd || biasAdd.getInput1() != rescale.getResult() || !b ||
        b->size() != 1 || !last || !m || !sh || !z1 || !z2 ||
        *m != SmallVector<int64_t>{1 << 30} ||
        *sh != SmallVector<int64_t>{30} || (*z1)[0] != 0 || (*z2)[0] != 0 ||
        last.getPerChannel() || last.getInputUnsigned() ||
        last.getOutputUnsigned() ||
        last.getRoundingMode() == tosa::RoundingMode::INEXACT_ROUND)
      return rescale.emitError("TFLite export: an int32 MEAN requantization "
                               "must be followed by a constant bias add and "
                               "an identity rescale (2^30, shift 30) to int8");
    wideBias = (*b)[0];
    outET = mlir::cast<ShapedType>(last.getType()).getElementType();
  }
  if (!outET.isInteger(8))
    return rescale.emitError("TFLite export: MEAN writes int8, got ") << outET;
  std::optional<QParams> qIn = qparamsOf(cast.getInput());
  std::optional<QParams> qOut = qparamsOf(last.getResult());
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return rescale.emitError("TFLite export: MEAN needs per-tensor "
                             "qapeft.scale on its input and output");
  auto izp = constInts(rescale.getInputZp());
  auto ozp = constInts(rescale.getOutputZp());
  auto mult = constInts(rescale.getMultiplier());
  auto shift = constInts(rescale.getShift());
  if (!izp || !ozp || !mult || !shift || mult->size() != 1 ||
      shift->size() != 1)
    return rescale.emitError("TFLite export: MEAN's rescale needs constant "
                             "zero points and one constant multiplier and "
                             "shift");
  int64_t h = inType.getDimSize(1), w = inType.getDimSize(2);
  if (ShapedType::isDynamic(h) || ShapedType::isDynamic(w))
    return cast.emitError("TFLite export: MEAN needs a static H and W");
  // reduce.cc / optimized_integer_ops::Mean, in its float32 arithmetic.
  const float sIn = qIn->scale[0], sOut = qOut->scale[0];
  const float realScale = sIn / (static_cast<float>(h * w) * sOut);
  float temp =
      static_cast<float>(static_cast<int32_t>(qIn->zeroPoint[0]) * sIn / sOut);
  temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
  if (!(std::fabs(temp) < 1e9f))
    return rescale.emitError("TFLite export: MEAN's bias is out of range");
  const int64_t bias =
      qOut->zeroPoint[0] - static_cast<int64_t>(static_cast<int32_t>(temp));
  numerics::TosaScale ts = numerics::toTosaScale32(numerics::quantizeMultiplier(
      static_cast<double>(realScale), /*singleRounding=*/false));
  const int64_t gotBias = wideBias ? *wideBias + (*ozp)[0] : (*ozp)[0];
  if ((*izp)[0] != 0 || (wideBias && (*ozp)[0] != 0) || gotBias != bias ||
      (*mult)[0] != ts.multiplier || (*shift)[0] != ts.shift)
    return rescale.emitError("TFLite export: MEAN (multiplier ")
           << (*mult)[0] << ", shift " << (*shift)[0] << ", input zero point "
           << (*izp)[0] << ", bias " << gotBias
           << ") differs from what TFLite's builtin kernel derives from the "
              "scales (multiplier "
           << ts.multiplier << ", shift " << ts.shift
           << ", input zero point 0, bias " << bias << ")";
  fused.insert(rows.getOperation());
  fused.insert(cols.getOperation());
  if (biasAdd) {
    fused.insert(rescale.getOperation());
    fused.insert(biasAdd.getOperation());
  }
  fused.insert(last.getOperation());
  return writeMean(cast, last);
}

LogicalResult Exporter::exportActivationTable(tosa::TableOp op) {
  auto kind = op->getAttrOfType<StringAttr>("qapeft.activation");
  if (!kind || (kind.getValue() != "sigmoid" && kind.getValue() != "tanh"))
    return op.emitError("TFLite export: a tosa.table maps to a TFLite "
                        "operator only as LOGISTIC or TANH (attribute "
                        "qapeft.activation = \"sigmoid\" or \"tanh\")");
  bool sigmoid = kind.getValue() == "sigmoid";
  StringRef name = sigmoid ? "LOGISTIC" : "TANH";
  Type inET = cast<ShapedType>(op.getInput1().getType()).getElementType();
  Type outET = cast<ShapedType>(op.getType()).getElementType();
  if (!inET.isInteger(8) || !outET.isInteger(8))
    return op.emitError("TFLite export: unsupported quantization scheme for ")
           << name << ": " << inET << " -> " << outET
           << " (only int8 tables are exported)";
  std::optional<QParams> qIn = qparamsOf(op.getInput1());
  std::optional<QParams> qOut = qparamsOf(op.getResult());
  if (!qIn || !qOut || !qIn->perTensor() || !qOut->perTensor())
    return op.emitError("TFLite export: ")
           << name << " needs per-tensor qapeft.scale on its input and output";
  // TFLite's converter and kernels fix the output quantization.
  float fixedScale = sigmoid ? 1.0f / 256.0f : 1.0f / 128.0f;
  int64_t fixedZp = sigmoid ? -128 : 0;
  if (qOut->scale[0] != fixedScale || qOut->zeroPoint[0] != fixedZp)
    return op.emitError("TFLite export: ")
           << name << " needs output scale " << fixedScale
           << " and zero point " << fixedZp << ", got " << qOut->scale[0]
           << " and " << qOut->zeroPoint[0];
  std::optional<SmallVector<int64_t>> entries = constInts(op.getTable());
  if (!entries)
    return op.emitError("TFLite export: the table must be a tosa.const");
  SmallVector<int64_t> expected = llvm::to_vector(
      numerics::tfliteActivationTable(sigmoid, qIn->scale[0], qIn->zeroPoint[0],
                                      qOut->scale[0], qOut->zeroPoint[0]));
  if (*entries != expected) {
    size_t at = 0;
    while (at < expected.size() && at < entries->size() &&
           (*entries)[at] == expected[at])
      ++at;
    InFlightDiagnostic diag =
        op.emitError("TFLite export: the table differs from the one TFLite's ")
        << name << " computes from the scales";
    if (at < expected.size() && at < entries->size())
      diag << " (input " << static_cast<int64_t>(at) - 128 << ": table "
           << (*entries)[at] << ", runtime " << expected[at] << ")";
    return diag;
  }
  // op_version.cc: LOGISTIC and TANH are version 2 for int8.
  return addUnaryOperator(sigmoid ? tflite::BuiltinOperator::LOGISTIC
                                  : tflite::BuiltinOperator::TANH,
                          2, op, op.getInput1(), op, op.getResult());
}
