//===- ImportElementwise.cpp - TFLite import of ADD, SUB and MUL ------------===//
//
// Part of the TFLite importer (see Importer.h).
//
// Builds the integer pattern the exporter matches (ExportElementwise.cpp),
// with the multipliers TFLite derives from the file's scales, so
// export(import(f)) writes the same operator.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"
#include "Importer.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

tflite::ActivationFunctionType
mlir::qapeft::tfl::binaryActivation(const tflite::Operator *op) {
  if (auto *o = op->builtin_options_as_AddOptions())
    return o->fused_activation_function();
  if (auto *o = op->builtin_options_as_SubOptions())
    return o->fused_activation_function();
  if (auto *o = op->builtin_options_as_MulOptions())
    return o->fused_activation_function();
  return tflite::ActivationFunctionType::NONE;
}

std::optional<LogicalResult>
Importer::importElementwise(const tflite::Operator *op,
                            tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  if (code != B::ADD && code != B::SUB && code != B::MUL)
    return std::nullopt;
  // Float operators of an f32 island are ImportFloatIslands.cpp's.
  if (const tflite::Tensor *first =
          op->inputs() && op->inputs()->size() ? tensor(op->inputs()->Get(0))
                                               : nullptr;
      first && first->type() == tflite::TensorType::FLOAT32)
    return std::nullopt;
  StringRef name = builtinName(code);
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 2 || !outs || outs->size() != 1)
    return error() << name << " needs two inputs and one output";
  int idx[2] = {ins->Get(0), ins->Get(1)};
  int outIdx = outs->Get(0);
  auto outType = tensorType(outIdx);
  if (failed(outType))
    return failure();
  Value x[2];
  float scale[2];
  int64_t zp[2];
  for (int k = 0; k < 2; ++k) {
    auto v = value(idx[k]);
    if (failed(v))
      return failure();
    x[k] = *v;
    std::optional<TensorQuant> q = perTensorQuant(tensor(idx[k]));
    if (!q)
      return error() << name << ": only per-tensor quantized operands are "
                                "imported";
    scale[k] = q->scale;
    zp[k] = q->zeroPoint;
  }
  const tflite::Tensor *outT = tensor(outIdx);
  std::optional<TensorQuant> qo = perTensorQuant(outT);
  if (!qo)
    return error() << name << ": only a per-tensor quantized output is "
                              "imported";
  Type et = outType->getElementType();
  for (int k = 0; k < 2; ++k)
    if (cast<ShapedType>(x[k].getType()).getElementType() != et ||
        (!et.isInteger(8) && !et.isInteger(16)))
      return error() << name << ": operands and result must all be int8 or "
                                "all int16";
  int64_t rank = outType->getRank();
  for (int k = 0; k < 2; ++k)
    if (cast<ShapedType>(x[k].getType()).getRank() != rank)
      return error() << name << ": operands of different ranks are not "
                                "imported";
  bool int16 = et.isInteger(16);
  float so = qo->scale;
  int64_t outZp = qo->zeroPoint;
  ElementwiseRescales r =
      elementwiseRescales(code, scale[0], scale[1], so, int16);

  Location opLoc = tensorLoc(outIdx);
  Type i32 = b.getIntegerType(32);
  auto i32Of = [&](Value v) {
    return RankedTensorType::get(cast<ShapedType>(v.getType()).getShape(),
                                 i32);
  };
  auto rescale = [&](Value in, RankedTensorType type, int64_t m, int64_t s,
                     int64_t izp, int64_t ozp, bool doubleRound) -> Value {
    Type inET = cast<ShapedType>(in.getType()).getElementType();
    Value multV = intConst({m}, i32);
    Value shiftV = intConst({s}, b.getIntegerType(8));
    Value izpV = intConst({izp}, inET);
    Value ozpV = intConst({ozp}, type.getElementType());
    return tosa::RescaleOp::create(
        b, opLoc, type, in, multV, shiftV, izpV, ozpV, /*scale32=*/true,
        doubleRound ? tosa::RoundingMode::DOUBLE_ROUND
                    : tosa::RoundingMode::SINGLE_ROUND,
        /*per_channel=*/false, /*input_unsigned=*/false,
        /*output_unsigned=*/false);
  };
  Value scaled[2];
  for (int k = 0; k < 2; ++k) {
    // x - z exactly.
    Value v = rescale(x[k], i32Of(x[k]), int64_t(1) << 30, 30, zp[k], 0,
                      /*doubleRound=*/false);
    if (code == B::MUL) {
      scaled[k] = v;
      continue;
    }
    // << L; TFLite's SUB is ADD with input 2's multiplier negated.
    int64_t factor = int64_t(1) << r.leftShift;
    if (code == B::SUB && k == 1)
      factor = -factor;
    auto fType = RankedTensorType::get(SmallVector<int64_t>(rank, 1), i32);
    Value f = tosa::ConstOp::create(
        b, opLoc, fType,
        DenseElementsAttr::get(fType, b.getI32IntegerAttr(factor)));
    Value noShift = intConst({0}, b.getIntegerType(8));
    v = tosa::MulOp::create(b, opLoc, i32Of(x[k]), v, f, noShift);
    scaled[k] = rescale(v, i32Of(x[k]), r.inMult[k], r.inShift[k], 0, 0,
                        /*doubleRound=*/true);
  }
  auto accType = RankedTensorType::get(outType->getShape(), i32);
  Operation *arith;
  if (code == B::MUL) {
    Value shift = intConst({0}, b.getIntegerType(8));
    arith = tosa::MulOp::create(b, opLoc, accType, scaled[0], scaled[1], shift);
  } else {
    arith = tosa::AddOp::create(b, opLoc, accType, scaled[0], scaled[1]);
  }
  Value out = rescale(arith->getResult(0), *outType, r.outMult, r.outShift, 0,
                      outZp, /*doubleRound=*/true);
  out.getDefiningOp()->setAttrs(quantAttrs(outT).getDictionary(ctx));

  tflite::ActivationFunctionType act = binaryActivation(op);
  static const char *actNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6"};
  if (act != tflite::ActivationFunctionType::NONE) {
    if (act != tflite::ActivationFunctionType::RELU &&
        act != tflite::ActivationFunctionType::RELU6 &&
        act != tflite::ActivationFunctionType::RELU_N1_TO_1)
      return error() << name << ": fused activation "
                     << static_cast<int>(act) << " is not supported";
    int64_t lo = APInt::getSignedMinValue(et.getIntOrFloatBitWidth()).getSExtValue();
    int64_t hi = APInt::getSignedMaxValue(et.getIntOrFloatBitWidth()).getSExtValue();
    auto [amin, amax] =
        quantizedActivationRange(static_cast<int>(act), so, outZp, lo, hi);
    auto clamp = tosa::ClampOp::create(b, opLoc, *outType, out,
                                       b.getIntegerAttr(et, amin),
                                       b.getIntegerAttr(et, amax));
    clamp->setAttrs(quantAttrs(outT).getDictionary(ctx));
    out = clamp;
  }
  annotate(arith, actNames[static_cast<int>(act)]);
  values[outIdx] = out;
  return success();
}
