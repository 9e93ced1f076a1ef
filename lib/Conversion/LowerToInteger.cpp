//===- LowerToInteger.cpp - QA-PEFT form to integer-only TOSA -------------===//
//
// Implements --qapeft-lower-to-integer (Passes.td documents the contract).
//
// The lowering walks each function once, in order, building the integer ops
// right before the float ops they replace and mapping every quantized float
// value (the result of a qapeft.fake_quant) to its integer counterpart. A
// conv is lowered together with the chain that leads to its output quantizer
// (reshapes, the fused clamp, an (IA)^3 scale), because the integer form of
// that chain is a single requantization whose multiplier depends on the
// output scale. Afterwards the float ops are erased and the signature
// becomes integer.
//
//===----------------------------------------------------------------------===//

#include "ConversionUtils.h"
#include "FunctionLowering.h"

#include "qapeft/Conversion/Passes.h"
#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Dialect/QAPeft/Utils/Rounding.h"
#include "qapeft/Numerics/Requantize.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <cstdlib>

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_LOWERTOINTEGER
#include "qapeft/Conversion/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;
namespace num = mlir::qapeft::numerics;
using namespace mlir::qapeft::lowering;


namespace mlir {
namespace qapeft {
namespace lowering {


/// Attaches the conventions' quantization attributes to `op`.
void setQuantAttrs(Operation *op, const QInfo &q) {
  Builder b(op->getContext());
  op->setAttr("qapeft.scale", b.getF32ArrayAttr(q.scales));
  op->setAttr("qapeft.zero_point", b.getI64ArrayAttr(q.zeroPoints));
  if (!q.isPerTensor())
    op->setAttr("qapeft.quantized_dimension", b.getI64IntegerAttr(q.axis));
}

/// Names the integer op that yields the value of the activation fake quant
/// `fq` after the tensor ("conv1" for its scale param "conv1.scale"), as
/// `qapeft.tensor`, so tools (qapeft-sim compare) pair each integer tensor
/// with the fake-quant model's without relying on locations or scales. The
/// first fake quant mapped to a value names it.
void setTensorName(Value v, FakeQuantOp fq) {
  Operation *def = v.getDefiningOp();
  auto param = fq.getScale().getDefiningOp<ParamOp>();
  if (!def || !param || def->hasAttr("qapeft.tensor"))
    return;
  StringRef name = param.getName();
  name.consume_back(".scale");
  def->setAttr("qapeft.tensor", StringAttr::get(def->getContext(), name));
}

NamedAttrList quantArgAttrs(MLIRContext *ctx, const QInfo &q) {
  Builder b(ctx);
  NamedAttrList attrs;
  attrs.set("qapeft.scale", b.getF32ArrayAttr(q.scales));
  attrs.set("qapeft.zero_point", b.getI64ArrayAttr(q.zeroPoints));
  if (!q.isPerTensor())
    attrs.set("qapeft.quantized_dimension", b.getI64IntegerAttr(q.axis));
  return attrs;
}

RankedTensorType withElement(Type t, Type element) {
  auto rt = cast<RankedTensorType>(t);
  return RankedTensorType::get(rt.getShape(), element);
}

/// An integer tosa.const of `type` from int64 values.
Value intConst(OpBuilder &b, Location loc, RankedTensorType type,
               ArrayRef<int64_t> values) {
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  SmallVector<APInt> ints;
  ints.reserve(values.size());
  for (int64_t v : values)
    ints.push_back(APInt(width, static_cast<uint64_t>(v), /*isSigned=*/true,
                         /*implicitTrunc=*/true));
  return tosa::ConstOp::create(b, loc, type,
                               DenseElementsAttr::get(type, ints));
}

Value scalarConst(OpBuilder &b, Location loc, Type element, int64_t v) {
  return intConst(b, loc, RankedTensorType::get({1}, element), {v});
}


/// A rank-`rank` f32 or integer splat constant of shape [1, ..., 1].
Value broadcastConst(OpBuilder &b, Location loc, int64_t rank, Type elem,
                     double value) {
  auto type = RankedTensorType::get(SmallVector<int64_t>(rank, 1), elem);
  Attribute v = isa<FloatType>(elem)
                    ? Attribute(b.getFloatAttr(elem, value))
                    : Attribute(b.getIntegerAttr(elem, int64_t(value)));
  return tosa::ConstOp::create(b, loc, type,
                               DenseElementsAttr::get(type, v));
}


FailureOr<QInfo> FunctionLowering::activationInfo(FakeQuantOp fq) {
  QuantSchemeAttr scheme = fq.getScheme();
  auto scales = getConstantFloats(fq.getScale());
  auto zps = getConstantFloats(fq.getZeroPoint());
  if (!scales || !zps)
    return fq.emitError("cannot lower to integer: the activation scale and "
                        "zero point must be calibrated constants "
                        "(qapeft.param or tosa.const)");
  if (scheme.isPerGroup() || scheme.isPerChannel())
    return fq.emitError("cannot lower to integer: activations must be "
                        "quantized per tensor");
  QInfo q;
  q.scales.assign(scales->begin(), scales->end());
  for (float z : *zps)
    q.zeroPoints.push_back(static_cast<int64_t>(std::nearbyint(z)));
  q.storage = scheme.getStorage();
  q.qmin = scheme.getQMin();
  q.qmax = scheme.getQMax();
  if (q.storage.getWidth() != 8 && q.storage.getWidth() != 16)
    return fq.emitError("cannot lower to integer: activations must be "
                        "stored in i8 or i16, got ")
           << q.storage;
  if (!scheme.getIsSigned())
    return fq.emitError("cannot lower to integer: unsigned activations are "
                        "not supported (TOSA 1.0 int profile is signed)");
  for (float s : q.scales)
    if (!(s > 0.0f) || !std::isfinite(s))
      return fq.emitError("cannot lower to integer: activation scale ")
             << s << " is not finite and positive";
  return q;
}

FailureOr<FunctionLowering::UnitOutput>
FunctionLowering::unitOutput(Operation *op, Value result, StringRef what,
                             unsigned bits, const Twine &output,
                             StringRef why) {
  FakeQuantOp outFq;
  if (result.hasOneUse())
    outFq = dyn_cast<FakeQuantOp>(*result.getUsers().begin());
  if (!outFq)
    return op->emitError("cannot lower to integer: the result of this ")
           << what << " must feed exactly one qapeft.fake_quant";
  FailureOr<QInfo> q = activationInfo(outFq);
  if (failed(q))
    return failure();
  if (!q->isPerTensor() || q->storage.getWidth() != bits)
    return outFq.emitError("cannot lower to integer: ")
           << output << " must be quantized per tensor in int" << bits << why;
  return UnitOutput{outFq, *q};
}

void FunctionLowering::finishUnit(Operation *op, Value result,
                                  FakeQuantOp outFq, Value value) {
  handled.insert(op);
  handled.insert(outFq);
  intValues[result] = value;
  intValues[outFq.getOutput()] = value;
  setTensorName(value, outFq);
}

num::Rounding FunctionLowering::roundingFor(FakeQuantOp outFq) const {
  if (roundingOverride)
    return *roundingOverride;
  DictionaryAttr target;
  if (auto module = func->getParentOfType<ModuleOp>())
    target = module->getAttrOfType<DictionaryAttr>("qapeft.target");
  return toNumericsRounding(targetOrSchemeRounding(target, outFq));
}

Value FunctionLowering::shapeOperand(Value oldShape) {
  if (Value v = clonedShapes.lookup(oldShape))
    return v;
  // Only constant shapes survive the erasure of the float ops.
  auto def = oldShape.getDefiningOp<tosa::ConstShapeOp>();
  if (!def)
    return Value();
  Operation *clone = builder.clone(*def);
  newOps.insert(clone);
  clonedShapes[oldShape] = clone->getResult(0);
  return clone->getResult(0);
}


Value FunctionLowering::emitQuantize(Location loc, Value x, const QInfo &q) {
  auto t = cast<RankedTensorType>(x.getType());
  int64_t rank = t.getRank();
  Type f32 = builder.getF32Type(), i32 = builder.getI32Type();
  Value inv = broadcastConst(builder, loc, rank, f32, 1.0f / q.scales[0]);
  Value shift = scalarConst(builder, loc, builder.getI8Type(), 0);
  Value scaled = tosa::MulOp::create(builder, loc, t, x, inv, shift);
  // Clamp relative to the zero point in float (the int profile has no i32
  // clamp); rounding is monotone, so this equals clamping the codes.
  Value bounded = tosa::ClampOp::create(
      builder, loc, t, scaled,
      builder.getF32FloatAttr(static_cast<float>(q.qmin - q.zeroPoints[0])),
      builder.getF32FloatAttr(static_cast<float>(q.qmax - q.zeroPoints[0])));
  // TOSA's float-to-int cast rounds half to even.
  Value codes = tosa::CastOp::create(builder, loc, withElement(t, i32),
                                     bounded);
  Value zp = broadcastConst(builder, loc, rank, i32, q.zeroPoints[0]);
  Value clamped = tosa::AddOp::create(builder, loc, withElement(t, i32),
                                      codes, zp);
  auto out = tosa::CastOp::create(builder, loc, withElement(t, q.storage),
                                  clamped);
  setQuantAttrs(out, q);
  return out;
}

Value FunctionLowering::emitDequantize(Location loc, Value v,
                                       const QInfo &q) {
  auto t = cast<RankedTensorType>(v.getType());
  int64_t rank = t.getRank();
  Type f32 = builder.getF32Type();
  auto ft = withElement(t, f32);
  Value f = tosa::CastOp::create(builder, loc, ft, v);
  Value zp = broadcastConst(builder, loc, rank, f32, q.zeroPoints[0]);
  Value centered = tosa::SubOp::create(builder, loc, ft, f, zp);
  Value scale = broadcastConst(builder, loc, rank, f32, q.scales[0]);
  Value shift = scalarConst(builder, loc, builder.getI8Type(), 0);
  return tosa::MulOp::create(builder, loc, ft, centered, scale, shift);
}

LogicalResult FunctionLowering::lowerArguments() {
  Block &entry = func.getBody().front();
  for (BlockArgument arg : entry.getArguments()) {
    if (arg.use_empty())
      continue;
    std::optional<QInfo> info;
    for (Operation *user : arg.getUsers()) {
      auto fq = dyn_cast<FakeQuantOp>(user);
      if (!fq)
        return user->emitError("cannot lower to integer: function argument ")
               << arg.getArgNumber()
               << " is used without a qapeft.fake_quant";
      FailureOr<QInfo> q = activationInfo(fq);
      if (failed(q))
        return failure();
      if (info && !(*info == *q))
        return fq.emitError("cannot lower to integer: function argument ")
               << arg.getArgNumber() << " is quantized in two ways";
      info = *q;
      handled.insert(fq);
    }
    Value in = arg;
    if (floatIO) {
      builder.setInsertionPointToStart(&entry);
      in = emitQuantize(arg.getLoc(), arg, *info);
    } else {
      argInfos[arg.getArgNumber()] = *info;
    }
    for (Operation *user : arg.getUsers())
      if (auto fq = dyn_cast<FakeQuantOp>(user))
        intValues[fq.getOutput()] = in;
    infos[in] = *info;
  }
  return success();
}

FailureOr<Value> FunctionLowering::emitRescale(
    Operation *anchor, Value acc, int64_t inZp, ArrayRef<double> realScales,
    ArrayRef<float> fp32Scales, const QInfo &out, num::Rounding mode) {
  Location loc = anchor->getLoc();
  auto accType = cast<RankedTensorType>(acc.getType());
  // A function argument keeps its float type until finish() retypes it, so
  // its integer element comes from its quantization.
  auto accElem = dyn_cast<IntegerType>(accType.getElementType());
  if (!accElem)
    accElem = infos.lookup(acc).storage;
  if (!accElem)
    return anchor->emitError("cannot lower to integer: the input of this "
                             "requantization has no integer type");
  // A 48-bit accumulator (int16x8) takes TFLite's reduced 16-bit multiplier;
  // TOSA requires scale32 = false for i48 inputs.
  bool scale32 = accElem.getWidth() != 48;
  SmallVector<int64_t> mults, shifts;
  for (auto [c, real] : llvm::enumerate(realScales)) {
    std::optional<num::TosaScale> ts =
        num::rescaleMultiplier(real, mode, scale32);
    if (!ts)
      return anchor->emitError("cannot lower to integer: requantization "
                               "scale ")
             << real << " (channel " << c
             << ") has no TOSA multiplier/shift (shift must be in [2, 62])";
    mults.push_back(ts->multiplier);
    shifts.push_back(ts->shift);
  }
  bool perChannel = false;
  for (size_t c = 1; c < mults.size(); ++c)
    if (mults[c] != mults[0] || shifts[c] != shifts[0] ||
        (!fp32Scales.empty() && fp32Scales[c] != fp32Scales[0]))
      perChannel = true;
  if (!perChannel) {
    mults.resize(1);
    shifts.resize(1);
  }
  int64_t n = static_cast<int64_t>(mults.size());
  Type multElem = builder.getIntegerType(scale32 ? 32 : 16);
  Value mult = intConst(builder, loc, RankedTensorType::get({n}, multElem),
                        mults);
  Value shift = intConst(builder, loc,
                         RankedTensorType::get({n}, builder.getI8Type()),
                         shifts);
  Value izp = scalarConst(builder, loc, accElem, inZp);
  Value ozp = scalarConst(builder, loc, out.storage, out.zeroPoints[0]);
  tosa::RoundingMode tosaMode = tosa::RoundingMode::SINGLE_ROUND;
  // 16-bit multipliers have one rounding in every runtime (TFLite's int64
  // MultiplyByQuantizedMultiplier, TOSA apply_scale_16), and TOSA rejects
  // DOUBLE_ROUND with scale32 = false.
  if (mode == num::Rounding::Double && !scale32)
    mode = num::Rounding::Single;
  // XNNPACK takes no int16 operator: on an XNNPACK target an int16x8
  // region's convolutions run on TFLite's builtin 16x8 kernels (probed: the
  // mixed example CNN is bit-exact on the default path this way, 3 of 40
  // outputs differ with fp32 requantization; LowerRegions.cpp).
  if (mode == num::Rounding::Fp32HalfEven && !scale32)
    mode = num::Rounding::Single;
  if (mode == num::Rounding::Double)
    tosaMode = tosa::RoundingMode::DOUBLE_ROUND;
  else if (mode != num::Rounding::Single)
    tosaMode = tosa::RoundingMode::INEXACT_ROUND;
  auto rescale = tosa::RescaleOp::create(
      builder, loc, withElement(accType, out.storage), acc, mult, shift, izp,
      ozp, builder.getBoolAttr(scale32),
      tosa::RoundingModeAttr::get(ctx, tosaMode),
      builder.getBoolAttr(perChannel), builder.getBoolAttr(false),
      builder.getBoolAttr(false));
  if (mode == num::Rounding::Fp32HalfEven ||
      mode == num::Rounding::HalfAway)
    rescale->setAttr("qapeft.rounding",
                     builder.getStringAttr(num::roundingName(mode)));
  if (mode == num::Rounding::Fp32HalfEven) {
    SmallVector<float> fs(fp32Scales.begin(),
                          fp32Scales.begin() + (perChannel ? n : 1));
    rescale->setAttr("qapeft.fp32_scale", builder.getF32ArrayAttr(fs));
  }
  setQuantAttrs(rescale, out);
  return rescale.getResult();
}

/// TFLite requantizes one quantized activation to another with QUANTIZE,
/// whose arithmetic is not that of the target's convolutions:
/// - builtin kernels (rounding `single`): MultiplyByQuantizedMultiplier on
///   int32, which rounds twice even in a runtime whose convolutions round
///   once (probed on every int8 code, e.g. 1/256 -> 0.01724 at shift 33
///   differs from single rounding in 32 of 256 codes): TOSA DOUBLE_ROUND.
///   Below shift 32 apply_scale_32 rounds once in both modes, so there the
///   rescale stays SINGLE_ROUND (no doubleround extension needed).
/// - XNNPACK (rounding `fp32-half-even`), int8 -> int8: XNNPACK's 8-bit
///   fixed point (numerics::xnnpackQuantizeScale, which has the probe)
///   where the delegate takes the node, marked qapeft.rounding =
///   "xnnpack_q8" so the exporter can check it; elsewhere, and for int16
///   (XNNPACK takes no int16 node), the builtin kernel's rounding as above.
/// Other targets (double, half-away) requantize in their own rounding.
FailureOr<Value> FunctionLowering::emitActivationRequantize(FakeQuantOp outFq,
                                                            Value in,
                                                            const QInfo &inQ,
                                                            const QInfo &outQ) {
  num::Rounding mode = roundingFor(outFq);
  double real = double(inQ.scales[0]) / double(outQ.scales[0]);
  float fp = inQ.scales[0] / outQ.scales[0];
  if (mode == num::Rounding::Fp32HalfEven) {
    std::optional<num::TosaScale> xs;
    if (inQ.storage.getWidth() == 8 && outQ.storage.getWidth() == 8)
      xs = num::xnnpackQuantizeScale(fp);
    if (xs) {
      Location loc = outFq.getLoc();
      auto inType = cast<RankedTensorType>(in.getType());
      Value mult = intConst(builder, loc,
                            RankedTensorType::get({1}, builder.getI32Type()),
                            {xs->multiplier});
      Value shift = intConst(builder, loc,
                             RankedTensorType::get({1}, builder.getI8Type()),
                             {xs->shift});
      Value izp = scalarConst(builder, loc, inQ.storage, inQ.zeroPoints[0]);
      Value ozp = scalarConst(builder, loc, outQ.storage, outQ.zeroPoints[0]);
      auto rescale = tosa::RescaleOp::create(
          builder, loc, withElement(inType, outQ.storage), in, mult, shift,
          izp, ozp, builder.getBoolAttr(true),
          tosa::RoundingModeAttr::get(ctx, tosa::RoundingMode::SINGLE_ROUND),
          builder.getBoolAttr(false), builder.getBoolAttr(false),
          builder.getBoolAttr(false));
      rescale->setAttr("qapeft.rounding", builder.getStringAttr("xnnpack_q8"));
      setQuantAttrs(rescale, outQ);
      infos[rescale.getResult()] = outQ;
      return rescale.getResult();
    }
    // XNNPACK takes no int16 QUANTIZE, nor an int8 one outside its range:
    // the builtin QUANTIZE runs these nodes on an XNNPACK target too.
    mode = num::Rounding::Single;
  }
  if (mode == num::Rounding::Single) {
    std::optional<num::TosaScale> once =
        num::rescaleMultiplier(real, num::Rounding::Single, true);
    std::optional<num::TosaScale> twice =
        num::rescaleMultiplier(real, num::Rounding::Double, true);
    if (!once || !twice || !(*once == *twice) || twice->shift > 31)
      mode = num::Rounding::Double;
  }
  // The rescale subtracts the input zero point itself.
  FailureOr<Value> r = emitRescale(outFq, in, inQ.zeroPoints[0], {real}, {fp},
                                   outQ, mode);
  if (succeeded(r))
    infos[*r] = outQ;
  return r;
}

FailureOr<FunctionLowering::Chain>
FunctionLowering::walkChain(Operation *producer, StringRef what,
                            int64_t outChannels) {
  Chain chain;
  Value v = producer->getResult(0);
  while (true) {
    if (!v.hasOneUse())
      return producer->emitError("cannot lower to integer: the result of "
                                 "this ")
             << what << " must flow through one chain (reshape, clamp, "
             << "(IA)^3) into one qapeft.fake_quant";
    Operation *user = *v.getUsers().begin();
    if (auto fq = dyn_cast<FakeQuantOp>(user)) {
      FailureOr<QInfo> outQ = activationInfo(fq);
      if (failed(outQ))
        return failure();
      chain.outFq = fq;
      chain.outQ = *outQ;
      return chain;
    }
    if (auto i = dyn_cast<IA3Op>(user)) {
      auto l = getConstantFloats(i.getScale());
      auto t = cast<RankedTensorType>(i.getInput().getType());
      if (chain.ia3 || !l ||
          static_cast<int64_t>(i.getAxis()) != t.getRank() - 1 ||
          static_cast<int64_t>(l->size()) != outChannels)
        return i.emitError("cannot lower to integer: only one (IA)^3 scale "
                           "with constant values on the channel axis can "
                           "be folded");
      for (float f : *l)
        if (!(f > 0.0f))
          return i.emitError("cannot lower to integer: (IA)^3 scale ")
                 << f << " is not positive and cannot be folded into a "
                 << "requantization scale";
      chain.ia3 = *l;
    } else if (!isa<tosa::ReshapeOp, tosa::ClampOp>(user)) {
      return user->emitError("cannot lower to integer: no integer lowering "
                             "for this op between a ")
             << what << " and its output quantizer";
    }
    chain.ops.push_back(user);
    v = user->getResult(0);
  }
}

LogicalResult FunctionLowering::emitChain(Value &value, const Chain &chain,
                                          const QInfo &outQ) {
  for (Operation *op : chain.ops) {
    handled.insert(op);
    if (isa<IA3Op>(op))
      continue;
    if (auto r = dyn_cast<tosa::ReshapeOp>(op)) {
      Value shape = shapeOperand(r.getShape());
      if (!shape)
        return r.emitError("cannot lower to integer: the shape must be a "
                           "tosa.const_shape");
      auto nr = tosa::ReshapeOp::create(
          builder, r.getLoc(), withElement(r.getType(), outQ.storage), value,
          shape);
      setQuantAttrs(nr, outQ);
      value = nr.getResult();
      continue;
    }
    auto clamp = cast<tosa::ClampOp>(op);
    auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!lo || !hi)
      return clamp.emitError("cannot lower to integer: expected a float "
                             "clamp");
    // round() is monotone, so quantize(clamp(y, lo, hi)) equals
    // clamp(quantize(y), quantize(lo), quantize(hi)).
    int64_t qlo = num::quantizeFloat(lo.getValueAsDouble(), outQ.scales[0],
                                     outQ.zeroPoints[0], outQ.qmin, outQ.qmax);
    int64_t qhi = num::quantizeFloat(hi.getValueAsDouble(), outQ.scales[0],
                                     outQ.zeroPoints[0], outQ.qmin, outQ.qmax);
    auto nc = tosa::ClampOp::create(
        builder, clamp.getLoc(), withElement(clamp.getType(), outQ.storage),
        value, builder.getIntegerAttr(outQ.storage, qlo),
        builder.getIntegerAttr(outQ.storage, qhi));
    setQuantAttrs(nc, outQ);
    value = nc.getResult();
  }
  FakeQuantOp outFq = chain.outFq;
  handled.insert(outFq);
  intValues[outFq.getOutput()] = value;
  setTensorName(value, outFq);
  infos[value] = outQ;
  return success();
}

LogicalResult FunctionLowering::lowerConv(Operation *conv) {
  bool depthwise = isa<tosa::DepthwiseConv2DOp>(conv);
  StringRef what = depthwise ? "tosa.depthwise_conv2d" : "tosa.conv2d";
  Value input = lookupInt(conv->getOperand(0));
  if (!input)
    return conv->emitError("cannot lower to integer: the input of this ")
           << what << " is not fake quantized";
  const QInfo inQ = infos.lookup(input);

  // --- Weight: fake_quant(constant) with constant or weight_range scales.
  auto wfq = conv->getOperand(1).getDefiningOp<FakeQuantOp>();
  if (!wfq)
    return conv->emitError("cannot lower to integer: the weight of this ")
           << what << " is not fake quantized";
  if (conv->getOperand(1).getDefiningOp<LoraDeltaOp>() ||
      wfq.getInput().getDefiningOp<LoraDeltaOp>())
    return conv->emitError("cannot lower to integer: the weight still has a "
                           "LoRA delta; run --qapeft-merge-adapters first");
  auto wType = dyn_cast<RankedTensorType>(wfq.getInput().getType());
  auto wVals = getConstantFloats(wfq.getInput());
  if (!wVals || !wType || !wType.hasStaticShape())
    return conv->emitError("cannot lower to integer: the weight is not a "
                           "static compile-time tensor");
  QuantSchemeAttr wScheme = wfq.getScheme();
  SmallVector<float> wScales, wZps;
  if (auto range = wfq.getScale().getDefiningOp<WeightRangeOp>()) {
    if (range.getWeight() != wfq.getInput())
      return wfq.emitError("cannot lower to integer: qapeft.weight_range "
                           "measures another tensor than it quantizes");
    computeWeightRange(*wVals, wType.getShape(), range.getScheme(), wScales,
                       wZps);
  } else {
    auto s = getConstantFloats(wfq.getScale());
    auto z = getConstantFloats(wfq.getZeroPoint());
    if (!s || !z)
      return wfq.emitError("cannot lower to integer: the weight scale must "
                           "be a constant or a qapeft.weight_range");
    wScales.assign(s->begin(), s->end());
    wZps.assign(z->begin(), z->end());
  }
  // Output channels: OHWI conv -> axis 0; HWCM depthwise -> C * M along
  // the last two axes (a per-channel axis 2 needs M = 1, axis 3 C = 1).
  int64_t outChannels =
      depthwise ? wType.getDimSize(2) * wType.getDimSize(3)
                : wType.getDimSize(0);
  if (wScheme.isPerGroup())
    return wfq.emitError("cannot lower to integer: per_group weights are "
                         "not supported by TOSA conv2d");
  if (wScheme.isPerChannel()) {
    int64_t axis = wScheme.getAxis();
    bool ok = depthwise ? ((axis == 2 && wType.getDimSize(3) == 1) ||
                           (axis == 3 && wType.getDimSize(2) == 1))
                        : axis == 0;
    if (!ok)
      return wfq.emitError("cannot lower to integer: per-channel weight "
                           "axis ")
             << axis << " is not the output-channel axis of this " << what;
  }
  if ((wScales.size() != 1 &&
       static_cast<int64_t>(wScales.size()) != outChannels) ||
      wZps.size() != wScales.size())
    return wfq.emitError("cannot lower to integer: expected 1 or ")
           << outChannels << " weight scales and as many zero points, got "
           << wScales.size() << " and " << wZps.size();
  for (float z : wZps)
    if (z != wZps[0])
      return wfq.emitError("cannot lower to integer: TOSA takes one weight "
                           "zero point, got different ones per channel");
  for (float s : wScales)
    if (!(s > 0.0f) || !std::isfinite(s))
      return wfq.emitError("cannot lower to integer: weight scale ")
             << s << " is not finite and positive";
  auto channelScale = [&](int64_t c) {
    return wScales.size() == 1 ? wScales[0] : wScales[c];
  };

  // --- The chain from the conv to its output quantizer.
  FailureOr<Chain> chainOr = walkChain(conv, what, outChannels);
  if (failed(chainOr))
    return failure();
  Chain chain = std::move(*chainOr);
  FakeQuantOp outFq = chain.outFq;
  const std::optional<SmallVector<float>> &ia3 = chain.ia3;
  const QInfo &outQ = chain.outQ;
  num::Rounding mode = roundingFor(outFq);

  // --- Types and widths: i8 activations accumulate in i32, i16 in i48.
  bool wide = inQ.storage.getWidth() == 16;
  unsigned accWidth = wide ? 48 : 32;
  unsigned biasLimit = biasBitsOpt ? biasBitsOpt : accWidth;
  unsigned accLimit = accBitsOpt ? accBitsOpt : accWidth;
  if (auto module = func->getParentOfType<ModuleOp>())
    if (auto target = module->getAttrOfType<DictionaryAttr>("qapeft.target")) {
      // The widths at this conv's precision: the top-level keys are the
      // default precision's, another precision's are in `modes.<p>` (an
      // int16x8 region in an int8 model takes 64-bit bias and accumulator
      // limits, not the int8 kernels' 32).
      DictionaryAttr widths = target;
      StringRef precision = wide ? "int16x8"
                            : wScheme.getStorage().getWidth() == 4 ? "int4x8"
                                                                   : "int8";
      auto def = target.getAs<PrecisionAttr>("default_precision");
      if (!def || stringifyPrecision(def.getValue()) != precision)
        if (auto modes = target.getAs<DictionaryAttr>("modes"))
          if (auto m = modes.getAs<DictionaryAttr>(precision))
            widths = m;
      if (auto bb = widths.getAs<IntegerAttr>("bias_bits"); bb && !biasBitsOpt)
        biasLimit = bb.getInt();
      // `limit_bits`: the values must fit fewer bits than the tensor holds
      // (Ethos-U: 40 bits in an int64 bias).
      if (auto lb = widths.getAs<IntegerAttr>("bias_limit_bits");
          lb && !biasBitsOpt)
        biasLimit = lb.getInt();
      if (auto ab = widths.getAs<IntegerAttr>("accumulator_bits");
          ab && !accBitsOpt)
        accLimit = ab.getInt();
    }
  // The TOSA bias and accumulator are accWidth wide whatever the target
  // allows (TFLite's int16x8 kernels use int64): check the tighter bound.
  biasLimit = std::min(biasLimit, accWidth);
  accLimit = std::min(accLimit, accWidth);
  IntegerType accType = builder.getIntegerType(accWidth);

  // Effective per-channel weight scales: the (IA)^3 scale folds in here as
  // one float32 multiply, so the recorded scale is what TFLite will read.
  SmallVector<float> effScales;
  for (int64_t c = 0; c < outChannels; ++c)
    effScales.push_back(ia3 ? channelScale(c) * (*ia3)[c] : channelScale(c));
  bool perChannelW = wScales.size() > 1 || ia3;

  // --- Quantize the weight.
  IntegerType wStorage = wScheme.getStorage();
  int64_t wqmin = wScheme.getQMin(), wqmax = wScheme.getQMax();
  int64_t wzp = static_cast<int64_t>(std::nearbyint(wZps[0]));
  SmallVector<int64_t> qw(wVals->size());
  ArrayRef<int64_t> shape = wType.getShape();
  int64_t inner = wType.getNumElements() / shape[0];
  auto channelOf = [&](int64_t i) -> int64_t {
    return depthwise ? i % outChannels : i / inner;
  };
  for (int64_t i = 0, e = qw.size(); i < e; ++i)
    qw[i] = num::quantizeFloat((*wVals)[i], channelScale(channelOf(i)), wzp,
                               wqmin, wqmax);

  // --- Quantize the bias at s_in * s_w (before the (IA)^3 factor: the
  // factor scales the whole accumulator).
  Value biasOld = conv->getOperand(2);
  auto bVals = getConstantFloats(biasOld);
  if (!bVals)
    return conv->emitError("cannot lower to integer: the bias is not a "
                           "compile-time tensor");
  SmallVector<int64_t> qb(outChannels, 0);
  for (int64_t c = 0; c < outChannels; ++c) {
    float bv = bVals->size() == 1 ? (*bVals)[0] : (*bVals)[c];
    std::optional<int64_t> q =
        num::quantizeBias(bv, inQ.scales[0], channelScale(c), biasLimit);
    if (!q)
      return emitError(biasOld.getLoc())
             << "bias of output channel " << c << " (" << bv
             << ") does not fit " << biasLimit << " signed bits at scale "
             << double(inQ.scales[0]) * double(channelScale(c));
    qb[c] = *q;
  }

  // --- Worst-case accumulator bound per output channel.
  int64_t inZp = inQ.zeroPoints[0];
  int64_t maxIn =
      std::max(std::llabs(inQ.qmin - inZp), std::llabs(inQ.qmax - inZp));
  SmallVector<int64_t> absWSum(outChannels, 0);
  for (int64_t i = 0, e = qw.size(); i < e; ++i)
    absWSum[channelOf(i)] += std::llabs(qw[i] - wzp);
  // The representable maximum of the accumulator type or the target limit.
  __int128 accMax = (__int128(1) << (accLimit - 1)) - 1;
  for (int64_t c = 0; c < outChannels; ++c) {
    __int128 bound = __int128(maxIn) * absWSum[c] + std::llabs(qb[c]);
    if (bound > accMax)
      return conv->emitError("accumulator overflow possible: output "
                             "channel ")
             << c << " can reach " << static_cast<int64_t>(bound)
             << " in the worst case, beyond the " << accLimit
             << "-bit accumulator";
  }

  // --- Emit.
  builder.setInsertionPoint(conv);
  Location loc = conv->getLoc();
  auto qwType = RankedTensorType::get(shape, wStorage);
  Value wConst = intConst(builder, constantLoc(wfq.getInput()), qwType, qw);
  QInfo wInfo;
  wInfo.scales = perChannelW ? effScales : SmallVector<float>{effScales[0]};
  wInfo.zeroPoints.assign(wInfo.scales.size(), wzp);
  wInfo.axis = perChannelW ? (depthwise ? 3 : 0) : -1;
  if (perChannelW && depthwise && wScheme.isPerChannel())
    wInfo.axis = wScheme.getAxis();
  setQuantAttrs(wConst.getDefiningOp(), wInfo);

  auto bType = RankedTensorType::get({outChannels}, accType);
  Value bConst = intConst(builder, constantLoc(biasOld), bType, qb);
  {
    QInfo bInfo;
    for (int64_t c = 0; c < outChannels; ++c)
      bInfo.scales.push_back(inQ.scales[0] * effScales[c]);
    bInfo.zeroPoints.assign(outChannels, 0);
    bInfo.axis = 0;
    setQuantAttrs(bConst.getDefiningOp(), bInfo);
  }
  Value izp = scalarConst(builder, loc, inQ.storage, inZp);
  Value wzpV = scalarConst(builder, loc, wStorage, wzp);
  auto accResult = withElement(conv->getResult(0).getType(), accType);
  Operation *newConv;
  if (auto c2 = dyn_cast<tosa::Conv2DOp>(conv))
    newConv = tosa::Conv2DOp::create(
        builder, loc, accResult, input, wConst, bConst, izp, wzpV,
        c2.getPadAttr(), c2.getStrideAttr(), c2.getDilationAttr(),
        TypeAttr::get(accType));
  else {
    auto dw = cast<tosa::DepthwiseConv2DOp>(conv);
    newConv = tosa::DepthwiseConv2DOp::create(
        builder, loc, accResult, input, wConst, bConst, izp, wzpV,
        dw.getPadAttr(), dw.getStrideAttr(), dw.getDilationAttr(),
        TypeAttr::get(accType));
  }
  newOps.insert(newConv);

  SmallVector<double> reals;
  SmallVector<float> fp32s;
  for (int64_t c = 0; c < outChannels; ++c) {
    // Double precision from the float32 scales, as TFLite computes it.
    reals.push_back(double(inQ.scales[0]) * double(effScales[c]) /
                    double(outQ.scales[0]));
    fp32s.push_back(num::xnnpackRequantizationScale(
        inQ.scales[0], effScales[c], outQ.scales[0]));
  }
  FailureOr<Value> cur = emitRescale(outFq, newConv->getResult(0), 0, reals,
                                     fp32s, outQ, mode);
  if (failed(cur))
    return failure();
  Value value = *cur;
  if (failed(emitChain(value, chain, outQ)))
    return failure();
  handled.insert(conv);
  return success();
}

/// tosa.matmul with a compile-time, fake-quantized right-hand side [N, C, W]
/// (per-channel on axis 2, the output channels) and a quantized left-hand
/// side: an integer matmul (no bias) and a per-channel rescale.
LogicalResult FunctionLowering::lowerMatmul(tosa::MatMulOp mm) {
  StringRef what = "tosa.matmul";
  Value a = lookupInt(mm.getA());
  if (!a)
    return mm.emitError("cannot lower to integer: the left operand of this "
                        "tosa.matmul is not fake quantized");
  const QInfo aQ = infos.lookup(a);
  auto bfq = mm.getB().getDefiningOp<FakeQuantOp>();
  if (!bfq)
    return mm.emitError("cannot lower to integer: the right operand of this "
                        "tosa.matmul is not a fake-quantized constant");
  auto bType = dyn_cast<RankedTensorType>(bfq.getInput().getType());
  auto bVals = getConstantFloats(bfq.getInput());
  if (!bVals || !bType || !bType.hasStaticShape() || bType.getRank() != 3)
    return mm.emitError("cannot lower to integer: the right operand must be "
                        "a static [N, C, W] compile-time tensor");
  QuantSchemeAttr bScheme = bfq.getScheme();
  if (bScheme.getStorage() != aQ.storage)
    return mm.emitError("cannot lower to integer: TOSA matmul needs both "
                        "operands in one type, got ")
           << aQ.storage << " and " << bScheme.getStorage();
  SmallVector<float> bScales, bZps;
  if (auto range = bfq.getScale().getDefiningOp<WeightRangeOp>())
    computeWeightRange(*bVals, bType.getShape(), range.getScheme(), bScales,
                       bZps);
  else {
    auto sc = getConstantFloats(bfq.getScale());
    auto z = getConstantFloats(bfq.getZeroPoint());
    if (!sc || !z)
      return bfq.emitError("cannot lower to integer: the weight scale must "
                           "be a constant or a qapeft.weight_range");
    bScales.assign(sc->begin(), sc->end());
    bZps.assign(z->begin(), z->end());
  }
  if (bScheme.isPerGroup() || (bScheme.isPerChannel() && bScheme.getAxis() != 2))
    return bfq.emitError("cannot lower to integer: matmul weights must be "
                         "per tensor or per channel on axis 2");
  if ((bScales.size() != 1 &&
       static_cast<int64_t>(bScales.size()) != bType.getDimSize(2)) ||
      bZps.size() != bScales.size())
    return bfq.emitError("cannot lower to integer: expected 1 or ")
           << bType.getDimSize(2)
           << " weight scales and as many zero points, got "
           << bScales.size() << " and " << bZps.size();
  for (float z : bZps)
    if (z != bZps[0])
      return bfq.emitError("cannot lower to integer: TOSA takes one zero "
                           "point for the right operand");
  int64_t outChannels = bType.getDimSize(2);
  auto channelScale = [&](int64_t c) {
    return bScales.size() == 1 ? bScales[0] : bScales[c];
  };
  FailureOr<Chain> chainOr = walkChain(mm, what, outChannels);
  if (failed(chainOr))
    return failure();
  Chain chain = std::move(*chainOr);
  const QInfo &outQ = chain.outQ;

  unsigned accWidth = aQ.storage.getWidth() == 16 ? 48 : 32;
  unsigned accLimit = std::min(accBitsOpt ? accBitsOpt : accWidth, accWidth);
  IntegerType accType = builder.getIntegerType(accWidth);
  int64_t bzp = static_cast<int64_t>(std::nearbyint(bZps[0]));
  int64_t cDim = bType.getDimSize(1);
  SmallVector<int64_t> qb(bVals->size());
  for (int64_t i = 0, e = qb.size(); i < e; ++i)
    qb[i] = num::quantizeFloat((*bVals)[i], channelScale(i % outChannels),
                               bzp, bScheme.getQMin(), bScheme.getQMax());
  // Worst case per (batch, output channel) over the reduction axis C.
  int64_t aZp = aQ.zeroPoints[0];
  int64_t maxA = std::max(std::llabs(aQ.qmin - aZp), std::llabs(aQ.qmax - aZp));
  __int128 accMax = (__int128(1) << (accLimit - 1)) - 1;
  for (int64_t n = 0; n < bType.getDimSize(0); ++n)
    for (int64_t c = 0; c < outChannels; ++c) {
      __int128 sum = 0;
      for (int64_t k = 0; k < cDim; ++k)
        sum += std::llabs(qb[(n * cDim + k) * outChannels + c] - bzp);
      if (sum * maxA > accMax)
        return mm.emitError("accumulator overflow possible: output channel ")
               << c << " can reach " << static_cast<int64_t>(sum * maxA)
               << " in the worst case, beyond the " << accLimit
               << "-bit accumulator";
    }

  builder.setInsertionPoint(mm);
  Location loc = mm.getLoc();
  SmallVector<float> effScales;
  for (int64_t c = 0; c < outChannels; ++c)
    effScales.push_back(chain.ia3 ? channelScale(c) * (*chain.ia3)[c]
                                  : channelScale(c));
  bool perChannel = bScales.size() > 1 || chain.ia3;
  Value bConst = intConst(builder, constantLoc(bfq.getInput()),
                          RankedTensorType::get(bType.getShape(),
                                                bScheme.getStorage()),
                          qb);
  QInfo bInfo;
  bInfo.scales = perChannel ? effScales : SmallVector<float>{effScales[0]};
  bInfo.zeroPoints.assign(bInfo.scales.size(), bzp);
  bInfo.axis = perChannel ? 2 : -1;
  setQuantAttrs(bConst.getDefiningOp(), bInfo);
  Value azpV = scalarConst(builder, loc, aQ.storage, aZp);
  Value bzpV = scalarConst(builder, loc, bScheme.getStorage(), bzp);
  auto newMm = tosa::MatMulOp::create(
      builder, loc, withElement(mm.getType(), accType), a, bConst, azpV,
      bzpV);
  SmallVector<double> reals;
  SmallVector<float> fp32s;
  for (int64_t c = 0; c < outChannels; ++c) {
    reals.push_back(double(aQ.scales[0]) * double(effScales[c]) /
                    double(outQ.scales[0]));
    fp32s.push_back(num::xnnpackRequantizationScale(
        aQ.scales[0], effScales[c], outQ.scales[0]));
  }
  FailureOr<Value> cur = emitRescale(chain.outFq, newMm.getResult(), 0,
                                     reals, fp32s, outQ,
                                     roundingFor(chain.outFq));
  if (failed(cur))
    return failure();
  Value value = *cur;
  if (failed(emitChain(value, chain, outQ)))
    return failure();
  handled.insert(mm);
  return success();
}

LogicalResult FunctionLowering::lowerActivationFakeQuant(FakeQuantOp fq) {
  Value in = lookupInt(fq.getInput());
  if (!in) {
    // A weight's quantizer is lowered with its conv.
    if (isCompileTimeTensor(fq.getInput()))
      return success();
    return fq.emitError("cannot lower to integer: the input of this "
                        "qapeft.fake_quant has no integer form");
  }
  FailureOr<QInfo> outQ = activationInfo(fq);
  if (failed(outQ))
    return failure();
  const QInfo inQ = infos.lookup(in);
  if (inQ == *outQ) {
    intValues[fq.getOutput()] = in;
    return success();
  }
  if (!inQ.isPerTensor())
    return fq.emitError("cannot lower to integer: requantizing a "
                        "per-channel tensor");
  if (std::optional<LogicalResult> r =
          lowerPrecisionBoundary(fq, in, inQ, *outQ))
    return *r;
  builder.setInsertionPoint(fq);
  FailureOr<Value> r = emitActivationRequantize(fq, in, inQ, *outQ);
  if (failed(r))
    return failure();
  intValues[fq.getOutput()] = *r;
  setTensorName(*r, fq);
  return success();
}

LogicalResult FunctionLowering::lowerLayoutOp(Operation *op) {
  Value in = lookupInt(op->getOperand(0));
  if (!in)
    return op->emitError("cannot lower to integer: the input of this op is "
                         "not fake quantized");
  const QInfo q = infos.lookup(in);
  builder.setInsertionPoint(op);
  Operation *n = nullptr;
  if (auto r = dyn_cast<tosa::ReshapeOp>(op)) {
    if (!q.isPerTensor())
      return op->emitError("cannot lower to integer: reshaping a "
                           "per-channel tensor");
    Value shape = shapeOperand(r.getShape());
    if (!shape)
      return r.emitError("cannot lower to integer: the shape must be a "
                         "tosa.const_shape");
    n = tosa::ReshapeOp::create(builder, r.getLoc(),
                                withElement(r.getType(), q.storage), in,
                                shape);
  } else if (auto p = dyn_cast<tosa::MaxPool2dOp>(op)) {
    // Max pooling commutes with the monotone quantizer: same scale and zp.
    n = tosa::MaxPool2dOp::create(
        builder, p.getLoc(), withElement(p.getType(), q.storage), in,
        p.getKernelAttr(), p.getStrideAttr(), p.getPadAttr(),
        p.getNanModeAttr());
  }
  setQuantAttrs(n, q);
  newOps.insert(n);
  intValues[op->getResult(0)] = n->getResult(0);
  infos[n->getResult(0)] = q;
  return success();
}

LogicalResult FunctionLowering::lowerIntegerClamp(tosa::ClampOp op) {
  Value in = lookupInt(op.getInput());
  if (!in)
    return op.emitError("cannot lower to integer: the input of this clamp "
                        "is not fake quantized");
  const QInfo q = infos.lookup(in);
  auto lo = dyn_cast<FloatAttr>(op.getMinValAttr());
  auto hi = dyn_cast<FloatAttr>(op.getMaxValAttr());
  if (!lo || !hi || !q.isPerTensor())
    return op.emitError("cannot lower to integer: expected a float clamp of "
                        "a per-tensor quantized value");
  builder.setInsertionPoint(op);
  int64_t qlo = num::quantizeFloat(lo.getValueAsDouble(), q.scales[0],
                                   q.zeroPoints[0], q.qmin, q.qmax);
  int64_t qhi = num::quantizeFloat(hi.getValueAsDouble(), q.scales[0],
                                   q.zeroPoints[0], q.qmin, q.qmax);
  auto nc = tosa::ClampOp::create(builder, op.getLoc(),
                                  withElement(op.getType(), q.storage), in,
                                  builder.getIntegerAttr(q.storage, qlo),
                                  builder.getIntegerAttr(q.storage, qhi));
  setQuantAttrs(nc, q);
  intValues[op.getResult()] = nc.getResult();
  infos[nc.getResult()] = q;
  return success();
}

LogicalResult FunctionLowering::lowerOp(Operation *op) {
  if (handled.contains(op))
    return success();
  // Compile-time values are materialized where they are used.
  if (isa<ParamOp, tosa::ConstOp, tosa::ConstShapeOp, WeightRangeOp>(op) ||
      op->hasTrait<OpTrait::ConstantLike>())
    return success();
  if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
    return lowerConv(op);
  if (auto mm = dyn_cast<tosa::MatMulOp>(op))
    return lowerMatmul(mm);
  if (auto fq = dyn_cast<FakeQuantOp>(op))
    return lowerActivationFakeQuant(fq);
  if (isa<tosa::ReshapeOp, tosa::MaxPool2dOp>(op))
    return lowerLayoutOp(op);
  if (auto clamp = dyn_cast<tosa::ClampOp>(op))
    return lowerIntegerClamp(clamp);
  if (isa<func::ReturnOp>(op))
    return success();
  for (auto family : {&FunctionLowering::lowerElementwise,
                      &FunctionLowering::lowerActivation,
                      &FunctionLowering::lowerAdapter,
                      &FunctionLowering::lowerRegion})
    if (std::optional<LogicalResult> result = (this->*family)(op))
      return *result;
  // A hardware-exact op (--qapeft-hardware-exact) computes what the integer
  // graph computes for the fake quant it shadows: the same integer value.
  if (isa<ExactConvOp, ExactMatmulOp, ExactRequantOp, ExactElementwiseOp,
          ExactUnaryOp>(op)) {
    Value shadow = lookupInt(op->getOperand(0));
    if (!shadow)
      return op->emitError("cannot lower to integer: the fake quant this "
                           "op shadows has no integer form");
    intValues[op->getResult(0)] = shadow;
    return success();
  }
  if (isa<LoraDeltaOp>(op))
    return op->emitError("cannot lower to integer: run "
                         "--qapeft-merge-adapters first");
  // A weight-side op (e.g. a LoRA product feeding a weight's quantizer)
  // with only compile-time operands would have been merged already.
  return op->emitError("cannot lower to integer: no integer lowering for ")
         << op->getName();
}

LogicalResult FunctionLowering::finish() {
  Block &entry = func.getBody().front();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  SmallVector<Value> results;
  SmallVector<QInfo> resultInfos;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    Value iv = lookupInt(v);
    if (!iv)
      return ret.emitError("cannot lower to integer: result ")
             << i << " is not fake quantized";
    results.push_back(iv);
    resultInfos.push_back(infos.lookup(iv));
  }
  builder.setInsertionPoint(ret);
  if (floatIO)
    for (auto [i, r] : llvm::enumerate(results))
      results[i] = emitDequantize(ret.getLoc(), r, resultInfos[i]);
  func::ReturnOp::create(builder, ret.getLoc(), results);

  // Erase the float ops (everything not created here), users first.
  SmallVector<Operation *> old;
  for (Operation &op : entry)
    if (!newOps.contains(&op))
      old.push_back(&op);
  for (Operation *op : llvm::reverse(old))
    if (originalOps.contains(op)) {
      op->dropAllUses();
      op->erase();
    }

  // Integer signature with the quantization as arg/result attributes.
  SmallVector<Type> argTypes;
  for (BlockArgument arg : entry.getArguments()) {
    auto it = argInfos.find(arg.getArgNumber());
    if (it != argInfos.end()) {
      arg.setType(withElement(arg.getType(), it->second.storage));
      func.setArgAttrs(arg.getArgNumber(),
                       quantArgAttrs(ctx, it->second).getDictionary(ctx));
    }
    argTypes.push_back(arg.getType());
  }
  SmallVector<Type> resultTypes;
  for (Value r : results)
    resultTypes.push_back(r.getType());
  func.setFunctionType(FunctionType::get(ctx, argTypes, resultTypes));
  if (!floatIO)
    for (auto [i, q] : llvm::enumerate(resultInfos))
      func.setResultAttrs(i, quantArgAttrs(ctx, q).getDictionary(ctx));
  return success();
}

LogicalResult FunctionLowering::run() {
  if (!func.getBody().hasOneBlock())
    return func.emitError("cannot lower to integer: expected a single block");
  Block &entry = func.getBody().front();
  // Snapshot the float ops: only they are lowered (and erased at the end).
  SmallVector<Operation *> ops;
  for (Operation &op : entry) {
    originalOps.insert(&op);
    ops.push_back(&op);
  }
  if (failed(lowerArguments()))
    return failure();
  for (Operation *op : ops)
    if (failed(lowerOp(op)))
      return failure();
  return finish();
}

} // namespace lowering
} // namespace qapeft
} // namespace mlir

namespace {

struct LowerToIntegerPass
    : public mlir::qapeft::impl::LowerToIntegerBase<LowerToIntegerPass> {
  using Base::Base;
  void runOnOperation() override {
    std::optional<num::Rounding> mode;
    if (!rounding.empty()) {
      if (std::optional<RoundingMode> parsed = parseRoundingMode(rounding))
        mode = toNumericsRounding(*parsed);
      if (!mode) {
        getOperation().emitError("unknown rounding '")
            << rounding
            << "': expected single, double, fp32-half-even or half-away";
        return signalPassFailure();
      }
    }
    if (!function.empty() &&
        !getOperation().lookupSymbol<func::FuncOp>(function)) {
      getOperation().emitError("no function @")
          << function << " to lower to integer";
      return signalPassFailure();
    }
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() ||
          (!function.empty() && func.getSymName() != function))
        continue;
      // Only functions that take quantized input are lowered (a training
      // step function next to @forward is not deployed).
      bool quantizedInput = false;
      for (BlockArgument arg : func.getArguments())
        for (Operation *user : arg.getUsers())
          quantizedInput |= isa<FakeQuantOp>(user);
      if (!quantizedInput) {
        if (function.empty())
          continue;
        func.emitError("cannot lower to integer: the input of @")
            << function << " is not fake quantized (run "
            << "--qapeft-insert-fake-quant and calibrate first)";
        return signalPassFailure();
      }
      FunctionLowering lowering(func, mode, biasBits, accumulatorBits,
                                floatIO);
      if (failed(lowering.run()))
        return signalPassFailure();
    }
  }
};

} // namespace
