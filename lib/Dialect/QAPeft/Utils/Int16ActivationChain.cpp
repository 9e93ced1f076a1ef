//===- Int16ActivationChain.cpp - TFLite's int16 LOGISTIC/TANH in TOSA ----===//
//
// See the header for the chain and why it is built this way.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"

#include "qapeft/Numerics/Int16Activation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

#include <cassert>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
namespace num = mlir::qapeft::numerics;

namespace {

constexpr llvm::StringLiteral kActivationAttr = "qapeft.activation";

/// Emits the ops of the chain with one builder and location.
struct ChainBuilder {
  OpBuilder &b;
  Location loc;
  RankedTensorType inType;
  IntegerType i32;

  RankedTensorType wide(Type elem) const {
    return RankedTensorType::get(inType.getShape(), elem);
  }
  /// A [1, ..., 1] i32 constant of the input's rank.
  Value splat(int64_t v, Type elem = {}) {
    Type e = elem ? elem : Type(i32);
    auto t = RankedTensorType::get(
        SmallVector<int64_t>(inType.getRank(), 1), e);
    return tosa::ConstOp::create(
        b, loc, t, DenseElementsAttr::get(t, b.getIntegerAttr(e, v)));
  }
  Value shiftOperand(int64_t v) {
    auto t = RankedTensorType::get({1}, b.getI8Type());
    return tosa::ConstOp::create(
        b, loc, t, DenseElementsAttr::get(t, b.getIntegerAttr(b.getI8Type(), v)));
  }
  Value shape(ArrayRef<int64_t> dims) {
    SmallVector<int64_t> values;
    for (int64_t d : dims)
      values.push_back(ShapedType::isDynamic(d) ? -1 : d);
    auto attrType = RankedTensorType::get(
        {static_cast<int64_t>(values.size())}, b.getIndexType());
    return tosa::ConstShapeOp::create(
        b, loc, tosa::shapeType::get(b.getContext(), values.size()),
        DenseIntElementsAttr::get(attrType, values));
  }
  Value mul(Value x, Value y, int64_t shift) {
    return tosa::MulOp::create(b, loc, wide(i32), x, y, shiftOperand(shift));
  }
  Value add(Value x, Value y) {
    return tosa::AddOp::create(b, loc, x.getType(), x, y);
  }
  Value sub(Value x, Value y) {
    return tosa::SubOp::create(b, loc, wide(i32), x, y);
  }
  Value shiftRight(Value x, int64_t bits) {
    return tosa::ArithmeticRightShiftOp::create(b, loc, wide(i32), x,
                                                splat(bits), false);
  }
  Value atLeast(Value x, int64_t bound) {
    return tosa::GreaterEqualOp::create(b, loc, wide(b.getI1Type()), x,
                                        splat(bound));
  }
};

int64_t numElementsOr(RankedTensorType t) {
  return t.hasStaticShape() ? t.getNumElements() : ShapedType::kDynamic;
}

} // namespace

std::optional<std::string>
mlir::qapeft::int16ActivationUnsupported(bool sigmoid, float inScale,
                                         RankedTensorType inType) {
  std::string why;
  llvm::raw_string_ostream os(why);
  StringRef name = sigmoid ? "LOGISTIC" : "TANH";
  if (!inType || !inType.getElementType().isInteger(16))
    return std::string("the input must be a ranked i16 tensor");
  if (!(inScale > 0.0f) || !std::isfinite(inScale))
    return std::string("the input scale must be positive and finite");
  num::Int16ActivationPrepare p = num::int16ActivationPrepare(sigmoid, inScale);
  if (p.kind == num::Int16ActivationPrepare::Kind::PowerOfTwo) {
    os << "input scale " << inScale << " is a power of two (2^"
       << (p.shift - 12) << ") for which TFLite's int16 " << name
       << " runs gemmlowp's fixed-point kernel instead of the table "
          "kernel, and that kernel is not modelled; affected are the scales "
          "whose log2 is within 0.001 of "
       << (sigmoid ? "-12" : "-12 or -11") << "; use another input scale";
    return why;
  }
  if (p.kind == num::Int16ActivationPrepare::Kind::Overflow) {
    os << "input scale " << inScale << " gives TFLite's int16 " << name
       << " an input multiplier whose product with an int16 overflows the "
          "kernel's int32 arithmetic (scales above about 5.33)";
    return why;
  }
  if (llvm::count_if(inType.getShape(), ShapedType::isDynamic) > 1)
    return std::string("the input may have at most one dynamic dimension");
  return std::nullopt;
}

Value mlir::qapeft::buildInt16Activation(OpBuilder &b, Location loc,
                                         bool sigmoid, float inScale,
                                         Value x) {
  // The i16 type, even while `x` is still typed otherwise (the integer
  // lowering retypes function arguments after lowering their users).
  auto inType = RankedTensorType::get(
      cast<RankedTensorType>(x.getType()).getShape(), b.getIntegerType(16));
  assert(!int16ActivationUnsupported(sigmoid, inScale, inType) &&
         "unsupported int16 activation");
  num::Int16ActivationPrepare p = num::int16ActivationPrepare(sigmoid, inScale);
  ChainBuilder c{b, loc, inType, b.getI32Type()};
  const int64_t fractionBits = sigmoid ? 9 : 8;
  StringAttr kind = b.getStringAttr(sigmoid ? "sigmoid" : "tanh");

  auto xw = tosa::CastOp::create(b, loc, c.wide(c.i32), x);
  xw->setAttr(kActivationAttr, kind);
  Value d = c.mul(xw, c.splat(p.multiplier), p.shift);
  Value a = tosa::AbsOp::create(b, loc, c.wide(c.i32), d);
  Value uh = c.shiftRight(a, fractionBits);
  Value ut = tosa::BitwiseAndOp::create(b, loc, c.wide(c.i32), a,
                                        c.splat((1 << fractionBits) - 1));
  // uh >= 0 (a shifted absolute value), so a minimum bounds it; TOSA 1.0's
  // CLAMP has no i32 form in the integer profile, MINIMUM has.
  Value uhc = tosa::MinimumOp::create(b, loc, c.wide(c.i32), uh, c.splat(254));

  // The table reads: tosa.gather takes values [N, K, C] and indices [N, W].
  const int64_t n = numElementsOr(inType);
  auto indexType = RankedTensorType::get({1, n}, c.i32);
  auto readType = RankedTensorType::get({1, n, 1}, c.i32);
  auto tableType = RankedTensorType::get({1, 256, 1}, c.i32);
  SmallVector<int32_t> entries;
  for (uint16_t v : num::sigmoidTableUint16())
    entries.push_back(v);
  Value table = tosa::ConstOp::create(
      b, loc, tableType,
      DenseElementsAttr::get(tableType, ArrayRef<int32_t>(entries)));
  Value i0 =
      tosa::ReshapeOp::create(b, loc, indexType, uhc, c.shape({1, n}));
  Value one = tosa::ConstOp::create(
      b, loc, RankedTensorType::get({1, 1}, c.i32),
      DenseElementsAttr::get(RankedTensorType::get({1, 1}, c.i32),
                             b.getI32IntegerAttr(1)));
  Value i1 = c.add(i0, one);
  auto read = [&](Value indices) {
    Value g = tosa::GatherOp::create(b, loc, readType, table, indices);
    return tosa::ReshapeOp::create(b, loc, c.wide(c.i32), g,
                                   c.shape(inType.getShape()))
        .getResult();
  };
  Value ua = read(i0), ub = read(i1);

  // One statement per op: C++ leaves the order of argument evaluation
  // open, and the exporter compares the chain op for op with a rebuilt one.
  Value base = c.mul(ua, c.splat(int64_t(1) << fractionBits), 0);
  Value slope = c.sub(ub, ua);
  Value step = c.mul(ut, slope, 0);
  Value r = c.add(base, step);
  const int64_t saturated =
      sigmoid ? int64_t(0x7FFF) << 10 : int64_t(0xFFFF) << 8;
  Value isSaturated = c.atLeast(uh, 255);
  Value saturatedValue = c.splat(saturated);
  r = tosa::SelectOp::create(b, loc, c.wide(c.i32), isSaturated,
                             saturatedValue, r);
  const int64_t plus = sigmoid ? 512 : 128 - (int64_t(1) << 23);
  const int64_t minus =
      sigmoid ? (int64_t(1) << 25) + 511 : (int64_t(1) << 23) + 127;
  Value nonNegative = c.atLeast(d, 0);
  Value positiveSide = c.add(r, c.splat(plus));
  Value negativeSide = c.sub(c.splat(minus), r);
  r = tosa::SelectOp::create(b, loc, c.wide(c.i32), nonNegative, positiveSide,
                             negativeSide);
  Value y = c.shiftRight(r, sigmoid ? 10 : 8);
  auto out = tosa::CastOp::create(b, loc, inType, y);
  out->setAttr(kActivationAttr, kind);
  return out.getResult();
}

std::optional<bool> mlir::qapeft::int16ActivationStart(Operation *op) {
  auto cast = dyn_cast_or_null<tosa::CastOp>(op);
  if (!cast)
    return std::nullopt;
  auto kind = cast->getAttrOfType<StringAttr>(kActivationAttr);
  auto in = dyn_cast<RankedTensorType>(cast.getInput().getType());
  auto out = dyn_cast<RankedTensorType>(cast.getType());
  if (!kind || !in || !out || !in.getElementType().isInteger(16) ||
      !out.getElementType().isInteger(32))
    return std::nullopt;
  if (kind.getValue() == "sigmoid")
    return true;
  if (kind.getValue() == "tanh")
    return false;
  return std::nullopt;
}

namespace {
bool isConstant(Operation *op) {
  return isa_and_nonnull<tosa::ConstOp, tosa::ConstShapeOp>(op);
}

/// The attributes that define what `op` computes (inherent ones; the
/// discardable qapeft.* / tflite.* annotations do not).
DictionaryAttr semanticAttrs(Operation *op) {
  NamedAttrList list;
  for (NamedAttribute a : op->getAttrDictionary())
    if (!a.getName().getValue().starts_with("qapeft.") &&
        !a.getName().getValue().starts_with("tflite."))
      list.push_back(a);
  return list.getDictionary(op->getContext());
}

std::string describe(Operation *op) {
  std::string s;
  llvm::raw_string_ostream os(s);
  OpPrintingFlags flags;
  flags.elideLargeElementsAttrs(8);
  op->print(os, flags);
  return s;
}
} // namespace

FailureOr<Int16ActivationMatch>
mlir::qapeft::matchInt16Activation(Operation *first, float inScale,
                                   std::string &why) {
  std::optional<bool> sigmoid = int16ActivationStart(first);
  assert(sigmoid && "not the start of an int16 activation chain");
  Value x = mlir::cast<tosa::CastOp>(first).getInput();
  auto inType = mlir::cast<RankedTensorType>(x.getType());
  if (std::optional<std::string> no =
          int16ActivationUnsupported(*sigmoid, inScale, inType)) {
    why = *no;
    return failure();
  }

  // The chain the builder makes for this scale, in a scratch function.
  MLIRContext *ctx = first->getContext();
  OpBuilder b(ctx);
  OwningOpRef<func::FuncOp> scratch = func::FuncOp::create(
      first->getLoc(), "int16_activation",
      FunctionType::get(ctx, {inType}, {}));
  Block *block = scratch->addEntryBlock();
  b.setInsertionPointToEnd(block);
  buildInt16Activation(b, first->getLoc(), *sigmoid, inScale,
                       block->getArgument(0));
  SmallVector<Operation *> expected;
  for (Operation &op : *block)
    if (!isConstant(&op))
      expected.push_back(&op);

  // The graph's chain: everything reachable from `first` up to the op that
  // ends it (the cast carrying qapeft.activation), in block order.
  Int16ActivationMatch m;
  m.sigmoid = *sigmoid;
  m.input = x;
  llvm::SmallPtrSet<Operation *, 32> inChain;
  SmallVector<Operation *> work = {first};
  inChain.insert(first);
  while (!work.empty()) {
    Operation *op = work.pop_back_val();
    if (op != first && op->hasAttr(kActivationAttr))
      continue; // the end: its users are outside the chain
    for (Operation *user : op->getUsers()) {
      if (user->getBlock() != first->getBlock()) {
        why = "a value of the chain is used in another block";
        return failure();
      }
      if (inChain.insert(user).second) {
        if (inChain.size() > expected.size()) {
          why = "more ops depend on its first op than the kernel's " +
                std::to_string(expected.size()) +
                " (a value inside the chain is used outside it, or the "
                "chain does not end with the kernel's final cast)";
          return failure();
        }
        work.push_back(user);
      }
    }
  }
  m.ops.assign(inChain.begin(), inChain.end());
  llvm::sort(m.ops, [](Operation *l, Operation *r) {
    return l->isBeforeInBlock(r);
  });
  if (m.ops.size() != expected.size()) {
    why = "the chain has " + std::to_string(m.ops.size()) +
          " ops where TFLite's kernel needs " +
          std::to_string(expected.size());
    return failure();
  }
  m.last = m.ops.back();

  llvm::DenseMap<Operation *, size_t> expectedIndex, actualIndex;
  for (auto [i, op] : llvm::enumerate(expected))
    expectedIndex[op] = i;
  for (auto [i, op] : llvm::enumerate(m.ops))
    actualIndex[op] = i;
  for (auto [i, pair] : llvm::enumerate(llvm::zip(m.ops, expected))) {
    auto [got, want] = pair;
    auto differ = [&, got = got, want = want](StringRef what) {
      why = "op " + std::to_string(i) + " of the chain (" + describe(got) +
            ") differs in its " + what.str() + " from the kernel's (" +
            describe(want) + ")";
      return failure();
    };
    if (got->getName() != want->getName() ||
        got->getNumOperands() != want->getNumOperands() ||
        got->getResultTypes() != want->getResultTypes())
      return differ("kind or types");
    if (semanticAttrs(got) != semanticAttrs(want))
      return differ("attributes");
    for (auto [k, operands] :
         llvm::enumerate(llvm::zip(got->getOperands(), want->getOperands()))) {
      auto [g, w] = operands;
      Operation *gDef = g.getDefiningOp(), *wDef = w.getDefiningOp();
      std::string which = "operand " + std::to_string(k);
      if (!wDef) { // the chain's input
        if (g != x)
          return differ(which);
        continue;
      }
      if (isConstant(wDef)) {
        if (!gDef || gDef->getName() != wDef->getName() ||
            g.getType() != w.getType() ||
            semanticAttrs(gDef) != semanticAttrs(wDef))
          return differ(which + " (a constant)");
        continue;
      }
      auto it = actualIndex.find(gDef);
      if (!gDef || it == actualIndex.end() ||
          it->second != expectedIndex.lookup(wDef) ||
          cast<OpResult>(g).getResultNumber() !=
              cast<OpResult>(w).getResultNumber())
        return differ(which);
    }
  }
  // Only the last op's result may leave the chain.
  for (Operation *op : m.ops) {
    if (op == m.last)
      continue;
    for (Operation *user : op->getUsers())
      if (!actualIndex.count(user)) {
        why = "a value inside the chain is also used outside it";
        return failure();
      }
  }
  return m;
}
