//===- InsertFakeQuant.cpp - fake quant where the target quantizes --------===//
//
// Implements --qapeft-insert-fake-quant. The integer kernels of a target
// quantize the model input, the output of every computing op (after a fused
// activation: conv -> [ia3 | lora side path] -> clamp is one kernel, and so
// is conv -> reshape -> clamp, the fully connected form), and the
// weights; ops that only move data (reshape, transpose, max pool, slice, pad)
// keep their input's grid and get no fake quant of their own.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"

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
/// adapter scales, the LoRA side path, and activation clamps.
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
  // Already quantized (the pass ran before): nothing to do.
  if (v.hasOneUse() && isa<FakeQuantOp>(*v.getUsers().begin()))
    return;
  scheme = withAxisAndRange(scheme, -1, RangeSource::Calibrated);
  std::string tensor = uniqueName(name);
  Location loc = v.getLoc();
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  // Placeholders until `qapeft-sim calibrate` fills them.
  Value s = createParam(b, loc, tensor + ".scale",
                        DenseElementsAttr::get(scalar, 1.0f), false);
  Value z = createParam(b, loc, tensor + ".zero_point",
                        DenseElementsAttr::get(scalar, 0.0f), false);
  auto fq = FakeQuantOp::create(b, loc, v.getType(), v, s, z, scheme);
  v.replaceAllUsesExcept(fq.getResult(), fq);
}

LogicalResult InsertFakeQuantPass::quantizeWeight(Operation *op) {
  Value w = op->getOperand(1);
  if (w.getDefiningOp<FakeQuantOp>())
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

void InsertFakeQuantPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  if (mode != "full" && mode != "adapter") {
    emitError(module.getLoc(), "unknown mode '")
        << mode << "'; expected full or adapter";
    return signalPassFailure();
  }
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

  // Ops to quantize, collected before any IR changes.
  SmallVector<Operation *> ops;
  forward.walk([&](Operation *op) {
    if (producesNewGrid(op) || hasWeight(op))
      ops.push_back(op);
  });

  auto isAdapted = [](Operation *op) {
    if (hasWeight(op) && op->getOperand(1).getDefiningOp<LoraDeltaOp>())
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
    if (hasWeight(op) && failed(quantizeWeight(op)))
      return signalPassFailure();
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
    std::string name = locationName(op->getLoc());
    if (name.empty())
      name = op->getName().stripDialect().str();
    b.setInsertionPointAfterValue(v);
    quantizeActivation(b, v, name, schemeFor(op, "activation"));
  }
}

} // namespace
