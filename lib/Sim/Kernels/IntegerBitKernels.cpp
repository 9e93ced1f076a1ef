//===- IntegerBitKernels.cpp - integer abs, shifts, bitwise and, gather ---===//
//
// Integer kernels of qapeft-sim for the bit-level TOSA ops of the int16
// LOGISTIC / TANH form (qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h),
// following the TOSA 1.0 specification's pseudocode:
//
//   ABS (int)               out = a < 0 ? 0 - a : a; REQUIRE: no overflow
//                           (a != minimum of the type)
//   ARITHMETIC_RIGHT_SHIFT  REQUIRE 0 <= b < bit width;
//                           out = a >> b (sign-extending); with round and
//                           b > 0, +1 when bit b-1 of a is set
//   LOGICAL_RIGHT_SHIFT     REQUIRE 0 <= b < bit width; out = a >> b on
//                           the unsigned bit pattern (zero-extending)
//   LOGICAL_LEFT_SHIFT      REQUIRE 0 <= b < bit width; out = a << b,
//                           truncated to the bit width
//   BITWISE_AND / OR / XOR  on the two's complement bit patterns
//   GATHER                  values [N, K, C], indices [N, W] ->
//                           out [N, W, C] = values[n, indices[n, w], c];
//                           REQUIRE 0 <= index < K
//
// Binary ops broadcast size-1 dimensions (equal ranks, as TOSA requires).
// A violated REQUIRE is an error naming the op, not a silent value.
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Sim/Kernel.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

namespace {

/// Wraps `v` to a signed `width`-bit value (two's complement truncation).
int64_t wrapSigned(uint64_t v, unsigned width) {
  if (width >= 64)
    return static_cast<int64_t>(v);
  uint64_t mask = (uint64_t(1) << width) - 1;
  v &= mask;
  if (v >> (width - 1))
    v |= ~mask;
  return static_cast<int64_t>(v);
}

LogicalResult absKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  unsigned width = resultWidth(ctx);
  int64_t minimum = -(int64_t(1) << (width - 1));
  Tensor out = Tensor::empty(a.dtype(), a.shape());
  for (int64_t i = 0, e = a.numel(); i < e; ++i) {
    int64_t v = a.getInt(i);
    if (v == minimum)
      return ctx.emitError() << "integer overflow: the absolute value of "
                             << v << " does not fit i" << width;
    out.setInt(i, v < 0 ? -v : v);
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult shiftKernel(KernelContext &ctx, bool left, bool logical) {
  std::optional<int64_t> roundAttr = ctx.i64("round");
  bool round = !left && !logical && roundAttr && *roundAttr != 0;
  return integerBinaryKernel(ctx, [&](int64_t a, int64_t b,
                            unsigned width) -> FailureOr<int64_t> {
    if (b < 0 || b >= static_cast<int64_t>(width))
      return ctx.emitError() << "shift " << b << " is outside [0, " << width
                             << ")";
    if (left)
      return wrapSigned(static_cast<uint64_t>(a) << b, width);
    if (logical) {
      uint64_t mask =
          width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
      return wrapSigned((static_cast<uint64_t>(a) & mask) >> b, width);
    }
    int64_t r = a >> b; // arithmetic: a is sign-extended in int64
    if (round && b > 0 && ((a >> (b - 1)) & 1))
      r += 1;
    return r;
  });
}

template <typename Op>
LogicalResult bitwiseKernel(KernelContext &ctx, Op op) {
  return integerBinaryKernel(ctx, [&](int64_t a, int64_t b,
                            unsigned width) -> FailureOr<int64_t> {
    return wrapSigned(op(static_cast<uint64_t>(a), static_cast<uint64_t>(b)),
                      width);
  });
}

LogicalResult gatherKernel(KernelContext &ctx) {
  const Tensor &values = ctx.in(0), &indices = ctx.in(1);
  if (values.rank() != 3 || indices.rank() != 2 ||
      values.dim(0) != indices.dim(0))
    return ctx.emitError() << "expects values [N, K, C] and indices [N, W], "
                              "got "
                           << values.describe() << " and "
                           << indices.describe();
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt || *dt != values.dtype())
    return ctx.emitError() << "expects a result of the values' type";
  int64_t n = values.dim(0), k = values.dim(1), c = values.dim(2);
  int64_t w = indices.dim(1);
  Tensor out = Tensor::empty(*dt, {n, w, c});
  for (int64_t b = 0; b < n; ++b)
    for (int64_t j = 0; j < w; ++j) {
      int64_t index = indices.getInt(b * w + j);
      if (index < 0 || index >= k)
        return ctx.emitError() << "index " << index << " is outside [0, "
                               << k << ")";
      for (int64_t ch = 0; ch < c; ++ch)
        out.setInt((b * w + j) * c + ch, values.getInt((b * k + index) * c + ch));
    }
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerIntegerBitKernels(KernelRegistry &r) {
  constexpr Domain I = Domain::Integer;
  r.add("tosa.abs", absKernel, I);
  r.add("tosa.arithmetic_right_shift",
        [](KernelContext &c) { return shiftKernel(c, false, false); }, I);
  r.add("tosa.logical_right_shift",
        [](KernelContext &c) { return shiftKernel(c, false, true); }, I);
  r.add("tosa.logical_left_shift",
        [](KernelContext &c) { return shiftKernel(c, true, true); }, I);
  r.add("tosa.bitwise_and", [](KernelContext &c) {
    return bitwiseKernel(c, [](uint64_t a, uint64_t b) { return a & b; });
  }, I);
  r.add("tosa.bitwise_or", [](KernelContext &c) {
    return bitwiseKernel(c, [](uint64_t a, uint64_t b) { return a | b; });
  }, I);
  r.add("tosa.bitwise_xor", [](KernelContext &c) {
    return bitwiseKernel(c, [](uint64_t a, uint64_t b) { return a ^ b; });
  }, I);
  r.add("tosa.gather", gatherKernel, I);
}
