//===- HardwareExact.cpp - make the training forward bit-exact ------------===//
//
// Implements --qapeft-hardware-exact (Passes.td documents the contract).
//
// The pass finds, in @forward, the same structures --qapeft-lower-to-integer
// turns into integer ops, and shadows each one with an op that computes its
// integer result (dialects/QAPeft/QAPeftHardwareExactOps.td):
//  - a tosa.conv2d / tosa.depthwise_conv2d (tosa.matmul) with a
//    fake-quantized weight and a quantized input, followed by a single-use
//    chain of reshapes and float clamps into one qapeft.fake_quant ->
//    qapeft.exact_conv (qapeft.exact_matmul) after that fake quant;
//  - a tosa.add / tosa.sub / tosa.mul of two quantized values (activations
//    or fake-quantized constants) followed by a chain of reshapes and float
//    clamps into one qapeft.fake_quant -> qapeft.exact_elementwise;
//  - an int8 / int16 tosa.sigmoid / tosa.tanh, a global tosa.avg_pool2d
//    (TFLite MEAN) or a softmax (reduce_max ... mul) of a quantized value
//    feeding one qapeft.fake_quant -> qapeft.exact_unary;
//  - a qapeft.fake_quant of a value that is already quantized (through
//    reshapes, max pools and clamps) -> qapeft.exact_requant.
// The elementwise and unary ops carry a `kind` rather than one op per
// family: each family's operands, scales and schemes have the same shape,
// and the scales must stay operands (calibration and training change
// them), so the integer parameters (multipliers, shifts, tables) are
// derived when the op runs, with the numerics functions the lowering uses.
// A region holding the lowered integer IR would freeze those parameters
// at pass time. Ops with no exact form are refused with a diagnostic
// rather than left to differ.
// Every later use of the fake quant's output then reads the exact op. The
// float ops stay: they are the straight-through backward of the training
// graph, and the integer lowering maps each exact op to the integer value of
// the fake quant it shadows, so deploying is unchanged.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Dialect/QAPeft/Utils/Rounding.h"
#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"
#include "qapeft/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_HARDWAREEXACT
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// The quantizer whose grid `v` lies on: `v` is its output, possibly
/// reshaped, max-pooled or clamped (each keeps the values on the grid, or,
/// for a clamp, quantizing afterwards gives the integer clamp). Null if `v`
/// is not such a value.
FakeQuantOp gridSource(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto fq = dyn_cast<FakeQuantOp>(def))
      return fq;
    if (!isa<tosa::ReshapeOp, tosa::MaxPool2dOp, tosa::ClampOp>(def))
      return {};
    v = def->getOperand(0);
  }
  return {};
}

/// True if every use of `fq` is the weight operand of a conv or matmul.
bool isWeightQuantizer(FakeQuantOp fq) {
  Value out = fq.getOutput();
  if (out.use_empty())
    return false;
  for (OpOperand &use : out.getUses()) {
    Operation *user = use.getOwner();
    if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(user) ||
        use.getOperandNumber() != 1)
      return false;
  }
  return true;
}

struct ConvSite {
  Operation *conv;
  FakeQuantOp weightFq, inputFq, outputFq;
  SmallVector<float> clamps;
};

struct RequantSite {
  FakeQuantOp fq, inputFq;
};

/// A tosa.add / sub / mul of two quantized activations.
struct ElementwiseSite {
  Operation *op;
  StringRef kind;
  FakeQuantOp lhsFq, rhsFq, outputFq;
  SmallVector<float> clamps;
};

/// An int8 / int16 tosa.sigmoid / tanh or a global tosa.avg_pool2d (TFLite
/// MEAN).
struct UnarySite {
  Operation *op;
  StringRef kind;
  FakeQuantOp inputFq, outputFq;
};

struct HardwareExactPass
    : public qapeft::impl::HardwareExactBase<HardwareExactPass> {
  using HardwareExactBase::HardwareExactBase;

  void runOnOperation() override;

private:
  /// The rounding for the requantization into `outFq`'s grid, resolved as
  /// --qapeft-lower-to-integer resolves it: the option, else the attached
  /// target's, else the scheme's.
  RoundingMode roundingFor(FakeQuantOp outFq) const;
  /// The output quantizer of `op` through a single-use chain of reshapes
  /// and float clamps (collected into `clamps`), as the lowering walks it;
  /// null after a diagnostic.
  FakeQuantOp walkChain(Operation *op, SmallVectorImpl<float> &clamps) const;
  /// Finds the elementwise or unary site of `op`, if any, and appends it;
  /// false after a diagnostic.
  bool collectSite(Operation &op, SmallVectorImpl<ElementwiseSite> &elems,
                   SmallVectorImpl<UnarySite> &unaries) const;
  /// The bias width the lowering checks: the option, else the target's,
  /// else the accumulator width (the kernel takes the smaller of this and
  /// the accumulator width).
  int64_t biasBitsFor() const;

  std::optional<RoundingMode> roundingOverride;
  DictionaryAttr target;
};

RoundingMode HardwareExactPass::roundingFor(FakeQuantOp outFq) const {
  if (roundingOverride)
    return *roundingOverride;
  return targetOrSchemeRounding(target, outFq);
}

int64_t HardwareExactPass::biasBitsFor() const {
  if (biasBits)
    return biasBits;
  if (target)
    if (auto bb = target.getAs<IntegerAttr>("bias_bits"))
      return bb.getInt();
  return 64;
}

FakeQuantOp HardwareExactPass::walkChain(Operation *op,
                                         SmallVectorImpl<float> &clamps) const {
  StringRef what = op->getName().getStringRef();
  Value v = op->getResult(0);
  while (true) {
    if (!v.hasOneUse()) {
      op->emitError("hardware-exact mode: the result of this ")
          << what << " must flow through one chain (reshape, clamp) into "
          << "one qapeft.fake_quant";
      return {};
    }
    Operation *user = *v.getUsers().begin();
    if (auto fq = dyn_cast<FakeQuantOp>(user))
      return fq;
    if (auto clamp = dyn_cast<tosa::ClampOp>(user)) {
      auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
      auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
      if (!lo || !hi) {
        clamp.emitError("hardware-exact mode: expected a float clamp");
        return {};
      }
      clamps.push_back(lo.getValue().convertToFloat());
      clamps.push_back(hi.getValue().convertToFloat());
    } else if (isa<IA3Op>(user)) {
      user->emitError("hardware-exact mode does not support an (IA)^3 "
                      "scale between a ")
          << what << " and its output quantizer yet";
      return {};
    } else if (!isa<tosa::ReshapeOp>(user)) {
      user->emitError("hardware-exact mode: no integer form for this op "
                      "between a ")
          << what << " and its output quantizer";
      return {};
    }
    v = user->getResult(0);
  }
}

bool HardwareExactPass::collectSite(Operation &op,
                                    SmallVectorImpl<ElementwiseSite> &elems,
                                    SmallVectorImpl<UnarySite> &unaries) const {
  StringRef what = op.getName().getStringRef();
  if (isa<tosa::AddOp, tosa::SubOp, tosa::MulOp>(op)) {
    FakeQuantOp lhs = gridSource(op.getOperand(0));
    FakeQuantOp rhs = gridSource(op.getOperand(1));
    // Neither operand quantized: a weight-side computation (e.g. a LoRA
    // update before the weight's quantizer), not part of the integer graph.
    if (!lhs && !rhs)
      return true;
    if (!lhs || !rhs) {
      op.emitError("hardware-exact mode: operand ")
          << (lhs ? 1 : 0) << " of this " << what
          << " is not on a quantized grid (a qapeft.fake_quant, possibly "
          << "reshaped, max-pooled or clamped)";
      return false;
    }
    ElementwiseSite site{&op, StringRef(), lhs, rhs, {}, {}};
    site.kind = isa<tosa::AddOp>(op)   ? "add"
                : isa<tosa::SubOp>(op) ? "sub"
                                       : "mul";
    site.outputFq = walkChain(&op, site.clamps);
    if (!site.outputFq)
      return false;
    unsigned bits = site.outputFq.getScheme().getStorage().getWidth();
    if (lhs.getScheme().getStorage().getWidth() != bits ||
        rhs.getScheme().getStorage().getWidth() != bits) {
      op.emitError("hardware-exact mode: the operands and the output of "
                   "this ")
          << what << " must have one storage type (TFLite's kernels)";
      return false;
    }
    if (roundingFor(site.outputFq) == RoundingMode::HalfAway) {
      op.emitError("hardware-exact mode: ")
          << what << " has no integer form with rounding half-away";
      return false;
    }
    elems.push_back(std::move(site));
    return true;
  }
  auto pool = dyn_cast<tosa::AvgPool2dOp>(op);
  if (!pool && !isa<tosa::SigmoidOp, tosa::TanhOp>(op))
    return true;
  UnarySite site{&op,
                 pool                       ? "mean"
                 : isa<tosa::SigmoidOp>(op) ? "sigmoid"
                                            : "tanh",
                 gridSource(op.getOperand(0)),
                 {}};
  if (!site.inputFq) {
    op.emitError("hardware-exact mode: the input of this ")
        << what << " is not on a quantized grid (a qapeft.fake_quant, "
        << "possibly reshaped, max-pooled or clamped)";
    return false;
  }
  if (pool) {
    auto inType = dyn_cast<RankedTensorType>(pool.getInput().getType());
    ArrayRef<int64_t> kernel = pool.getKernel();
    if (!inType || inType.getRank() != 4 || inType.isDynamicDim(1) ||
        inType.isDynamicDim(2) || kernel[0] != inType.getDimSize(1) ||
        kernel[1] != inType.getDimSize(2) ||
        !llvm::all_of(pool.getPad(), [](int64_t p) { return p == 0; })) {
      op.emitError("hardware-exact mode: only a global average pool "
                   "(window = the whole unpadded H x W input, TFLite's "
                   "MEAN) has an integer form");
      return false;
    }
  }
  Value result = op.getResult(0);
  if (result.hasOneUse())
    site.outputFq = dyn_cast<FakeQuantOp>(*result.getUsers().begin());
  if (!site.outputFq) {
    op.emitError("hardware-exact mode: the result of this ")
        << what << " must feed exactly one qapeft.fake_quant";
    return false;
  }
  // TFLite's kernels read and write one type: int8, or int16 (with its
  // own arithmetic, LowerInt16Activations.cpp / LowerMeanInt16.cpp).
  unsigned inBits = site.inputFq.getScheme().getStorage().getWidth();
  if ((inBits != 8 && inBits != 16) ||
      site.outputFq.getScheme().getStorage().getWidth() != inBits) {
    op.emitError("hardware-exact mode: this ")
        << what << " must read and write one type, int8 or int16";
    return false;
  }
  if (roundingFor(site.outputFq) == RoundingMode::HalfAway) {
    op.emitError("hardware-exact mode: ")
        << what << " has no integer form with rounding half-away";
    return false;
  }
  unaries.push_back(site);
  return true;
}

void HardwareExactPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (!rounding.empty()) {
    roundingOverride = parseRoundingMode(rounding);
    if (!roundingOverride) {
      module.emitError("unknown rounding '")
          << rounding
          << "': expected single, double, fp32-half-even or half-away";
      return signalPassFailure();
    }
  }
  target = module->getAttrOfType<DictionaryAttr>("qapeft.target");
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal() || !forward.getBody().hasOneBlock()) {
    module.emitError("--qapeft-hardware-exact needs a @forward function "
                     "with one block");
    return signalPassFailure();
  }
  if (module.lookupSymbol("train_step")) {
    module.emitError("run --qapeft-hardware-exact before "
                     "--qapeft-training-graph: @train_step already exists "
                     "and would keep the float forward");
    return signalPassFailure();
  }
  Block &body = forward.getBody().front();
  if (!body.getOps<ExactConvOp>().empty() ||
      !body.getOps<ExactMatmulOp>().empty() ||
      !body.getOps<ExactRequantOp>().empty() ||
      !body.getOps<ExactElementwiseOp>().empty() ||
      !body.getOps<ExactUnaryOp>().empty()) {
    forward.emitError("@forward already has hardware-exact ops");
    return signalPassFailure();
  }

  // Phase 1: find every site in the original float graph.
  SmallVector<ConvSite> convs;
  SmallVector<RequantSite> requants;
  SmallVector<ElementwiseSite> elems;
  SmallVector<UnarySite> unaries;
  llvm::DenseSet<Operation *> chainEnds, inSoftmax;
  bool ok = true;
  for (Operation &op : body) {
    if (isa<RegionOp>(op)) {
      op.emitError("hardware-exact mode does not support mixed-precision "
                   "regions");
      ok = false;
      continue;
    }
    // A softmax: the lowering's pattern, from its tosa.reduce_max to the
    // mul into one fake quant, becomes TFLite's SOFTMAX.
    if (auto max = dyn_cast<tosa::ReduceMaxOp>(op)) {
      std::optional<SoftmaxChain> chain = matchSoftmax(max);
      if (!chain) {
        op.emitError("hardware-exact mode: a tosa.reduce_max has an integer "
                     "form only as the start of a softmax over the last "
                     "axis");
        ok = false;
        continue;
      }
      // Its sub and mul are not elementwise sites.
      inSoftmax.insert(chain->sub);
      inSoftmax.insert(chain->mul);
      UnarySite site{&op, "softmax", gridSource(max.getInput()), {}};
      Value y = chain->mul.getResult();
      if (y.hasOneUse())
        site.outputFq = dyn_cast<FakeQuantOp>(*y.getUsers().begin());
      if (!site.inputFq || !site.outputFq) {
        op.emitError("hardware-exact mode: this softmax must read a value "
                     "on a quantized grid and feed exactly one "
                     "qapeft.fake_quant");
        ok = false;
        continue;
      }
      unsigned bits = site.inputFq.getScheme().getStorage().getWidth();
      if ((bits != 8 && bits != 16) ||
          site.outputFq.getScheme().getStorage().getWidth() != bits) {
        op.emitError("hardware-exact mode: this softmax must read and write "
                     "one type, int8 or int16");
        ok = false;
        continue;
      }
      if (roundingFor(site.outputFq) == RoundingMode::HalfAway) {
        op.emitError("hardware-exact mode: a softmax has no integer form "
                     "with rounding half-away");
        ok = false;
        continue;
      }
      unaries.push_back(site);
      continue;
    }
    if (inSoftmax.contains(&op))
      continue;
    if (!collectSite(op, elems, unaries)) {
      ok = false;
      continue;
    }
    if (!isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp, tosa::MatMulOp>(op))
      continue;
    StringRef what = op.getName().getStringRef();
    ConvSite site;
    site.conv = &op;
    site.weightFq = op.getOperand(1).getDefiningOp<FakeQuantOp>();
    if (!site.weightFq) {
      op.emitError("hardware-exact mode: the weight of this ")
          << what << " is not fake quantized";
      ok = false;
      continue;
    }
    site.inputFq = gridSource(op.getOperand(0));
    if (!site.inputFq) {
      op.emitError("hardware-exact mode: the input of this ")
          << what << " is not on a quantized grid (a qapeft.fake_quant, "
          << "possibly reshaped, max-pooled or clamped)";
      ok = false;
      continue;
    }
    // The chain to the output quantizer, as the lowering walks it.
    site.outputFq = walkChain(&op, site.clamps);
    if (!site.outputFq) {
      ok = false;
      continue;
    }
    chainEnds.insert(site.outputFq);
    convs.push_back(std::move(site));
  }
  // A broken layer would also make its output quantizer look like a
  // requantization of something unquantized: report the layer only.
  if (!ok)
    return signalPassFailure();
  for (ElementwiseSite &s : elems)
    chainEnds.insert(s.outputFq);
  for (UnarySite &s : unaries)
    chainEnds.insert(s.outputFq);
  for (FakeQuantOp fq : body.getOps<FakeQuantOp>()) {
    // A quantized constant (an elementwise op's operand) is stored as
    // integer codes; quantizing it again in the exact ops gives them.
    Operation *inDef = fq.getInput().getDefiningOp();
    if (chainEnds.contains(fq) || isa<BlockArgument>(fq.getInput()) ||
        isWeightQuantizer(fq) || fq.getOutput().use_empty() ||
        (inDef && inDef->hasTrait<OpTrait::ConstantLike>()))
      continue;
    RequantSite site{fq, gridSource(fq.getInput())};
    if (!site.inputFq) {
      fq.emitError("hardware-exact mode: the input of this fake quant is "
                   "neither a quantized conv layer nor on a quantized grid");
      ok = false;
      continue;
    }
    requants.push_back(site);
  }
  if (!ok)
    return signalPassFailure();

  // Phase 2: build the exact ops right after the quantizers they shadow,
  // then route every other use of the quantizer through them.
  OpBuilder b(ctx);
  SmallVector<std::pair<FakeQuantOp, Operation *>> reroutes;
  for (ConvSite &s : convs) {
    b.setInsertionPointAfter(s.outputFq);
    auto conv = s.conv;
    FakeQuantOp out = s.outputFq;
    if (isa<tosa::MatMulOp>(conv)) {
      auto exact = ExactMatmulOp::create(
          b, conv->getLoc(), out.getOutput().getType(), out.getOutput(),
          conv->getOperand(0), s.inputFq.getScale(), s.inputFq.getZeroPoint(),
          s.weightFq.getInput(), s.weightFq.getScale(),
          s.weightFq.getZeroPoint(), out.getScale(), out.getZeroPoint(),
          s.inputFq.getScheme(), s.weightFq.getScheme(), out.getScheme(),
          RoundingModeAttr::get(ctx, roundingFor(out)),
          b.getF32ArrayAttr(s.clamps));
      reroutes.push_back({out, exact});
      continue;
    }
    auto pad = conv->getAttrOfType<DenseI64ArrayAttr>("pad");
    auto stride = conv->getAttrOfType<DenseI64ArrayAttr>("stride");
    auto dil = conv->getAttrOfType<DenseI64ArrayAttr>("dilation");
    if (!pad || !stride || !dil) {
      conv->emitError("hardware-exact mode: expected pad, stride and "
                      "dilation");
      return signalPassFailure();
    }
    auto exact = ExactConvOp::create(
        b, conv->getLoc(), out.getOutput().getType(), out.getOutput(),
        conv->getOperand(0), s.inputFq.getScale(), s.inputFq.getZeroPoint(),
        s.weightFq.getInput(), s.weightFq.getScale(), s.weightFq.getZeroPoint(),
        conv->getOperand(2), out.getScale(), out.getZeroPoint(), pad, stride,
        dil, isa<tosa::DepthwiseConv2DOp>(conv) ? b.getUnitAttr() : UnitAttr(),
        s.inputFq.getScheme(), s.weightFq.getScheme(), out.getScheme(),
        RoundingModeAttr::get(ctx, roundingFor(out)),
        b.getI64IntegerAttr(biasBitsFor()), b.getF32ArrayAttr(s.clamps));
    reroutes.push_back({out, exact});
  }
  for (ElementwiseSite &s : elems) {
    b.setInsertionPointAfter(s.outputFq);
    FakeQuantOp out = s.outputFq;
    auto exact = ExactElementwiseOp::create(
        b, s.op->getLoc(), out.getOutput().getType(), out.getOutput(),
        s.op->getOperand(0), s.lhsFq.getScale(), s.lhsFq.getZeroPoint(),
        s.op->getOperand(1), s.rhsFq.getScale(), s.rhsFq.getZeroPoint(),
        out.getScale(), out.getZeroPoint(), b.getStringAttr(s.kind),
        s.lhsFq.getScheme(), s.rhsFq.getScheme(), out.getScheme(),
        RoundingModeAttr::get(ctx, roundingFor(out)),
        b.getF32ArrayAttr(s.clamps));
    reroutes.push_back({out, exact});
  }
  for (UnarySite &s : unaries) {
    b.setInsertionPointAfter(s.outputFq);
    FakeQuantOp out = s.outputFq;
    auto exact = ExactUnaryOp::create(
        b, s.op->getLoc(), out.getOutput().getType(), out.getOutput(),
        s.op->getOperand(0), s.inputFq.getScale(), s.inputFq.getZeroPoint(),
        out.getScale(), out.getZeroPoint(), b.getStringAttr(s.kind),
        s.inputFq.getScheme(), out.getScheme(),
        RoundingModeAttr::get(ctx, roundingFor(out)));
    reroutes.push_back({out, exact});
  }
  for (RequantSite &s : requants) {
    b.setInsertionPointAfter(s.fq);
    auto exact = ExactRequantOp::create(
        b, s.fq.getLoc(), s.fq.getOutput().getType(), s.fq.getOutput(),
        s.fq.getInput(), s.inputFq.getScale(), s.inputFq.getZeroPoint(),
        s.fq.getScale(), s.fq.getZeroPoint(), s.inputFq.getScheme(),
        s.fq.getScheme(), RoundingModeAttr::get(ctx, roundingFor(s.fq)));
    reroutes.push_back({s.fq, exact});
  }
  for (auto [fq, exact] : reroutes)
    fq.getOutput().replaceAllUsesExcept(exact->getResult(0), exact);
}

} // namespace
