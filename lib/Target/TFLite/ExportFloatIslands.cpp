//===- ExportFloatIslands.cpp - TFLite export of f32 precision islands ----===//
//
// Part of the TFLite exporter (see Exporter.h). An f32 region of the integer
// graph (LowerRegions.cpp) is dequantize -> float ops -> quantize in TOSA,
// spelled as FunctionLowering::emitDequantize / emitQuantize write it:
//
//   cast i8->f32 -> sub zp -> mul s                         DEQUANTIZE
//   mul 1/s -> clamp [qmin-zp, qmax-zp] -> cast f32->i32
//     -> add zp -> cast i32->i8                             QUANTIZE (f32 in)
//   reduce_max(last) -> sub -> exp -> reduce_sum(last)
//     -> reciprocal -> mul                                  SOFTMAX (beta 1)
//   f32 conv2d / depthwise_conv2d [-> clamp]                CONV_2D /
//     (reshape [N,1,1,K] -> 1x1 conv2d -> reshape [N,M]:     DEPTHWISE_CONV_2D /
//     FULLY_CONNECTED)                                       FULLY_CONNECTED
//   f32 add, sub, mul, sigmoid, tanh, clamp, pools          ADD, SUB, MUL,
//                                                           LOGISTIC, TANH,
//                                                           RELU*, pools
//
// DEQUANTIZE computes (q - zp) * s in float32, which is what the graph
// computes. TFLite stores only the scale, so the exporter checks that the
// constants of both boundaries are the ones the runtime derives from the
// scales it writes, and refuses the graph otherwise.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

static bool isF32(Value v) {
  auto t = dyn_cast<ShapedType>(v.getType());
  return t && t.getElementType().isF32();
}

/// A float constant with a single (possibly broadcast) value.
static std::optional<float> splatFloat(Value v) {
  auto vals = constFloats(v);
  if (!vals || vals->empty() ||
      llvm::any_of(*vals, [&](float x) { return x != vals->front(); }))
    return std::nullopt;
  return vals->front();
}

static bool zeroShift(Value shift) {
  auto s = constInts(shift);
  return s && s->size() == 1 && (*s)[0] == 0;
}

/// The fused activation a float clamp [lo, hi] is, if any.
static std::optional<tflite::ActivationFunctionType>
floatActivation(tosa::ClampOp clamp) {
  auto lo = dyn_cast<FloatAttr>(clamp.getMinVal());
  auto hi = dyn_cast<FloatAttr>(clamp.getMaxVal());
  if (!lo || !hi)
    return std::nullopt;
  double l = lo.getValueAsDouble(), h = hi.getValueAsDouble();
  using A = tflite::ActivationFunctionType;
  if (l == 0.0 && (h >= std::numeric_limits<float>::max()))
    return A::RELU;
  if (l == 0.0 && h == 6.0)
    return A::RELU6;
  if (l == -1.0 && h == 1.0)
    return A::RELU_N1_TO_1;
  return std::nullopt;
}

std::optional<LogicalResult> Exporter::exportFloatIsland(Operation *op) {
  if (auto cast = dyn_cast<tosa::CastOp>(op))
    return exportDequantize(cast);
  if (op->getNumResults() != 1 || !isF32(op->getResult(0)))
    return std::nullopt;
  if (auto mul = dyn_cast<tosa::MulOp>(op))
    if (std::optional<LogicalResult> r = exportQuantize(mul))
      return r;
  if (auto max = dyn_cast<tosa::ReduceMaxOp>(op))
    return exportSoftmax(max);
  if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
    return exportFloatConv(op);
  if (auto r = dyn_cast<tosa::ReshapeOp>(op)) {
    // The reshape to [N, 1, 1, K] feeding a float FULLY_CONNECTED is part
    // of that operator (it flattens its input itself).
    if (r.getResult().hasOneUse())
      if (auto conv = dyn_cast<tosa::Conv2DOp>(*r->getUsers().begin()))
        if (floatFcAfter(conv))
          return success();
    return std::nullopt; // exportReshape writes any element type
  }
  return exportFloatOp(op);
}

std::optional<LogicalResult> Exporter::exportDequantize(tosa::CastOp cast) {
  Type inET = cast.getInput().getType().getElementType();
  if (!isF32(cast.getResult()) || (!inET.isInteger(8) && !inET.isInteger(16)))
    return std::nullopt;
  auto sub = soleUser<tosa::SubOp>(cast.getResult());
  auto mul = sub ? soleUser<tosa::MulOp>(sub.getResult()) : tosa::MulOp();
  if (!sub || !mul || sub.getInput1() != cast.getResult() ||
      mul.getInput1() != sub.getResult())
    return cast.emitError("TFLite export: an integer to f32 cast is exported "
                          "only as DEQUANTIZE: cast, sub zero point, mul "
                          "scale (the f32 region entry)");
  std::optional<float> zp = splatFloat(sub.getInput2());
  std::optional<float> scale = splatFloat(mul.getInput2());
  std::optional<QParams> q = qparamsOf(cast.getInput());
  if (!zp || !scale || !zeroShift(mul.getShift()))
    return mul.emitError("TFLite export: DEQUANTIZE's zero point and scale "
                         "must be single-valued f32 constants (shift 0)");
  if (!q || !q->perTensor())
    return cast.emitError("TFLite export: DEQUANTIZE needs a per-tensor "
                          "qapeft.scale on its input");
  if (*zp != static_cast<float>(q->zeroPoint[0]) || *scale != q->scale[0])
    return mul.emitError("TFLite export: DEQUANTIZE by zero point ")
           << *zp << " and scale " << *scale
           << " differs from the input's quantization (zero point "
           << q->zeroPoint[0] << ", scale " << q->scale[0] << ")";
  fused.insert(sub);
  fused.insert(mul);
  // op_version.cc: DEQUANTIZE is version 2 for int8, 3 for int16.
  auto opts = tflite::CreateDequantizeOptions(fbb);
  return addUnaryOperator(
      tflite::BuiltinOperator::DEQUANTIZE, inET.isInteger(8) ? 2 : 3, cast,
      cast.getInput(), mul, mul.getResult(),
      tflite::BuiltinOptions::DequantizeOptions, opts.Union());
}

std::optional<LogicalResult> Exporter::exportQuantize(tosa::MulOp mul) {
  auto clamp = soleUser<tosa::ClampOp>(mul.getResult());
  auto toI32 = clamp ? soleUser<tosa::CastOp>(clamp.getResult())
                     : tosa::CastOp();
  auto addZp = toI32 ? soleUser<tosa::AddOp>(toI32.getResult())
                     : tosa::AddOp();
  auto toInt = addZp ? soleUser<tosa::CastOp>(addZp.getResult())
                     : tosa::CastOp();
  if (!toInt || !toI32.getType().getElementType().isInteger(32) ||
      addZp.getInput1() != toI32.getResult())
    return std::nullopt;
  Type outET = toInt.getType().getElementType();
  if (!outET.isInteger(8) && !outET.isInteger(16))
    return toInt.emitError("TFLite export: QUANTIZE from f32 writes int8 or "
                           "int16, got ")
           << outET;
  std::optional<QParams> q = qparamsOf(toInt.getResult());
  if (!q || !q->perTensor())
    return toInt.emitError("TFLite export: QUANTIZE needs a per-tensor "
                           "qapeft.scale on its output");
  std::optional<float> inv = splatFloat(mul.getInput2());
  auto zp = constInts(addZp.getInput2());
  auto lo = dyn_cast<FloatAttr>(clamp.getMinVal());
  auto hi = dyn_cast<FloatAttr>(clamp.getMaxVal());
  if (!inv || !zeroShift(mul.getShift()) || !zp || zp->empty() ||
      llvm::any_of(*zp, [&](int64_t z) { return z != zp->front(); }) || !lo ||
      !hi)
    return mul.emitError("TFLite export: QUANTIZE's inverse scale, bounds "
                         "and zero point must be constants");
  // XNNPACK's f32 -> int8 conversion multiplies by float(1 / s), clamps
  // relative to the zero point, rounds to nearest even and adds the zero
  // point: exactly these ops, with the constants derived from the scale.
  const float expectedInv = 1.0f / q->scale[0];
  const int64_t z = q->zeroPoint[0];
  if (*inv != expectedInv || zp->front() != z ||
      lo.getValueAsDouble() != static_cast<double>(qmin(outET) - z) ||
      hi.getValueAsDouble() != static_cast<double>(qmax(outET) - z))
    return mul.emitError("TFLite export: QUANTIZE by ")
           << *inv << ", zero point " << zp->front() << ", bounds ["
           << static_cast<int64_t>(lo.getValueAsDouble()) << ", "
           << static_cast<int64_t>(hi.getValueAsDouble())
           << "] differs from what the runtime derives from the output "
              "quantization (1/s = "
           << expectedInv << ", zero point " << z << ", bounds ["
           << qmin(outET) - z << ", " << qmax(outET) - z << "])";
  for (Operation *op : {clamp.getOperation(), toI32.getOperation(),
                        addZp.getOperation(), toInt.getOperation()})
    fused.insert(op);
  // op_version.cc: QUANTIZE is version 1, 2 for an int16 output.
  auto opts = tflite::CreateQuantizeOptions(fbb);
  return addUnaryOperator(
      tflite::BuiltinOperator::QUANTIZE, outET.isInteger(16) ? 2 : 1, mul,
      mul.getInput1(), toInt, toInt.getResult(),
      tflite::BuiltinOptions::QuantizeOptions, opts.Union());
}

std::optional<LogicalResult> Exporter::exportSoftmax(tosa::ReduceMaxOp max) {
  Value x = max.getInput();
  auto fail = [&]() {
    return max.emitError("TFLite export: an f32 reduce_max is exported only "
                         "as SOFTMAX over the last axis: reduce_max, sub, "
                         "exp, reduce_sum, reciprocal, mul");
  };
  std::optional<SoftmaxChain> chain = matchSoftmax(max);
  if (!chain)
    return fail();
  auto [sub, exp, sum, recip, mul] = *chain;
  for (Operation *op : {sub.getOperation(), exp.getOperation(),
                        sum.getOperation(), recip.getOperation(),
                        mul.getOperation()})
    fused.insert(op);
  auto opts = tflite::CreateSoftmaxOptions(fbb, /*beta=*/1.0f);
  // op_version.cc: SOFTMAX is version 1 for float32.
  return addUnaryOperator(tflite::BuiltinOperator::SOFTMAX, 1, max, x, mul,
                          mul.getResult(),
                          tflite::BuiltinOptions::SoftmaxOptions, opts.Union());
}

/// For a float 1x1 conv2d on the result of a reshape to [N, 1, 1, K]: the
/// reshape to [N, M] that ends the FULLY_CONNECTED (after an optional
/// activation clamp), else null.
tosa::ReshapeOp Exporter::floatFcAfter(tosa::Conv2DOp conv) {
  auto before = conv.getInput().getDefiningOp<tosa::ReshapeOp>();
  auto inType = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto wType = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  if (!before || !isF32(conv.getResult()) || !inType || !wType ||
      inType.getRank() != 4 || inType.getDimSize(1) != 1 ||
      inType.getDimSize(2) != 1 || wType.getDimSize(1) != 1 ||
      wType.getDimSize(2) != 1)
    return nullptr;
  Value v = conv.getResult();
  if (auto c = soleUser<tosa::ClampOp>(v); c && floatActivation(c))
    v = c.getResult();
  auto after = soleUser<tosa::ReshapeOp>(v);
  auto t = after ? dyn_cast<RankedTensorType>(after.getType())
                 : RankedTensorType();
  if (!t || t.getRank() != 2 || t.getDimSize(1) != wType.getDimSize(0))
    return nullptr;
  return after;
}

LogicalResult Exporter::exportFloatConv(Operation *convOp) {
  auto conv = dyn_cast<tosa::Conv2DOp>(convOp);
  auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(convOp);
  Value input = convOp->getOperand(0), weight = convOp->getOperand(1),
        bias = convOp->getOperand(2);
  if (!isF32(input) || !isF32(weight) || !isF32(bias))
    return convOp->emitError("TFLite export: a float convolution needs f32 "
                             "input, weight and bias (TFLite's float "
                             "kernels)");
  for (Value zp : {convOp->getOperand(3), convOp->getOperand(4)}) {
    std::optional<float> z = splatFloat(zp);
    if (!z || *z != 0.0f)
      return convOp->emitError("TFLite export: a float convolution's zero "
                               "points must be 0");
  }
  // The fused activation and, for a FULLY_CONNECTED, the closing reshape.
  tosa::ReshapeOp after = conv ? floatFcAfter(conv) : tosa::ReshapeOp();
  Value out = convOp->getResult(0);
  Operation *last = convOp;
  using A = tflite::ActivationFunctionType;
  A act = A::NONE;
  if (auto c = soleUser<tosa::ClampOp>(out)) {
    if (std::optional<A> a = floatActivation(c)) {
      act = *a;
      fused.insert(c);
      out = c.getResult();
      last = c;
    }
  }
  if (after) {
    fused.insert(after);
    out = after.getResult();
    last = after;
    input = conv.getInput().getDefiningOp<tosa::ReshapeOp>().getInput1();
  }
  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t channels = dw ? wShape[2] * wShape[3] : wShape[0];
  ArrayRef<int64_t> pad = conv ? conv.getPad() : dw.getPad();
  ArrayRef<int64_t> stride = conv ? conv.getStride() : dw.getStride();
  ArrayRef<int64_t> dilation = conv ? conv.getDilation() : dw.getDilation();
  tflite::Padding pd = tflite::Padding::VALID;
  if (!after) {
    auto inShape = cast<RankedTensorType>(input.getType()).getShape();
    auto outShape = cast<RankedTensorType>(convOp->getResult(0).getType())
                        .getShape();
    int64_t kH = dw ? wShape[0] : wShape[1], kW = dw ? wShape[1] : wShape[2];
    auto p = padding(convOp, pad, inShape[1], inShape[2], kH, kW, stride,
                     dilation, outShape[1], outShape[2]);
    if (failed(p))
      return failure();
    pd = *p;
  }
  auto inT = tensorFor(convOp, input);
  if (failed(inT))
    return failure();
  SmallVector<int32_t> wTfShape;
  if (after)
    wTfShape = {static_cast<int32_t>(wShape[0]),
                static_cast<int32_t>(wShape[3])};
  else if (dw)
    // TOSA [KH, KW, C, M] and TFLite [1, KH, KW, C*M] have the same bytes.
    wTfShape = {1, static_cast<int32_t>(wShape[0]),
                static_cast<int32_t>(wShape[1]),
                static_cast<int32_t>(channels)};
  else
    wTfShape.assign(wShape.begin(), wShape.end());
  auto wT = constTensor(convOp, weight, wTfShape);
  if (failed(wT))
    return failure();
  auto bT = constTensor(convOp, bias, {static_cast<int32_t>(channels)});
  if (failed(bT))
    return failure();
  auto outT = tensorFor(last, out);
  if (failed(outT))
    return failure();
  SmallVector<int> inputs = {*inT, *wT, *bT};
  // op_version.cc: float32 CONV_2D and FULLY_CONNECTED are version 1;
  // DEPTHWISE_CONV_2D is 1, or 2 with dilation.
  if (after) {
    auto opts = tflite::CreateFullyConnectedOptions(fbb, act);
    addOperator(tflite::BuiltinOperator::FULLY_CONNECTED, 1, inputs, {*outT},
                tflite::BuiltinOptions::FullyConnectedOptions, opts.Union());
  } else if (conv) {
    auto opts = tflite::CreateConv2DOptions(fbb, pd, stride[1], stride[0], act,
                                            dilation[1], dilation[0]);
    addOperator(tflite::BuiltinOperator::CONV_2D, 1, inputs, {*outT},
                tflite::BuiltinOptions::Conv2DOptions, opts.Union());
  } else {
    auto opts = tflite::CreateDepthwiseConv2DOptions(
        fbb, pd, stride[1], stride[0], static_cast<int32_t>(wShape[3]), act,
        dilation[1], dilation[0]);
    bool dilated = dilation[0] != 1 || dilation[1] != 1;
    addOperator(tflite::BuiltinOperator::DEPTHWISE_CONV_2D, dilated ? 2 : 1,
                inputs, {*outT}, tflite::BuiltinOptions::DepthwiseConv2DOptions,
                opts.Union());
  }
  return success();
}

/// The remaining float operators, one TFLite operator each.
std::optional<LogicalResult> Exporter::exportFloatOp(Operation *op) {
  using B = tflite::BuiltinOperator;
  Value out = op->getResult(0);
  auto unary = [&](B code) -> LogicalResult {
    return addUnaryOperator(code, 1, op, op->getOperand(0), op, out);
  };
  auto binary = [&](B code, tflite::BuiltinOptions type,
                    fb::Offset<void> opts) -> LogicalResult {
    if (!isF32(op->getOperand(0)) || !isF32(op->getOperand(1)))
      return op->emitError("TFLite export: float ")
             << builtinName(code) << " needs f32 operands";
    auto a = tensorFor(op, op->getOperand(0));
    if (failed(a))
      return failure();
    auto b = tensorFor(op, op->getOperand(1));
    if (failed(b))
      return failure();
    auto o = tensorFor(op, out);
    if (failed(o))
      return failure();
    addOperator(code, 1, {*a, *b}, {*o}, type, opts);
    return success();
  };
  using A = tflite::ActivationFunctionType;
  if (isa<tosa::AddOp>(op))
    return binary(B::ADD, tflite::BuiltinOptions::AddOptions,
                  tflite::CreateAddOptions(fbb, A::NONE).Union());
  if (isa<tosa::SubOp>(op))
    return binary(B::SUB, tflite::BuiltinOptions::SubOptions,
                  tflite::CreateSubOptions(fbb, A::NONE).Union());
  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    if (!zeroShift(mul.getShift()))
      return mul.emitError("TFLite export: a float MUL has shift 0");
    return binary(B::MUL, tflite::BuiltinOptions::MulOptions,
                  tflite::CreateMulOptions(fbb, A::NONE).Union());
  }
  if (isa<tosa::SigmoidOp>(op))
    return unary(B::LOGISTIC);
  if (isa<tosa::TanhOp>(op))
    return unary(B::TANH);
  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    std::optional<A> a = floatActivation(clamp);
    if (!a)
      return clamp.emitError("TFLite export: a float clamp is exported only "
                             "as RELU [0, max], RELU6 [0, 6] or RELU_N1_TO_1 "
                             "[-1, 1]");
    return unary(*a == A::RELU    ? B::RELU
                 : *a == A::RELU6 ? B::RELU6
                                  : B::RELU_N1_TO_1);
  }
  auto maxPool = dyn_cast<tosa::MaxPool2dOp>(op);
  auto avgPool = dyn_cast<tosa::AvgPool2dOp>(op);
  if (maxPool || avgPool) {
    if (avgPool) {
      std::optional<float> iz = splatFloat(avgPool.getInputZp());
      std::optional<float> oz = splatFloat(avgPool.getOutputZp());
      if (!iz || !oz || *iz != 0.0f || *oz != 0.0f)
        return op->emitError("TFLite export: a float avg_pool2d's zero "
                             "points must be 0");
    }
    ArrayRef<int64_t> kernel =
        maxPool ? maxPool.getKernel() : avgPool.getKernel();
    ArrayRef<int64_t> stride =
        maxPool ? maxPool.getStride() : avgPool.getStride();
    ArrayRef<int64_t> pad = maxPool ? maxPool.getPad() : avgPool.getPad();
    auto inShape = cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
    auto outShape = cast<RankedTensorType>(out.getType()).getShape();
    int64_t ones[2] = {1, 1};
    auto pd = padding(op, pad, inShape[1], inShape[2], kernel[0], kernel[1],
                      stride, ones, outShape[1], outShape[2]);
    if (failed(pd))
      return failure();
    auto opts = tflite::CreatePool2DOptions(fbb, *pd, stride[1], stride[0],
                                            kernel[1], kernel[0]);
    return addUnaryOperator(
        maxPool ? B::MAX_POOL_2D : B::AVERAGE_POOL_2D, 1, op, op->getOperand(0),
        op, out, tflite::BuiltinOptions::Pool2DOptions, opts.Union());
  }
  return std::nullopt;
}
