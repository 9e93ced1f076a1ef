//===- AssignPrecision.cpp - mixed-precision regions by op name -----------===//
//
// Implements --qapeft-assign-precision: user overrides `name:precision` wrap
// the kernel of the op with that name location into a
// `qapeft.region <precision>` and put its fake quants on that precision's
// grids, so that training and calibration see what the device computes:
//
//   - the region holds the whole kernel: the weight quantizer
//     (qapeft.weight_range + qapeft.fake_quant), the op, the chain the kernel
//     fuses (reshape, clamp, (IA)^3) and the output fake quant;
//   - integer precisions re-scheme those fake quants from the target's grids
//     at the precision (`modes.<p>`, with the op's own overrides). When the
//     region's activation grid differs from the surrounding one (int16x8 in
//     an int8 model), the region's activation inputs get an entry fake quant
//     on the region's grid (`<name>.in`) and its result an exit fake quant on
//     the surrounding grid (`<name>.out`): the requantize boundaries, which
//     the integer lowering turns into tosa.rescale;
//   - f32 / f16 islands drop the weight and output fake quants inside: the
//     output quantizer moves after the region (the quantize boundary), and
//     the region's inputs are already on their producers' grids.
//
// A precision the attached target does not list in its `precisions` is an
// error at the op.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_ASSIGNPRECISION
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

bool isIntegerPrecision(Precision p) {
  return p == Precision::Int8 || p == Precision::Int16x8 ||
         p == Precision::Int4x8;
}

/// True if `v` is known at compile time (weights, biases, parameters, and
/// anything computed from them only): such operands are not activations and
/// get no boundary quantizer.
bool isCompileTime(Value v, unsigned depth = 0) {
  Operation *def = v.getDefiningOp();
  if (!def || depth > 8)
    return false;
  if (isa<ParamOp, WeightRangeOp, tosa::ConstOp, tosa::ConstShapeOp>(def) ||
      def->hasTrait<OpTrait::ConstantLike>())
    return true;
  if (def->getNumOperands() == 0)
    return false;
  return llvm::all_of(def->getOperands(),
                      [&](Value o) { return isCompileTime(o, depth + 1); });
}

/// A sigmoid / tanh output quantizer on TFLite's fixed grid
/// (--qapeft-insert-fake-quant gives it tosa.const scale and zero point)
/// re-schemed to `scheme`: moves it to the fixed grid of the new precision
/// (int8: 1/256 and -128 or 1/128 and 0; int16: 1/32768 and 0), since the
/// device's kernel writes that grid whatever the old one was.
void refixActivationGrid(Operation *anchor, FakeQuantOp fq,
                         QuantSchemeAttr scheme) {
  bool sigmoid = isa<tosa::SigmoidOp>(anchor);
  if (!sigmoid && !isa<tosa::TanhOp>(anchor))
    return;
  auto oldScale = fq.getScale().getDefiningOp<tosa::ConstOp>();
  auto oldZp = fq.getZeroPoint().getDefiningOp<tosa::ConstOp>();
  if (!oldScale || !oldZp)
    return; // a calibrated grid: calibration sets it
  float scale, zp;
  if (scheme.getBits() == 16 && scheme.getStorage().getWidth() == 16 &&
      scheme.getSymmetric()) {
    scale = 1.0f / 32768.0f;
    zp = 0.0f;
  } else if (scheme.getBits() == 8 && scheme.getStorage().getWidth() == 8 &&
             !scheme.getNarrow() && !(sigmoid && scheme.getSymmetric())) {
    scale = sigmoid ? 1.0f / 256.0f : 1.0f / 128.0f;
    zp = sigmoid ? -128.0f : 0.0f;
  } else {
    return;
  }
  OpBuilder b(fq);
  auto replace = [&](tosa::ConstOp old, float value, unsigned operand) {
    auto type = cast<RankedTensorType>(old.getType());
    auto fresh = tosa::ConstOp::create(b, old.getLoc(), type,
                                       DenseElementsAttr::get(type, value));
    fq->setOperand(operand, fresh);
    if (old->use_empty())
      old->erase();
  };
  replace(oldScale, scale, 1);
  replace(oldZp, zp, 2);
}

bool isFloatTensor(Type t) {
  auto rt = dyn_cast<RankedTensorType>(t);
  return rt && isa<FloatType>(rt.getElementType());
}

/// The grids of the attached target at each precision, read from the
/// `qapeft.target` attribute (targets/README.md): the top-level role keys are
/// the default precision's, `modes.<p>` the others', and an op's entry (or
/// its `modes.<p>`) overrides them where the op differs.
struct PrecisionSchemes {
  DictionaryAttr target;
  Precision defaultPrecision = Precision::Int8;
  QuantSchemeAttr defaultActivation, defaultWeight;

  /// The scheme of `role` for op `opName` at `p`, or null when the target
  /// does not describe it.
  QuantSchemeAttr lookup(StringRef opName, StringRef role, Precision p) const {
    if (!target)
      return {};
    StringRef pname = stringifyPrecision(p);
    DictionaryAttr opEntry;
    if (auto ops = target.getAs<DictionaryAttr>("ops"))
      opEntry = ops.getAs<DictionaryAttr>(opName);
    if (p == defaultPrecision) {
      if (opEntry)
        if (auto s = opEntry.getAs<QuantSchemeAttr>(role))
          return s;
      return target.getAs<QuantSchemeAttr>(role);
    }
    if (opEntry)
      if (auto modes = opEntry.getAs<DictionaryAttr>("modes"))
        if (auto m = modes.getAs<DictionaryAttr>(pname))
          if (auto s = m.getAs<QuantSchemeAttr>(role))
            return s;
    if (auto modes = target.getAs<DictionaryAttr>("modes"))
      if (auto m = modes.getAs<DictionaryAttr>(pname))
        if (auto s = m.getAs<QuantSchemeAttr>(role))
          return s;
    return {};
  }

  /// Without a target description for `p`: the default grids with the
  /// precision's widths (int16x8: 16-bit symmetric activations, as TFLite,
  /// CMSIS-NN and TOSA's int16 extension require; int4x8: 4-bit weights).
  QuantSchemeAttr fallback(QuantSchemeAttr base, StringRef role,
                           Precision p) const {
    MLIRContext *ctx = base.getContext();
    unsigned bits = base.getBits();
    bool symmetric = base.getSymmetric();
    if (role == "activation") {
      bits = p == Precision::Int16x8 ? 16 : 8;
      symmetric = p == Precision::Int16x8 ? true : symmetric;
    } else {
      bits = p == Precision::Int4x8 ? 4 : 8;
    }
    unsigned storage = bits <= 4 ? 4 : bits <= 8 ? 8 : 16;
    return QuantSchemeAttr::get(
        ctx, bits, IntegerType::get(ctx, storage), base.getIsSigned(),
        symmetric, base.getNarrow(), base.getGranularity(), base.getAxis(),
        base.getGroupSize(), base.getRounding(), base.getRange());
  }

  QuantSchemeAttr schemeFor(StringRef opName, StringRef role, Precision p,
                            QuantSchemeAttr base) const {
    if (QuantSchemeAttr s = lookup(opName, role, p))
      return s;
    return fallback(base, role, p);
  }
};

/// `grid`'s number format with `layout`'s granularity, axis, group size and
/// range source: those are tied to the IR (the shape of a weight_range's
/// results), the rest is the precision's.
QuantSchemeAttr withLayoutOf(QuantSchemeAttr grid, QuantSchemeAttr layout) {
  return QuantSchemeAttr::get(
      grid.getContext(), grid.getBits(), grid.getStorage(), grid.getIsSigned(),
      grid.getSymmetric(), grid.getNarrow(), layout.getGranularity(),
      layout.getAxis(), layout.getGroupSize(), grid.getRounding(),
      layout.getRange());
}

/// Same number format (the range source and layout aside).
bool sameGrid(QuantSchemeAttr a, QuantSchemeAttr b) {
  return a.getBits() == b.getBits() && a.getStorage() == b.getStorage() &&
         a.getIsSigned() == b.getIsSigned() &&
         a.getSymmetric() == b.getSymmetric() && a.getNarrow() == b.getNarrow();
}

struct AssignPrecisionPass
    : public qapeft::impl::AssignPrecisionBase<AssignPrecisionPass> {
  using AssignPrecisionBase::AssignPrecisionBase;

  void runOnOperation() override;

private:
  LogicalResult wrap(Operation *anchor, Precision precision);
  std::string uniqueName(StringRef base);
  FakeQuantOp createFakeQuant(OpBuilder &b, Location loc, Value v,
                              StringRef tensor, QuantSchemeAttr scheme);

  PrecisionSchemes schemes;
  llvm::StringSet<> usedNames;
};

std::string AssignPrecisionPass::uniqueName(StringRef base) {
  std::string name = base.str();
  for (unsigned i = 1; usedNames.contains(name + ".scale"); ++i)
    name = (base + "." + Twine(i)).str();
  usedNames.insert(name + ".scale");
  usedNames.insert(name + ".zero_point");
  return name;
}

/// A calibrated activation fake quant of `v` with placeholder parameters
/// (`qapeft-sim calibrate` fills them), the parameters at the builder's
/// point.
FakeQuantOp AssignPrecisionPass::createFakeQuant(OpBuilder &b, Location loc,
                                                 Value v, StringRef tensor,
                                                 QuantSchemeAttr scheme) {
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value s = createParam(b, loc, (tensor + ".scale").str(),
                        DenseElementsAttr::get(scalar, 1.0f), false);
  Value z = createParam(b, loc, (tensor + ".zero_point").str(),
                        DenseElementsAttr::get(scalar, 0.0f), false);
  return FakeQuantOp::create(
      b, loc, v.getType(), v, s, z,
      withAxisAndRange(scheme, -1, RangeSource::Calibrated));
}

LogicalResult AssignPrecisionPass::wrap(Operation *anchor,
                                        Precision precision) {
  MLIRContext *ctx = &getContext();
  StringRef opName = anchor->getName().getStringRef();
  std::string name = locationName(anchor->getLoc());
  bool integer = isIntegerPrecision(precision);

  // --- The kernel: weight quantizer, op, fused chain, output quantizer.
  SmallVector<Operation *> group;
  FakeQuantOp weightFq;
  WeightRangeOp weightRange;
  if (anchor->getNumOperands() > 1)
    if (auto fq = anchor->getOperand(1).getDefiningOp<FakeQuantOp>();
        fq && fq->hasOneUse() && isCompileTime(fq.getInput())) {
      weightFq = fq;
      weightRange = fq.getScale().getDefiningOp<WeightRangeOp>();
      if (weightRange &&
          !llvm::all_of(weightRange->getUsers(),
                        [&](Operation *u) { return u == fq.getOperation(); }))
        weightRange = nullptr;
    }
  if (weightRange)
    group.push_back(weightRange);
  if (weightFq)
    group.push_back(weightFq);
  group.push_back(anchor);
  FakeQuantOp outFq;
  if (anchor->getNumResults() == 1) {
    Value v = anchor->getResult(0);
    while (v.hasOneUse()) {
      Operation *user = *v.getUsers().begin();
      if (auto fq = dyn_cast<FakeQuantOp>(user)) {
        if (fq.getInput() == v)
          outFq = fq;
        break;
      }
      bool fused = (isa<tosa::ReshapeOp, tosa::ClampOp>(user) &&
                    user->getOperand(0) == v) ||
                   (isa<IA3Op>(user) && cast<IA3Op>(user).getInput() == v);
      if (!fused)
        break;
      group.push_back(user);
      v = user->getResult(0);
    }
  }
  // A float island keeps its output quantizer, after the region: it is the
  // quantize boundary back to the surrounding grid.
  if (outFq && integer)
    group.push_back(outFq);
  if (weightFq && !integer) {
    // Float weights: no quantizer inside an f32/f16 island.
    anchor->setOperand(1, weightFq.getInput());
    group.erase(llvm::find(group, weightFq.getOperation()));
    weightFq.erase();
    weightFq = nullptr;
    if (weightRange) {
      group.erase(llvm::find(group, weightRange.getOperation()));
      weightRange.erase();
      weightRange = nullptr;
    }
  }

  // --- Re-scheme the quantizers inside to the region's precision.
  QuantSchemeAttr surrounding = schemes.defaultActivation;
  QuantSchemeAttr regionActivation;
  if (integer && schemes.defaultActivation && schemes.defaultWeight) {
    if (weightFq) {
      QuantSchemeAttr old = weightFq.getScheme();
      QuantSchemeAttr grid =
          schemes.schemeFor(opName, "weight", precision, schemes.defaultWeight);
      weightFq.setSchemeAttr(withLayoutOf(grid, old));
      if (weightRange)
        weightRange.setSchemeAttr(withLayoutOf(grid, weightRange.getScheme()));
    }
    regionActivation = schemes.schemeFor(opName, "activation", precision,
                                         schemes.defaultActivation);
    if (outFq) {
      outFq.setSchemeAttr(
          withAxisAndRange(regionActivation, -1, outFq.getScheme().getRange()));
      refixActivationGrid(anchor, outFq, regionActivation);
    }
  }
  // Without an output quantizer (adapter-only fake quant) there is no grid
  // to requantize from, so no boundary either.
  bool boundaries = integer && outFq && surrounding && regionActivation &&
                    !sameGrid(regionActivation, surrounding);

  // --- Build the region right before the kernel's last op, so every value
  // the kernel reads from outside dominates it, and move the kernel in.
  Operation *last = group.back();
  Value result = last->getResult(0);
  OpBuilder b(last);
  auto region =
      RegionOp::create(b, anchor->getLoc(), TypeRange{result.getType()},
                       PrecisionAttr::get(ctx, precision));
  Block *body = new Block();
  region.getBody().push_back(body);
  result.replaceAllUsesWith(region.getResult(0));
  for (Operation *op : group)
    op->moveBefore(body, body->end());
  b.setInsertionPointToEnd(body);
  YieldOp::create(b, anchor->getLoc(), result);

  if (!boundaries)
    return success();

  // --- Entry: the region's activation inputs, requantized onto its grid.
  llvm::SmallSetVector<Value, 4> inputs;
  for (Operation *op : group)
    for (Value v : op->getOperands())
      if (v.getParentBlock() != body && isFloatTensor(v.getType()) &&
          !isCompileTime(v))
        inputs.insert(v);
  // Adjacent regions of one precision stay on their grid: when an input is
  // the exit quantizer of such a region (through reshapes only), read the
  // region's value instead of requantizing to the surrounding grid and back.
  auto bypassExit = [&](Value v) {
    Operation *first = nullptr;
    Value cur = v;
    while (auto r = cur.getDefiningOp<tosa::ReshapeOp>()) {
      if (!r->hasOneUse())
        return false;
      first = r;
      cur = r.getInput1();
    }
    auto exitFq = cur.getDefiningOp<FakeQuantOp>();
    if (!exitFq || !exitFq->hasOneUse())
      return false;
    auto prev = exitFq.getInput().getDefiningOp<RegionOp>();
    if (!prev || prev.getPrecision() != precision)
      return false;
    if (first)
      first->setOperand(0, exitFq.getInput());
    else
      v.replaceUsesWithIf(exitFq.getInput(), [&](OpOperand &use) {
        return use.getOwner()->getBlock() == body;
      });
    Value s = exitFq.getScale(), z = exitFq.getZeroPoint();
    exitFq.erase();
    for (Value p : {s, z})
      if (Operation *def = p.getDefiningOp(); def && def->use_empty())
        def->erase();
    return true;
  };
  for (auto [i, input] : llvm::enumerate(inputs)) {
    Value v = input;
    if (bypassExit(v))
      continue;
    std::string tensor = uniqueName(
        inputs.size() == 1 ? name + ".in" : name + ".in" + std::to_string(i));
    b.setInsertionPoint(region);
    auto scalar = RankedTensorType::get({}, b.getF32Type());
    Value s = createParam(b, v.getLoc(), tensor + ".scale",
                          DenseElementsAttr::get(scalar, 1.0f), false);
    Value z = createParam(b, v.getLoc(), tensor + ".zero_point",
                          DenseElementsAttr::get(scalar, 0.0f), false);
    b.setInsertionPointToStart(body);
    auto fq = FakeQuantOp::create(
        b, anchor->getLoc(), v.getType(), v, s, z,
        withAxisAndRange(regionActivation, -1, RangeSource::Calibrated));
    v.replaceUsesWithIf(fq.getResult(), [&](OpOperand &use) {
      return use.getOwner() != fq && use.getOwner()->getBlock() == body;
    });
  }

  // --- Exit: the result, requantized back onto the surrounding grid.
  b.setInsertionPointAfter(region);
  FakeQuantOp exit = createFakeQuant(b, anchor->getLoc(), region.getResult(0),
                                     uniqueName(name + ".out"), surrounding);
  region.getResult(0).replaceAllUsesExcept(exit.getResult(), exit);
  return success();
}

void AssignPrecisionPass::runOnOperation() {
  ModuleOp module = getOperation();
  // name -> precision, in the order given.
  llvm::StringMap<Precision> wanted;
  for (const std::string &entry : overrides) {
    auto [name, prec] = StringRef(entry).rsplit(':');
    std::optional<Precision> p = symbolizePrecision(prec);
    if (name.empty() || prec.empty() || !p) {
      emitError(module.getLoc(), "bad override '")
          << entry
          << "'; expected <op name>:<precision> with precision int8, "
             "int16x8, int4x8, f16 or f32";
      return signalPassFailure();
    }
    wanted[name] = *p;
  }
  if (wanted.empty())
    return;

  // The target's allowed precisions (absent: everything is allowed).
  std::string targetName;
  SmallVector<Precision> allowed;
  bool restricted = false;
  auto target = module->getAttrOfType<DictionaryAttr>("qapeft.target");
  if (target) {
    if (auto name = target.getAs<StringAttr>("name"))
      targetName = name.str();
    if (auto list = target.getAs<ArrayAttr>("precisions")) {
      restricted = true;
      for (Attribute a : list)
        if (auto p = dyn_cast<PrecisionAttr>(a))
          allowed.push_back(p.getValue());
    }
  }

  // The surrounding grids: the target's default precision, else the grids
  // the fake quants already use (the first activation and weight ones).
  schemes.target = target;
  if (target) {
    if (auto d = target.getAs<PrecisionAttr>("default_precision"))
      schemes.defaultPrecision = d.getValue();
    else if (!allowed.empty())
      schemes.defaultPrecision = allowed.front();
    schemes.defaultActivation = target.getAs<QuantSchemeAttr>("activation");
    schemes.defaultWeight = target.getAs<QuantSchemeAttr>("weight");
  }
  module.walk([&](Operation *op) {
    if (auto p = dyn_cast<ParamOp>(op)) {
      usedNames.insert(p.getName());
      return;
    }
    auto fq = dyn_cast<FakeQuantOp>(op);
    if (!fq)
      return;
    bool weight = isCompileTime(fq.getInput());
    if (weight && !schemes.defaultWeight)
      schemes.defaultWeight = fq.getScheme();
    if (!weight && !schemes.defaultActivation)
      schemes.defaultActivation = fq.getScheme();
  });

  // The layer's main op: the passes give the ops they add for a layer
  // (parameters, adapters, quantizers) the layer's location too, so prefer
  // the first computing op that is not a qapeft op or a constant.
  llvm::MapVector<StringRef, Operation *> anchors;
  auto isMain = [](Operation *op) {
    return !isa<QAPeftDialect>(op->getDialect()) &&
           !isa<tosa::ConstOp, tosa::ConstShapeOp>(op) &&
           !op->hasTrait<OpTrait::ConstantLike>();
  };
  module.walk([&](Operation *op) {
    if (isa<ModuleOp>(op) || op->getNumResults() == 0 ||
        op->getParentOfType<RegionOp>())
      return;
    std::string name = locationName(op->getLoc());
    auto it = wanted.find(name);
    if (it == wanted.end())
      return;
    Operation *&anchor = anchors[it->getKey()];
    if (!anchor || (isMain(op) && !isMain(anchor)))
      anchor = op;
  });
  for (auto &entry : wanted)
    if (!anchors.count(entry.getKey())) {
      emitError(module.getLoc(), "no op is named '")
          << entry.getKey() << "' (from overrides=)";
      return signalPassFailure();
    }
  SmallVector<std::pair<Operation *, Precision>> todo;
  for (auto [name, op] : anchors)
    todo.emplace_back(op, wanted.lookup(name));

  for (auto [op, precision] : todo) {
    if (restricted && !llvm::is_contained(allowed, precision)) {
      InFlightDiagnostic diag = op->emitError("target '")
                                << targetName << "' does not allow precision "
                                << stringifyPrecision(precision)
                                << " (allowed:";
      for (Precision p : allowed)
        diag << " " << stringifyPrecision(p);
      diag << ")";
      return signalPassFailure();
    }
    if (op->getNumResults() != 1) {
      op->emitError("only an op with one result can be put into a "
                    "mixed-precision region");
      return signalPassFailure();
    }
    if (failed(wrap(op, precision)))
      return signalPassFailure();
  }
}

} // namespace
