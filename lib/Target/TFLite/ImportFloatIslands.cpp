//===- ImportFloatIslands.cpp - TFLite import of f32 islands --------------===//
//
// Part of the TFLite importer (see Importer.h), mirroring
// ExportFloatIslands.cpp: each operator is read back as the TOSA the integer
// lowering writes for an f32 region, so export(import(x)) is x again.
//
//   DEQUANTIZE               cast -> sub zp -> mul s
//   QUANTIZE (f32 input)     mul 1/s -> clamp -> cast i32 -> add zp -> cast
//   SOFTMAX (beta 1)         reduce_max, sub, exp, reduce_sum, reciprocal, mul
//   CONV_2D, FULLY_CONNECTED f32 conv2d [-> clamp] (FC between reshapes)
//   DEPTHWISE_CONV_2D (f32)  f32 depthwise_conv2d [-> clamp]
//   LOGISTIC, TANH, RELU*,   tosa.sigmoid, tosa.tanh, f32 clamp,
//   AVERAGE_POOL_2D (f32)    f32 avg_pool2d
//
//   ADD, SUB, MUL (f32)      tosa.add, tosa.sub, tosa.mul (shift 0)
//
// MAX_POOL_2D and RESHAPE are type-generic in the driver.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

/// A constant [1, ..., 1] of `rank` holding `value` (the lowering's
/// broadcastConst).
static Value splatConst(OpBuilder &b, Location loc, int64_t rank, Type et,
                        Attribute value) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1), et);
  return tosa::ConstOp::create(b, loc, type,
                               DenseElementsAttr::get(type, value));
}

std::optional<LogicalResult>
Importer::importFloatIsland(const tflite::Operator *op,
                            tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() == 0 || !outs || outs->size() != 1)
    return std::nullopt;
  const tflite::Tensor *inT = tensor(ins->Get(0));
  const tflite::Tensor *outT = tensor(outs->Get(0));
  if (!inT || !outT)
    return std::nullopt;
  bool floatIn = inT->type() == tflite::TensorType::FLOAT32;
  bool floatOut = outT->type() == tflite::TensorType::FLOAT32;
  if (code == B::DEQUANTIZE || (code == B::QUANTIZE && floatIn))
    return importQuantizeBoundary(op, code == B::QUANTIZE);
  if (!floatIn || !floatOut)
    return std::nullopt;
  switch (code) {
  case B::CONV_2D:
  case B::DEPTHWISE_CONV_2D:
  case B::FULLY_CONNECTED:
    return importFloatConv(op, code);
  case B::ADD:
  case B::SUB:
  case B::MUL:
    return importFloatBinary(op, code);
  case B::SOFTMAX:
  case B::LOGISTIC:
  case B::TANH:
  case B::RELU:
  case B::RELU6:
  case B::RELU_N1_TO_1:
  case B::AVERAGE_POOL_2D:
    break;
  default:
    return std::nullopt;
  }
  int outIdx = outs->Get(0);
  auto in = value(ins->Get(0));
  auto outType = tensorType(outIdx);
  if (failed(in) || failed(outType))
    return failure();
  Location opLoc = tensorLoc(outIdx);
  Operation *result;
  Type f32 = b.getF32Type();
  auto zType = RankedTensorType::get({1}, f32);
  if (code == B::AVERAGE_POOL_2D) {
    // The integer pools go through the driver; the float one has f32 zero
    // points and accumulates in f32.
    auto *o = op->builtin_options_as_Pool2DOptions();
    if (!o)
      return error() << "AVERAGE_POOL_2D without Pool2DOptions";
    SmallVector<int64_t> pad =
        poolPadding(o, cast<RankedTensorType>(in->getType()));
    Value izp = tosa::ConstOp::create(
        b, loc, zType, DenseElementsAttr::get(zType, b.getF32FloatAttr(0)));
    Value ozp = tosa::ConstOp::create(
        b, loc, zType, DenseElementsAttr::get(zType, b.getF32FloatAttr(0)));
    result = tosa::AvgPool2dOp::create(
        b, opLoc, *outType, *in, izp, ozp,
        SmallVector<int64_t>{o->filter_height(), o->filter_width()},
        SmallVector<int64_t>{o->stride_h(), o->stride_w()}, pad, f32);
  } else if (code == B::RELU || code == B::RELU6 ||
             code == B::RELU_N1_TO_1) {
    float lo = code == B::RELU_N1_TO_1 ? -1.0f : 0.0f;
    float hi = code == B::RELU    ? std::numeric_limits<float>::max()
               : code == B::RELU6 ? 6.0f
                                  : 1.0f;
    result = tosa::ClampOp::create(b, opLoc, *outType, *in,
                                   b.getF32FloatAttr(lo),
                                   b.getF32FloatAttr(hi));
  } else if (code == B::LOGISTIC) {
    result = tosa::SigmoidOp::create(b, opLoc, *outType, *in);
  } else if (code == B::TANH) {
    result = tosa::TanhOp::create(b, opLoc, *outType, *in);
  } else {
    auto *o = op->builtin_options_as_SoftmaxOptions();
    if (o && o->beta() != 1.0f)
      return error() << "SOFTMAX: only beta = 1 is imported";
    int64_t rank = outType->getRank();
    SmallVector<int64_t> reduced(outType->getShape());
    reduced.back() = 1;
    auto redType = RankedTensorType::get(reduced, b.getF32Type());
    auto axis = b.getI32IntegerAttr(rank - 1);
    Value mx = tosa::ReduceMaxOp::create(b, opLoc, redType, *in, axis);
    Value d = tosa::SubOp::create(b, opLoc, *outType, *in, mx);
    Value e = tosa::ExpOp::create(b, opLoc, *outType, d);
    Value s = tosa::ReduceSumOp::create(b, opLoc, redType, e, axis);
    Value r = tosa::ReciprocalOp::create(b, opLoc, redType, s);
    Value shift = intConst({0}, b.getIntegerType(8));
    result = tosa::MulOp::create(b, opLoc, *outType, e, r, shift);
  }
  annotate(result);
  values[outIdx] = result->getResult(0);
  return success();
}

LogicalResult Importer::importFloatBinary(const tflite::Operator *op,
                                          tflite::BuiltinOperator code) {
  using B = tflite::BuiltinOperator;
  auto *ins = op->inputs();
  if (ins->size() != 2)
    return error() << builtinName(code) << " needs two inputs";
  int outIdx = op->outputs()->Get(0);
  auto lhs = value(ins->Get(0));
  auto rhs = value(ins->Get(1));
  auto outType = tensorType(outIdx);
  if (failed(lhs) || failed(rhs) || failed(outType))
    return failure();
  // The exporter writes island arithmetic without a fused activation (a
  // following clamp is its own RELU operator).
  tflite::ActivationFunctionType act = binaryActivation(op);
  if (act != tflite::ActivationFunctionType::NONE)
    return error() << "float " << builtinName(code)
                   << " with a fused activation is not imported";
  Location opLoc = tensorLoc(outIdx);
  Operation *result;
  if (code == B::ADD)
    result = tosa::AddOp::create(b, opLoc, *outType, *lhs, *rhs);
  else if (code == B::SUB)
    result = tosa::SubOp::create(b, opLoc, *outType, *lhs, *rhs);
  else
    result = tosa::MulOp::create(b, opLoc, *outType, *lhs, *rhs,
                                 intConst({0}, b.getIntegerType(8)));
  annotate(result);
  values[outIdx] = result->getResult(0);
  return success();
}

LogicalResult Importer::importQuantizeBoundary(const tflite::Operator *op,
                                               bool quantize) {
  StringRef name = quantize ? "QUANTIZE" : "DEQUANTIZE";
  auto *ins = op->inputs();
  if (ins->size() != 1)
    return error() << name << " needs one input";
  int inIdx = ins->Get(0), outIdx = op->outputs()->Get(0);
  const tflite::Tensor *qT = tensor(quantize ? outIdx : inIdx);
  const tflite::QuantizationParameters *q = qT->quantization();
  if (!q || !q->scale() || q->scale()->size() != 1)
    return error() << name << ": only per-tensor quantization is imported";
  float scale = q->scale()->Get(0);
  int64_t zp =
      q->zero_point() && q->zero_point()->size() ? q->zero_point()->Get(0) : 0;
  auto in = value(inIdx);
  auto outType = tensorType(outIdx);
  if (failed(in) || failed(outType))
    return failure();
  Location opLoc = tensorLoc(outIdx);
  int64_t rank = outType->getRank();
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  auto fType = RankedTensorType::get(outType->getShape(), f32);
  if (!quantize) {
    Type et = cast<ShapedType>(in->getType()).getElementType();
    if (!et.isInteger(8) && !et.isInteger(16))
      return error() << "DEQUANTIZE: only int8 and int16 inputs are imported";
    Value f = tosa::CastOp::create(b, opLoc, fType, *in);
    Value zpV = splatConst(b, loc, rank, f32,
                           b.getF32FloatAttr(static_cast<float>(zp)));
    Value centered = tosa::SubOp::create(b, opLoc, fType, f, zpV);
    Value scaleV = splatConst(b, loc, rank, f32, b.getF32FloatAttr(scale));
    Value shift = intConst({0}, b.getIntegerType(8));
    auto mul = tosa::MulOp::create(b, opLoc, fType, centered, scaleV, shift);
    annotate(mul);
    values[outIdx] = mul.getResult();
    return success();
  }
  Type et = outType->getElementType();
  if (!et.isInteger(8) && !et.isInteger(16))
    return error() << "QUANTIZE: f32 is imported only to int8 and int16";
  int64_t lo = APInt::getSignedMinValue(et.getIntOrFloatBitWidth()).getSExtValue();
  int64_t hi = APInt::getSignedMaxValue(et.getIntOrFloatBitWidth()).getSExtValue();
  Value inv = splatConst(b, loc, rank, f32, b.getF32FloatAttr(1.0f / scale));
  Value shift = intConst({0}, b.getIntegerType(8));
  Value scaled = tosa::MulOp::create(b, opLoc, fType, *in, inv, shift);
  Value bounded = tosa::ClampOp::create(
      b, opLoc, fType, scaled, b.getF32FloatAttr(static_cast<float>(lo - zp)),
      b.getF32FloatAttr(static_cast<float>(hi - zp)));
  auto iType = RankedTensorType::get(outType->getShape(), i32);
  Value codes = tosa::CastOp::create(b, opLoc, iType, bounded);
  Value zpV = splatConst(b, loc, rank, i32, b.getI32IntegerAttr(zp));
  Value shifted = tosa::AddOp::create(b, opLoc, iType, codes, zpV);
  auto out = tosa::CastOp::create(b, opLoc, *outType, shifted);
  for (NamedAttribute a : quantAttrs(tensor(outIdx)))
    out->setAttr(a.getName(), a.getValue());
  annotate(out);
  values[outIdx] = out.getResult();
  return success();
}

LogicalResult Importer::importFloatConv(const tflite::Operator *op,
                                        tflite::BuiltinOperator code) {
  auto *ins = op->inputs();
  if (ins->size() != 3)
    return error() << builtinName(code)
                   << " needs input, weight, bias and one output";
  int inIdx = ins->Get(0), wIdx = ins->Get(1), bIdx = ins->Get(2),
      outIdx = op->outputs()->Get(0);
  auto input = value(inIdx);
  auto inType = tensorType(inIdx);
  auto wType = tensorType(wIdx);
  auto outType = tensorType(outIdx);
  if (failed(input) || failed(inType) || failed(wType) || failed(outType))
    return failure();
  bool isFc = code == tflite::BuiltinOperator::FULLY_CONNECTED;
  bool isDw = code == tflite::BuiltinOperator::DEPTHWISE_CONV_2D;
  auto wShape = wType->getShape();
  if (wType->getRank() != (isFc ? 2 : 4) ||
      (!isFc && (inType->getRank() != 4 || outType->getRank() != 4)) ||
      (isFc && inType->getNumElements() % wShape[1] != 0))
    return error() << builtinName(code) << ": unexpected tensor shapes "
                   << "(weight " << *wType << ", input " << *inType << ")";
  Location opLoc = tensorLoc(outIdx);
  Type f32 = b.getF32Type();
  using A = tflite::ActivationFunctionType;
  A act = A::NONE;
  Value x = *input;
  SmallVector<int64_t> accShape;
  FailureOr<Value> w = failure(), bias = failure();
  SmallVector<int64_t> pad = {0, 0, 0, 0}, stride = {1, 1}, dilation = {1, 1};
  if (isFc) {
    if (auto *o = op->builtin_options_as_FullyConnectedOptions())
      act = o->fused_activation_function();
    int64_t m = wShape[0], k = wShape[1];
    int64_t n = inType->getNumElements() / k;
    SmallVector<int64_t> in4 = {n, 1, 1, k};
    x = tosa::ReshapeOp::create(b, opLoc, RankedTensorType::get(in4, f32), x,
                                shapeConst(in4));
    w = value(wIdx, false, {m, 1, 1, k});
    accShape = {n, 1, 1, m};
  } else if (isDw) {
    auto *o = op->builtin_options_as_DepthwiseConv2DOptions();
    if (!o)
      return error() << "DEPTHWISE_CONV_2D without DepthwiseConv2DOptions";
    act = o->fused_activation_function();
    int64_t c = inType->getDimSize(3);
    if (c <= 0 || wShape[3] % c != 0)
      return error() << "DEPTHWISE_CONV_2D: " << wShape[3]
                     << " output channels for " << c << " input channels";
    if (o->padding() == tflite::Padding::SAME)
      pad = samePadding(inType->getDimSize(1), inType->getDimSize(2),
                        wShape[1], wShape[2], o->stride_h(), o->stride_w(),
                        o->dilation_h_factor(), o->dilation_w_factor());
    stride = {o->stride_h(), o->stride_w()};
    dilation = {o->dilation_h_factor(), o->dilation_w_factor()};
    // TFLite's [1, KH, KW, C*M] is TOSA's [KH, KW, C, M], same bytes.
    w = value(wIdx, false, {wShape[1], wShape[2], c, wShape[3] / c});
    accShape.assign(outType->getShape().begin(), outType->getShape().end());
  } else {
    auto *o = op->builtin_options_as_Conv2DOptions();
    if (!o)
      return error() << "CONV_2D without Conv2DOptions";
    act = o->fused_activation_function();
    if (o->padding() == tflite::Padding::SAME)
      pad = samePadding(inType->getDimSize(1), inType->getDimSize(2),
                        wShape[1], wShape[2], o->stride_h(), o->stride_w(),
                        o->dilation_h_factor(), o->dilation_w_factor());
    stride = {o->stride_h(), o->stride_w()};
    dilation = {o->dilation_h_factor(), o->dilation_w_factor()};
    w = value(wIdx);
    accShape.assign(outType->getShape().begin(), outType->getShape().end());
  }
  bias = value(bIdx);
  if (failed(w) || failed(bias))
    return failure();
  auto zType = RankedTensorType::get({1}, f32);
  Value zp = tosa::ConstOp::create(
      b, loc, zType, DenseElementsAttr::get(zType, b.getF32FloatAttr(0.0f)));
  auto accType = RankedTensorType::get(accShape, f32);
  Operation *conv;
  if (isDw)
    conv = tosa::DepthwiseConv2DOp::create(b, opLoc, accType, x, *w, *bias,
                                           zp, zp, pad, stride, dilation, f32);
  else
    conv = tosa::Conv2DOp::create(b, opLoc, accType, x, *w, *bias, zp, zp,
                                  pad, stride, dilation, f32);
  Value out = conv->getResult(0);
  static const char *actNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6"};
  if (act != A::NONE) {
    float lo = act == A::RELU_N1_TO_1 ? -1.0f : 0.0f;
    float hi = act == A::RELU    ? std::numeric_limits<float>::max()
               : act == A::RELU6 ? 6.0f
                                 : 1.0f;
    if (act != A::RELU && act != A::RELU6 && act != A::RELU_N1_TO_1)
      return error() << builtinName(code) << ": fused activation "
                     << static_cast<int>(act) << " is not supported";
    out = tosa::ClampOp::create(b, opLoc, accType, out, b.getF32FloatAttr(lo),
                                b.getF32FloatAttr(hi));
  }
  if (isFc)
    out = tosa::ReshapeOp::create(b, opLoc, *outType, out,
                                  shapeConst(outType->getShape()));
  annotate(conv, actNames[static_cast<int>(act)]);
  values[outIdx] = out;
  return success();
}
