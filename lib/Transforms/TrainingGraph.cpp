//===- TrainingGraph.cpp - forward + STE backward + optimizer as IR -------===//
//
// Implements --qapeft-training-graph: reverse-mode differentiation of
// @forward with respect to its trainable qapeft.param values, emitted as
// @train_step with the signature docs/CONVENTIONS.md fixes:
//
//   (params..., opt_state..., step, lr, input, labels)
//       -> (new params..., new opt_state..., loss, correct)
//
// The forward ops are cloned into @train_step (trainable params become
// arguments); the backward walks them in reverse, emitting the gradient of
// each op with plain TOSA where TOSA suffices and the qapeft gradient ops
// (conv backprop, pool grads, STE, LSQ scale gradient) where it does not.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/Dialect/Tosa/Utils/ConversionUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_TRAININGGRAPH
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// The smallest value a learned (LSQ) scale is allowed to take.
constexpr float kMinLearnedScale = 1e-8f;

/// Small TOSA builders for float32 tensors.
class GradBuilder {
public:
  explicit GradBuilder(ImplicitLocOpBuilder &b) : b(b) {}

  Type f32() { return b.getF32Type(); }
  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32());
  }

  /// A splat constant of `value` with all dims 1 (broadcasts against any
  /// tensor of that rank).
  Value splat(int64_t rank, float value) {
    auto t = tensor(SmallVector<int64_t>(rank, 1));
    return tosa::ConstOp::create(b, t, DenseElementsAttr::get(t, value));
  }
  Value scalarZp() {
    auto t = tensor({1});
    return tosa::ConstOp::create(b, t, DenseElementsAttr::get(t, 0.0f));
  }
  Value shift() {
    auto t = RankedTensorType::get({1}, b.getI8Type());
    return tosa::ConstOp::create(b, t, DenseElementsAttr::get(t, int8_t(0)));
  }

  Value reshape(Value v, RankedTensorType to) {
    if (v.getType() == to)
      return v;
    Value shape =
        tosa::getTosaConstShape(b, tosa::convertFromMlirShape(to.getShape()));
    return tosa::ReshapeOp::create(b, to, v, shape);
  }
  Value reshape(Value v, ArrayRef<int64_t> shape) {
    return reshape(v, tensor(shape));
  }

  Value transpose(Value v, ArrayRef<int32_t> perms) {
    auto in = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    for (int32_t p : perms)
      shape.push_back(in.getDimSize(p));
    return tosa::TransposeOp::create(b, tensor(shape), v,
                                     b.getDenseI32ArrayAttr(perms));
  }

  /// Batched matmul [N, M, K] x [N, K, P] -> [N, M, P].
  Value matmul(Value x, Value y) {
    auto xt = cast<RankedTensorType>(x.getType());
    auto yt = cast<RankedTensorType>(y.getType());
    int64_t n = xt.getDimSize(0);
    if (ShapedType::isDynamic(n))
      n = yt.getDimSize(0);
    auto t = tensor({n, xt.getDimSize(1), yt.getDimSize(2)});
    return tosa::MatMulOp::create(b, t, x, y, scalarZp(), scalarZp());
  }

  Value mul(Value x, Value y, Type resultType) {
    return tosa::MulOp::create(b, resultType, x, y, shift());
  }
  Value scale(Value x, float s) {
    auto t = cast<RankedTensorType>(x.getType());
    return mul(x, splat(t.getRank(), s), t);
  }
  Value add(Value x, Value y) {
    return tosa::AddOp::create(b, x.getType(), x, y);
  }

  Value reduceSum(Value v, int64_t axis) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape(t.getShape());
    shape[axis] = 1;
    return tosa::ReduceSumOp::create(b, tensor(shape), v,
                                     b.getI32IntegerAttr(axis));
  }

  /// Sums `g` (the gradient of a broadcast result) down to `to`'s shape:
  /// every axis where `to` has 1 and `g` does not.
  Value unbroadcast(Value g, RankedTensorType to) {
    auto gt = cast<RankedTensorType>(g.getType());
    for (int64_t i = 0, e = gt.getRank(); i < e; ++i)
      if (to.getDimSize(i) == 1 && gt.getDimSize(i) != 1)
        g = reduceSum(g, i);
    if (g.getType() != to)
      g = reshape(g, to);
    return g;
  }

  ImplicitLocOpBuilder &b;
};

struct TrainingGraphPass
    : public qapeft::impl::TrainingGraphBase<TrainingGraphPass> {
  using TrainingGraphBase::TrainingGraphBase;

  void runOnOperation() override;

private:
  /// Emits the gradients of the operands of `op` (a clone in @train_step)
  /// given `dys`, the gradients of its results (null where none).
  LogicalResult backward(Operation *op, ArrayRef<Value> dys, GradBuilder &g);

  void accumulate(Value v, Value grad, GradBuilder &g) {
    if (!varied.contains(v))
      return;
    auto it = grads.find(v);
    if (it == grads.end()) {
      grads[v] = grad;
      return;
    }
    it->second = g.add(it->second, grad);
  }

  /// Values of @train_step that depend on a trainable parameter.
  llvm::DenseSet<Value> varied;
  DenseMap<Value, Value> grads;
};

LogicalResult TrainingGraphPass::backward(Operation *op, ArrayRef<Value> dys,
                                          GradBuilder &g) {
  Value dy = dys.empty() ? Value() : dys[0];
  auto is = [&](Value v) { return varied.contains(v); };
  // The rules below build shapes from the operand types: unranked tensors
  // get a diagnostic instead of a crash.
  for (Value v : llvm::concat<Value>(op->getOperands(), op->getResults()))
    if (isa<UnrankedTensorType>(v.getType()))
      return op->emitError("gradients need ranked tensors, got ")
             << v.getType();

  if (auto conv = dyn_cast<tosa::Conv2DOp>(op)) {
    Value x = conv.getInput(), w = conv.getWeight(), bias = conv.getBias();
    if (is(x))
      accumulate(x,
                 Conv2DBackpropInputOp::create(
                     g.b, x.getType(), dy, w, conv.getPadAttr(),
                     conv.getStrideAttr(), conv.getDilationAttr()),
                 g);
    if (is(w))
      accumulate(w,
                 Conv2DBackpropFilterOp::create(
                     g.b, w.getType(), x, dy, conv.getPadAttr(),
                     conv.getStrideAttr(), conv.getDilationAttr()),
                 g);
    if (is(bias)) {
      Value db = dy;
      for (int64_t axis = 0; axis < 3; ++axis)
        db = g.reduceSum(db, axis);
      accumulate(bias, g.reshape(db, cast<RankedTensorType>(bias.getType())),
                 g);
    }
    return success();
  }

  if (auto dw = dyn_cast<tosa::DepthwiseConv2DOp>(op)) {
    Value x = dw.getInput(), w = dw.getWeight(), bias = dw.getBias();
    if (is(x))
      accumulate(x,
                 DepthwiseConv2DBackpropInputOp::create(
                     g.b, x.getType(), dy, w, dw.getPadAttr(),
                     dw.getStrideAttr(), dw.getDilationAttr()),
                 g);
    if (is(w)) {
      if (!cast<RankedTensorType>(w.getType()).hasStaticShape())
        return op->emitError("gradient of a depthwise weight needs a static "
                             "shape, got ")
               << w.getType();
      accumulate(w,
                 DepthwiseConv2DBackpropFilterOp::create(
                     g.b, w.getType(), x, dy, dw.getPadAttr(),
                     dw.getStrideAttr(), dw.getDilationAttr()),
                 g);
    }
    if (is(bias)) {
      Value db = dy;
      for (int64_t axis = 0; axis < 3; ++axis)
        db = g.reduceSum(db, axis);
      accumulate(bias, g.reshape(db, cast<RankedTensorType>(bias.getType())),
                 g);
    }
    return success();
  }

  if (isa<tosa::ReduceSumOp, tosa::ReduceMaxOp>(op)) {
    Value x = op->getOperand(0), y = op->getResult(0);
    if (!is(x))
      return success();
    if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
      return op->emitError("gradient of an integer ")
             << op->getName() << " is not defined";
    auto xt = cast<RankedTensorType>(x.getType());
    int64_t axis = op->getAttrOfType<IntegerAttr>("axis").getInt();
    int64_t k = xt.getDimSize(axis);
    if (ShapedType::isDynamic(k))
      return op->emitError("gradient of a reduction over the dynamic "
                           "dimension ")
             << axis << " of " << xt << " is not supported";
    // Broadcast dy back over the reduced axis: k copies concatenated (the
    // sum's gradient is dy at every input position). Elementwise TOSA ops
    // would broadcast too, but only against a tensor of x's full shape.
    auto spread = [&](Value v) -> Value {
      if (k == 1)
        return v;
      SmallVector<Value> copies(k, v);
      return tosa::ConcatOp::create(g.b, xt, copies,
                                    g.b.getI32IntegerAttr(axis))
          .getResult();
    };
    Value dx = spread(dy);
    if (isa<tosa::ReduceMaxOp>(op)) {
      // Every position equal to the maximum receives dy (PyTorch's amax
      // convention splits ties evenly; inputs with ties are measure zero).
      auto maskType = RankedTensorType::get(xt.getShape(), g.b.getI1Type());
      Value isMax = tosa::EqualOp::create(g.b, maskType, x, spread(y));
      dx = tosa::SelectOp::create(g.b, xt, isMax, dx,
                                  g.splat(xt.getRank(), 0.0f));
    }
    accumulate(x, dx, g);
    return success();
  }

  if (auto concat = dyn_cast<tosa::ConcatOp>(op)) {
    // Each input's gradient is its slice of dy along the concatenation axis.
    int64_t axis = concat.getAxis();
    int64_t offset = 0;
    for (Value x : concat.getInput1()) {
      auto xt = cast<RankedTensorType>(x.getType());
      int64_t len = xt.getDimSize(axis);
      if (ShapedType::isDynamic(len))
        return op->emitError("gradient of a concatenation along a dynamic "
                             "dimension is not supported");
      if (is(x)) {
        SmallVector<int64_t> start(xt.getRank(), 0), size;
        start[axis] = offset;
        // -1 keeps the (possibly dynamic) extent of the other dimensions.
        for (int64_t i = 0; i < xt.getRank(); ++i)
          size.push_back(i == axis ? len : -1);
        Value dx = tosa::SliceOp::create(
            g.b, xt, dy, tosa::getTosaConstShape(g.b, start),
            tosa::getTosaConstShape(g.b, size));
        accumulate(x, dx, g);
      }
      offset += len;
    }
    return success();
  }

  if (auto slice = dyn_cast<tosa::SliceOp>(op)) {
    // The gradient of a slice is dy zero-padded back to the input's shape.
    Value x = slice.getInput1();
    if (!is(x))
      return success();
    auto xt = cast<RankedTensorType>(x.getType());
    auto dyt = cast<RankedTensorType>(dy.getType());
    SmallVector<int64_t> start;
    if (!tosa::getConstShapeValues(slice.getStart().getDefiningOp(), start) ||
        static_cast<int64_t>(start.size()) != xt.getRank())
      return op->emitError("gradient of a slice needs a constant start");
    SmallVector<int64_t> padding;
    for (int64_t i = 0; i < xt.getRank(); ++i) {
      int64_t in = xt.getDimSize(i), out = dyt.getDimSize(i);
      if (in == out && start[i] == 0) {
        padding.append({0, 0});
        continue;
      }
      if (ShapedType::isDynamic(in) || ShapedType::isDynamic(out))
        return op->emitError("gradient of a slice along the dynamic "
                             "dimension ")
               << i << " is not supported";
      padding.append({start[i], in - start[i] - out});
    }
    accumulate(x,
               tosa::PadOp::create(g.b, xt, dy,
                                   tosa::getTosaConstShape(g.b, padding),
                                   g.scalarZp()),
               g);
    return success();
  }

  if (auto rcp = dyn_cast<tosa::ReciprocalOp>(op)) {
    // d(1/x)/dx = -1/x^2 = -y^2.
    Value x = rcp.getInput1(), y = rcp.getResult();
    if (!is(x))
      return success();
    if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
      return op->emitError("gradient of an integer reciprocal is not "
                           "defined");
    Type t = y.getType();
    accumulate(x, g.scale(g.mul(dy, g.mul(y, y, t), t), -1.0f), g);
    return success();
  }

  if (auto mm = dyn_cast<tosa::MatMulOp>(op)) {
    Value a = mm.getA(), bm = mm.getB();
    if (is(a)) {
      Value da = g.matmul(dy, g.transpose(bm, {0, 2, 1}));
      accumulate(a, g.unbroadcast(da, cast<RankedTensorType>(a.getType())), g);
    }
    if (is(bm)) {
      Value db = g.matmul(g.transpose(a, {0, 2, 1}), dy);
      accumulate(bm, g.unbroadcast(db, cast<RankedTensorType>(bm.getType())),
                 g);
    }
    return success();
  }

  if (auto clamp = dyn_cast<tosa::ClampOp>(op)) {
    Value x = clamp.getInput();
    if (!is(x))
      return success();
    auto minAttr = dyn_cast<FloatAttr>(clamp.getMinValAttr());
    auto maxAttr = dyn_cast<FloatAttr>(clamp.getMaxValAttr());
    if (!minAttr || !maxAttr)
      return op->emitError("gradient of an integer clamp is not defined");
    auto xt = cast<RankedTensorType>(x.getType());
    auto maskType = RankedTensorType::get(xt.getShape(), g.b.getI1Type());
    // d clamp / dx = 1 strictly inside (min, max), 0 where clamped (the
    // convention of PyTorch's relu / hardtanh backward).
    // Two selects rather than a logical_and: the mask ops stay the small
    // set every executor has (greater, select).
    Value zero = g.splat(xt.getRank(), 0.0f);
    Value dx = dy;
    float maxVal = maxAttr.getValue().convertToFloat();
    if (maxVal < std::numeric_limits<float>::max() * 0.5f) {
      Value below = tosa::GreaterOp::create(g.b, maskType,
                                            g.splat(xt.getRank(), maxVal), x);
      dx = tosa::SelectOp::create(g.b, dy.getType(), below, dx, zero);
    }
    Value above = tosa::GreaterOp::create(
        g.b, maskType, x,
        g.splat(xt.getRank(), minAttr.getValue().convertToFloat()));
    accumulate(x, tosa::SelectOp::create(g.b, dy.getType(), above, dx, zero),
               g);
    return success();
  }

  if (auto reshape = dyn_cast<tosa::ReshapeOp>(op)) {
    Value x = reshape.getInput1();
    if (is(x)) {
      auto xt = cast<RankedTensorType>(x.getType());
      if (xt.getNumDynamicDims() > 1)
        return op->emitError("gradient of a reshape needs at most one "
                             "dynamic dimension, got ")
               << xt;
      accumulate(x, g.reshape(dy, xt), g);
    }
    return success();
  }

  if (auto tr = dyn_cast<tosa::TransposeOp>(op)) {
    Value x = tr.getInput1();
    if (is(x)) {
      ArrayRef<int32_t> perms = tr.getPerms();
      SmallVector<int32_t> inverse(perms.size());
      for (size_t i = 0; i < perms.size(); ++i)
        inverse[perms[i]] = int32_t(i);
      accumulate(x, g.transpose(dy, inverse), g);
    }
    return success();
  }

  if (isa<tosa::AddOp, tosa::SubOp>(op)) {
    Value a = op->getOperand(0), b = op->getOperand(1);
    if (is(a))
      accumulate(a, g.unbroadcast(dy, cast<RankedTensorType>(a.getType())), g);
    if (is(b)) {
      Value db = isa<tosa::SubOp>(op) ? g.scale(dy, -1.0f) : dy;
      accumulate(b, g.unbroadcast(db, cast<RankedTensorType>(b.getType())), g);
    }
    return success();
  }

  if (auto mul = dyn_cast<tosa::MulOp>(op)) {
    Value a = mul.getInput1(), b = mul.getInput2();
    if (!isa<FloatType>(getElementTypeOrSelf(a.getType())))
      return op->emitError("gradient of an integer mul is not defined");
    if (is(a))
      accumulate(a,
                 g.unbroadcast(g.mul(dy, b, dy.getType()),
                               cast<RankedTensorType>(a.getType())),
                 g);
    if (is(b))
      accumulate(b,
                 g.unbroadcast(g.mul(dy, a, dy.getType()),
                               cast<RankedTensorType>(b.getType())),
                 g);
    return success();
  }

  // Elementwise functions whose derivative is a function of the result y:
  // exp' = y, sigmoid' = y (1 - y), tanh' = 1 - y^2.
  if (isa<tosa::ExpOp, tosa::SigmoidOp, tosa::TanhOp>(op)) {
    Value x = op->getOperand(0), y = op->getResult(0);
    if (!is(x))
      return success();
    if (!isa<FloatType>(getElementTypeOrSelf(x.getType())))
      return op->emitError("gradient of an integer ")
             << op->getName() << " is not defined";
    Type t = y.getType();
    int64_t rank = cast<RankedTensorType>(t).getRank();
    Value local = y;
    if (isa<tosa::SigmoidOp>(op))
      local = g.mul(y, tosa::SubOp::create(g.b, t, g.splat(rank, 1.0f), y), t);
    else if (isa<tosa::TanhOp>(op))
      local = tosa::SubOp::create(g.b, t, g.splat(rank, 1.0f), g.mul(y, y, t));
    accumulate(x, g.mul(dy, local, t), g);
    return success();
  }

  if (auto pool = dyn_cast<tosa::MaxPool2dOp>(op)) {
    Value x = pool.getInput();
    if (is(x))
      accumulate(
          x,
          MaxPool2dGradOp::create(g.b, x.getType(), x, dy, pool.getKernelAttr(),
                                  pool.getStrideAttr(), pool.getPadAttr()),
          g);
    return success();
  }

  if (auto pool = dyn_cast<tosa::AvgPool2dOp>(op)) {
    Value x = pool.getInput();
    if (is(x))
      accumulate(
          x,
          AvgPool2dGradOp::create(g.b, x.getType(), dy, pool.getKernelAttr(),
                                  pool.getStrideAttr(), pool.getPadAttr()),
          g);
    return success();
  }

  if (auto fq = dyn_cast<FakeQuantOp>(op)) {
    if (is(fq.getZeroPoint()))
      return op->emitError("learnable zero points are not supported (LSQ "
                           "learns the scale only); freeze the zero point");
    Value x = fq.getInput();
    if (Value s = fq.getScale(); is(s)) {
      // LSQ (Esser et al. 2020): the step size gets the straight-through
      // gradient scaled by 1 / sqrt(N * qmax), N the elements one scale
      // value covers (per sample: a dynamic batch is not counted), so that
      // its updates have the magnitude of the weights' relative to their
      // values.
      auto xt = cast<RankedTensorType>(x.getType());
      auto st = cast<RankedTensorType>(s.getType());
      if (!st.hasStaticShape())
        return op->emitError("a learnable scale needs a static shape, got ")
               << st;
      int64_t n = 1;
      for (int64_t i = 0; i < xt.getRank(); ++i) {
        int64_t d = xt.getDimSize(i);
        // A dynamic leading dimension is the batch: not counted.
        if (ShapedType::isDynamic(d)) {
          if (i != 0)
            return op->emitError("a learnable scale needs static dimensions "
                                 "after the batch, got ")
                   << xt;
          continue;
        }
        n *= d;
      }
      n = std::max<int64_t>(1, n / std::max<int64_t>(1, st.getNumElements()));
      double qmax = double(std::max<int64_t>(1, fq.getScheme().getQMax()));
      float gradScale = float(1.0 / std::sqrt(double(n) * qmax));
      accumulate(s,
                 LsqScaleGradOp::create(g.b, s.getType(), x, s,
                                        fq.getZeroPoint(), dy, fq.getScheme(),
                                        g.b.getF32FloatAttr(gradScale)),
                 g);
    }
    if (is(x))
      accumulate(x,
                 FakeQuantGradOp::create(g.b, x.getType(), x, fq.getScale(),
                                         fq.getZeroPoint(), dy, fq.getScheme()),
                 g);
    return success();
  }

  if (auto lora = dyn_cast<LoraDeltaOp>(op)) {
    Value w = lora.getWeight(), a = lora.getA(), bm = lora.getB();
    if (is(w))
      accumulate(w, dy, g);
    if (!is(a) && !is(bm))
      return success();
    auto wt = cast<RankedTensorType>(w.getType());
    if (!wt.hasStaticShape())
      return op->emitError("LoRA gradients need a statically shaped weight, "
                           "got ")
             << wt;
    int64_t outAxis = lora.getOutAxis();
    int64_t rows = wt.getDimSize(outAxis);
    int64_t cols = wt.getNumElements() / rows;
    int64_t r = lora.getRank();
    float s = lora.getScaling();
    // dW as the [rows, cols] matrix of the forward: out_axis first, the
    // other axes in order.
    Value dW = dy;
    if (outAxis != 0) {
      SmallVector<int32_t> perms = {int32_t(outAxis)};
      for (int64_t i = 0; i < wt.getRank(); ++i)
        if (i != outAxis)
          perms.push_back(int32_t(i));
      dW = g.transpose(dW, perms);
    }
    dW = g.reshape(dW, {1, rows, cols});
    if (is(a)) {
      // dA = s * B^T @ dW
      Value bt = g.transpose(g.reshape(bm, {1, rows, r}), {0, 2, 1});
      Value da = g.scale(g.matmul(bt, dW), s);
      accumulate(a, g.reshape(da, {r, cols}), g);
    }
    if (is(bm)) {
      // dB = s * dW @ A^T
      Value at = g.transpose(g.reshape(a, {1, r, cols}), {0, 2, 1});
      Value db = g.scale(g.matmul(dW, at), s);
      accumulate(bm, g.reshape(db, {rows, r}), g);
    }
    return success();
  }

  if (auto side = dyn_cast<LoraSideOp>(op)) {
    Value x = side.getInput(), base = side.getBase(), a = side.getA(),
          bm = side.getB();
    if (is(base))
      accumulate(base, dy, g);
    if (!is(x) && !is(a) && !is(bm))
      return success();
    auto xt = cast<RankedTensorType>(x.getType());
    auto yt = cast<RankedTensorType>(dy.getType());
    if (ShapedType::isDynamic(xt.getDimSize(xt.getRank() - 1)) ||
        ShapedType::isDynamic(yt.getDimSize(yt.getRank() - 1)))
      return op->emitError("LoRA side-path gradients need static feature "
                           "sizes");
    int64_t din = xt.getDimSize(xt.getRank() - 1);
    int64_t dout = yt.getDimSize(yt.getRank() - 1);
    int64_t r = side.getRank();
    float s = r == 0 ? 0.0f : side.getAlpha().convertToFloat() / r;
    // Rows: every leading position, flattened (dynamic when the batch is).
    int64_t m = 1;
    for (int64_t i = 0; i + 1 < xt.getRank(); ++i)
      m = ShapedType::isDynamic(xt.getDimSize(i)) || ShapedType::isDynamic(m)
              ? ShapedType::kDynamic
              : m * xt.getDimSize(i);
    Value x3 = g.reshape(x, {1, m, din});
    Value dy3 = g.reshape(dy, {1, m, dout});
    Value a3 = g.reshape(a, {1, r, din});
    Value b3 = g.reshape(bm, {1, dout, r});
    // gh = dy @ B: the gradient of h = x A^T before the scaling.
    Value gh = g.matmul(dy3, b3);
    if (is(bm)) {
      Value h = g.matmul(x3, g.transpose(a3, {0, 2, 1}));
      Value db = g.scale(g.matmul(g.transpose(dy3, {0, 2, 1}), h), s);
      accumulate(bm, g.reshape(db, {dout, r}), g);
    }
    if (is(a)) {
      Value da = g.scale(g.matmul(g.transpose(gh, {0, 2, 1}), x3), s);
      accumulate(a, g.reshape(da, {r, din}), g);
    }
    if (is(x)) {
      Value dx = g.scale(g.matmul(gh, a3), s);
      accumulate(x, g.reshape(dx, xt), g);
    }
    return success();
  }

  if (auto bn = dyn_cast<BottleneckOp>(op)) {
    // y = x + ub + act(x D^T + db) U^T over the last axis, every leading
    // position a row.
    Value x = bn.getInput(), dn = bn.getDown(), db = bn.getDownBias(),
          up = bn.getUp(), ub = bn.getUpBias();
    if (is(x))
      accumulate(x, dy, g); // the residual
    if (!is(x) && !is(dn) && !is(db) && !is(up) && !is(ub))
      return success();
    BottleneckActivation act = bn.getActivation();
    auto xt = cast<RankedTensorType>(x.getType());
    auto dnt = cast<RankedTensorType>(dn.getType());
    int64_t d = xt.getDimSize(xt.getRank() - 1), h = dnt.getDimSize(0);
    if (ShapedType::isDynamic(d) || ShapedType::isDynamic(h))
      return op->emitError("bottleneck gradients need static feature and "
                           "hidden sizes");
    int64_t m = 1;
    for (int64_t i = 0; i + 1 < xt.getRank(); ++i)
      m = ShapedType::isDynamic(xt.getDimSize(i)) || ShapedType::isDynamic(m)
              ? ShapedType::kDynamic
              : m * xt.getDimSize(i);
    Value x3 = g.reshape(x, {1, m, d});
    Value dy3 = g.reshape(dy, {1, m, d});
    Value d3 = g.reshape(dn, {1, h, d});
    Value u3 = g.reshape(up, {1, d, h});
    // The hidden pre-activation, recomputed (the forward is one op).
    Value pre = g.add(g.matmul(x3, g.transpose(d3, {0, 2, 1})),
                      g.reshape(db, {1, 1, h}));
    auto preType = cast<RankedTensorType>(pre.getType());
    Value hidden = pre, gh = g.matmul(dy3, u3);
    if (act == BottleneckActivation::Relu) {
      // ReLU' = 1 where the pre-activation is > 0 (as for tosa.clamp).
      auto maskType =
          RankedTensorType::get(preType.getShape(), g.b.getI1Type());
      Value zero = g.splat(3, 0.0f);
      Value pos = tosa::GreaterOp::create(g.b, maskType, pre, zero);
      hidden = tosa::SelectOp::create(g.b, preType, pos, pre, zero);
      gh = tosa::SelectOp::create(g.b, gh.getType(), pos, gh, zero);
    } else if (act == BottleneckActivation::Gelu) {
      // The exact GELU the bottleneck computes, gelu(u) = u Phi(u) with
      // Phi(u) = 0.5 (1 + erf(u / sqrt 2)), and its derivative
      // gelu'(u) = Phi(u) + u phi(u), phi(u) = exp(-u^2 / 2) / sqrt(2 pi).
      const double kInvSqrt2 = 0.70710678118654752440;
      const double kInvSqrt2Pi = 0.39894228040143267794;
      Value erf = tosa::ErfOp::create(
          g.b, preType, g.scale(pre, float(kInvSqrt2)));
      Value cdf = g.scale(g.add(erf, g.splat(3, 1.0f)), 0.5f);
      Value expArg = g.scale(g.mul(pre, pre, preType), -0.5f);
      Value pdf = g.scale(tosa::ExpOp::create(g.b, preType, expArg),
                          float(kInvSqrt2Pi));
      hidden = g.mul(pre, cdf, preType);
      Value slope = g.add(cdf, g.mul(pre, pdf, preType));
      gh = g.mul(gh, slope, gh.getType());
    }
    if (is(ub))
      accumulate(ub, g.reshape(g.reduceSum(dy3, 1), {d}), g);
    if (is(up))
      accumulate(
          up, g.reshape(g.matmul(g.transpose(dy3, {0, 2, 1}), hidden), {d, h}),
          g);
    if (is(db))
      accumulate(db, g.reshape(g.reduceSum(gh, 1), {h}), g);
    if (is(dn))
      accumulate(
          dn, g.reshape(g.matmul(g.transpose(gh, {0, 2, 1}), x3), {h, d}), g);
    if (is(x))
      accumulate(x, g.reshape(g.matmul(gh, d3), xt), g);
    return success();
  }

  if (auto prompt = dyn_cast<PromptOp>(op)) {
    // y = concat(rows broadcast over the batch, x) along the sequence axis:
    // each operand's gradient is its slice of dy (summed over the batch for
    // the shared rows).
    Value x = prompt.getInput(), rows = prompt.getRows();
    auto rt = cast<RankedTensorType>(rows.getType());
    auto xt = cast<RankedTensorType>(x.getType());
    int64_t p = rt.getDimSize(0);
    if (ShapedType::isDynamic(p))
      return op->emitError("prompt gradients need a static prompt length");
    if (is(x))
      accumulate(x,
                 tosa::SliceOp::create(
                     g.b, xt, dy, tosa::getTosaConstShape(g.b, {0, p, 0}),
                     tosa::getTosaConstShape(g.b, {-1, -1, -1})),
                 g);
    if (is(rows)) {
      auto dyt = cast<RankedTensorType>(dy.getType());
      Value slice = tosa::SliceOp::create(
          g.b, g.tensor({dyt.getDimSize(0), p, dyt.getDimSize(2)}), dy,
          tosa::getTosaConstShape(g.b, {0, 0, 0}),
          tosa::getTosaConstShape(g.b, {-1, p, -1}));
      accumulate(rows, g.reshape(g.reduceSum(slice, 0), rt), g);
    }
    return success();
  }

  if (auto ia3 = dyn_cast<IA3Op>(op)) {
    Value x = ia3.getInput(), sc = ia3.getScale();
    if (is(x))
      accumulate(x, IA3Op::create(g.b, x.getType(), dy, sc, ia3.getAxisAttr()),
                 g);
    if (is(sc)) {
      Value prod = g.mul(dy, x, dy.getType());
      auto pt = cast<RankedTensorType>(prod.getType());
      for (int64_t i = 0; i < pt.getRank(); ++i)
        if (i != int64_t(ia3.getAxis()))
          prod = g.reduceSum(prod, i);
      accumulate(sc, g.reshape(prod, cast<RankedTensorType>(sc.getType())), g);
    }
    return success();
  }

  // Hardware-exact ops (--qapeft-hardware-exact): the straight-through
  // estimator of the float layer they shadow (operand 0).
  if (isa<ExactConvOp, ExactMatmulOp, ExactRequantOp, ExactElementwiseOp,
          ExactUnaryOp>(op)) {
    accumulate(op->getOperand(0), dy, g);
    return success();
  }

  return op->emitError("no gradient for '")
         << op->getName()
         << "' on the path from the trainable parameters to the loss";
}

void TrainingGraphPass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  bool adam = optimizer == "adam";
  bool sce = loss == "softmax-cross-entropy";
  if (!adam && optimizer != "sgd") {
    emitError(module.getLoc(), "unknown optimizer '")
        << optimizer << "'; expected adam or sgd";
    return signalPassFailure();
  }
  if (!sce && loss != "mse") {
    emitError(module.getLoc(), "unknown loss '")
        << loss << "'; expected softmax-cross-entropy or mse";
    return signalPassFailure();
  }
  if (!(lsqLrFactor > 0.0)) {
    emitError(module.getLoc(), "lsq-lr-factor must be > 0, got ")
        << double(lsqLrFactor);
    return signalPassFailure();
  }
  if (!(lr > 0.0)) {
    emitError(module.getLoc(), "lr must be > 0, got ") << double(lr);
    return signalPassFailure();
  }
  if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0) ||
      !(eps >= 0.0) || !(momentum >= 0.0)) {
    emitError(module.getLoc(),
              "beta1 and beta2 must be in [0, 1), eps and momentum "
              ">= 0");
    return signalPassFailure();
  }

  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward || forward.isExternal()) {
    emitError(module.getLoc(),
              "no @forward function with a body to differentiate");
    return signalPassFailure();
  }
  if (module.lookupSymbol("train_step")) {
    emitError(module.getLoc(), "the module already has a @train_step");
    return signalPassFailure();
  }
  if (forward.getNumArguments() != 1 || forward.getNumResults() != 1 ||
      !forward.getBody().hasOneBlock()) {
    forward.emitError("@forward must have one block, one input and one "
                      "result");
    return signalPassFailure();
  }

  // The trainable parameters, in the order @forward defines them.
  SmallVector<ParamOp> params;
  llvm::StringSet<> names;
  bool bad = false;
  forward.walk([&](ParamOp p) {
    if (!p.getTrainable())
      return;
    if (!names.insert(p.getName()).second) {
      p.emitError("two trainable parameters are named '") << p.getName() << "'";
      bad = true;
    }
    auto t = dyn_cast<RankedTensorType>(p.getType());
    if (!t || !t.getElementType().isF32() || !t.hasStaticShape()) {
      p.emitError("trainable parameters must be static f32 tensors, got ")
          << p.getType();
      bad = true;
    }
    params.push_back(p);
  });
  if (bad)
    return signalPassFailure();
  if (params.empty()) {
    forward.emitError("@forward has no trainable qapeft.param; run "
                      "--qapeft-insert-adapters or --qapeft-mark-trainable "
                      "first");
    return signalPassFailure();
  }

  auto ret = cast<func::ReturnOp>(forward.getBody().front().getTerminator());
  auto outType = dyn_cast<RankedTensorType>(ret.getOperand(0).getType());
  if (sce && (!outType || outType.getRank() != 2)) {
    ret.emitError("softmax-cross-entropy needs @forward to return [N, K] "
                  "logits, got ")
        << ret.getOperand(0).getType();
    return signalPassFailure();
  }

  // Signature, in the order of docs/CONVENTIONS.md.
  Type f32 = Float32Type::get(ctx);
  auto scalar = RankedTensorType::get({}, f32);
  SmallVector<StringRef> stateSuffixes =
      adam ? SmallVector<StringRef>{"m", "v"}
           : SmallVector<StringRef>{"momentum"};
  SmallVector<Type> argTypes, resultTypes;
  SmallVector<NamedAttribute> noAttrs;
  SmallVector<DictionaryAttr> argAttrs, resultAttrs;
  auto named = [&](StringRef key, Attribute value) {
    return DictionaryAttr::get(ctx, {NamedAttribute(key, value)});
  };
  for (ParamOp p : params) {
    argTypes.push_back(p.getType());
    argAttrs.push_back(
        named("qapeft.param", StringAttr::get(ctx, p.getName())));
  }
  for (ParamOp p : params)
    for (StringRef suffix : stateSuffixes) {
      argTypes.push_back(p.getType());
      argAttrs.push_back(
          named("qapeft.opt_state",
                StringAttr::get(ctx, (p.getName() + "." + suffix).str())));
    }
  resultTypes.append(argTypes.begin(), argTypes.end());
  resultAttrs.append(argAttrs.begin(), argAttrs.end());
  argTypes.push_back(scalar);
  argAttrs.push_back(named("qapeft.step", UnitAttr::get(ctx)));
  argTypes.push_back(scalar);
  argAttrs.push_back(named("qapeft.lr", UnitAttr::get(ctx)));
  argTypes.push_back(forward.getArgumentTypes()[0]);
  argAttrs.push_back(named("qapeft.input", UnitAttr::get(ctx)));
  Type labelType = sce ? Type(RankedTensorType::get({outType.getDimSize(0)},
                                                    IntegerType::get(ctx, 32)))
                       : ret.getOperand(0).getType();
  argTypes.push_back(labelType);
  argAttrs.push_back(named("qapeft.labels", UnitAttr::get(ctx)));
  resultTypes.push_back(scalar);
  resultAttrs.push_back(named("qapeft.loss", UnitAttr::get(ctx)));
  resultTypes.push_back(scalar);
  resultAttrs.push_back(named("qapeft.correct", UnitAttr::get(ctx)));

  OpBuilder mb(ctx);
  mb.setInsertionPointAfter(forward);
  auto train = func::FuncOp::create(mb, forward.getLoc(), "train_step",
                                    mb.getFunctionType(argTypes, resultTypes));
  train.setAllArgAttrs(argAttrs);
  train.setAllResultAttrs(resultAttrs);
  train->setAttr("qapeft.loss", mb.getStringAttr(loss));
  train->setAttr("qapeft.optimizer", mb.getStringAttr(optimizer));
  train->setAttr("qapeft.default_lr", mb.getF32FloatAttr(float(lr)));
  Block *entry = train.addEntryBlock();
  size_t numParams = params.size();
  size_t numStates = numParams * stateSuffixes.size();
  Value step = entry->getArgument(numParams + numStates);
  Value lrArg = entry->getArgument(numParams + numStates + 1);
  Value input = entry->getArgument(numParams + numStates + 2);
  Value labels = entry->getArgument(numParams + numStates + 3);

  // Forward: clone @forward with the trainable params as arguments.
  IRMapping map;
  map.map(forward.getArgument(0), input);
  DenseMap<Operation *, unsigned> paramIndex;
  for (auto [i, p] : llvm::enumerate(params)) {
    map.map(p.getResult(), entry->getArgument(i));
    varied.insert(entry->getArgument(i));
  }
  ImplicitLocOpBuilder b(forward.getLoc(), ctx);
  b.setInsertionPointToStart(entry);
  SmallVector<Operation *> cloned;
  // Precision regions only say how the device computes their ops; in float
  // training their bodies are inlined (the fake quants inside stay).
  std::function<void(Block &)> cloneBlock = [&](Block &block) {
    for (Operation &op : block.without_terminator()) {
      if (auto p = dyn_cast<ParamOp>(op); p && p.getTrainable())
        continue;
      if (auto region = dyn_cast<RegionOp>(op)) {
        Block &body = region.getBody().front();
        cloneBlock(body);
        for (auto [r, y] : llvm::zip(region.getResults(),
                                     body.getTerminator()->getOperands()))
          map.map(r, map.lookupOrDefault(y));
        continue;
      }
      Operation *c = b.clone(op, map);
      cloned.push_back(c);
      // weight_range is data-dependent but, as in every QAT framework, no
      // gradient flows through the range computation.
      if (isa<WeightRangeOp>(c))
        continue;
      if (llvm::any_of(c->getOperands(),
                       [&](Value v) { return varied.contains(v); }))
        for (Value r : c->getResults())
          varied.insert(r);
    }
  };
  cloneBlock(forward.getBody().front());
  Value out = map.lookup(ret.getOperand(0));

  // Loss.
  Value lossValue, correct, dOut;
  if (sce) {
    auto l = SoftmaxCrossEntropyOp::create(b, scalar, out.getType(), scalar,
                                           out, labels);
    lossValue = l.getLoss();
    dOut = l.getDlogits();
    correct = l.getCorrect();
  } else {
    auto l = MseOp::create(b, scalar, out.getType(), out, labels);
    lossValue = l.getLoss();
    dOut = l.getDpred();
    // A regression has no notion of a correct prediction.
    correct =
        tosa::ConstOp::create(b, scalar, DenseElementsAttr::get(scalar, 0.0f));
  }

  // Backward, in reverse program order.
  GradBuilder g(b);
  if (varied.contains(out))
    grads[out] = dOut;
  for (Operation *op : llvm::reverse(cloned)) {
    SmallVector<Value> dys;
    bool any = false;
    for (Value r : op->getResults()) {
      Value d = grads.lookup(r);
      dys.push_back(d);
      any |= bool(d);
    }
    if (!any)
      continue;
    b.setLoc(op->getLoc());
    if (failed(backward(op, dys, g)))
      return signalPassFailure();
  }
  b.setLoc(forward.getLoc());

  // Learned (LSQ) scales: the parameters some fake quant reads as its scale.
  auto isLearnedScale = [&](ParamOp param) {
    return llvm::any_of(param->getUsers(), [&](Operation *user) {
      auto fq = dyn_cast<FakeQuantOp>(user);
      return fq && fq.getScale() == param.getResult();
    });
  };
  // Their learning rate is lr * lsq-lr-factor: Adam's steps are about lr
  // whatever the gradient's size, and a step size is often far smaller than
  // the weights (a few 1e-3), so the weights' rate would overshoot it.
  Value scaleLr;
  if (llvm::any_of(params, isLearnedScale)) {
    b.setLoc(forward.getLoc());
    scaleLr = g.mul(lrArg, tosa::ConstOp::create(
                               b, scalar,
                               DenseElementsAttr::get(
                                   scalar, float(double(lsqLrFactor)))),
                    scalar);
  }

  // Optimizer updates.
  SmallVector<Value> newParams, newStates;
  for (size_t i = 0; i < numParams; ++i) {
    Value p = entry->getArgument(i);
    Value stepLr = isLearnedScale(params[i]) ? scaleLr : lrArg;
    Value grad = grads.lookup(p);
    if (!grad) {
      params[i].emitWarning("parameter '")
          << params[i].getName() << "' does not influence the loss; its "
          << "gradient is zero";
      auto t = cast<RankedTensorType>(p.getType());
      grad = tosa::ConstOp::create(b, t, DenseElementsAttr::get(t, 0.0f));
    }
    b.setLoc(params[i].getLoc());
    if (adam) {
      Value m = entry->getArgument(numParams + 2 * i);
      Value v = entry->getArgument(numParams + 2 * i + 1);
      auto up = AdamOp::create(
          b, p.getType(), p.getType(), p.getType(), p, grad, m, v, step, stepLr,
          b.getF32FloatAttr(float(beta1)), b.getF32FloatAttr(float(beta2)),
          b.getF32FloatAttr(float(eps)));
      newParams.push_back(up.getNewParam());
      newStates.push_back(up.getNewM());
      newStates.push_back(up.getNewV());
    } else {
      Value mom = entry->getArgument(numParams + i);
      auto up = SgdOp::create(b, p.getType(), p.getType(), p, grad, mom, stepLr,
                              b.getF32FloatAttr(float(momentum)));
      newParams.push_back(up.getNewParam());
      newStates.push_back(up.getNewMomentumBuffer());
    }
  }
  // A learned step size must stay > 0 (fake quant divides by it, and the
  // module verifier rejects a written-back scale <= 0): the update is
  // projected onto [kMinLearnedScale, inf).
  for (size_t i = 0; i < numParams; ++i) {
    if (!isLearnedScale(params[i]))
      continue;
    b.setLoc(params[i].getLoc());
    newParams[i] = tosa::ClampOp::create(
        b, newParams[i].getType(), newParams[i],
        b.getF32FloatAttr(kMinLearnedScale),
        b.getF32FloatAttr(std::numeric_limits<float>::max()));
  }
  SmallVector<Value> results(newParams);
  results.append(newStates);
  results.push_back(lossValue);
  results.push_back(correct);
  func::ReturnOp::create(b, forward.getLoc(), results);
}

} // namespace
