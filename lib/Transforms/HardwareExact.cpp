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
//  - a qapeft.fake_quant of a value that is already quantized (through
//    reshapes, max pools and clamps) -> qapeft.exact_requant.
// Every later use of the fake quant's output then reads the exact op. The
// float ops stay: they are the straight-through backward of the training
// graph, and the integer lowering maps each exact op to the integer value of
// the fake quant it shadows, so deploying is unchanged.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Dialect/QAPeft/Utils/Rounding.h"
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

struct HardwareExactPass
    : public qapeft::impl::HardwareExactBase<HardwareExactPass> {
  using HardwareExactBase::HardwareExactBase;

  void runOnOperation() override;

private:
  /// The rounding for the requantization into `outFq`'s grid, resolved as
  /// --qapeft-lower-to-integer resolves it: the option, else the attached
  /// target's, else the scheme's.
  RoundingMode roundingFor(FakeQuantOp outFq) const;
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
      !body.getOps<ExactRequantOp>().empty()) {
    forward.emitError("@forward already has hardware-exact ops");
    return signalPassFailure();
  }

  // Phase 1: find every site in the original float graph.
  SmallVector<ConvSite> convs;
  SmallVector<RequantSite> requants;
  llvm::DenseSet<Operation *> chainEnds;
  bool ok = true;
  for (Operation &op : body) {
    if (isa<RegionOp>(op)) {
      op.emitError("hardware-exact mode does not support mixed-precision "
                   "regions");
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
    Value v = op.getResult(0);
    while (!site.outputFq) {
      if (!v.hasOneUse()) {
        op.emitError("hardware-exact mode: the result of this ")
            << what << " must flow through one chain (reshape, clamp) into "
            << "one qapeft.fake_quant";
        ok = false;
        break;
      }
      Operation *user = *v.getUsers().begin();
      if (auto fq = dyn_cast<FakeQuantOp>(user)) {
        site.outputFq = fq;
        break;
      }
      if (auto clamp = dyn_cast<tosa::ClampOp>(user)) {
        auto lo = dyn_cast<FloatAttr>(clamp.getMinValAttr());
        auto hi = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
        if (!lo || !hi) {
          clamp.emitError("hardware-exact mode: expected a float clamp");
          ok = false;
          break;
        }
        site.clamps.push_back(lo.getValue().convertToFloat());
        site.clamps.push_back(hi.getValue().convertToFloat());
      } else if (isa<IA3Op>(user)) {
        user->emitError("hardware-exact mode does not support an (IA)^3 "
                        "scale between a ")
            << what << " and its output quantizer yet";
        ok = false;
        break;
      } else if (!isa<tosa::ReshapeOp>(user)) {
        user->emitError("hardware-exact mode: no integer form for this op "
                        "between a ")
            << what << " and its output quantizer";
        ok = false;
        break;
      }
      v = user->getResult(0);
    }
    if (!site.outputFq)
      continue;
    chainEnds.insert(site.outputFq);
    convs.push_back(std::move(site));
  }
  // A broken layer would also make its output quantizer look like a
  // requantization of something unquantized: report the layer only.
  if (!ok)
    return signalPassFailure();
  for (FakeQuantOp fq : body.getOps<FakeQuantOp>()) {
    if (chainEnds.contains(fq) || isa<BlockArgument>(fq.getInput()) ||
        isWeightQuantizer(fq) || fq.getOutput().use_empty())
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
          conv->getOperand(0), s.inputFq.getScale(),
          s.inputFq.getZeroPoint(), s.weightFq.getInput(),
          s.weightFq.getScale(), s.weightFq.getZeroPoint(), out.getScale(),
          out.getZeroPoint(), s.inputFq.getScheme(), s.weightFq.getScheme(),
          out.getScheme(), RoundingModeAttr::get(ctx, roundingFor(out)),
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
        s.weightFq.getInput(), s.weightFq.getScale(),
        s.weightFq.getZeroPoint(), conv->getOperand(2), out.getScale(),
        out.getZeroPoint(), pad, stride, dil,
        isa<tosa::DepthwiseConv2DOp>(conv) ? b.getUnitAttr() : UnitAttr(),
        s.inputFq.getScheme(), s.weightFq.getScheme(), out.getScheme(),
        RoundingModeAttr::get(ctx, roundingFor(out)),
        b.getI64IntegerAttr(biasBitsFor()), b.getF32ArrayAttr(s.clamps));
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
