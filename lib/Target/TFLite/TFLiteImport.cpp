//===- TFLiteImport.cpp - TFLite flatbuffer -> integer TOSA graph ---------===//
//
// Reads a TFLite model back into the integer TOSA form of
// docs/CONVENTIONS.md: every operator the exporter writes becomes the TOSA
// pattern the exporter matches (so export(import(export(g))) reproduces the
// same file), with the float quantization parameters as qapeft.* attributes
// and the rescale multipliers derived from them as TFLite derives them.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "TFLiteCommon.h"
#include "qapeft/Target/TFLite.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

void Importer::annotate(Operation *op, StringRef activation) {
  op->setAttr("tflite.builtin", b.getStringAttr(currentCode));
  op->setAttr("tflite.version", b.getI32IntegerAttr(currentVersion));
  if (!activation.empty())
    op->setAttr("tflite.fused_activation", b.getStringAttr(activation));
}

const tflite::Tensor *Importer::tensor(int index) {
  auto *ts = graph->tensors();
  if (!ts || index < 0 || index >= static_cast<int>(ts->size()))
    return nullptr;
  return ts->Get(index);
}

FailureOr<Type> Importer::elementType(const tflite::Tensor *t, bool wideBias) {
  switch (t->type()) {
  case tflite::TensorType::FLOAT32:
    return Type(b.getF32Type());
  case tflite::TensorType::FLOAT16:
    return Type(b.getF16Type());
  case tflite::TensorType::INT8:
    return Type(b.getIntegerType(8));
  case tflite::TensorType::INT16:
    return Type(b.getIntegerType(16));
  case tflite::TensorType::INT32:
    return Type(b.getIntegerType(32));
  case tflite::TensorType::INT64:
    // An int16x8 convolution's int64 bias is TOSA's i48 accumulator type.
    return Type(b.getIntegerType(wideBias ? 48 : 64));
  case tflite::TensorType::BOOL:
    return Type(b.getI1Type());
  default:
    error() << "unsupported tensor type "
            << static_cast<int>(t->type()) << " in tensor '"
            << (t->name() ? t->name()->str() : "") << "'";
    return failure();
  }
}

FailureOr<RankedTensorType> Importer::tensorType(int index, bool wideBias) {
  const tflite::Tensor *t = tensor(index);
  if (!t) {
    error() << "tensor index " << index << " out of range";
    return failure();
  }
  auto et = elementType(t, wideBias);
  if (failed(et))
    return failure();
  SmallVector<int64_t> shape;
  if (t->shape())
    for (int32_t d : *t->shape())
      shape.push_back(d);
  return RankedTensorType::get(shape, *et);
}

Location Importer::tensorLoc(int index) {
  const tflite::Tensor *t = tensor(index);
  if (t && t->name() && t->name()->size())
    return NameLoc::get(b.getStringAttr(t->name()->str()));
  return loc;
}

std::optional<TensorQuant>
mlir::qapeft::tfl::perTensorQuant(const tflite::Tensor *t) {
  const tflite::QuantizationParameters *q = t ? t->quantization() : nullptr;
  if (!q || !q->scale() || q->scale()->size() != 1)
    return std::nullopt;
  int64_t zp = q->zero_point() && q->zero_point()->size()
                   ? q->zero_point()->Get(0)
                   : 0;
  return TensorQuant{q->scale()->Get(0), zp};
}

SmallVector<int64_t> Importer::poolPadding(const tflite::Pool2DOptions *o,
                                           RankedTensorType inType) {
  if (o->padding() != tflite::Padding::SAME)
    return {0, 0, 0, 0};
  return samePadding(inType.getDimSize(1), inType.getDimSize(2),
                     o->filter_height(), o->filter_width(), o->stride_h(),
                     o->stride_w(), 1, 1);
}

NamedAttrList Importer::quantAttrs(const tflite::Tensor *t) {
  NamedAttrList attrs;
  const tflite::QuantizationParameters *q = t->quantization();
  if (!q || !q->scale() || q->scale()->size() == 0)
    return attrs;
  SmallVector<Attribute> scales, zps;
  for (float s : *q->scale())
    scales.push_back(b.getF32FloatAttr(s));
  if (q->zero_point())
    for (int64_t z : *q->zero_point())
      zps.push_back(b.getI64IntegerAttr(z));
  attrs.set(kScaleAttr, b.getArrayAttr(scales));
  attrs.set(kZeroPointAttr, b.getArrayAttr(zps));
  if (scales.size() > 1)
    attrs.set(kQuantDimAttr, b.getI64IntegerAttr(q->quantized_dimension()));
  return attrs;
}

Value Importer::intConst(ArrayRef<int64_t> vals, Type et) {
  auto type = RankedTensorType::get({static_cast<int64_t>(vals.size())}, et);
  SmallVector<APInt> ints;
  for (int64_t v : vals)
    ints.push_back(APInt(et.getIntOrFloatBitWidth(), v, /*isSigned=*/true));
  return tosa::ConstOp::create(b, loc, type,
                               DenseIntElementsAttr::get(type, ints));
}

Value Importer::shapeConst(ArrayRef<int64_t> shape) {
  auto attrType = RankedTensorType::get({static_cast<int64_t>(shape.size())},
                                        b.getIndexType());
  return tosa::ConstShapeOp::create(
      b, loc, tosa::shapeType::get(ctx, shape.size()),
      DenseIntElementsAttr::get(attrType, shape));
}

/// The value of a tensor: an operator result or input already seen, or a
/// constant built from its buffer.
FailureOr<Value> Importer::value(int index, bool wideBias,
                                 ArrayRef<int64_t> shapeOverride) {
  auto it = values.find(index);
  if (it != values.end() && shapeOverride.empty())
    return it->second;
  const tflite::Tensor *t = tensor(index);
  if (!t) {
    error() << "tensor index " << index << " out of range";
    return failure();
  }
  auto *bufs = model->buffers();
  const tflite::Buffer *buf =
      bufs && t->buffer() < bufs->size() ? bufs->Get(t->buffer()) : nullptr;
  if (!buf || !buf->data() || buf->data()->size() == 0) {
    error() << "tensor '" << (t->name() ? t->name()->str() : "")
            << "' is used before it is computed and has no data";
    return failure();
  }
  auto type = tensorType(index, wideBias);
  if (failed(type))
    return failure();
  RankedTensorType rt = *type;
  if (!shapeOverride.empty())
    rt = RankedTensorType::get(shapeOverride, rt.getElementType());
  Type et = rt.getElementType();
  unsigned fileBytes = et.isInteger(48) ? 8 : std::max(1u, et.getIntOrFloatBitWidth() / 8);
  int64_t n = rt.getNumElements();
  if (static_cast<int64_t>(buf->data()->size()) != n * fileBytes) {
    error() << "buffer of tensor '" << (t->name() ? t->name()->str() : "")
            << "' has " << buf->data()->size() << " bytes, expected "
            << n * fileBytes;
    return failure();
  }
  const uint8_t *p = buf->data()->data();
  SmallVector<APInt> ints;
  for (int64_t k = 0; k < n; ++k) {
    uint64_t raw = 0;
    for (unsigned j = 0; j < fileBytes; ++j)
      raw |= static_cast<uint64_t>(p[k * fileBytes + j]) << (8 * j);
    APInt x(fileBytes * 8, raw);
    ints.push_back(et.isInteger(48) ? x.trunc(48) : x);
  }
  DenseElementsAttr attr;
  if (isa<FloatType>(et)) {
    SmallVector<APFloat> fs;
    for (const APInt &x : ints)
      fs.push_back(APFloat(cast<FloatType>(et).getFloatSemantics(), x));
    attr = DenseElementsAttr::get(rt, fs);
  } else {
    attr = DenseElementsAttr::get(rt, ints);
  }
  auto c = tosa::ConstOp::create(b, tensorLoc(index), rt, attr);
  for (NamedAttribute a : quantAttrs(t))
    c->setAttr(a.getName(), a.getValue());
  if (shapeOverride.empty())
    values[index] = c;
  return Value(c);
}

SmallVector<int64_t> Importer::samePadding(int64_t inH, int64_t inW,
                                           int64_t kH, int64_t kW, int64_t sH,
                                           int64_t sW, int64_t dH,
                                           int64_t dW) {
  auto split = [](int64_t in, int64_t k, int64_t s, int64_t d) {
    int64_t out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>((out - 1) * s + (k - 1) * d + 1 - in, 0);
    return std::make_pair(total / 2, total - total / 2);
  };
  auto [t, bt] = split(inH, kH, sH, dH);
  auto [l, r] = split(inW, kW, sW, dW);
  return {t, bt, l, r};
}

LogicalResult Importer::importConvLike(const tflite::Operator *op,
                                       tflite::BuiltinOperator code) {
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() != 3 || !outs || outs->size() != 1)
    return error() << builtinName(code)
                   << " needs input, weight, bias and one output";
  int inIdx = ins->Get(0), wIdx = ins->Get(1), bIdx = ins->Get(2),
      outIdx = outs->Get(0);
  auto input = value(inIdx);
  auto inType = tensorType(inIdx);
  auto wType = tensorType(wIdx);
  auto outType = tensorType(outIdx);
  if (failed(input) || failed(inType) || failed(wType) || failed(outType))
    return failure();
  const tflite::Tensor *inT = tensor(inIdx), *wT = tensor(wIdx),
                       *outT = tensor(outIdx);
  auto *qIn = inT->quantization(), *qW = wT->quantization(),
       *qOut = outT->quantization();
  if (!qIn || !qIn->scale() || !qW || !qW->scale() || !qOut || !qOut->scale() ||
      qIn->scale()->size() != 1 || qOut->scale()->size() != 1)
    return error() << builtinName(code)
                   << ": only quantized (integer) convolutions are imported";
  Type inET = inType->getElementType(), outET = outType->getElementType();
  bool int16 = inET.isInteger(16);
  Type accET = b.getIntegerType(int16 ? 48 : 32);
  int64_t inZp = qIn->zero_point() && qIn->zero_point()->size()
                     ? qIn->zero_point()->Get(0) : 0;
  int64_t outZp = qOut->zero_point() && qOut->zero_point()->size()
                      ? qOut->zero_point()->Get(0) : 0;
  float sIn = qIn->scale()->Get(0), sOut = qOut->scale()->Get(0);

  Location opLoc = tensorLoc(outIdx);
  auto wShape = wType->getShape();
  bool isFc = code == tflite::BuiltinOperator::FULLY_CONNECTED;
  if (wType->getRank() != (isFc ? 2 : 4) ||
      (!isFc && (inType->getRank() != 4 || outType->getRank() != 4)) ||
      llvm::any_of(wShape, [](int64_t d) { return d <= 0; }))
    return error() << builtinName(code) << ": unexpected tensor ranks or "
                                           "shapes (weight "
                   << *wType << ", input " << *inType << ")";
  if (isFc && (inType->getNumElements() % wShape[1] != 0))
    return error() << "FULLY_CONNECTED: input " << *inType
                   << " does not split into rows of " << wShape[1];
  Value x = *input;
  SmallVector<int64_t> accShape;
  int64_t channels;
  Value accV;
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE;
  Value inZpV = intConst({inZp}, inET);
  Value wZpV = intConst({0}, wType->getElementType());

  if (code == tflite::BuiltinOperator::FULLY_CONNECTED) {
    auto *o = op->builtin_options_as_FullyConnectedOptions();
    if (o)
      act = o->fused_activation_function();
    int64_t m = wShape[0], k = wShape[1];
    int64_t n = inType->getNumElements() / k;
    channels = m;
    SmallVector<int64_t> in4 = {n, 1, 1, k};
    x = tosa::ReshapeOp::create(b, opLoc,
                                RankedTensorType::get(in4, inET), x,
                                shapeConst(in4));
    x.getDefiningOp()->setAttrs(quantAttrs(inT).getDictionary(ctx));
    auto w = value(wIdx, false, {m, 1, 1, k});
    auto bias = value(bIdx, int16);
    if (failed(w) || failed(bias))
      return failure();
    w->getDefiningOp()->setAttr(kQuantDimAttr, b.getI64IntegerAttr(0));
    accShape = {n, 1, 1, m};
    accV = tosa::Conv2DOp::create(
        b, opLoc, RankedTensorType::get(accShape, accET), x, *w, *bias, inZpV,
        wZpV, ArrayRef<int64_t>{0, 0, 0, 0}, ArrayRef<int64_t>{1, 1},
        ArrayRef<int64_t>{1, 1}, accET);
  } else if (code == tflite::BuiltinOperator::CONV_2D) {
    auto *o = op->builtin_options_as_Conv2DOptions();
    if (!o)
      return error() << "CONV_2D without Conv2DOptions";
    act = o->fused_activation_function();
    channels = wShape[0];
    auto outShape = outType->getShape();
    SmallVector<int64_t> pad = {0, 0, 0, 0};
    if (o->padding() == tflite::Padding::SAME)
      pad = samePadding(inType->getDimSize(1), inType->getDimSize(2),
                        wShape[1], wShape[2], o->stride_h(), o->stride_w(),
                        o->dilation_h_factor(), o->dilation_w_factor());
    auto w = value(wIdx);
    auto bias = value(bIdx, int16);
    if (failed(w) || failed(bias))
      return failure();
    accShape.assign(outShape.begin(), outShape.end());
    accV = tosa::Conv2DOp::create(
        b, opLoc, RankedTensorType::get(accShape, accET), x, *w, *bias, inZpV,
        wZpV, pad,
        ArrayRef<int64_t>{o->stride_h(), o->stride_w()},
        ArrayRef<int64_t>{o->dilation_h_factor(), o->dilation_w_factor()},
        accET);
  } else {
    auto *o = op->builtin_options_as_DepthwiseConv2DOptions();
    if (!o)
      return error() << "DEPTHWISE_CONV_2D without DepthwiseConv2DOptions";
    act = o->fused_activation_function();
    int64_t c = inType->getDimSize(3);
    channels = wShape[3];
    if (c <= 0 || channels % c != 0)
      return error() << "DEPTHWISE_CONV_2D: " << channels
                     << " output channels for " << c << " input channels";
    int64_t mult = channels / c;
    auto outShape = outType->getShape();
    SmallVector<int64_t> pad = {0, 0, 0, 0};
    if (o->padding() == tflite::Padding::SAME)
      pad = samePadding(inType->getDimSize(1), inType->getDimSize(2),
                        wShape[1], wShape[2], o->stride_h(), o->stride_w(),
                        o->dilation_h_factor(), o->dilation_w_factor());
    auto w = value(wIdx, false, {wShape[1], wShape[2], c, mult});
    auto bias = value(bIdx, int16);
    if (failed(w) || failed(bias))
      return failure();
    // TFLite's channel axis 3 of [1, KH, KW, C*M] is TOSA's C (axis 2) when
    // M = 1 and M (axis 3) when C = 1; with both > 1 the scales run over C*M,
    // which only TFLite's layout names.
    if (qW->scale()->size() > 1)
      w->getDefiningOp()->setAttr(kQuantDimAttr,
                                  b.getI64IntegerAttr(mult == 1 ? 2 : 3));
    accShape.assign(outShape.begin(), outShape.end());
    accV = tosa::DepthwiseConv2DOp::create(
        b, opLoc, RankedTensorType::get(accShape, accET), x, *w, *bias, inZpV,
        wZpV, pad,
        ArrayRef<int64_t>{o->stride_h(), o->stride_w()},
        ArrayRef<int64_t>{o->dilation_h_factor(), o->dilation_w_factor()},
        accET);
  }

  // Requantization exactly as TFLite derives it from the scales.
  SmallVector<int64_t> mults, shifts;
  bool perChannel = qW->scale()->size() > 1;
  for (int64_t c = 0; c < (perChannel ? channels : 1); ++c) {
    float sW = qW->scale()->Get(perChannel ? c : 0);
    // int16x8: TOSA's 16-bit multiplier (scale32 = false, as TOSA requires
    // for i48 accumulators) is exactly TFLite's reduced multiplier.
    auto [m, s] = tfliteConvRescale(static_cast<double>(sIn) *
                                        static_cast<double>(sW) /
                                        static_cast<double>(sOut),
                                    int16, /*scale32=*/!int16);
    mults.push_back(m);
    shifts.push_back(s);
  }
  SmallVector<int64_t> outShape(accShape);
  // Operands built one per statement so the IR reads in operand order.
  Value multV = intConst(mults, b.getIntegerType(int16 ? 16 : 32));
  Value shiftV = intConst(shifts, b.getIntegerType(8));
  Value accZpV = intConst({0}, accET);
  Value outZpV = intConst({outZp}, outET);
  Value out = tosa::RescaleOp::create(
      b, opLoc, RankedTensorType::get(outShape, outET), accV, multV, shiftV,
      accZpV, outZpV, /*scale32=*/!int16,
      tosa::RoundingMode::SINGLE_ROUND, perChannel,
      /*input_unsigned=*/false, /*output_unsigned=*/false);
  out.getDefiningOp()->setAttrs(quantAttrs(outT).getDictionary(ctx));
  if (act != tflite::ActivationFunctionType::NONE) {
    int64_t lo = APInt::getSignedMinValue(outET.getIntOrFloatBitWidth()).getSExtValue();
    int64_t hi = APInt::getSignedMaxValue(outET.getIntOrFloatBitWidth()).getSExtValue();
    if (act != tflite::ActivationFunctionType::RELU &&
        act != tflite::ActivationFunctionType::RELU6 &&
        act != tflite::ActivationFunctionType::RELU_N1_TO_1)
      return error() << builtinName(code) << ": fused activation "
                     << static_cast<int>(act) << " is not supported";
    auto [amin, amax] =
        quantizedActivationRange(static_cast<int>(act), sOut, outZp, lo, hi);
    auto clamp = tosa::ClampOp::create(
        b, opLoc, out.getType(), out, b.getIntegerAttr(outET, amin),
        b.getIntegerAttr(outET, amax));
    clamp->setAttrs(quantAttrs(outT).getDictionary(ctx));
    out = clamp;
  }
  if (code == tflite::BuiltinOperator::FULLY_CONNECTED) {
    SmallVector<int64_t> shape2(outType->getShape());
    auto r = tosa::ReshapeOp::create(b, opLoc, *outType, out, shapeConst(shape2));
    r->setAttrs(quantAttrs(outT).getDictionary(ctx));
    out = r;
  }
  static const char *actNames[] = {"NONE", "RELU", "RELU_N1_TO_1", "RELU6"};
  annotate(accV.getDefiningOp(), actNames[static_cast<int>(act)]);
  values[outIdx] = out;
  return success();
}

LogicalResult Importer::importOperator(const tflite::Operator *op) {
  auto *codes = model->operator_codes();
  if (!codes || op->opcode_index() >= codes->size())
    return error() << "operator code index out of range";
  const tflite::OperatorCode *oc = codes->Get(op->opcode_index());
  auto code = static_cast<tflite::BuiltinOperator>(
      std::max<int32_t>(static_cast<int32_t>(oc->builtin_code()),
                        oc->deprecated_builtin_code()));
  using B = tflite::BuiltinOperator;
  // What the file said, for tests to check: the builtin operator and its
  // version on the op that yields the operator's output.
  currentCode = builtinName(code);
  currentVersion = oc->version();
  if (std::optional<LogicalResult> r = importWideningPair(op, code))
    return *r;
  if (std::optional<LogicalResult> r = importElementwise(op, code))
    return *r;
  if (std::optional<LogicalResult> r = importActivation(op, code))
    return *r;
  switch (code) {
  case B::CONV_2D:
  case B::DEPTHWISE_CONV_2D:
  case B::FULLY_CONNECTED:
    return importConvLike(op, code);
  default:
    break;
  }
  auto *ins = op->inputs();
  auto *outs = op->outputs();
  if (!ins || ins->size() == 0 || !outs || outs->size() != 1)
    return error() << "operator " << static_cast<int>(code)
                   << " without inputs or with several outputs";
  int outIdx = outs->Get(0);
  auto outType = tensorType(outIdx);
  auto in0 = value(ins->Get(0));
  if (failed(outType) || failed(in0))
    return failure();
  Location opLoc = tensorLoc(outIdx);
  Operation *result = nullptr;
  switch (code) {
  case B::RESHAPE:
    result = tosa::ReshapeOp::create(b, opLoc, *outType, *in0,
                                     shapeConst(outType->getShape()));
    break;
  case B::MAX_POOL_2D:
  case B::AVERAGE_POOL_2D: {
    auto *o = op->builtin_options_as_Pool2DOptions();
    if (!o)
      return error() << "pooling without Pool2DOptions";
    auto inType = cast<RankedTensorType>(in0->getType());
    SmallVector<int64_t> pad = poolPadding(o, inType);
    SmallVector<int64_t> kernel = {o->filter_height(), o->filter_width()};
    SmallVector<int64_t> stride = {o->stride_h(), o->stride_w()};
    if (code == B::MAX_POOL_2D) {
      result = tosa::MaxPool2dOp::create(b, opLoc, *outType, *in0, kernel,
                                         stride, pad);
    } else {
      const tflite::Tensor *t = tensor(ins->Get(0));
      int64_t zp = t->quantization() && t->quantization()->zero_point() &&
                           t->quantization()->zero_point()->size()
                       ? t->quantization()->zero_point()->Get(0) : 0;
      Type et = inType.getElementType();
      Value inZpV = intConst({zp}, et);
      Value outZpV = intConst({zp}, et);
      result = tosa::AvgPool2dOp::create(b, opLoc, *outType, *in0, inZpV, outZpV,
                                         kernel, stride, pad,
                                         b.getIntegerType(32));
    }
    break;
  }
  case B::PAD: {
    // TFLite's quantized PAD fills with the zero point.
    if (ins->size() != 2)
      return error() << "PAD needs an input and a paddings tensor";
    auto paddings = value(ins->Get(1));
    if (failed(paddings))
      return failure();
    auto padConstOp = paddings->getDefiningOp<tosa::ConstOp>();
    auto dense = padConstOp
                     ? dyn_cast<DenseIntElementsAttr>(padConstOp.getValues())
                     : DenseIntElementsAttr();
    if (!dense)
      return error() << "PAD paddings must be a constant int32 tensor";
    SmallVector<int64_t> flat;
    for (const APInt &v : dense.getValues<APInt>())
      flat.push_back(v.getSExtValue());
    paddings->getDefiningOp()->erase();
    values.erase(ins->Get(1));
    const tflite::Tensor *t = tensor(ins->Get(0));
    int64_t zp = t->quantization() && t->quantization()->zero_point() &&
                         t->quantization()->zero_point()->size()
                     ? t->quantization()->zero_point()->Get(0) : 0;
    Type et = cast<ShapedType>(in0->getType()).getElementType();
    Value shape = shapeConst(flat);
    Value padConst = intConst({zp}, et);
    result = tosa::PadOp::create(b, opLoc, *outType, *in0, shape, padConst);
    break;
  }
  case B::RELU:
  case B::RELU6:
  case B::RELU_N1_TO_1: {
    // The activation's quantized range as a clamp.
    const tflite::Tensor *outT = tensor(outIdx);
    auto *q = outT->quantization();
    if (!q || !q->scale() || q->scale()->size() != 1)
      return error() << builtinName(code) << ": only quantized activations "
                                              "are imported";
    Type et = outType->getElementType();
    int64_t zp = q->zero_point() && q->zero_point()->size()
                     ? q->zero_point()->Get(0) : 0;
    int act = code == B::RELU ? 1 : code == B::RELU6 ? 3 : 2;
    auto [lo, hi] = quantizedActivationRange(
        act, q->scale()->Get(0), zp,
        APInt::getSignedMinValue(et.getIntOrFloatBitWidth()).getSExtValue(),
        APInt::getSignedMaxValue(et.getIntOrFloatBitWidth()).getSExtValue());
    result = tosa::ClampOp::create(b, opLoc, *outType, *in0,
                                   b.getIntegerAttr(et, lo),
                                   b.getIntegerAttr(et, hi));
    break;
  }
  case B::QUANTIZE: {
    // Requantization between quantized tensors; TFLite's multiplier.
    const tflite::Tensor *inT = tensor(ins->Get(0)), *outT = tensor(outIdx);
    std::optional<TensorQuant> qi = perTensorQuant(inT),
                               qo = perTensorQuant(outT);
    if (!qi || !qo)
      return error() << "QUANTIZE: only per-tensor requantization between "
                        "quantized tensors is imported";
    auto [m, s] = quantizeMultiplier(static_cast<double>(qi->scale) /
                                     static_cast<double>(qo->scale));
    Type inET = cast<ShapedType>(in0->getType()).getElementType();
    Type outET = outType->getElementType();
    Value multV = intConst({m}, b.getIntegerType(32));
    Value shiftV = intConst({31 - s}, b.getIntegerType(8));
    Value izpV = intConst({qi->zeroPoint}, inET);
    Value ozpV = intConst({qo->zeroPoint}, outET);
    // The runtime's builtin QUANTIZE rounds twice (see ExportRegions.cpp).
    // XNNPACK runs an int8 one in 8-bit fixed point instead (the lowering's
    // qapeft.rounding = "xnnpack_q8"), but the file does not say which
    // kernel runs it: the builtin kernel's arithmetic is imported.
    result = tosa::RescaleOp::create(
        b, opLoc, *outType, *in0, multV, shiftV, izpV, ozpV, /*scale32=*/true,
        tosa::RoundingMode::DOUBLE_ROUND, /*per_channel=*/false,
        /*input_unsigned=*/false, /*output_unsigned=*/false);
    break;
  }
  case B::CONCATENATION: {
    auto *o = op->builtin_options_as_ConcatenationOptions();
    SmallVector<Value> inputs;
    for (int32_t i : *ins) {
      auto v = value(i);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    int32_t axis = o ? o->axis() : 0;
    if (axis < 0)
      axis += outType->getRank();
    result = tosa::ConcatOp::create(b, opLoc, *outType, inputs,
                                    static_cast<uint32_t>(axis));
    break;
  }
  default: {
    StringRef name = builtinName(code);
    return error() << "operator "
                   << (name.empty() ? llvm::formatv("#{0}", static_cast<int>(code)).str()
                                    : name.str())
                   << " is not supported by the importer";
  }
  }
  for (NamedAttribute a : quantAttrs(tensor(outIdx)))
    result->setAttr(a.getName(), a.getValue());
  annotate(result);
  values[outIdx] = result->getResult(0);
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  if (!model->subgraphs() || model->subgraphs()->size() != 1) {
    error() << "expected exactly one subgraph";
    return nullptr;
  }
  graph = model->subgraphs()->Get(0);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());

  SmallVector<Type> argTypes, resultTypes;
  if (graph->inputs())
    for (int32_t i : *graph->inputs()) {
      auto t = tensorType(i);
      if (failed(t))
        return nullptr;
      argTypes.push_back(*t);
    }
  if (graph->outputs())
    for (int32_t i : *graph->outputs()) {
      auto t = tensorType(i);
      if (failed(t))
        return nullptr;
      resultTypes.push_back(*t);
    }
  auto func = func::FuncOp::create(b, loc, "forward",
                                   b.getFunctionType(argTypes, resultTypes));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToEnd(entry);
  if (graph->inputs())
    for (auto [k, i] : llvm::enumerate(*graph->inputs())) {
      values[i] = entry->getArgument(k);
      entry->getArgument(k).setLoc(tensorLoc(i));
      for (NamedAttribute a : quantAttrs(tensor(i)))
        func.setArgAttr(k, a.getName(), a.getValue());
    }
  if (graph->operators())
    for (const tflite::Operator *op : *graph->operators())
      if (failed(importOperator(op)))
        return nullptr;
  SmallVector<Value> results;
  if (graph->outputs())
    for (auto [k, i] : llvm::enumerate(*graph->outputs())) {
      auto v = value(i);
      if (failed(v))
        return nullptr;
      results.push_back(*v);
      for (NamedAttribute a : quantAttrs(tensor(i)))
        func.setResultAttr(k, a.getName(), a.getValue());
    }
  func::ReturnOp::create(b, loc, results);
  // File-level facts, for tests: description, metadata, signature, number
  // of buffers (constant deduplication).
  if (model->description())
    (*module)->setAttr("tflite.description",
                       b.getStringAttr(model->description()->str()));
  if (model->buffers())
    (*module)->setAttr("tflite.num_buffers",
                       b.getI64IntegerAttr(model->buffers()->size()));
  if (model->metadata()) {
    NamedAttrList meta;
    for (const tflite::Metadata *m : *model->metadata()) {
      if (!m->name() || !model->buffers() ||
          m->buffer() >= model->buffers()->size())
        continue;
      const tflite::Buffer *buf = model->buffers()->Get(m->buffer());
      std::string text;
      if (buf->data())
        for (uint8_t c : *buf->data())
          if (c)
            text.push_back(static_cast<char>(c));
      meta.set(m->name()->str(), b.getStringAttr(text));
    }
    (*module)->setAttr("tflite.metadata", meta.getDictionary(ctx));
  }
  if (model->signature_defs() && model->signature_defs()->size()) {
    const tflite::SignatureDef *sig = model->signature_defs()->Get(0);
    auto names = [&](const flatbuffers::Vector<
                     flatbuffers::Offset<tflite::TensorMap>> *maps) {
      SmallVector<Attribute> out;
      if (maps)
        for (const tflite::TensorMap *m : *maps)
          out.push_back(b.getStringAttr(
              (m->name() ? m->name()->str() : "") + ":" +
              std::to_string(m->tensor_index())));
      return b.getArrayAttr(out);
    };
    NamedAttrList attrs;
    attrs.set("key", b.getStringAttr(sig->signature_key()
                                         ? sig->signature_key()->str()
                                         : ""));
    attrs.set("inputs", names(sig->inputs()));
    attrs.set("outputs", names(sig->outputs()));
    (*module)->setAttr("tflite.signature", attrs.getDictionary(ctx));
  }
  return module;
}

OwningOpRef<ModuleOp> mlir::qapeft::importFromTFLite(llvm::StringRef bytes,
                                                    MLIRContext *context,
                                                    Location loc) {
  context->loadDialect<tosa::TosaDialect, func::FuncDialect>();
  flatbuffers::Verifier verifier(
      reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
  if (!tflite::ModelBufferHasIdentifier(bytes.data()) ||
      !tflite::VerifyModelBuffer(verifier)) {
    emitError(loc, "TFLite import: not a valid TFLite flatbuffer (identifier "
                   "TFL3)");
    return nullptr;
  }
  Importer importer(tflite::GetModel(bytes.data()), context, loc);
  return importer.run();
}
