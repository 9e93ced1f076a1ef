//===- IntegerActivationKernels.cpp - integer activation kernels ---------===//
//
// Integer kernels of qapeft-sim for the activation family of the integer
// graph (lib/Conversion/LowerActivations.cpp): tosa.table, the lookup that
// TFLite's int8 LOGISTIC and TANH perform, and the integer tosa.reduce_sum of
// the MEAN form (exact in 64 bits, then checked against the result type, as
// TOSA REQUIREs of the i32 sum).
//
// tosa.table follows TOSA 1.0:
//   i8  input, 256-entry i8 table:  out = table[in + 128]
//   i16 input, 513-entry i16 table: index = (in + 32768) >> 7,
//       fraction = (in + 32768) & 0x7f,
//       out (i32) = (table[index] << 7) + (table[index + 1] - table[index])
//                   * fraction
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Kernel.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;

namespace {

LogicalResult tableKernel(KernelContext &ctx) {
  const Tensor &x = ctx.in(0), &table = ctx.in(1);
  auto inType = cast<ShapedType>(ctx.op->getOperand(0).getType());
  unsigned width = inType.getElementType().getIntOrFloatBitWidth();
  if (width != 8 && width != 16)
    return ctx.emitError() << "expects an i8 or i16 input";
  int64_t entries = width == 8 ? 256 : 513;
  if (table.rank() != 1 || table.numel() != entries)
    return ctx.emitError() << "expects a table of " << entries
                           << " entries for an i" << width << " input, got "
                           << table.describe();
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  Tensor out = Tensor::empty(*dt, x.shape());
  for (int64_t i = 0, e = x.numel(); i < e; ++i) {
    int64_t v = x.getInt(i);
    if (width == 8) {
      out.setInt(i, table.getInt(v + 128));
      continue;
    }
    int64_t biased = v + 32768;
    int64_t index = biased >> 7, fraction = biased & 0x7f;
    int64_t base = table.getInt(index), next = table.getInt(index + 1);
    out.setInt(i, base * 128 + (next - base) * fraction);
  }
  ctx.setResult(0, std::move(out));
  return success();
}

/// tosa.reduce_sum on integers along `axis` (the result keeps the axis with
/// size 1).
LogicalResult reduceSumKernel(KernelContext &ctx) {
  const Tensor &x = ctx.in(0);
  std::optional<int64_t> axis = ctx.i64("axis");
  if (!axis || *axis < 0 || *axis >= x.rank())
    return ctx.emitError() << "needs an axis in [0, " << x.rank() << ")";
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  unsigned width = cast<ShapedType>(ctx.op->getResult(0).getType())
                       .getElementType()
                       .getIntOrFloatBitWidth();
  int64_t lo = -(int64_t(1) << (width - 1));
  int64_t hi = (int64_t(1) << (width - 1)) - 1;
  int64_t outer = 1, inner = 1, n = x.dim(*axis);
  for (int64_t d = 0; d < *axis; ++d)
    outer *= x.dim(d);
  for (int64_t d = *axis + 1; d < x.rank(); ++d)
    inner *= x.dim(d);
  Shape shape(x.shape().begin(), x.shape().end());
  shape[*axis] = 1;
  Tensor out = Tensor::empty(*dt, shape);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      int64_t sum = 0;
      for (int64_t k = 0; k < n; ++k)
        sum += x.getInt((o * n + k) * inner + i);
      if (sum < lo || sum > hi)
        return ctx.emitError() << "integer overflow: the sum " << sum
                               << " does not fit i" << width;
      out.setInt(o * inner + i, sum);
    }
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerIntegerActivationKernels(KernelRegistry &r) {
  r.add("tosa.table", tableKernel, Domain::Integer);
  r.add("tosa.reduce_sum", reduceSumKernel, Domain::Integer);
}
