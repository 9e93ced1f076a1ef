//===- SoftmaxPattern.cpp - a softmax as TOSA spells it -------------------===//

#include "qapeft/Dialect/QAPeft/Utils/SoftmaxPattern.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
/// The single user of `v` if it is an `OpTy`, else null.
template <typename OpTy>
OpTy onlyUser(Value v) {
  if (!v.hasOneUse())
    return nullptr;
  return dyn_cast<OpTy>(*v.getUsers().begin());
}

/// True when the shift operand of a tosa.mul is a zero constant.
bool zeroShift(tosa::MulOp mul) {
  DenseIntElementsAttr shift;
  if (!matchPattern(mul.getShift(), m_Constant(&shift)))
    return false;
  return llvm::all_of(shift.getValues<APInt>(),
                      [](const APInt &v) { return v.isZero(); });
}
} // namespace

std::optional<SoftmaxChain> mlir::qapeft::matchSoftmax(tosa::ReduceMaxOp max) {
  Value x = max.getInput();
  auto type = dyn_cast<RankedTensorType>(x.getType());
  if (!type || type.getRank() < 1 ||
      static_cast<int64_t>(max.getAxis()) != type.getRank() - 1)
    return std::nullopt;
  SoftmaxChain c;
  c.sub = onlyUser<tosa::SubOp>(max.getResult());
  if (!c.sub || c.sub.getInput1() != x || c.sub.getInput2() != max.getResult())
    return std::nullopt;
  c.exp = onlyUser<tosa::ExpOp>(c.sub.getResult());
  if (!c.exp)
    return std::nullopt;
  for (Operation *u : c.exp->getUsers()) {
    if (auto s = dyn_cast<tosa::ReduceSumOp>(u); s && !c.sum)
      c.sum = s;
    else if (auto m = dyn_cast<tosa::MulOp>(u); m && !c.mul)
      c.mul = m;
    else
      return std::nullopt;
  }
  if (!c.sum || !c.mul || c.sum.getAxis() != max.getAxis())
    return std::nullopt;
  c.recip = onlyUser<tosa::ReciprocalOp>(c.sum.getResult());
  if (!c.recip || onlyUser<tosa::MulOp>(c.recip.getResult()) != c.mul ||
      c.mul.getInput1() != c.exp.getResult() ||
      c.mul.getInput2() != c.recip.getResult() || !zeroShift(c.mul))
    return std::nullopt;
  return c;
}
