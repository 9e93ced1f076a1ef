//===- InsertAdapters.cpp - add PEFT adapters to chosen layers ------------===//
//
// Implements --qapeft-insert-adapters: LoRA (weight delta), LoRA as a side
// path, (IA)^3 and bottleneck adapters on tosa.conv2d /
// tosa.depthwise_conv2d / tosa.matmul layers selected by kind and by the
// regex on their name location; prompt rows before sequence inputs.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"

#include <cmath>

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_INSERTADAPTERS
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// The op kind named in `ops=` of an op, or "" if it cannot be adapted.
StringRef kindOf(Operation *op) {
  if (isa<tosa::Conv2DOp>(op))
    return "conv2d";
  if (isa<tosa::DepthwiseConv2DOp>(op))
    return "depthwise_conv2d";
  if (isa<tosa::MatMulOp>(op))
    return "matmul";
  return "";
}

/// The output-channel axis of the weight operand (operand 1) of an adaptable
/// op: OHWI conv weights 0; TOSA depthwise weights are [KH, KW, C, M] whose
/// output channels c * M + m form one axis only when M == 1 (axis 2) or
/// C == 1 (axis 3); a matmul's B is [N, C, W] with outputs on axis 2.
/// Returns -1 when no single axis holds the output channels.
int64_t outputAxisOf(Operation *op, RankedTensorType weight) {
  if (isa<tosa::Conv2DOp>(op))
    return 0;
  if (isa<tosa::MatMulOp>(op))
    return 2;
  if (isa<tosa::DepthwiseConv2DOp>(op)) {
    if (weight.getDimSize(3) == 1)
      return 2;
    if (weight.getDimSize(2) == 1)
      return 3;
  }
  return -1;
}

/// `shape` filled by `gen` uniform in [-bound, bound).
DenseElementsAttr uniformTensor(RankedTensorType type, SplitMix64 &gen,
                                float bound) {
  SmallVector<float> values(type.getNumElements());
  for (float &v : values)
    v = gen.uniform(-bound, bound);
  return DenseElementsAttr::get(type, ArrayRef<float>(values));
}

DenseElementsAttr filledTensor(RankedTensorType type, float value) {
  return DenseElementsAttr::get(type, value);
}

struct InsertAdaptersPass
    : public qapeft::impl::InsertAdaptersBase<InsertAdaptersPass> {
  using InsertAdaptersBase::InsertAdaptersBase;

  void runOnOperation() override;

private:
  /// Replaces operand `idx` of `op` by a qapeft.param named `name` holding
  /// the constant it reads (a tosa.const) or returns it if it already is a
  /// qapeft.param. Fails with a diagnostic for anything else.
  FailureOr<Value> paramFor(Operation *op, unsigned idx, StringRef name,
                            StringRef layer);
  LogicalResult addLora(Operation *op, StringRef layer);
  LogicalResult addLoraSide(Operation *op, StringRef layer);
  LogicalResult addIA3(Operation *op, StringRef layer);
  LogicalResult addBottleneck(Operation *op, StringRef layer);
  /// adapter=prompt: prompt rows before every sequence input of @forward.
  LogicalResult addPrompts(ModuleOp module);
};

FailureOr<Value> InsertAdaptersPass::paramFor(Operation *op, unsigned idx,
                                              StringRef name, StringRef layer) {
  Value v = op->getOperand(idx);
  if (v.getDefiningOp<ParamOp>())
    return v;
  if (v.getDefiningOp<LoraDeltaOp>())
    return op->emitError("layer '")
           << layer << "' already has a LoRA adapter on its weight";
  auto cst = v.getDefiningOp<tosa::ConstOp>();
  if (!cst)
    return op->emitError("the ")
           << (idx == 1 ? "weight" : "bias") << " of layer '" << layer
           << "' is not a tosa.const or qapeft.param; adapters need a "
              "constant weight";
  OpBuilder b(cst);
  ParamOp param =
      createParam(b, cst.getLoc(), name, cst.getValues(), /*trainable=*/false);
  // Only this op's use changes: a constant shared with another layer keeps
  // its other readers on the constant.
  op->setOperand(idx, param.getResult());
  if (cst->use_empty())
    cst->erase();
  return param.getResult();
}

LogicalResult InsertAdaptersPass::addLora(Operation *op, StringRef layer) {
  auto wType = dyn_cast<RankedTensorType>(op->getOperand(1).getType());
  if (!wType || !wType.hasStaticShape())
    return op->emitError("layer '")
           << layer << "' needs a statically shaped weight for LoRA";
  int64_t outAxis = outputAxisOf(op, wType);
  if (outAxis < 0)
    return op->emitError("layer '")
           << layer << "': the depthwise weight " << wType
           << " has no single output-channel axis (needs C == 1 or M == 1)";
  int64_t rows = wType.getDimSize(outAxis);
  int64_t cols = wType.getNumElements() / rows;
  if (rank > std::min(rows, cols))
    return op->emitError("rank ")
           << int64_t(rank) << " is larger than the weight of layer '" << layer
           << "' allows: its " << rows << "x" << cols
           << " matrix has rank at most " << std::min(rows, cols);

  FailureOr<Value> w = paramFor(op, 1, (layer + ".weight").str(), layer);
  if (failed(w))
    return failure();

  OpBuilder b(op);
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  auto aType = RankedTensorType::get({rank, cols}, f32);
  auto bType = RankedTensorType::get({rows, rank}, f32);
  // LoRA paper / PEFT init: A from a Kaiming-uniform-like U(+-1/sqrt(fan_in)),
  // B zero, so W + s * B @ A == W exactly at step 0.
  SplitMix64 gen(tensorSeed(seed, (layer + ".lora_a").str()));
  Value a =
      createParam(b, loc, (layer + ".lora_a").str(),
                  uniformTensor(aType, gen, 1.0f / std::sqrt(float(cols))),
                  /*trainable=*/true);
  Value bMat = createParam(b, loc, (layer + ".lora_b").str(),
                           filledTensor(bType, 0.0f), /*trainable=*/true);
  auto delta = LoraDeltaOp::create(
      b, loc, wType, *w, a, bMat, b.getF32FloatAttr(float(alpha)),
      b.getI64IntegerAttr(rank), b.getI64IntegerAttr(outAxis));
  op->setOperand(1, delta.getResult());
  return success();
}

LogicalResult InsertAdaptersPass::addLoraSide(Operation *op, StringRef layer) {
  Value x = op->getOperand(0);
  Value y = op->getResult(0);
  auto xType = dyn_cast<RankedTensorType>(x.getType());
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    bool pointwise =
        wType.getDimSize(1) == 1 && wType.getDimSize(2) == 1 &&
        llvm::all_of(conv.getStride(), [](int64_t s) { return s == 1; }) &&
        llvm::all_of(conv.getPad(), [](int64_t p) { return p == 0; });
    if (!pointwise)
      return op->emitError("lora-side needs a 1x1, stride-1, unpadded "
                           "conv2d (a fully connected layer) or a matmul; "
                           "layer '")
             << layer << "' is not one";
  } else if (!isa<tosa::MatMulOp>(op)) {
    return op->emitError("lora-side supports conv2d and matmul layers, not '")
           << op->getName() << "'";
  }
  if (!xType || !yType)
    return op->emitError("lora-side needs ranked input and output");
  int64_t din = xType.getDimSize(xType.getRank() - 1);
  int64_t dout = yType.getDimSize(yType.getRank() - 1);
  if (ShapedType::isDynamic(din) || ShapedType::isDynamic(dout))
    return op->emitError("lora-side needs static feature sizes");
  if (rank > std::min(din, dout))
    return op->emitError("rank ")
           << int64_t(rank) << " is larger than the weight of layer '" << layer
           << "' allows: its " << dout << "x" << din
           << " matrix has rank at most " << std::min(din, dout);
  if (failed(paramFor(op, 1, (layer + ".weight").str(), layer)))
    return failure();

  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(op);
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  SplitMix64 gen(tensorSeed(seed, (layer + ".lora_a").str()));
  Value a = createParam(b, loc, (layer + ".lora_a").str(),
                        uniformTensor(RankedTensorType::get({rank, din}, f32),
                                      gen, 1.0f / std::sqrt(float(din))),
                        /*trainable=*/true);
  Value bMat =
      createParam(b, loc, (layer + ".lora_b").str(),
                  filledTensor(RankedTensorType::get({dout, rank}, f32), 0.0f),
                  /*trainable=*/true);
  auto side = LoraSideOp::create(b, loc, yType, x, y, a, bMat,
                                 b.getF32FloatAttr(float(alpha)),
                                 b.getI64IntegerAttr(rank));
  y.replaceAllUsesExcept(side.getResult(), side);
  return success();
}

LogicalResult InsertAdaptersPass::addIA3(Operation *op, StringRef layer) {
  Value y = op->getResult(0);
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  if (!yType)
    return op->emitError("ia3 needs a ranked output");
  int64_t axis = yType.getRank() - 1;
  int64_t channels = yType.getDimSize(axis);
  if (ShapedType::isDynamic(channels))
    return op->emitError("ia3 needs a static channel count");
  if (failed(paramFor(op, 1, (layer + ".weight").str(), layer)))
    return failure();
  OpBuilder b(op->getContext());
  b.setInsertionPointAfter(op);
  Location loc = op->getLoc();
  // Ones: the scaled model equals the base model at step 0.
  Value scale = createParam(
      b, loc, (layer + ".ia3").str(),
      filledTensor(RankedTensorType::get({channels}, b.getF32Type()), 1.0f),
      /*trainable=*/true);
  auto ia3 = IA3Op::create(b, loc, yType, y, scale, b.getI64IntegerAttr(axis));
  y.replaceAllUsesExcept(ia3.getResult(), ia3);
  return success();
}

LogicalResult InsertAdaptersPass::addBottleneck(Operation *op,
                                                StringRef layer) {
  // The adapter follows the sublayer's output: after a fused activation
  // clamp when the layer has one (also through the reshapes of the fully
  // connected form), so it sees what the next layer would and the layer
  // stays one integer kernel.
  Value y = op->getResult(0);
  for (Value v = y; v.hasOneUse();) {
    Operation *user = *v.getUsers().begin();
    if (isa<tosa::ClampOp>(user)) {
      y = user->getResult(0);
      break;
    }
    if (!isa<tosa::ReshapeOp>(user))
      break;
    v = user->getResult(0);
  }
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  if (!yType)
    return op->emitError("adapter needs a ranked output");
  int64_t d = yType.getDimSize(yType.getRank() - 1);
  if (ShapedType::isDynamic(d))
    return op->emitError("adapter needs a static channel count");
  if (failed(paramFor(op, 1, (layer + ".weight").str(), layer)))
    return failure();
  OpBuilder b(op->getContext());
  b.setInsertionPointAfterValue(y);
  Location loc = op->getLoc();
  Type f32 = b.getF32Type();
  int64_t h = bottleneckSize;
  std::string prefix = (layer + ".adapter_").str();
  SplitMix64 gen(tensorSeed(seed, prefix + "down"));
  Value down = createParam(
      b, loc, prefix + "down",
      uniformTensor(RankedTensorType::get({h, d}, f32), gen,
                    1.0f / std::sqrt(float(d))),
      /*trainable=*/true);
  Value downBias = createParam(
      b, loc, prefix + "down_bias",
      filledTensor(RankedTensorType::get({h}, f32), 0.0f), true);
  // Up projection and its bias zero: the adapter is the identity at step 0.
  Value up = createParam(b, loc, prefix + "up",
                         filledTensor(RankedTensorType::get({d, h}, f32), 0.0f),
                         true);
  Value upBias = createParam(b, loc, prefix + "up_bias",
                             filledTensor(RankedTensorType::get({d}, f32), 0.0f),
                             true);
  MLIRContext *ctx = op->getContext();
  auto act = *symbolizeBottleneckActivation(activation);
  auto place = *symbolizeBottleneckPlacement(placement);
  auto bn = BottleneckOp::create(
      b, loc, yType, y, down, downBias, up, upBias,
      BottleneckActivationAttr::get(ctx, act),
      BottleneckPlacementAttr::get(ctx, place));
  y.replaceAllUsesExcept(bn.getResult(), bn);
  return success();
}

LogicalResult InsertAdaptersPass::addPrompts(ModuleOp module) {
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal())
    return emitError(module.getLoc(),
                     "adapter=prompt needs a @forward function with a body");
  SmallVector<BlockArgument> sequences;
  for (BlockArgument arg : forward.getArguments()) {
    auto t = dyn_cast<RankedTensorType>(arg.getType());
    if (t && t.getRank() == 3 && isa<FloatType>(t.getElementType()))
      sequences.push_back(arg);
  }
  if (sequences.empty())
    return forward.emitError("adapter=prompt needs a sequence input "
                             "[N, S, D] (a rank-3 float argument of "
                             "@forward); this model has none");
  OpBuilder b(module.getContext());
  b.setInsertionPointToStart(&forward.getBody().front());
  Type f32 = b.getF32Type();
  for (BlockArgument arg : sequences) {
    auto t = cast<RankedTensorType>(arg.getType());
    if (!ShapedType::isDynamic(t.getDimSize(1)))
      return forward.emitError("adapter=prompt needs a dynamic sequence "
                               "length: argument #")
             << arg.getArgNumber() << " is " << t
             << " and the prompt makes it " << int64_t(promptLength)
             << " longer";
    int64_t dim = t.getDimSize(2);
    if (ShapedType::isDynamic(dim))
      return forward.emitError("adapter=prompt needs a static embedding "
                               "size, got ")
             << t;
    std::string name = sequences.size() == 1
                           ? std::string("prompt")
                           : ("prompt" + Twine(arg.getArgNumber())).str();
    // Prompt tuning (Lester et al.): rows uniform in [-0.5, 0.5].
    SplitMix64 gen(tensorSeed(seed, name));
    Value rows = createParam(
        b, arg.getLoc(), name,
        uniformTensor(RankedTensorType::get({promptLength, dim}, f32), gen,
                      0.5f),
        /*trainable=*/true);
    auto prompt = PromptOp::create(b, arg.getLoc(), t, arg, rows);
    arg.replaceAllUsesExcept(prompt.getResult(), prompt);
  }
  return success();
}

void InsertAdaptersPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (adapter != "lora" && adapter != "lora-side" && adapter != "ia3" &&
      adapter != "adapter" && adapter != "prompt") {
    emitError(module.getLoc(), "unknown adapter kind '")
        << adapter << "'; expected lora, lora-side, ia3, adapter or prompt";
    return signalPassFailure();
  }
  if (adapter == "prompt") {
    if (promptLength < 1) {
      emitError(module.getLoc(), "prompt-length must be >= 1, got ")
          << int64_t(promptLength);
      return signalPassFailure();
    }
    if (failed(addPrompts(module)))
      signalPassFailure();
    return;
  }
  if (adapter == "adapter") {
    if (bottleneckSize < 1) {
      emitError(module.getLoc(), "bottleneck must be >= 1, got ")
          << int64_t(bottleneckSize);
      return signalPassFailure();
    }
    if (!symbolizeBottleneckActivation(activation)) {
      emitError(module.getLoc(), "unknown activation '")
          << activation << "'; expected relu, gelu or identity";
      return signalPassFailure();
    }
    if (!symbolizeBottleneckPlacement(placement)) {
      emitError(module.getLoc(), "unknown placement '")
          << placement << "'; expected houlsby or pfeiffer";
      return signalPassFailure();
    }
  }
  if (adapter == "lora" || adapter == "lora-side") {
    if (rank < 1)
      return emitError(module.getLoc(), "rank must be >= 1, got ")
                 << int64_t(rank),
             signalPassFailure();
    if (!(alpha > 0.0))
      return emitError(module.getLoc(), "alpha must be > 0, got ")
                 << double(alpha),
             signalPassFailure();
  }

  llvm::StringSet<> kinds;
  if (opKinds.empty()) {
    kinds.insert("conv2d");
    kinds.insert("matmul");
  }
  for (const std::string &k : opKinds) {
    if (k != "conv2d" && k != "depthwise_conv2d" && k != "matmul") {
      emitError(module.getLoc(), "unknown op kind '")
          << k << "' in ops=; expected conv2d, depthwise_conv2d or matmul";
      return signalPassFailure();
    }
    kinds.insert(k);
  }

  // PEFT's target_modules regexes match the whole module name.
  llvm::Regex regex("^(" + names + ")$");
  std::string regexError;
  if (!names.empty() && !regex.isValid(regexError)) {
    emitError(module.getLoc(), "invalid names= regex '")
        << names << "': " << regexError;
    return signalPassFailure();
  }

  SmallVector<std::pair<Operation *, std::string>> selected;
  module.walk([&](Operation *op) {
    StringRef kind = kindOf(op);
    if (kind.empty() || !kinds.contains(kind))
      return;
    // A matmul of two activations (attention scores) has no weight to adapt.
    if (isa<tosa::MatMulOp>(op) &&
        !op->getOperand(1).getDefiningOp<tosa::ConstOp>() &&
        !op->getOperand(1).getDefiningOp<ParamOp>())
      return;
    std::string layer = locationName(op->getLoc());
    if (layer.empty()) {
      op->emitWarning("skipped: a layer needs a name location "
                      "(loc(\"name\")) to name its adapter parameters");
      return;
    }
    if (!names.empty() && !regex.match(layer))
      return;
    selected.emplace_back(op, layer);
  });
  if (selected.empty()) {
    emitWarning(module.getLoc(), "no layer matched ops=")
        << llvm::join(opKinds, ",") << " names='" << names
        << "'; nothing was adapted";
    return;
  }

  // Pfeiffer placement: only the last selected layer of each block (the
  // name before its last '.') keeps its adapter; selection order is program
  // order, so the last one seen per block wins.
  if (adapter == "adapter" && placement == "pfeiffer") {
    llvm::StringMap<size_t> lastOfBlock;
    auto blockOf = [](StringRef layer) {
      size_t dot = layer.rfind('.');
      return dot == StringRef::npos ? StringRef() : layer.take_front(dot);
    };
    for (auto [i, entry] : llvm::enumerate(selected))
      lastOfBlock[blockOf(entry.second)] = i;
    SmallVector<std::pair<Operation *, std::string>> kept;
    for (auto [i, entry] : llvm::enumerate(selected))
      if (lastOfBlock[blockOf(entry.second)] == i)
        kept.push_back(entry);
    selected = std::move(kept);
  }

  llvm::StringSet<> seen;
  for (auto &[op, layer] : selected) {
    if (!seen.insert(layer).second) {
      op->emitError("two adapted layers share the name '")
          << layer << "'; parameter names must be unique";
      return signalPassFailure();
    }
    LogicalResult ok = adapter == "lora"        ? addLora(op, layer)
                       : adapter == "lora-side" ? addLoraSide(op, layer)
                       : adapter == "adapter"   ? addBottleneck(op, layer)
                                                : addIA3(op, layer);
    if (failed(ok))
      return signalPassFailure();
    // The bias is a parameter too (QAFT may train it; the sim writes it back).
    if (op->getNumOperands() > 2 && !isa<tosa::MatMulOp>(op) &&
        failed(paramFor(op, 2, layer + ".bias", layer)))
      return signalPassFailure();
  }
}

} // namespace
