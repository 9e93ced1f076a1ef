//===- TFLiteExport.cpp - integer TOSA graph -> TFLite flatbuffer ---------===//
//
// Pattern-matches the integer graph of docs/CONVENTIONS.md onto TFLite
// builtin operators:
//
//   conv2d -> rescale [-> clamp]                        CONV_2D (+ fused act)
//   reshape[N,1,1,K] -> conv2d 1x1 -> rescale [-> clamp]
//                     -> reshape[N,M]                   FULLY_CONNECTED
//   depthwise_conv2d -> rescale [-> clamp]              DEPTHWISE_CONV_2D
//   reshape, max_pool2d, avg_pool2d, concat             RESHAPE, MAX_POOL_2D,
//                                                       AVERAGE_POOL_2D,
//                                                       CONCATENATION
//
// TFLite stores float scales, not the fixed-point multipliers of the graph:
// the runtime re-derives each multiplier from the scales. The exporter
// therefore checks that every tosa.rescale holds exactly the multiplier and
// shift TFLite will derive, and refuses the graph otherwise, so a file that
// is written computes what the graph computes.
//
// The whole model is built in memory and only written to the stream once
// complete; on any error nothing is written.
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"
#include "TFLiteCommon.h"
#include "qapeft/Target/TFLite.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

namespace mlir {
namespace qapeft {
namespace tfl {

/// Float quantization parameters of one tensor.


/// Reads `qapeft.scale` / `qapeft.zero_point` / `qapeft.quantized_dimension`
/// from a dictionary of attributes.
std::optional<QParams> readQParams(DictionaryAttr attrs) {
  if (!attrs)
    return std::nullopt;
  auto scales = attrs.getAs<ArrayAttr>(kScaleAttr);
  if (!scales || scales.empty())
    return std::nullopt;
  QParams q;
  for (Attribute a : scales) {
    auto f = dyn_cast<FloatAttr>(a);
    if (!f)
      return std::nullopt;
    q.scale.push_back(static_cast<float>(f.getValueAsDouble()));
  }
  if (auto zps = attrs.getAs<ArrayAttr>(kZeroPointAttr)) {
    for (Attribute a : zps) {
      auto i = dyn_cast<IntegerAttr>(a);
      if (!i)
        return std::nullopt;
      q.zeroPoint.push_back(i.getInt());
    }
  }
  if (q.zeroPoint.empty())
    q.zeroPoint.assign(q.scale.size(), 0);
  if (q.zeroPoint.size() == 1 && q.scale.size() > 1)
    q.zeroPoint.assign(q.scale.size(), q.zeroPoint.front());
  if (q.zeroPoint.size() != q.scale.size())
    return std::nullopt;
  if (auto d = attrs.getAs<IntegerAttr>(kQuantDimAttr))
    q.dim = d.getInt();
  return q;
}

int64_t qmin(Type t) {
  return APInt::getSignedMinValue(t.getIntOrFloatBitWidth()).getSExtValue();
}
int64_t qmax(Type t) {
  return APInt::getSignedMaxValue(t.getIntOrFloatBitWidth()).getSExtValue();
}

/// Reads the float values of a constant operand (tosa.const).
std::optional<SmallVector<float>> constFloats(Value v) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c)
    return std::nullopt;
  auto dense = dyn_cast<DenseFPElementsAttr>(c.getValues());
  if (!dense)
    return std::nullopt;
  SmallVector<float> out;
  for (const APFloat &x : dense.getValues<APFloat>())
    out.push_back(x.convertToFloat());
  return out;
}

/// Reads the integer values of a constant operand (tosa.const).
std::optional<SmallVector<int64_t>> constInts(Value v) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c)
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(c.getValues());
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const APInt &x : dense.getValues<APInt>())
    out.push_back(x.getSExtValue());
  return out;
}

} // namespace tfl
} // namespace qapeft
} // namespace mlir


FailureOr<SmallVector<int32_t>> Exporter::staticShape(Operation *at,
                                                      Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return at->emitError("TFLite export needs ranked tensors, got ") << type;
  SmallVector<int32_t> shape;
  for (auto [i, dim] : llvm::enumerate(ranked.getShape())) {
    int64_t d = dim;
    if (ShapedType::isDynamic(d)) {
      if (i != 0)
        return at->emitError("TFLite export: only the batch (first) "
                             "dimension may be dynamic, got ")
               << type;
      d = options.batch;
    }
    shape.push_back(static_cast<int32_t>(d));
  }
  return shape;
}

FailureOr<tflite::TensorType> Exporter::tensorType(Operation *at,
                                                   Type elementType) {
  if (elementType.isF32())
    return tflite::TensorType::FLOAT32;
  if (elementType.isF16())
    return tflite::TensorType::FLOAT16;
  if (auto i = dyn_cast<IntegerType>(elementType)) {
    if (i.isUnsigned() && i.getWidth() == 8)
      return tflite::TensorType::UINT8;
    switch (i.getWidth()) {
    case 1:
      return tflite::TensorType::BOOL;
    case 8:
      return tflite::TensorType::INT8;
    case 16:
      return tflite::TensorType::INT16;
    case 32:
      return tflite::TensorType::INT32;
    case 48: // TOSA's i16xi8 bias; TFLite's int16x8 kernels take int64.
    case 64:
      return tflite::TensorType::INT64;
    default:
      break;
    }
  }
  return at->emitError("TFLite export: element type ")
         << elementType << " has no TFLite tensor type";
}

unsigned Exporter::addBuffer(ArrayRef<uint8_t> bytes) {
  std::vector<uint8_t> key(bytes.begin(), bytes.end());
  auto it = bufferIndex.find(key);
  if (it != bufferIndex.end())
    return it->second;
  // Constant data is read in place by the runtime: align it for any type.
  fbb.ForceVectorAlignment(bytes.size(), sizeof(uint8_t), 16);
  auto data = fbb.CreateVector(bytes.data(), bytes.size());
  unsigned index = buffers.size();
  buffers.push_back(tflite::CreateBuffer(fbb, data));
  bufferIndex.emplace(std::move(key), index);
  return index;
}

fb::Offset<tflite::QuantizationParameters>
Exporter::makeQuant(const QParams &q) {
  auto scale = fbb.CreateVector(q.scale.data(), q.scale.size());
  auto zp = fbb.CreateVector(q.zeroPoint.data(), q.zeroPoint.size());
  return tflite::CreateQuantizationParameters(
      fbb, /*min=*/0, /*max=*/0, scale, zp,
      tflite::QuantizationDetails::NONE, 0, static_cast<int32_t>(q.dim));
}

int Exporter::addTensor(StringRef name, ArrayRef<int32_t> shape,
                        tflite::TensorType type, unsigned buffer,
                        const std::optional<QParams> &q) {
  auto shapeVec = fbb.CreateVector(shape.data(), shape.size());
  auto nameStr = fbb.CreateString(name.str());
  fb::Offset<tflite::QuantizationParameters> quant = 0;
  if (q)
    quant = makeQuant(*q);
  tflite::TensorBuilder b(fbb);
  b.add_shape(shapeVec);
  b.add_type(type);
  b.add_buffer(buffer);
  b.add_name(nameStr);
  if (q)
    b.add_quantization(quant);
  b.add_has_rank(true);
  tensors.push_back(b.Finish());
  return tensorCount++;
}

/// The quantization of a value: the attributes on its producer (or function
/// argument); reshapes and concatenations keep the quantization of their
/// input, so they are looked through when they carry none.
std::optional<QParams> Exporter::qparamsOf(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func)
      return std::nullopt;
    return readQParams(func.getArgAttrDict(arg.getArgNumber()));
  }
  Operation *def = v.getDefiningOp();
  if (auto q = readQParams(def->getAttrDictionary()))
    return q;
  if (auto r = dyn_cast<tosa::ReshapeOp>(def))
    return qparamsOf(r.getInput1());
  if (isa<tosa::MaxPool2dOp, tosa::ClampOp, tosa::PadOp>(def))
    return qparamsOf(def->getOperand(0));
  // A returned value may carry its quantization as a result attribute only.
  for (OpOperand &use : v.getUses()) {
    if (auto ret = dyn_cast<func::ReturnOp>(use.getOwner())) {
      auto func = cast<func::FuncOp>(ret->getParentOp());
      if (auto q = readQParams(func.getResultAttrDict(use.getOperandNumber())))
        return q;
    }
  }
  return std::nullopt;
}

std::string Exporter::nameFor(Value v) {
  Location loc = isa<BlockArgument>(v) ? cast<BlockArgument>(v).getLoc()
                                       : v.getDefiningOp()->getLoc();
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (auto named = dyn_cast<NameLoc>(l))
        return named.getName().str();
  return llvm::formatv("tensor{0}", tensorCount).str();
}

FailureOr<int> Exporter::tensorFor(Operation *user, Value v) {
  auto it = valueTensors.find(v);
  if (it != valueTensors.end())
    return it->second;
  if (v.getDefiningOp<tosa::ConstOp>())
    return constTensor(user, v);
  Operation *at = v.getDefiningOp() ? v.getDefiningOp() : user;
  auto shape = staticShape(at, v.getType());
  if (failed(shape))
    return failure();
  auto type = tensorType(at, cast<ShapedType>(v.getType()).getElementType());
  if (failed(type))
    return failure();
  std::optional<QParams> q = qparamsOf(v);
  if (!q && *type != tflite::TensorType::FLOAT32 &&
      *type != tflite::TensorType::FLOAT16)
    return at->emitError("TFLite export: integer tensor has no quantization "
                         "parameters (qapeft.scale / qapeft.zero_point)");
  int index = addTensor(nameFor(v), *shape, *type, 0, q);
  valueTensors[v] = index;
  return index;
}

FailureOr<int> Exporter::constTensor(Operation *user, Value v,
                                     ArrayRef<int32_t> shapeOverride,
                                     std::optional<QParams> q) {
  auto c = v.getDefiningOp<tosa::ConstOp>();
  if (!c)
    return user->emitError("TFLite export: operand must be a tosa.const");
  auto dense = dyn_cast<DenseElementsAttr>(c.getValues());
  if (!dense)
    return c.emitError("TFLite export: only dense constants are supported");
  auto type = tensorType(c, dense.getElementType());
  if (failed(type))
    return failure();
  SmallVector<int32_t> shape(shapeOverride.begin(), shapeOverride.end());
  if (shape.empty()) {
    auto s = staticShape(c, c.getType());
    if (failed(s))
      return failure();
    shape = *s;
  }
  int64_t count = 1;
  for (int32_t d : shape)
    count *= d;
  // Element size in the file: i48 is widened to TFLite's int64.
  Type et = dense.getElementType();
  unsigned bits = et.getIntOrFloatBitWidth();
  unsigned outBytes = bits == 48 ? 8 : std::max(1u, bits / 8);
  std::vector<uint8_t> bytes;
  bytes.reserve(count * outBytes);
  auto append = [&](const APInt &x) {
    APInt wide = x.sextOrTrunc(outBytes * 8);
    for (unsigned k = 0; k < outBytes; ++k)
      bytes.push_back(static_cast<uint8_t>(wide.extractBitsAsZExtValue(8, 8 * k)));
  };
  // A splat (or a broadcast [1] bias) is expanded to the full shape.
  int64_t stored = dense.getNumElements();
  if (stored != count && !dense.isSplat() && stored != 1)
    return c.emitError("TFLite export: constant has ")
           << stored << " elements, the TFLite tensor needs " << count;
  if (isa<FloatType>(et)) {
    SmallVector<APInt> vals;
    for (const APFloat &f : dense.getValues<APFloat>())
      vals.push_back(f.bitcastToAPInt());
    for (int64_t k = 0; k < count; ++k)
      append(vals[stored == count ? k : 0]);
  } else {
    SmallVector<APInt> vals(dense.getValues<APInt>());
    for (int64_t k = 0; k < count; ++k)
      append(vals[stored == count ? k : 0]);
  }
  if (!q)
    q = qparamsOf(v);
  unsigned buffer = addBuffer(bytes);
  return addTensor(nameFor(v), shape, *type, buffer, q);
}

FailureOr<int> Exporter::intConstTensor(StringRef name,
                                        ArrayRef<int32_t> values,
                                        ArrayRef<int32_t> shape) {
  std::vector<uint8_t> bytes;
  for (int32_t x : values)
    for (int k = 0; k < 4; ++k)
      bytes.push_back(static_cast<uint8_t>(static_cast<uint32_t>(x) >> (8 * k)));
  unsigned buffer = addBuffer(bytes);
  SmallVector<int32_t> dims(shape.begin(), shape.end());
  if (dims.empty())
    dims.push_back(static_cast<int32_t>(values.size()));
  return addTensor(name, dims, tflite::TensorType::INT32, buffer, std::nullopt);
}

unsigned Exporter::opcode(tflite::BuiltinOperator op, int version) {
  for (auto [i, entry] : llvm::enumerate(opcodes))
    if (entry.first == op && entry.second == version)
      return i;
  opcodes.push_back({op, version});
  return opcodes.size() - 1;
}

void Exporter::addOperator(tflite::BuiltinOperator op, int version,
                           ArrayRef<int> inputs, ArrayRef<int> outputs,
                           tflite::BuiltinOptions optionsType,
                           fb::Offset<void> builtinOptions) {
  unsigned index = opcode(op, version);
  auto in = fbb.CreateVector(inputs.data(), inputs.size());
  auto out = fbb.CreateVector(outputs.data(), outputs.size());
  operators.push_back(tflite::CreateOperator(fbb, index, in, out, optionsType,
                                             builtinOptions));
}

LogicalResult Exporter::addUnaryOperator(tflite::BuiltinOperator op,
                                         int version, Operation *inUser,
                                         Value in, Operation *outUser,
                                         Value out,
                                         tflite::BuiltinOptions optionsType,
                                         fb::Offset<void> builtinOptions) {
  auto inTensor = tensorFor(inUser, in);
  if (failed(inTensor))
    return failure();
  auto outTensor = tensorFor(outUser, out);
  if (failed(outTensor))
    return failure();
  addOperator(op, version, {*inTensor}, {*outTensor}, optionsType,
              builtinOptions);
  return success();
}

/// VALID for zero padding, SAME when `pad` is exactly TFLite's SAME padding
/// for these sizes (ComputePaddingHeightWidth: output ceil(in / stride), the
/// smaller half of the total before), else nothing.
static std::optional<tflite::Padding>
samePaddingOrValid(ArrayRef<int64_t> pad, int64_t inH, int64_t inW, int64_t kH,
                   int64_t kW, ArrayRef<int64_t> stride,
                   ArrayRef<int64_t> dilation, int64_t outH, int64_t outW) {
  if (llvm::all_of(pad, [](int64_t p) { return p == 0; }))
    return tflite::Padding::VALID;
  auto same = [](int64_t in, int64_t k, int64_t s, int64_t d, int64_t &before,
                 int64_t &after, int64_t &out) {
    int64_t eff = (k - 1) * d + 1;
    out = (in + s - 1) / s;
    int64_t total = std::max<int64_t>((out - 1) * s + eff - in, 0);
    before = total / 2;
    after = total - before;
  };
  int64_t t, b, l, r, oh, ow;
  same(inH, kH, stride[0], dilation[0], t, b, oh);
  same(inW, kW, stride[1], dilation[1], l, r, ow);
  if (pad[0] == t && pad[1] == b && pad[2] == l && pad[3] == r && oh == outH &&
      ow == outW)
    return tflite::Padding::SAME;
  return std::nullopt;
}

FailureOr<tflite::Padding>
Exporter::padding(Operation *op, ArrayRef<int64_t> pad, int64_t inH,
                  int64_t inW, int64_t kH, int64_t kW, ArrayRef<int64_t> stride,
                  ArrayRef<int64_t> dilation, int64_t outH, int64_t outW) {
  if (auto p = samePaddingOrValid(pad, inH, inW, kH, kW, stride, dilation,
                                  outH, outW))
    return *p;
  return op->emitError("TFLite export: padding [")
         << pad[0] << ", " << pad[1] << ", " << pad[2] << ", " << pad[3]
         << "] is neither VALID nor TFLite's SAME padding for this shape";
}

/// PAD of an NHWC tensor by [top, bottom, left, right], filled with the
/// tensor's zero point (TFLite's quantized PAD fills with the output zero
/// point, which is the input's).
FailureOr<int> Exporter::explicitPad(Operation *at, Value input,
                                     int inputTensor, ArrayRef<int64_t> pad,
                                     StringRef name) {
  auto inShape = staticShape(at, input.getType());
  if (failed(inShape))
    return failure();
  Type et = cast<ShapedType>(input.getType()).getElementType();
  auto type = tensorType(at, et);
  if (failed(type))
    return failure();
  SmallVector<int32_t> paddings = {0,
                                   0,
                                   static_cast<int32_t>(pad[0]),
                                   static_cast<int32_t>(pad[1]),
                                   static_cast<int32_t>(pad[2]),
                                   static_cast<int32_t>(pad[3]),
                                   0,
                                   0};
  SmallVector<int32_t> outShape(*inShape);
  outShape[1] += pad[0] + pad[1];
  outShape[2] += pad[2] + pad[3];
  auto padT = intConstTensor(name.str() + "/paddings", paddings, {4, 2});
  if (failed(padT))
    return failure();
  int out = addTensor(name, outShape, *type, 0, qparamsOf(input));
  auto opts = tflite::CreatePadOptions(fbb);
  addOperator(tflite::BuiltinOperator::PAD, et.isInteger(16) ? 3 : 2,
              {inputTensor, *padT}, {out}, tflite::BuiltinOptions::PadOptions,
              opts.Union());
  return out;
}

/// The ops fused into a convolution's TFLite operator: the accumulator's
/// rescale, then (in either order, each at most once) the activation clamp
/// and, for a FULLY_CONNECTED, the reshape back to [N, M].
Exporter::ConvChain Exporter::matchChain(Operation *conv) {
  ConvChain chain;
  Value acc = conv->getResult(0);
  if (!acc.hasOneUse())
    return chain;
  chain.rescale = dyn_cast<tosa::RescaleOp>(*acc.getUsers().begin());
  if (!chain.rescale)
    return chain;
  chain.out = chain.rescale.getResult();
  chain.last = chain.rescale;
  auto c2d = dyn_cast<tosa::Conv2DOp>(conv);
  auto inType = c2d ? dyn_cast<RankedTensorType>(c2d.getInput().getType())
                    : RankedTensorType();
  auto wType = c2d ? dyn_cast<RankedTensorType>(c2d.getWeight().getType())
                   : RankedTensorType();
  bool fcShape = inType && wType && inType.getRank() == 4 &&
                 wType.getRank() == 4 && inType.getDimSize(1) == 1 &&
                 inType.getDimSize(2) == 1 && wType.getDimSize(1) == 1 &&
                 wType.getDimSize(2) == 1 &&
                 c2d.getInput().getDefiningOp<tosa::ReshapeOp>();
  // XNNPACK takes int8 FULLY_CONNECTED only with per-tensor weights; a
  // per-channel one would run on the builtin kernel, which rounds once in
  // fixed point instead of the graph's fp32 requantization. The same 1x1
  // convolution as CONV_2D (between RESHAPEs) is delegated, so a graph
  // requantized the XNNPACK way keeps its per-channel FC as a convolution.
  if (fcShape) {
    auto rounding = chain.rescale->getAttrOfType<StringAttr>("qapeft.rounding");
    std::optional<QParams> qW = qparamsOf(c2d.getWeight());
    if (rounding && rounding.getValue() == "fp32_half_even" && qW &&
        !qW->perTensor())
      fcShape = false;
  }
  while (chain.out.hasOneUse()) {
    Operation *user = *chain.out.getUsers().begin();
    if (auto c = dyn_cast<tosa::ClampOp>(user); c && !chain.clamp) {
      chain.clamp = c;
    } else if (auto r = dyn_cast<tosa::ReshapeOp>(user);
               r && fcShape && !chain.after) {
      auto t = dyn_cast<RankedTensorType>(r.getType());
      if (!t || t.getRank() != 2 || t.getDimSize(1) != wType.getDimSize(0))
        break;
      chain.after = r;
    } else {
      break;
    }
    chain.out = user->getResult(0);
    chain.last = user;
  }
  if (chain.after)
    chain.before = c2d.getInput().getDefiningOp<tosa::ReshapeOp>();
  return chain;
}

/// conv2d / depthwise_conv2d -> rescale [-> clamp], written as CONV_2D,
/// DEPTHWISE_CONV_2D or FULLY_CONNECTED with a fused activation.
LogicalResult Exporter::exportConvLike(Operation *convOp) {
  auto conv = dyn_cast<tosa::Conv2DOp>(convOp);
  auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(convOp);
  Value input = convOp->getOperand(0), weight = convOp->getOperand(1),
        bias = convOp->getOperand(2);

  // The accumulator must go through exactly one rescale to the output type.
  ConvChain chain = matchChain(convOp);
  if (!chain.rescale)
    return convOp->emitError("TFLite export: the accumulator of ")
           << convOp->getName()
           << " must feed exactly one tosa.rescale (TFLite fuses the "
              "requantization into the convolution)";
  tosa::RescaleOp rescale = chain.rescale;
  tosa::ClampOp clamp = chain.clamp;
  Value out = chain.out;
  Operation *last = chain.last;
  for (Operation *op : {static_cast<Operation *>(chain.rescale),
                        static_cast<Operation *>(chain.clamp),
                        static_cast<Operation *>(chain.after)})
    if (op)
      fused.insert(op);
  bool fc = static_cast<bool>(chain.after);
  if (fc)
    input = chain.before.getInput1();

  // --- types and quantization
  Type inET = cast<ShapedType>(input.getType()).getElementType();
  Type wET = cast<ShapedType>(weight.getType()).getElementType();
  Type outET = cast<ShapedType>(out.getType()).getElementType();
  bool int8 = inET.isInteger(8) && wET.isInteger(8) && outET.isInteger(8);
  bool int16x8 = inET.isInteger(16) && wET.isInteger(8) && outET.isInteger(16);
  if (!int8 && !int16x8)
    return convOp->emitError("TFLite export: unsupported quantization scheme ")
           << inET << " x " << wET << " -> " << outET
           << " (TFLite has int8 and int16x8 convolutions)";

  std::optional<QParams> qIn = qparamsOf(input);
  std::optional<QParams> qW = qparamsOf(weight);
  std::optional<QParams> qOut = qparamsOf(out);
  if (!qIn || !qW || !qOut)
    return convOp->emitError("TFLite export: missing qapeft.scale on the ")
           << (!qIn ? "input" : !qW ? "weight" : "output") << " of "
           << convOp->getName();
  if (!qIn->perTensor() || !qOut->perTensor())
    return convOp->emitError(
        "TFLite export: activations must be quantized per tensor");

  auto inZp = convOp->getOperand(3), wZp = convOp->getOperand(4);
  auto inZpVals = constInts(inZp), wZpVals = constInts(wZp);
  if (!inZpVals || !wZpVals || inZpVals->empty() || wZpVals->empty())
    return convOp->emitError("TFLite export: zero points must be constants");
  if ((*inZpVals)[0] != qIn->zeroPoint[0])
    return convOp->emitError("TFLite export: input_zp ")
           << (*inZpVals)[0] << " differs from the input tensor's zero point "
           << qIn->zeroPoint[0];
  if ((*wZpVals)[0] != 0 ||
      llvm::any_of(qW->zeroPoint, [](int64_t z) { return z != 0; }))
    return convOp->emitError(
        "TFLite export: unsupported quantization scheme: TFLite needs "
        "symmetric weights (weight zero point 0)");
  if (int16x8 && qIn->zeroPoint[0] != 0)
    return convOp->emitError("TFLite export: int16 activations must be "
                             "symmetric (zero point 0)");

  auto wShape = cast<RankedTensorType>(weight.getType()).getShape();
  int64_t channels = dw ? wShape[2] * wShape[3] : wShape[0];
  if (qW->scale.size() != 1 && static_cast<int64_t>(qW->scale.size()) != channels)
    return convOp->emitError("TFLite export: weight has ")
           << qW->scale.size() << " scales for " << channels
           << " output channels";

  // --- the rescale must be the one TFLite derives from the scales
  auto rInZp = constInts(rescale.getInputZp());
  auto rOutZp = constInts(rescale.getOutputZp());
  auto mult = constInts(rescale.getMultiplier());
  auto shift = constInts(rescale.getShift());
  if (!rInZp || !rOutZp || !mult || !shift)
    return rescale.emitError("TFLite export: rescale operands must be "
                             "constants");
  if ((*rInZp)[0] != 0)
    return rescale.emitError("TFLite export: the accumulator rescale must "
                             "have input_zp 0");
  if ((*rOutZp)[0] != qOut->zeroPoint[0])
    return rescale.emitError("TFLite export: output_zp ")
           << (*rOutZp)[0] << " differs from the output zero point "
           << qOut->zeroPoint[0];
  bool scale32 = rescale.getScale32();
  if (!scale32 && !int16x8)
    return rescale.emitError("TFLite export: TFLite's int8 kernels requantize "
                             "with 32-bit multipliers (scale32 = true)");
  // XNNPACK-style requantization (fp32 multiply, ties to even) is described
  // by the float scale the runtime computes: it must be the one XNNPACK
  // derives from the file's scales.
  auto fp32Scales = rescale->getAttrOfType<ArrayAttr>("qapeft.fp32_scale");
  for (int64_t c = 0; fp32Scales && c < channels; ++c) {
    float sW = qW->scale[qW->perTensor() ? 0 : c];
    float expected = (qIn->scale[0] * sW) / qOut->scale[0];
    auto got = dyn_cast<FloatAttr>(
        fp32Scales[fp32Scales.size() == 1 ? 0 : std::min<int64_t>(c, fp32Scales.size() - 1)]);
    if (!got || static_cast<float>(got.getValueAsDouble()) != expected)
      return rescale.emitError("TFLite export: qapeft.fp32_scale of channel ")
             << c << " differs from the float32 scale XNNPACK derives from "
                "the file's scales ("
             << expected << ")";
  }
  for (int64_t c = 0; c < channels; ++c) {
    float sW = qW->scale[qW->perTensor() ? 0 : c];
    double real = static_cast<double>(qIn->scale[0]) * static_cast<double>(sW) /
                  static_cast<double>(qOut->scale[0]);
    auto [m, s] = tfliteConvRescale(real, int16x8, scale32);
    int64_t gotM = (*mult)[mult->size() == 1 ? 0 : c];
    int64_t gotS = (*shift)[shift->size() == 1 ? 0 : c];
    if (gotM != m || gotS != s)
      return rescale.emitError("TFLite export: channel ")
             << c << " rescales by multiplier " << gotM << " shift " << gotS
             << ", but TFLite derives multiplier " << m << " shift " << s
             << (int16x8 ? " (16-bit reduced, int16x8)" : "")
             << " from the scales (input " << qIn->scale[0]
             << ", weight " << sW << ", output " << qOut->scale[0]
             << "); the runtime would compute different values";
  }

  // --- fused activation
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE;
  if (clamp) {
    auto minA = dyn_cast<IntegerAttr>(clamp.getMinVal());
    auto maxA = dyn_cast<IntegerAttr>(clamp.getMaxVal());
    if (!minA || !maxA)
      return clamp.emitError("TFLite export: clamp bounds must be integers");
    int64_t lo = minA.getInt(), hi = maxA.getInt();
    bool found = false;
    for (auto a : {tflite::ActivationFunctionType::NONE,
                   tflite::ActivationFunctionType::RELU,
                   tflite::ActivationFunctionType::RELU6,
                   tflite::ActivationFunctionType::RELU_N1_TO_1}) {
      auto [amin, amax] = quantizedActivationRange(
          static_cast<int>(a), qOut->scale[0], qOut->zeroPoint[0],
          qmin(outET), qmax(outET));
      if (amin == lo && amax == hi) {
        act = a;
        found = true;
        break;
      }
    }
    if (!found)
      return clamp.emitError("TFLite export: clamp [")
             << lo << ", " << hi
             << "] is not the quantized range of RELU, RELU6 or "
                "RELU_N1_TO_1 for the output scale "
             << qOut->scale[0] << " and zero point " << qOut->zeroPoint[0];
  }

  // --- tensors
  auto inT = tensorFor(convOp, input);
  if (failed(inT))
    return failure();
  int inputTensor = *inT;
  ArrayRef<int64_t> pad = conv ? conv.getPad() : dw.getPad();
  ArrayRef<int64_t> stride = conv ? conv.getStride() : dw.getStride();
  ArrayRef<int64_t> dilation = conv ? conv.getDilation() : dw.getDilation();
  std::optional<tflite::Padding> pd;
  if (!fc) {
    auto inShape = cast<RankedTensorType>(input.getType()).getShape();
    auto outShape = cast<RankedTensorType>(out.getType()).getShape();
    int64_t kH = dw ? wShape[0] : wShape[1], kW = dw ? wShape[1] : wShape[2];
    pd = samePaddingOrValid(pad, inShape[1], inShape[2], kH, kW, stride,
                            dilation, outShape[1], outShape[2]);
    if (!pd) {
      // Padding TFLite's SAME cannot express (e.g. PyTorch-style [1, 0, 1, 0]
      // with stride 2): an explicit PAD, which fills with the zero point,
      // i.e. real zero, then a VALID convolution.
      auto padded = explicitPad(convOp, input, *inT, pad,
                                nameFor(convOp->getResult(0)) + "/pad");
      if (failed(padded))
        return failure();
      inputTensor = *padded;
      pd = tflite::Padding::VALID;
    }
  }
  QParams wq = *qW;
  SmallVector<int32_t> wTfShape;
  if (fc) {
    wTfShape = {static_cast<int32_t>(wShape[0]), static_cast<int32_t>(wShape[3])};
    wq.dim = 0;
  } else if (dw) {
    // TOSA [KH, KW, C, M] and TFLite [1, KH, KW, C*M] have the same bytes.
    wTfShape = {1, static_cast<int32_t>(wShape[0]),
                static_cast<int32_t>(wShape[1]), static_cast<int32_t>(channels)};
    wq.dim = 3;
  } else {
    wTfShape.assign(wShape.begin(), wShape.end());
    wq.dim = 0;
  }
  auto wT = constTensor(convOp, weight, wTfShape, wq);
  if (failed(wT))
    return failure();
  // Bias: one value per output channel, scale s_in * s_w, zero point 0.
  QParams bq;
  for (int64_t c = 0; c < channels; ++c)
    bq.scale.push_back(qIn->scale[0] * qW->scale[qW->perTensor() ? 0 : c]);
  bq.zeroPoint.assign(channels, 0);
  auto bT = constTensor(convOp, bias, {static_cast<int32_t>(channels)}, bq);
  if (failed(bT))
    return failure();
  auto outT = tensorFor(last, out);
  if (failed(outT))
    return failure();

  SmallVector<int> inputs = {inputTensor, *wT, *bT};
  if (fc) {
    auto opts = tflite::CreateFullyConnectedOptions(fbb, act);
    addOperator(tflite::BuiltinOperator::FULLY_CONNECTED, int8 ? 4 : 1, inputs,
                {*outT}, tflite::BuiltinOptions::FullyConnectedOptions,
                opts.Union());
    return success();
  }

  if (conv) {
    auto opts = tflite::CreateConv2DOptions(fbb, *pd, stride[1], stride[0], act,
                                            dilation[1], dilation[0]);
    addOperator(tflite::BuiltinOperator::CONV_2D, int8 ? 3 : 4, inputs,
                {*outT}, tflite::BuiltinOptions::Conv2DOptions, opts.Union());
  } else {
    auto opts = tflite::CreateDepthwiseConv2DOptions(
        fbb, *pd, stride[1], stride[0], static_cast<int32_t>(wShape[3]), act,
        dilation[1], dilation[0]);
    addOperator(tflite::BuiltinOperator::DEPTHWISE_CONV_2D, int8 ? 3 : 5,
                inputs, {*outT}, tflite::BuiltinOptions::DepthwiseConv2DOptions,
                opts.Union());
  }
  return success();
}

LogicalResult Exporter::exportReshape(tosa::ReshapeOp op) {
  auto in = tensorFor(op, op.getInput1());
  if (failed(in))
    return failure();
  auto shape = staticShape(op, op.getType());
  if (failed(shape))
    return failure();
  // The output first: an unnamed output is named after the tensor count
  // ("tensorN"), and the shape tensor after the output ("tensorN/shape"), so
  // an import and re-export finds both names in the file and writes the same
  // bytes (with the shape first, it took "tensorN/shape" while the output
  // became "tensorN+1", and the re-export renamed it). The name is taken
  // before the output tensor moves the count on.
  std::string outName = nameFor(op.getResult());
  auto out = tensorFor(op, op.getResult());
  if (failed(out))
    return failure();
  auto shapeT = intConstTensor(outName + "/shape", *shape);
  if (failed(shapeT))
    return failure();
  auto opts = tflite::CreateReshapeOptions(
      fbb, fbb.CreateVector(shape->data(), shape->size()));
  addOperator(tflite::BuiltinOperator::RESHAPE, 1, {*in, *shapeT}, {*out},
              tflite::BuiltinOptions::ReshapeOptions, opts.Union());
  return success();
}

LogicalResult Exporter::exportPool(Operation *op) {
  auto maxPool = dyn_cast<tosa::MaxPool2dOp>(op);
  auto avgPool = dyn_cast<tosa::AvgPool2dOp>(op);
  Value input = op->getOperand(0), out = op->getResult(0);
  Type et = cast<ShapedType>(input.getType()).getElementType();
  if (!et.isInteger(8) && !et.isInteger(16))
    return op->emitError("TFLite export: unsupported pooling type ") << et;
  std::optional<QParams> qIn = qparamsOf(input), qOut = qparamsOf(out);
  if (!qIn || !qOut)
    return op->emitError("TFLite export: missing qapeft.scale on pooling");
  // TFLite's quantized pooling neither rescales nor shifts zero points.
  if (qIn->scale != qOut->scale || qIn->zeroPoint != qOut->zeroPoint)
    return op->emitError("TFLite export: pooling must keep the input's "
                         "scale and zero point");
  if (avgPool) {
    auto izp = avgPool.getInputZeroPoint(), ozp = avgPool.getOutputZeroPoint();
    if (failed(izp) || failed(ozp) || *izp != qIn->zeroPoint[0] ||
        *ozp != qOut->zeroPoint[0])
      return op->emitError("TFLite export: avg_pool2d zero points must be "
                           "constants equal to the tensor's zero point");
  }
  ArrayRef<int64_t> kernel = maxPool ? maxPool.getKernel() : avgPool.getKernel();
  ArrayRef<int64_t> stride = maxPool ? maxPool.getStride() : avgPool.getStride();
  ArrayRef<int64_t> pad = maxPool ? maxPool.getPad() : avgPool.getPad();
  auto inShape = cast<RankedTensorType>(input.getType()).getShape();
  auto outShape = cast<RankedTensorType>(out.getType()).getShape();
  int64_t ones[2] = {1, 1};
  auto pd = padding(op, pad, inShape[1], inShape[2], kernel[0], kernel[1],
                    stride, ones, outShape[1], outShape[2]);
  if (failed(pd))
    return failure();
  auto inT = tensorFor(op, input);
  if (failed(inT))
    return failure();
  auto outT = tensorFor(op, out);
  if (failed(outT))
    return failure();
  auto opts = tflite::CreatePool2DOptions(fbb, *pd, stride[1], stride[0],
                                          kernel[1], kernel[0]);
  addOperator(maxPool ? tflite::BuiltinOperator::MAX_POOL_2D
                      : tflite::BuiltinOperator::AVERAGE_POOL_2D,
              et.isInteger(8) ? 2 : 3, {*inT}, {*outT},
              tflite::BuiltinOptions::Pool2DOptions, opts.Union());
  return success();
}

LogicalResult Exporter::exportConcat(tosa::ConcatOp op) {
  Type et = cast<ShapedType>(op.getType()).getElementType();
  if (!et.isInteger(8) && !et.isInteger(16))
    return op.emitError("TFLite export: unsupported concatenation type ") << et;
  std::optional<QParams> qOut = qparamsOf(op.getResult());
  if (!qOut)
    return op.emitError("TFLite export: missing qapeft.scale on concat");
  SmallVector<int> inputs;
  for (Value in : op.getInput1()) {
    // tosa.concat copies values; TFLite would requantize differing inputs.
    std::optional<QParams> q = qparamsOf(in);
    if (!q || q->scale != qOut->scale || q->zeroPoint != qOut->zeroPoint)
      return op.emitError("TFLite export: every concat input must have the "
                          "output's scale and zero point");
    auto t = tensorFor(op, in);
    if (failed(t))
      return failure();
    inputs.push_back(*t);
  }
  auto outT = tensorFor(op, op.getResult());
  if (failed(outT))
    return failure();
  auto opts = tflite::CreateConcatenationOptions(
      fbb, static_cast<int32_t>(op.getAxis()));
  addOperator(tflite::BuiltinOperator::CONCATENATION, et.isInteger(8) ? 2 : 3,
              inputs, {*outT}, tflite::BuiltinOptions::ConcatenationOptions,
              opts.Union());
  return success();
}

// exportRequantize: ExportRegions.cpp.

/// A clamp that is not a convolution's fused activation: RELU, RELU6 or
/// RELU_N1_TO_1 when its bounds are that activation's quantized range (the
/// kernels rescale by s_in / s_out = 1, which is exact), nothing when it is the
/// whole range of the type.
LogicalResult Exporter::exportClamp(tosa::ClampOp op) {
  Type et = cast<ShapedType>(op.getType()).getElementType();
  std::optional<QParams> qIn = qparamsOf(op.getInput());
  std::optional<QParams> qOut = qparamsOf(op.getResult());
  if (!et.isInteger(8) && !et.isInteger(16))
    return op.emitError("TFLite export: unsupported clamp type ") << et;
  if (!qIn || !qOut || !qIn->perTensor() || qIn->scale != qOut->scale ||
      qIn->zeroPoint != qOut->zeroPoint)
    return op.emitError("TFLite export: a clamp must keep its input's "
                        "per-tensor scale and zero point");
  auto minA = dyn_cast<IntegerAttr>(op.getMinVal());
  auto maxA = dyn_cast<IntegerAttr>(op.getMaxVal());
  if (!minA || !maxA)
    return op.emitError("TFLite export: clamp bounds must be integers");
  int64_t lo = minA.getInt(), hi = maxA.getInt();
  using A = tflite::ActivationFunctionType;
  std::optional<A> act;
  for (A a : {A::NONE, A::RELU, A::RELU6, A::RELU_N1_TO_1}) {
    auto [amin, amax] =
        quantizedActivationRange(static_cast<int>(a), qOut->scale[0],
                                 qOut->zeroPoint[0], qmin(et), qmax(et));
    if (amin == lo && amax == hi) {
      act = a;
      break;
    }
  }
  if (!act)
    return op.emitError("TFLite export: clamp [")
           << lo << ", " << hi
           << "] is not the quantized range of RELU, RELU6 or RELU_N1_TO_1 "
              "for scale "
           << qOut->scale[0] << " and zero point " << qOut->zeroPoint[0];
  auto in = tensorFor(op, op.getInput());
  if (failed(in))
    return failure();
  if (*act == A::NONE) {
    // Saturation to the type's range: the identity on stored values.
    valueTensors[op.getResult()] = *in;
    return success();
  }
  auto out = tensorFor(op, op.getResult());
  if (failed(out))
    return failure();
  tflite::BuiltinOperator code = *act == A::RELU    ? tflite::BuiltinOperator::RELU
                                 : *act == A::RELU6 ? tflite::BuiltinOperator::RELU6
                                                    : tflite::BuiltinOperator::RELU_N1_TO_1;
  // op_version.cc: RELU int8 2, int16 3; RELU6 int8 2, int16 3;
  // RELU_N1_TO_1 has a single version.
  int version = code == tflite::BuiltinOperator::RELU_N1_TO_1 ? 1
                : et.isInteger(8)                            ? 2
                                                             : 3;
  addOperator(code, version, {*in}, {*out});
  return success();
}

/// tosa.pad filling with the tensor's zero point is TFLite's quantized PAD.
LogicalResult Exporter::exportPad(tosa::PadOp op) {
  std::optional<QParams> qIn = qparamsOf(op.getInput1());
  std::optional<QParams> qOut = qparamsOf(op.getResult());
  auto padConst = constInts(op.getPadConst());
  auto padding = op.getPadding().getDefiningOp<tosa::ConstShapeOp>();
  if (!qIn || !qOut || qIn->scale != qOut->scale ||
      qIn->zeroPoint != qOut->zeroPoint)
    return op.emitError("TFLite export: pad must keep the input's scale and "
                        "zero point");
  if (!padConst || padConst->empty() || (*padConst)[0] != qIn->zeroPoint[0])
    return op.emitError("TFLite export: TFLite's quantized PAD fills with the "
                        "zero point; pad_const must be that constant");
  if (!padding)
    return op.emitError("TFLite export: padding must be a tosa.const_shape");
  SmallVector<int32_t> paddings;
  for (const APInt &v : padding.getValues().getValues<APInt>())
    paddings.push_back(static_cast<int32_t>(v.getSExtValue()));
  auto in = tensorFor(op, op.getInput1());
  if (failed(in))
    return failure();
  int32_t rank = paddings.size() / 2;
  auto padT = intConstTensor(nameFor(op.getResult()) + "/paddings", paddings,
                             {rank, 2});
  if (failed(padT))
    return failure();
  auto out = tensorFor(op, op.getResult());
  if (failed(out))
    return failure();
  Type et = cast<ShapedType>(op.getType()).getElementType();
  auto opts = tflite::CreatePadOptions(fbb);
  addOperator(tflite::BuiltinOperator::PAD, et.isInteger(16) ? 3 : 2,
              {*in, *padT}, {*out}, tflite::BuiltinOptions::PadOptions,
              opts.Union());
  return success();
}

LogicalResult Exporter::run(llvm::raw_ostream &os) {
  if (options.batch < 1)
    return module.emitError("TFLite export: --batch must be at least 1");
  func::FuncOp func = module.lookupSymbol<func::FuncOp>("forward");
  if (!func) {
    auto funcs = module.getOps<func::FuncOp>();
    if (std::distance(funcs.begin(), funcs.end()) != 1)
      return module.emitError("TFLite export: expected a @forward function "
                              "or exactly one function");
    func = *funcs.begin();
  }
  if (!func.getBody().hasOneBlock())
    return func.emitError("TFLite export: the function must have one block");

  // Buffer 0 is TFLite's always-present empty buffer.
  buffers.push_back(tflite::CreateBuffer(fbb));

  SmallVector<int> inputs, outputs;
  for (BlockArgument arg : func.getArguments()) {
    auto t = tensorFor(func, arg);
    if (failed(t))
      return failure();
    inputs.push_back(*t);
  }

  // Reshapes feeding a FULLY_CONNECTED pattern are part of that operator.
  func.walk([&](tosa::Conv2DOp conv) {
    ConvChain chain = matchChain(conv);
    if (chain.after && chain.before.getResult().hasOneUse())
      fused.insert(chain.before);
  });

  for (Operation &op : func.getBody().front()) {
    if (fused.contains(&op) || isa<tosa::ConstOp, tosa::ConstShapeOp>(op))
      continue;
    LogicalResult result = success();
    if (std::optional<LogicalResult> r = exportElementwise(&op))
      result = *r;
    else if (std::optional<LogicalResult> r = exportActivation(&op))
      result = *r;
    else if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
      result = exportConvLike(&op);
    else if (auto r = dyn_cast<tosa::ReshapeOp>(op))
      result = exportReshape(r);
    else if (isa<tosa::MaxPool2dOp, tosa::AvgPool2dOp>(op))
      result = exportPool(&op);
    else if (auto c = dyn_cast<tosa::ConcatOp>(op))
      result = exportConcat(c);
    else if (auto p = dyn_cast<tosa::PadOp>(op))
      result = exportPad(p);
    else if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        auto t = tensorFor(ret, v);
        if (failed(t))
          return failure();
        outputs.push_back(*t);
      }
    } else if (auto r = dyn_cast<tosa::RescaleOp>(op))
      result = exportRequantize(r);
    else if (auto c = dyn_cast<tosa::ClampOp>(op))
      result = exportClamp(c);
    else
      return op.emitError("TFLite export: '")
             << op.getName() << "' has no TFLite operator mapping";
    if (failed(result))
      return failure();
  }

  // --- operator codes, with the oldest runtime that runs all of them
  std::vector<fb::Offset<tflite::OperatorCode>> codes;
  std::string minRuntime = "1.5.0";
  auto versionLess = [](StringRef a, StringRef b) {
    SmallVector<StringRef> pa, pb;
    a.split(pa, '.');
    b.split(pb, '.');
    for (size_t i = 0; i < std::min(pa.size(), pb.size()); ++i) {
      unsigned x = 0, y = 0;
      pa[i].getAsInteger(10, x);
      pb[i].getAsInteger(10, y);
      if (x != y)
        return x < y;
    }
    return pa.size() < pb.size();
  };
  for (auto [op, version] : opcodes) {
    StringRef rt = minRuntimeVersion(op, version);
    if (!rt.empty() && versionLess(minRuntime, rt))
      minRuntime = rt.str();
    int8_t deprecated = static_cast<int8_t>(
        std::min<int32_t>(static_cast<int32_t>(op), 127));
    codes.push_back(tflite::CreateOperatorCode(fbb, deprecated, 0, version, op));
  }

  // --- metadata: min_runtime_version as TFLite writes it (16 bytes, the
  // version string zero-padded).
  std::vector<uint8_t> rtBytes(16, 0);
  std::copy(minRuntime.begin(), minRuntime.end(), rtBytes.begin());
  unsigned rtBuffer = addBuffer(rtBytes);
  std::string target = options.targetName;
  if (target.empty()) {
    if (auto t = module->getAttrOfType<StringAttr>("qapeft.target"))
      target = t.getValue().str();
    else if (auto d = module->getAttrOfType<DictionaryAttr>("qapeft.target"))
      if (auto n = d.getAs<StringAttr>("name"))
        target = n.getValue().str();
  }
  if (target.empty())
    target = "generic";
  std::string description =
      "qapeft integer model for target " + target + " (qapeft-translate)";
  std::vector<uint8_t> descBytes(description.begin(), description.end());
  unsigned descBuffer = addBuffer(descBytes);
  std::vector<fb::Offset<tflite::Metadata>> metadata = {
      tflite::CreateMetadata(fbb, fbb.CreateString("min_runtime_version"),
                             rtBuffer),
      tflite::CreateMetadata(fbb, fbb.CreateString("qapeft_description"),
                             descBuffer)};

  // --- signature: inputs and outputs by name
  std::vector<fb::Offset<tflite::TensorMap>> sigIn, sigOut;
  for (auto [k, t] : llvm::enumerate(inputs))
    sigIn.push_back(tflite::CreateTensorMap(
        fbb, fbb.CreateString(llvm::formatv("input_{0}", k).str()), t));
  for (auto [k, t] : llvm::enumerate(outputs))
    sigOut.push_back(tflite::CreateTensorMap(
        fbb, fbb.CreateString(llvm::formatv("output_{0}", k).str()), t));
  auto sigInVec = fbb.CreateVector(sigIn);
  auto sigOutVec = fbb.CreateVector(sigOut);
  auto sig = tflite::CreateSignatureDef(
      fbb, sigInVec, sigOutVec, fbb.CreateString("serving_default"), 0);

  auto tensorsVec = fbb.CreateVector(tensors);
  auto inVec = fbb.CreateVector(inputs.data(), inputs.size());
  auto outVec = fbb.CreateVector(outputs.data(), outputs.size());
  auto opsVec = fbb.CreateVector(operators);
  auto subgraph = tflite::CreateSubGraph(fbb, tensorsVec, inVec, outVec, opsVec,
                                         fbb.CreateString("main"));
  auto codesVec = fbb.CreateVector(codes);
  auto subgraphs = fbb.CreateVector(&subgraph, 1);
  auto descStr = fbb.CreateString(description);
  auto buffersVec = fbb.CreateVector(buffers);
  auto metadataVec = fbb.CreateVector(metadata);
  auto sigVec = fbb.CreateVector(&sig, 1);
  auto model = tflite::CreateModel(fbb, /*version=*/3, codesVec, subgraphs,
                                   descStr, buffersVec, 0, metadataVec, sigVec);
  tflite::FinishModelBuffer(fbb, model);
  os.write(reinterpret_cast<const char *>(fbb.GetBufferPointer()),
           fbb.GetSize());
  return success();
}

LogicalResult mlir::qapeft::exportToTFLite(ModuleOp module,
                                           llvm::raw_ostream &os,
                                           const TFLiteExportOptions &options) {
  Exporter exporter(module, options);
  return exporter.run(os);
}
