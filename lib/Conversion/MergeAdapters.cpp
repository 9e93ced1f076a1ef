//===- MergeAdapters.cpp - merge LoRA deltas and (IA)^3 into weights ------===//
//
// Implements --qapeft-merge-adapters (see Passes.td for the exact float32
// order, which is the training forward's).
//
//===----------------------------------------------------------------------===//

#include "ConversionUtils.h"

#include "qapeft/Conversion/Passes.h"
#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/Weights.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_MERGEADAPTERS
#include "qapeft/Conversion/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// A tosa.const of `values` shaped like `type`, located at `loc`.
Value makeConst(OpBuilder &b, Location loc, RankedTensorType type,
                ArrayRef<float> values) {
  return tosa::ConstOp::create(b, loc, type, makeF32Attr(type, values));
}

LogicalResult mergeLoraDelta(LoraDeltaOp op) {
  auto wType = dyn_cast<RankedTensorType>(op.getWeight().getType());
  if (!wType || !wType.hasStaticShape() || !wType.getElementType().isF32())
    return op.emitError("cannot merge: the weight must be a static f32 "
                        "tensor, got ")
           << op.getWeight().getType();
  auto w = getConstantFloats(op.getWeight());
  auto a = getConstantFloats(op.getA());
  auto b = getConstantFloats(op.getB());
  if (!w || !a || !b) {
    // Not an error: a weight computed at run time stays an adapter op.
    op.emitRemark("LoRA delta kept: its weight, A or B is not a "
                  "compile-time tensor");
    return success();
  }
  SmallVector<float> merged =
      mergeLora(*w, wType.getShape(), *a, *b, op.getOutAxis(), op.getRank(),
                numerics::loraScaling(op.getAlpha().convertToFloat(),
                                      op.getRank()));
  OpBuilder builder(op);
  // The merged constant carries the weight's name location so later stages
  // (and the exporter) still find "<layer>.weight".
  Location loc = constantLoc(op.getWeight());
  Value c = makeConst(builder, loc, wType, merged);
  op.getOutput().replaceAllUsesWith(c);
  op.erase();
  return success();
}

/// True if `w` reaches its conv through a qapeft.fake_quant.
bool isFakeQuantized(Value w) {
  return static_cast<bool>(w.getDefiningOp<FakeQuantOp>());
}

LogicalResult foldIA3(IA3Op op) {
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  Operation *producer = op.getInput().getDefiningOp();
  if (!producer || !isa<tosa::Conv2DOp, tosa::DepthwiseConv2DOp>(producer) ||
      static_cast<int64_t>(op.getAxis()) != inType.getRank() - 1 || !op.getInput().hasOneUse())
    return success(); // Not foldable into weights; the lowering handles it.
  Value weight = producer->getOperand(1);
  Value bias = producer->getOperand(2);
  if (isFakeQuantized(weight))
    return success(); // Folded into the requantization scale instead.
  auto l = getConstantFloats(op.getScale());
  auto w = getConstantFloats(weight);
  auto bv = getConstantFloats(bias);
  auto wType = cast<RankedTensorType>(weight.getType());
  auto bType = cast<RankedTensorType>(bias.getType());
  if (!l || !w || !bv || !wType.hasStaticShape() || !bType.hasStaticShape())
    return success();
  int64_t channels = static_cast<int64_t>(l->size());
  // Output channel of each weight element: OHWI conv -> axis 0; HWCM
  // depthwise -> c * M + m, i.e. the flat index modulo C * M.
  bool depthwise = isa<tosa::DepthwiseConv2DOp>(producer);
  int64_t inner = wType.getNumElements() / wType.getDimSize(0);
  SmallVector<float> newW(*w);
  for (int64_t i = 0, e = newW.size(); i < e; ++i) {
    int64_t c = depthwise ? i % channels : i / inner;
    newW[i] = newW[i] * (*l)[c];
  }
  SmallVector<float> newB(*bv);
  if (static_cast<int64_t>(newB.size()) == channels)
    for (int64_t c = 0; c < channels; ++c)
      newB[c] = newB[c] * (*l)[c];
  else
    return op.emitError("cannot fold (IA)^3: the bias has ")
           << newB.size() << " values for " << channels << " channels";
  OpBuilder builder(producer);
  producer->setOperand(1, makeConst(builder, constantLoc(weight), wType, newW));
  producer->setOperand(2, makeConst(builder, constantLoc(bias), bType, newB));
  op.getOutput().replaceAllUsesWith(op.getInput());
  op.erase();
  return success();
}

struct MergeAdaptersPass
    : public mlir::qapeft::impl::MergeAdaptersBase<MergeAdaptersPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LoraDeltaOp> loras;
    SmallVector<IA3Op> ia3s;
    module.walk([&](LoraDeltaOp op) { loras.push_back(op); });
    module.walk([&](IA3Op op) { ia3s.push_back(op); });
    for (LoraDeltaOp op : loras)
      if (failed(mergeLoraDelta(op)))
        return signalPassFailure();
    for (IA3Op op : ia3s)
      if (failed(foldIA3(op)))
        return signalPassFailure();
    // Parameters and constants only the merged adapters used are dead now.
    SmallVector<Operation *> dead;
    module.walk([&](Operation *op) {
      if (isa<ParamOp, tosa::ConstOp>(op) && op->use_empty())
        dead.push_back(op);
    });
    for (Operation *op : dead)
      op->erase();
  }
};

} // namespace
