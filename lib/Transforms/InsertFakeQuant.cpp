//===- InsertFakeQuant.cpp - fake quant where the target quantizes --------===//
//
// Implements --qapeft-insert-fake-quant. The integer kernels of a target
// quantize the model input, the output of every computing op (after a fused
// activation: conv -> [ia3 | lora side path] -> clamp is one kernel, and so
// is conv -> reshape -> clamp, the fully connected form), and the
// weights; ops that only move data (reshape, transpose, max pool, slice, pad)
// keep their input's grid and get no fake quant of their own.
//
// What TFLite fixes is fixed here too: a float constant operand of an
// add/sub/mul is a quantized tensor of its own (per tensor, starting at its
// range), and int8 LOGISTIC / TANH write onto 1/256, -128 and 1/128, 0
// (tosa.const scale / zero point, so calibration leaves them alone and the
// integer table needs no requantization).
//
// side-path=delta expands lora_side and bottleneck adapters into the fully
// connected layers and the add that a device keeping the adapter as a delta
// runs, so every tensor of the side path is quantized where the device
// quantizes it (see DeltaBuilder).
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"
#include "qapeft/Numerics/Weights.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_INSERTFAKEQUANT
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// Ops with a weight operand (operand 1) the target quantizes per channel.
bool hasWeight(Operation *op) {
  if (isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(op))
    return true;
  // A matmul's B is a weight only when it is a constant or parameter.
  if (isa<tosa::MatMulOp>(op)) {
    Value w = op->getOperand(1);
    while (auto d = w.getDefiningOp<LoraDeltaOp>())
      w = d.getWeight();
    return w.getDefiningOp<tosa::ConstOp>() || w.getDefiningOp<ParamOp>();
  }
  return false;
}

/// Ops whose output the integer kernels requantize onto a new grid.
bool producesNewGrid(Operation *op) {
  return isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp,
             tosa::AddOp, tosa::SubOp, tosa::MulOp, tosa::AvgPool2dOp,
             tosa::ClampOp, tosa::SigmoidOp, tosa::TanhOp, tosa::ExpOp,
             tosa::ReciprocalOp, tosa::RsqrtOp, tosa::ReduceSumOp,
             tosa::ConcatOp>(op);
}

/// Ops fused into the kernel that produces their first operand: per-channel
/// adapter scales, the LoRA side path (unless expanded for delta
/// deployment, then there is no lora_side left), and activation clamps.
bool fusesInto(Operation *user, Value v) {
  if (auto ia3 = dyn_cast<IA3Op>(user))
    return ia3.getInput() == v;
  if (auto side = dyn_cast<LoraSideOp>(user))
    return side.getBase() == v;
  return isa<tosa::ClampOp>(user) && user->getOperand(0) == v;
}

/// The clamp that follows `v` through a chain of single-use reshapes starting
/// at `user`, or null. A fully connected layer is reshape -> 1x1 conv2d ->
/// reshape -> clamp: the reshape only relabels the accumulator's shape, so the
/// integer kernel still applies the clamp as its fused activation and writes
/// only the clamp's output. Quantizing the conv output as well would put a
/// standalone requantization (a TFLite QUANTIZE op) between the two.
tosa::ClampOp clampAfterReshapes(Operation *user, Value v) {
  while (auto reshape = dyn_cast<tosa::ReshapeOp>(user)) {
    if (reshape.getInput1() != v)
      return nullptr;
    v = reshape.getResult();
    if (!v.hasOneUse())
      return nullptr;
    user = *v.getUsers().begin();
  }
  // Without at least one reshape in between, the plain fusion rule applies.
  auto clamp = dyn_cast<tosa::ClampOp>(user);
  if (clamp && clamp.getInput() == v && v.getDefiningOp<tosa::ReshapeOp>())
    return clamp;
  return nullptr;
}

/// A value computed from constants and params only (no activation): the
/// compiler folds it, no kernel runs on it.
bool isConstantExpr(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (isa<tosa::ConstOp, tosa::ConstShapeOp, ParamOp>(def))
    return true;
  if (def->getNumOperands() == 0 || isa<FakeQuantOp>(def))
    return false;
  return llvm::all_of(def->getOperands(), isConstantExpr);
}

/// The output-channel axis of a weight (see InsertAdapters.cpp), -1 if none.
int64_t weightAxis(Operation *op, RankedTensorType w) {
  if (isa<tosa::Conv2DOp>(op))
    return 0;
  if (isa<tosa::MatMulOp>(op))
    return 2;
  if (isa<tosa::DepthwiseConv2DOp>(op)) {
    if (w.getDimSize(3) == 1)
      return 2;
    if (w.getDimSize(2) == 1)
      return 3;
  }
  return -1;
}

struct InsertFakeQuantPass
    : public qapeft::impl::InsertFakeQuantBase<InsertFakeQuantPass> {
  using InsertFakeQuantBase::InsertFakeQuantBase;

  void runOnOperation() override;

private:
  QuantSchemeAttr schemeFor(Operation *op, StringRef role);
  std::string uniqueName(StringRef base);
  /// Inserts fake quant of the activation `v` (tensor `name`) after its
  /// definition and redirects its other uses.
  void quantizeActivation(OpBuilder &b, Value v, StringRef name,
                          QuantSchemeAttr scheme);
  LogicalResult quantizeWeight(Operation *op);
  /// lsq: makes the (calibrated) activation fake quant `fq` learnable.
  void makeActivationLearnable(FakeQuantOp fq);
  /// lsq: quantizes the weight of `op` with a trainable per-channel (or
  /// per-tensor) scale initialised as LSQ does; replaces a weight_range
  /// when the weight already is fake quantized.
  LogicalResult quantizeWeightLearnable(Operation *op, QuantSchemeAttr scheme,
                                        int64_t axis);

  /// The fixed output grid TFLite requires of int8 LOGISTIC / TANH /
  /// SOFTMAX (1/256 and -128, 1/128 and 0, 1/256 and -128) and of their
  /// int16 forms (1/32768 and 0 for all three), as tosa.const scale and
  /// zero point (not params: calibration must not move them, and the
  /// integer kernel then needs no requantization). Returns false when
  /// `scheme` is not such an int8 or int16 grid.
  bool quantizeFixedActivation(OpBuilder &b, Operation *op, Value v,
                               StringRef name, QuantSchemeAttr scheme);
  /// Fake quantizes the float constant operands of an add/sub/mul.
  void quantizeConstantOperands(OpBuilder &b, Operation *op, StringRef name);
  /// side-path=delta: expands `side` into explicit fully connected layers
  /// and an add; records the new ops (and the base producer) in
  /// `deltaOps`.
  LogicalResult expandLoraSide(LoraSideOp side);
  /// side-path=delta: the same for a bottleneck adapter (relu / identity).
  LogicalResult expandBottleneck(BottleneckOp bn);

  bool learnActivations = false, learnWeights = false;
  llvm::SmallPtrSet<Operation *, 16> deltaOps;

  std::optional<TargetSchemes> target;
  QuantSchemeAttr defaultActivation, defaultWeight;
  llvm::StringSet<> usedNames;
};

QuantSchemeAttr InsertFakeQuantPass::schemeFor(Operation *op, StringRef role) {
  if (target)
    return target->schemeFor(op ? op->getName().getStringRef() : "", role);
  return role == "weight" ? defaultWeight : defaultActivation;
}

std::string InsertFakeQuantPass::uniqueName(StringRef base) {
  std::string name = base.str();
  for (unsigned i = 1; usedNames.contains(name); ++i)
    name = (base + "." + Twine(i)).str();
  usedNames.insert(name);
  return name;
}

void InsertFakeQuantPass::quantizeActivation(OpBuilder &b, Value v,
                                             StringRef name,
                                             QuantSchemeAttr scheme) {
  // Already quantized (the pass ran before): keep its range, which
  // calibration may have filled; with lsq it becomes the learned scale's
  // starting point.
  if (v.hasOneUse() && isa<FakeQuantOp>(*v.getUsers().begin())) {
    if (learnActivations)
      makeActivationLearnable(cast<FakeQuantOp>(*v.getUsers().begin()));
    return;
  }
  scheme = withAxisAndRange(scheme, -1,
                            learnActivations ? RangeSource::Learnable
                                             : RangeSource::Calibrated);
  std::string tensor = uniqueName(name);
  Location loc = v.getLoc();
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  // Placeholders until `qapeft-sim calibrate` fills them. A learnable scale
  // starts at LSQ's 2 E|x| / sqrt(qmax) with E|x| taken as 1, since the
  // data is unknown here (calibrate first, then run the pass again with
  // lsq, for a data-driven start).
  float init =
      learnActivations
          ? float(2.0 /
                  std::sqrt(double(std::max<int64_t>(1, scheme.getQMax()))))
          : 1.0f;
  Value s = createParam(b, loc, tensor + ".scale",
                        DenseElementsAttr::get(scalar, init), learnActivations);
  Value z = createParam(b, loc, tensor + ".zero_point",
                        DenseElementsAttr::get(scalar, 0.0f), false);
  auto fq = FakeQuantOp::create(b, loc, v.getType(), v, s, z, scheme);
  v.replaceAllUsesExcept(fq.getResult(), fq);
}

void InsertFakeQuantPass::makeActivationLearnable(FakeQuantOp fq) {
  auto s = fq.getScale().getDefiningOp<ParamOp>();
  // A weight_range or constant scale is not an activation range to learn.
  if (!s || fq.getScheme().getRange() == RangeSource::Weight)
    return;
  s.setTrainable(true);
  QuantSchemeAttr old = fq.getScheme();
  fq.setSchemeAttr(QuantSchemeAttr::get(
      old.getContext(), old.getBits(), old.getStorage(), old.getIsSigned(),
      old.getSymmetric(), old.getNarrow(), old.getGranularity(), old.getAxis(),
      old.getGroupSize(), old.getRounding(), RangeSource::Learnable));
}

/// The constant values of a weight: a tosa.const or qapeft.param, also
/// through a LoRA delta (whose B starts at zero, so at insertion time the
/// delta is W itself; a non-zero B only shifts the initial scale).
static std::optional<SmallVector<float>> weightValues(Value w) {
  while (auto d = w.getDefiningOp<LoraDeltaOp>())
    w = d.getWeight();
  ElementsAttr attr;
  if (auto c = w.getDefiningOp<tosa::ConstOp>())
    attr = c.getValues();
  else if (auto p = w.getDefiningOp<ParamOp>())
    attr = p.getValue();
  if (!attr || !attr.getElementType().isF32())
    return std::nullopt;
  // Large weights may be dense_resource blobs, which have no element
  // iterator.
  if (auto res = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = res.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return SmallVector<float>(data->begin(), data->end());
  }
  auto values = attr.tryGetValues<float>();
  if (!values)
    return std::nullopt;
  return SmallVector<float>(values->begin(), values->end());
}

LogicalResult InsertFakeQuantPass::quantizeWeightLearnable(
    Operation *op, QuantSchemeAttr scheme, int64_t axis) {
  Value w = op->getOperand(1);
  auto existing = w.getDefiningOp<FakeQuantOp>();
  if (existing) {
    // Only a per-step weight_range is replaced; a scale that already is a
    // parameter (learned or fixed) stays.
    if (!existing.getScale().getDefiningOp<WeightRangeOp>())
      return success();
    w = existing.getInput();
  }
  auto wType = cast<RankedTensorType>(w.getType());
  std::optional<SmallVector<float>> values = weightValues(w);
  if (!values)
    return op->emitError("lsq needs a constant weight (tosa.const or "
                         "qapeft.param, possibly under a LoRA delta) to "
                         "initialise the learned weight scale");
  // LSQ's initial step size per scale value: 2 E|w| / sqrt(qmax).
  int64_t channels = axis < 0 ? 1 : wType.getDimSize(axis);
  int64_t inner = 1;
  for (int64_t i = axis + 1; axis >= 0 && i < wType.getRank(); ++i)
    inner *= wType.getDimSize(i);
  SmallVector<double> sums(channels, 0.0);
  for (size_t i = 0; i < values->size(); ++i)
    sums[axis < 0 ? 0 : (int64_t(i) / inner) % channels] +=
        std::fabs((*values)[i]);
  int64_t perScale = wType.getNumElements() / channels;
  double root = std::sqrt(double(std::max<int64_t>(1, scheme.getQMax())));
  SmallVector<float> init;
  for (double sum : sums) {
    float v = float(2.0 * (sum / double(perScale)) / root);
    // An all-zero channel: any positive step represents it exactly.
    init.push_back(v > 0.0f ? v : 1.0f);
  }
  OpBuilder b(existing ? existing.getOperation() : op);
  Location loc = op->getLoc();
  // Named after the weight: its param name ("<layer>.weight", which also
  // survives printing without locations), else the layer's location.
  Value base = w;
  while (auto d = base.getDefiningOp<LoraDeltaOp>())
    base = d.getWeight();
  std::string prefix;
  if (auto p = base.getDefiningOp<ParamOp>())
    prefix = p.getName().str();
  else if (std::string layer = locationName(loc); !layer.empty())
    prefix = layer + ".weight";
  else
    prefix = op->getName().stripDialect().str() + ".weight";
  // The weight's own name is taken: the unique part is the scale's name.
  std::string tensor = prefix;
  for (unsigned i = 1; usedNames.contains(tensor + ".scale"); ++i)
    tensor = (prefix + "." + Twine(i)).str();
  usedNames.insert(tensor + ".scale");
  auto rangeType = axis < 0 ? RankedTensorType::get({}, b.getF32Type())
                            : RankedTensorType::get({channels}, b.getF32Type());
  Value s =
      createParam(b, loc, tensor + ".scale",
                  DenseElementsAttr::get(rangeType, ArrayRef<float>(init)),
                  /*trainable=*/true);
  // Symmetric weights: the zero point is 0 and stays frozen.
  Value z = createParam(b, loc, tensor + ".zero_point",
                        DenseElementsAttr::get(rangeType, 0.0f),
                        /*trainable=*/false);
  scheme = withAxisAndRange(scheme, axis, RangeSource::Learnable);
  if (existing) {
    auto range = existing.getScale().getDefiningOp<WeightRangeOp>();
    existing.getScaleMutable().assign(s);
    existing.getZeroPointMutable().assign(z);
    existing.setSchemeAttr(scheme);
    if (range->use_empty())
      range->erase();
    return success();
  }
  auto fq = FakeQuantOp::create(b, loc, wType, w, s, z, scheme);
  op->setOperand(1, fq.getResult());
  return success();
}

bool InsertFakeQuantPass::quantizeFixedActivation(OpBuilder &b, Operation *op,
                                                  Value v, StringRef name,
                                                  QuantSchemeAttr scheme) {
  // A softmax (`op` its reduce_max, `v` its mul) writes sigmoid's grid.
  bool softmax = isa<tosa::ReduceMaxOp>(op);
  bool sigmoid = softmax || isa<tosa::SigmoidOp>(op);
  if (!sigmoid && !isa<tosa::TanhOp>(op))
    return false;
  // Only the op's own output (no fused clamp changes the kernel's grid).
  if ((!softmax && v != op->getResult(0)) || !scheme.getIsSigned() ||
      scheme.isPerChannel() || scheme.isPerGroup())
    return false;
  // int16 (TFLite's 16x8 kernels, symmetric activations): LOGISTIC, TANH
  // and SOFTMAX all write scale 1/32768 with zero point 0 (their Prepare
  // checks it); the kernels write [-32767, 32767], inside a narrow range
  // too. An asymmetric 16-bit scheme is no TFLite grid and stays calibrated.
  bool int16 = scheme.getBits() == 16 &&
               scheme.getStorage().getWidth() == 16 && scheme.getSymmetric();
  // int8: signed 8 bits in i8, full range [-128, 127]. A symmetric scheme
  // cannot hold sigmoid's zero point -128.
  bool int8 = scheme.getBits() == 8 && scheme.getStorage().getWidth() == 8 &&
              !scheme.getNarrow() && !(sigmoid && scheme.getSymmetric());
  if (!int16 && !int8)
    return false;
  // Already quantized (the pass ran before).
  if (v.hasOneUse() && isa<FakeQuantOp>(*v.getUsers().begin()))
    return true;
  scheme = withAxisAndRange(scheme, -1, RangeSource::Calibrated);
  std::string tensor = uniqueName(name);
  Location loc = v.getLoc();
  MLIRContext *ctx = b.getContext();
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  auto constant = [&](StringRef suffix, float value) -> Value {
    return tosa::ConstOp::create(
        b, NameLoc::get(StringAttr::get(ctx, tensor + suffix)), scalar,
        DenseElementsAttr::get(scalar, value));
  };
  Value s = constant(".scale", int16     ? 1.0f / 32768.0f
                               : sigmoid ? 1.0f / 256.0f
                                         : 1.0f / 128.0f);
  Value z = constant(".zero_point", sigmoid && !int16 ? -128.0f : 0.0f);
  auto fq = FakeQuantOp::create(b, loc, v.getType(), v, s, z, scheme);
  v.replaceAllUsesExcept(fq.getResult(), fq);
  return true;
}

void InsertFakeQuantPass::quantizeConstantOperands(OpBuilder &b, Operation *op,
                                                   StringRef name) {
  if (!isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op))
    return;
  for (unsigned k = 0; k < 2; ++k) {
    Value c = op->getOperand(k);
    Operation *def = c.getDefiningOp();
    auto param = dyn_cast_or_null<ParamOp>(def);
    if (!def || !(isa<tosa::ConstOp>(def) || (param && !param.getTrainable())))
      continue;
    auto type = dyn_cast<RankedTensorType>(c.getType());
    std::optional<SmallVector<float>> values = weightValues(c);
    if (!type || !type.hasStaticShape() || !values)
      continue;
    // Per tensor on the activation scheme, as TFLite stores the constant.
    QuantSchemeAttr scheme = withAxisAndRange(schemeFor(op, "activation"), -1,
                                              RangeSource::Calibrated);
    // Starts at the constant's own range (what calibration observes too),
    // so the model is usable without calibrating.
    std::vector<float> scales, zps;
    numerics::weightRange(values->data(), {int64_t(values->size())}, -1,
                          scheme.getSymmetric(), scheme.getQMin(),
                          scheme.getQMax(), scales, zps);
    std::string tensor = uniqueName((name + ".const" + Twine(k)).str());
    b.setInsertionPoint(op);
    Location loc = c.getLoc();
    auto scalar = RankedTensorType::get({}, b.getF32Type());
    Value s = createParam(b, loc, tensor + ".scale",
                          DenseElementsAttr::get(scalar, scales[0]), false);
    Value z = createParam(b, loc, tensor + ".zero_point",
                          DenseElementsAttr::get(scalar, zps[0]), false);
    auto fq = FakeQuantOp::create(b, loc, type, c, s, z, scheme);
    op->setOperand(k, fq.getResult());
  }
}

LogicalResult InsertFakeQuantPass::quantizeWeight(Operation *op) {
  Value w = op->getOperand(1);
  if (w.getDefiningOp<FakeQuantOp>() && !learnWeights)
    return success();
  auto wType = dyn_cast<RankedTensorType>(w.getType());
  if (!wType || !wType.hasStaticShape())
    return op->emitError("cannot quantize a weight without a static shape: ")
           << w.getType();
  QuantSchemeAttr scheme = schemeFor(op, "weight");
  int64_t axis = -1;
  if (scheme.isPerChannel() || scheme.isPerGroup()) {
    axis = weightAxis(op, wType);
    if (axis < 0) {
      op->emitWarning("the depthwise weight ")
          << wType << " has no single output-channel axis; quantizing it "
          << "per tensor";
    }
  }
  if (learnWeights)
    return quantizeWeightLearnable(op, scheme, axis);
  scheme = withAxisAndRange(scheme, axis, RangeSource::Weight);
  OpBuilder b(op);
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  auto rangeType = axis < 0
                       ? RankedTensorType::get({}, f32)
                       : RankedTensorType::get({wType.getDimSize(axis)}, f32);
  auto range = WeightRangeOp::create(b, loc, rangeType, rangeType, w, scheme);
  auto fq = FakeQuantOp::create(b, loc, wType, w, range.getScale(),
                                range.getZeroPoint(), scheme);
  op->setOperand(1, fq.getResult());
  return success();
}

/// Builds the explicit fully connected form of a delta-deployed adapter
/// (side-path=delta): 1x1 conv2d layers on [batch, 1, 1, features], the
/// layout the integer lowering and the TFLite exporter treat as
/// FULLY_CONNECTED.
struct DeltaBuilder {
  explicit DeltaBuilder(Operation *at) : b(at), f32(b.getF32Type()) {}

  Location named(const Twine &n) {
    return NameLoc::get(StringAttr::get(b.getContext(), n.str()));
  }
  /// `values` as a weight of `shape`: a param named `name` with the
  /// trainability of `old` (so training and export still find it under
  /// its name), or a tosa.const.
  Value weight(ParamOp old, ArrayRef<int64_t> shape, ArrayRef<float> values,
               StringRef name) {
    auto t = RankedTensorType::get(shape, f32);
    auto attr = DenseElementsAttr::get(t, values);
    if (old)
      return createParam(b, named(name), name, attr, old.getTrainable());
    return tosa::ConstOp::create(b, named(name), t, attr);
  }
  /// The leading axes, flattened into the batch of a fully connected layer.
  static int64_t flatBatch(RankedTensorType t) {
    if (t.getNumDynamicDims() > 0)
      return ShapedType::kDynamic;
    return t.getNumElements() / t.getShape().back();
  }
  Value reshape(Value v, ArrayRef<int64_t> shape, Location loc) {
    auto to = RankedTensorType::get(shape, f32);
    if (v.getType() == to)
      return v;
    SmallVector<int64_t> s(shape);
    for (int64_t &d : s)
      if (ShapedType::isDynamic(d))
        d = -1;
    ImplicitLocOpBuilder ib(loc, b);
    Value shapeValue = tosa::getTosaConstShape(ib, s);
    return tosa::ReshapeOp::create(b, loc, to, v, shapeValue).getResult();
  }
  /// `in` [.., cin] through the OHWI weight `w` [cout, 1, 1, cin] with
  /// `bias` (zero when null); the result is [n, 1, 1, cout].
  Value fullyConnected(Value in, Value w, Value bias, int64_t n, int64_t cin,
                       int64_t cout, Location loc) {
    Value in4 = reshape(in, {n, 1, 1, cin}, loc);
    if (!bias) {
      auto biasType = RankedTensorType::get({cout}, f32);
      bias = tosa::ConstOp::create(b, loc, biasType,
                                   DenseElementsAttr::get(biasType, 0.0f));
    }
    auto zpType = RankedTensorType::get({1}, f32);
    Value zp = tosa::ConstOp::create(b, loc, zpType,
                                     DenseElementsAttr::get(zpType, 0.0f));
    auto outType = RankedTensorType::get({n, 1, 1, cout}, f32);
    return tosa::Conv2DOp::create(b, loc, outType, in4, w, bias, zp, zp,
                                  b.getDenseI64ArrayAttr({0, 0, 0, 0}),
                                  b.getDenseI64ArrayAttr({1, 1}),
                                  b.getDenseI64ArrayAttr({1, 1}),
                                  TypeAttr::get(f32))
        .getResult();
  }

  OpBuilder b;
  Type f32;
};

/// Erases the defining ops of `values` that lost their last use.
static void eraseUnused(ArrayRef<Value> values) {
  for (Value v : values)
    if (Operation *def = v.getDefiningOp(); def && def->use_empty())
      def->erase();
}

LogicalResult InsertFakeQuantPass::expandLoraSide(LoraSideOp side) {
  auto xType = dyn_cast<RankedTensorType>(side.getInput().getType());
  auto yType = dyn_cast<RankedTensorType>(side.getBase().getType());
  auto aType = dyn_cast<RankedTensorType>(side.getA().getType());
  auto bType = dyn_cast<RankedTensorType>(side.getB().getType());
  if (!xType || !yType || !aType || !bType || !aType.hasStaticShape() ||
      !bType.hasStaticShape() || xType.getNumDynamicDims() > 1 ||
      yType.getNumDynamicDims() > 1)
    return side.emitError("side-path=delta needs a static A and B and at "
                          "most one dynamic axis on the input and output");
  std::optional<SmallVector<float>> aValues = weightValues(side.getA());
  std::optional<SmallVector<float>> bValues = weightValues(side.getB());
  if (!aValues || !bValues)
    return side.emitError("side-path=delta needs A and B as qapeft.param or "
                          "tosa.const (f32)");
  int64_t rank = aType.getDimSize(0), dimIn = aType.getDimSize(1);
  int64_t dimOut = bType.getDimSize(0);
  if (rank == 0)
    return success(); // Folds away: nothing to deploy.
  float scaling = side.getAlpha().convertToFloat() / float(side.getRank());

  // The layer's name: the params are "<layer>.lora_a" / "<layer>.lora_b".
  auto aParam = side.getA().getDefiningOp<ParamOp>();
  auto bParam = side.getB().getDefiningOp<ParamOp>();
  std::string layer;
  if (aParam && aParam.getName().ends_with(".lora_a"))
    layer = aParam.getName().drop_back(strlen(".lora_a")).str();
  else if (std::string n = locationName(side.getLoc()); !n.empty())
    layer = n;
  else
    layer = "lora_side";

  DeltaBuilder d(side);
  // A as an OHWI 1x1 conv weight [rank, 1, 1, dim_in], B as [dim_out, 1, 1,
  // rank] with the scaling folded in (B' = s B: the same function; B
  // starts at zero, so a fresh adapter is unchanged too).
  SmallVector<float> bScaled(*bValues);
  for (float &v : bScaled)
    v *= scaling;
  std::string aName = aParam ? aParam.getName().str() : layer + ".lora_a";
  std::string bName = bParam ? bParam.getName().str() : layer + ".lora_b";
  Value a4 = d.weight(aParam, {rank, 1, 1, dimIn}, *aValues, aName);
  Value b4 = d.weight(bParam, {dimOut, 1, 1, rank}, bScaled, bName);

  int64_t n = DeltaBuilder::flatBatch(xType);
  Location midLoc = d.named(layer + ".lora_mid");
  Value mid4 =
      d.fullyConnected(side.getInput(), a4, {}, n, dimIn, rank, midLoc);
  Value mid = d.reshape(mid4, {n, rank}, midLoc);
  Location upLoc = d.named(layer + ".lora_up");
  Value up4 = d.fullyConnected(mid, b4, {}, n, rank, dimOut, upLoc);
  // The add runs on [batch, dim_out], so the base layer (conv -> reshape)
  // and the side path both stay fully connected layers for the exporter.
  Location sumLoc = d.named(layer + ".delta");
  Value up = d.reshape(up4, {n, dimOut}, upLoc);
  Value base2 = d.reshape(side.getBase(), {n, dimOut}, sumLoc);
  auto sum = tosa::AddOp::create(
      d.b, sumLoc, RankedTensorType::get({n, dimOut}, d.f32), base2, up);
  Value result = d.reshape(sum.getResult(), yType.getShape(), sumLoc);
  deltaOps.insert(mid4.getDefiningOp());
  deltaOps.insert(up4.getDefiningOp());
  deltaOps.insert(sum);
  // The base op's kernel now writes its own output (the add's input).
  Value base = side.getBase();
  while (auto r = base.getDefiningOp<tosa::ReshapeOp>())
    base = r.getInput1();
  if (Operation *producer = base.getDefiningOp())
    deltaOps.insert(producer);
  side.replaceAllUsesWith(result);
  Value oldA = side.getA(), oldB = side.getB();
  side.erase();
  eraseUnused({oldA, oldB});
  return success();
}

LogicalResult InsertFakeQuantPass::expandBottleneck(BottleneckOp bn) {
  auto xType = dyn_cast<RankedTensorType>(bn.getInput().getType());
  auto downType = dyn_cast<RankedTensorType>(bn.getDown().getType());
  if (!xType || !downType || !downType.hasStaticShape() ||
      xType.getNumDynamicDims() > 1 ||
      ShapedType::isDynamic(xType.getShape().back()))
    return bn.emitError("side-path=delta needs static down / up "
                        "projections and at most one dynamic axis on the "
                        "input");
  // GELU has no integer lowering (TFLite's int8 GELU is a table on its own
  // grid, not modeled yet).
  BottleneckActivation act = bn.getActivation();
  if (act == BottleneckActivation::Gelu)
    return bn.emitError("side-path=delta supports relu and identity "
                        "bottleneck adapters; gelu has no integer lowering");
  std::optional<SmallVector<float>> downValues = weightValues(bn.getDown());
  std::optional<SmallVector<float>> upValues = weightValues(bn.getUp());
  std::optional<SmallVector<float>> downBiasValues =
      weightValues(bn.getDownBias());
  std::optional<SmallVector<float>> upBiasValues = weightValues(bn.getUpBias());
  if (!downValues || !upValues || !downBiasValues || !upBiasValues)
    return bn.emitError("side-path=delta needs the projections and biases "
                        "as qapeft.param or tosa.const (f32)");
  int64_t h = downType.getDimSize(0), dim = xType.getShape().back();
  if (h == 0)
    return success(); // Folds away.

  // Named "<layer>.adapter_down" / "<layer>.adapter_up" (InsertAdapters).
  auto downParam = bn.getDown().getDefiningOp<ParamOp>();
  auto upParam = bn.getUp().getDefiningOp<ParamOp>();
  std::string layer;
  if (downParam && downParam.getName().ends_with("_down"))
    layer = downParam.getName().drop_back(strlen("_down")).str();
  else if (std::string n = locationName(bn.getLoc()); !n.empty())
    layer = n;
  else
    layer = "bottleneck";

  DeltaBuilder d(bn);
  std::string downName =
      downParam ? downParam.getName().str() : layer + "_down";
  std::string upName = upParam ? upParam.getName().str() : layer + "_up";
  Value down4 = d.weight(downParam, {h, 1, 1, dim}, *downValues, downName);
  Value up4w = d.weight(upParam, {dim, 1, 1, h}, *upValues, upName);
  // The biases again, named after themselves so that the integer bias
  // constants carry the names too (--qapeft-export-adapter-delta).
  auto downBiasParam = bn.getDownBias().getDefiningOp<ParamOp>();
  auto upBiasParam = bn.getUpBias().getDefiningOp<ParamOp>();
  Value downBias = d.weight(downBiasParam, {h}, *downBiasValues,
                            downBiasParam ? downBiasParam.getName().str()
                                          : layer + "_down_bias");
  Value upBias =
      d.weight(upBiasParam, {dim}, *upBiasValues,
               upBiasParam ? upBiasParam.getName().str() : layer + "_up_bias");
  int64_t n = DeltaBuilder::flatBatch(xType);
  // Activation names: "<layer>.adapter_hidden", "<layer>.adapter_out" and
  // "<layer>.adapter" for the sum.
  Location downLoc = d.named(layer + "_hidden");
  Value hidden =
      d.fullyConnected(bn.getInput(), down4, downBias, n, dim, h, downLoc);
  if (act == BottleneckActivation::Relu)
    // The fused activation of the down layer's kernel.
    hidden = tosa::ClampOp::create(
        d.b, downLoc, hidden.getType(), hidden, d.b.getF32FloatAttr(0.0f),
        d.b.getF32FloatAttr(std::numeric_limits<float>::max()),
        tosa::NanPropagationModeAttr::get(d.b.getContext(),
                                          tosa::NanPropagationMode::PROPAGATE));
  Value hidden2 = d.reshape(hidden, {n, h}, downLoc);
  Location upLoc = d.named(layer + "_out");
  Value up4 = d.fullyConnected(hidden2, up4w, upBias, n, h, dim, upLoc);
  Location sumLoc = d.named(layer);
  Value up = d.reshape(up4, {n, dim}, upLoc);
  Value x2 = d.reshape(bn.getInput(), {n, dim}, sumLoc);
  auto sum = tosa::AddOp::create(
      d.b, sumLoc, RankedTensorType::get({n, dim}, d.f32), x2, up);
  Value result = d.reshape(sum.getResult(), xType.getShape(), sumLoc);
  deltaOps.insert(hidden.getDefiningOp<tosa::ClampOp>()
                      ? hidden.getDefiningOp()->getOperand(0).getDefiningOp()
                      : hidden.getDefiningOp());
  deltaOps.insert(up4.getDefiningOp());
  deltaOps.insert(sum);
  bn.replaceAllUsesWith(result);
  SmallVector<Value> old(bn->getOperands().drop_front());
  bn.erase();
  eraseUnused(old);
  return success();
}

void InsertFakeQuantPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (mode != "full" && mode != "adapter") {
    emitError(module.getLoc(), "unknown mode '")
        << mode << "'; expected full or adapter";
    return signalPassFailure();
  }
  if (lsq != "none" && lsq != "activation" && lsq != "weight" && lsq != "all") {
    emitError(module.getLoc(), "unknown lsq '")
        << lsq << "'; expected none, activation, weight or all";
    return signalPassFailure();
  }
  if (sidePath != "fused" && sidePath != "delta") {
    emitError(module.getLoc(), "unknown side-path '")
        << sidePath << "'; expected fused or delta";
    return signalPassFailure();
  }
  learnActivations = lsq == "activation" || lsq == "all";
  learnWeights = lsq == "weight" || lsq == "all";
  auto checkBits = [&](unsigned bits, StringRef what) {
    if (bits >= 2 && bits <= 16)
      return true;
    emitError(module.getLoc()) << what << " must be in [2, 16], got " << bits;
    return false;
  };
  if (!checkBits(weightBits, "weight-bits") ||
      !checkBits(activationBits, "activation-bits"))
    return signalPassFailure();

  FailureOr<std::optional<TargetSchemes>> read = readTargetSchemes(module);
  if (failed(read))
    return signalPassFailure();
  target = *read;
  auto storage = [&](unsigned bits) {
    return IntegerType::get(ctx, bits <= 4 ? 4 : bits <= 8 ? 8 : 16);
  };
  // Without a target: TFLite's int8 conventions (asymmetric activations,
  // symmetric narrow-range per-channel weights).
  defaultActivation = QuantSchemeAttr::get(
      ctx, activationBits, storage(activationBits), /*isSigned=*/true,
      /*symmetric=*/false, /*narrow=*/false, Granularity::PerTensor, -1, 0,
      RoundingMode::Single, RangeSource::Calibrated);
  defaultWeight = QuantSchemeAttr::get(
      ctx, weightBits, storage(weightBits), /*isSigned=*/true,
      /*symmetric=*/true, /*narrow=*/true,
      perChannel ? Granularity::PerChannel : Granularity::PerTensor,
      perChannel ? 0 : -1, 0, RoundingMode::Single, RangeSource::Weight);

  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal()) {
    emitError(module.getLoc(), "no @forward function with a body to quantize");
    return signalPassFailure();
  }
  for (ParamOp p : module.getOps<ParamOp>())
    usedNames.insert(p.getName());
  forward.walk([&](ParamOp p) { usedNames.insert(p.getName()); });
  bool full = mode == "full";

  if (sidePath == "delta") {
    SmallVector<Operation *> adapters;
    forward.walk([&](Operation *op) {
      if (isa<LoraSideOp, BottleneckOp>(op))
        adapters.push_back(op);
    });
    for (Operation *op : adapters) {
      LogicalResult r = isa<LoraSideOp>(op)
                            ? expandLoraSide(cast<LoraSideOp>(op))
                            : expandBottleneck(cast<BottleneckOp>(op));
      if (failed(r))
        return signalPassFailure();
    }
  }

  // Ops to quantize, collected before any other IR changes.
  SmallVector<Operation *> ops;
  forward.walk([&](Operation *op) {
    // A reduce_max may start a softmax (see matchSoftmax).
    if (producesNewGrid(op) || hasWeight(op) || isa<tosa::ReduceMaxOp>(op))
      ops.push_back(op);
  });

  auto isAdapted = [&](Operation *op) {
    if (hasWeight(op) && op->getOperand(1).getDefiningOp<LoraDeltaOp>())
      return true;
    if (deltaOps.contains(op))
      return true;
    for (Operation *user : op->getResult(0).getUsers())
      if (isa<IA3Op, LoraSideOp>(user))
        return true;
    return false;
  };

  OpBuilder b(ctx);
  if (full) {
    b.setInsertionPointToStart(&forward.getBody().front());
    for (BlockArgument arg : forward.getArguments()) {
      auto t = dyn_cast<RankedTensorType>(arg.getType());
      if (!t || !isa<FloatType>(t.getElementType()))
        continue;
      quantizeActivation(b, arg,
                         forward.getNumArguments() == 1
                             ? std::string("input")
                             : ("input" + Twine(arg.getArgNumber())).str(),
                         target ? target->input
                                : schemeFor(nullptr, "activation"));
    }
  }

  llvm::SmallPtrSet<Operation *, 16> fused;
  for (Operation *op : ops) {
    if (fused.contains(op))
      continue;
    if (!full && !isAdapted(op))
      continue;
    // A weight transform (constants and params only) is folded, not run.
    if (llvm::all_of(op->getOperands(), isConstantExpr))
      continue;
    std::string name = locationName(op->getLoc());
    if (name.empty())
      name = op->getName().stripDialect().str();
    quantizeConstantOperands(b, op, name);
    if (hasWeight(op) && failed(quantizeWeight(op)))
      return signalPassFailure();
    // An int8 softmax is one TFLite SOFTMAX: no quantizer inside, and its
    // output on the fixed grid 1/256, -128 (lib/Conversion/LowerSoftmax.cpp).
    if (auto max = dyn_cast<tosa::ReduceMaxOp>(op)) {
      std::optional<SoftmaxChain> softmax = matchSoftmax(max);
      if (!softmax)
        continue;
      SmallVector<Operation *> chain = {softmax->sub, softmax->exp,
                                        softmax->sum, softmax->recip,
                                        softmax->mul};
      Value v = softmax->mul.getResult();
      b.setInsertionPointAfterValue(v);
      if (quantizeFixedActivation(b, op, v, name, schemeFor(op, "activation")))
        fused.insert(chain.begin(), chain.end());
      continue;
    }
    if (!producesNewGrid(op) || op->getNumResults() != 1)
      continue;
    // Follow the fused chain to the value the kernel actually writes.
    Value v = op->getResult(0);
    while (v.hasOneUse()) {
      Operation *user = *v.getUsers().begin();
      if (fusesInto(user, v)) {
        fused.insert(user);
        v = user->getResult(0);
        continue;
      }
      if (tosa::ClampOp clamp = clampAfterReshapes(user, v)) {
        fused.insert(clamp);
        v = clamp.getResult();
        continue;
      }
      break;
    }
    b.setInsertionPointAfterValue(v);
    QuantSchemeAttr scheme = schemeFor(op, "activation");
    if (!quantizeFixedActivation(b, op, v, name, scheme))
      quantizeActivation(b, v, name, scheme);
  }
}

} // namespace
