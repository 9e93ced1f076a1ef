//===- SoftmaxPattern.h - a softmax as TOSA spells it -----------*- C++ -*-===//
//
// TOSA has no softmax op; models spell it reduce_max, sub, exp, reduce_sum,
// reciprocal, mul. Fake-quant insertion, the integer lowering and the TFLite
// exporter each treat that chain as one kernel, so they share one matcher.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_DIALECT_QAPEFT_UTILS_SOFTMAXPATTERN_H
#define QAPEFT_DIALECT_QAPEFT_UTILS_SOFTMAXPATTERN_H

#include "mlir/Dialect/Tosa/IR/TosaOps.h"

#include <optional>

namespace mlir {
namespace qapeft {

/// The ops after the reduce_max of a softmax; `mul` yields the result.
struct SoftmaxChain {
  tosa::SubOp sub;
  tosa::ExpOp exp;
  tosa::ReduceSumOp sum;
  tosa::ReciprocalOp recip;
  tosa::MulOp mul;
};

/// The softmax over the last axis that starts at `max`:
/// d = x - reduce_max(x); e = exp(d); y = e * reciprocal(reduce_sum(e)),
/// every intermediate used only inside the chain and the mul's shift zero.
/// std::nullopt when the ops around `max` are anything else.
std::optional<SoftmaxChain> matchSoftmax(tosa::ReduceMaxOp max);

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_DIALECT_QAPEFT_UTILS_SOFTMAXPATTERN_H
