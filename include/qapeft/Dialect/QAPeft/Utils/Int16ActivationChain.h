//===- Int16ActivationChain.h - TFLite's int16 LOGISTIC/TANH in TOSA -*- C++ -*-===//
//
// TFLite's int16 LOGISTIC and TANH (reference_integer_ops::Logistic / Tanh,
// see qapeft/Numerics/Int16Activation.h) spelled in integer TOSA 1.0. One
// TOSA i16 tosa.table cannot express them: it interpolates on the raw input
// in 512 fixed segments, while the kernel first rescales the input with
// rounding and interpolates on |d| in segments of 512 (LOGISTIC) or 256
// (TANH) codes of d, rounding asymmetrically by sign. So the lowering builds
// the kernel step by step, and the TFLite exporter and importer use this
// same builder: the lowering emits it, the exporter rebuilds it from the
// input scale it writes and requires the graph's chain to be identical
// (op for op, constant for constant), the importer emits it for a file's
// LOGISTIC / TANH, so export(import(f)) is f.
//
// For an i16 input x of shape S (rank r, at most one dynamic dimension) and
// F = 9 (LOGISTIC) or 8 (TANH), with Prepare's M and shift:
//
//   xw  = cast x : i16 -> i32                       {qapeft.activation}
//   d   = mul(xw, M, shift)        TOSA MUL's i32 form is exactly the
//                                  kernel's (x*M + 2^(shift-1)) >> shift
//                                  (no rounding for shift 0); a
//                                  tosa.rescale is not, because
//                                  apply_scale_32 REQUIREs shift >= 2 and
//                                  |x| < 2^(shift-1), which fails for
//                                  shift 12 and |x| >= 2048.
//   a   = abs(d)
//   uh  = arithmetic_right_shift(a, F)              (round = false)
//   ut  = bitwise_and(a, 2^F - 1)
//   uhc = minimum(uh, 254)         the kernel reads T[uh], T[uh+1] only for
//                                  uh < 255; the minimum keeps the gathers
//                                  in bounds, the select below discards
//                                  them (uh >= 0; TOSA's CLAMP has no i32
//                                  form in the integer profile)
//   i0  = reshape(uhc, [1, N]);  i1 = add(i0, 1)
//   ua  = reshape(gather(T, i0), S);  ub = reshape(gather(T, i1), S)
//                                  T = TF's 256-entry table as [1, 256, 1]
//                                  i32: TOSA's table read
//   r   = add(mul(ua, 2^F), mul(ut, sub(ub, ua)))
//   r   = select(greater_equal(uh, 255), SAT, r)    SAT = 0x7FFF << 10 or
//                                                   0xFFFF << 8
//   r   = select(greater_equal(d, 0), add(r, P), sub(Q, r))
//             LOGISTIC: P = 512,            Q = 2^25 + 511
//             TANH:     P = 128 - 2^23,     Q = 2^23 + 127
//   y   = arithmetic_right_shift(r, 10 or 8)        (floor, as C's >>)
//   out = cast y : i32 -> i16                       {qapeft.activation}
//
// The output is on TFLite's fixed int16 grid (scale 1/32768, zero point 0).
// Every op is in TOSA 1.0's integer profile (PRO-INT, int16 extension):
// --tosa-validate accepts the chain.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_DIALECT_QAPEFT_UTILS_INT16ACTIVATIONCHAIN_H
#define QAPEFT_DIALECT_QAPEFT_UTILS_INT16ACTIVATIONCHAIN_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

#include <optional>
#include <string>

namespace mlir {
namespace qapeft {

/// The output scale TFLite requires of int16 LOGISTIC / TANH (zero point 0).
constexpr float kInt16ActivationOutputScale = 1.0f / 32768.0f;

/// Why the chain cannot reproduce TFLite's int16 `sigmoid` (LOGISTIC) or
/// tanh (TANH) for input scale `inScale` and input type `inType`, or
/// std::nullopt when it can. The reasons: a power-of-two scale (the
/// runtime runs gemmlowp's fixed-point kernel, which is not modelled), a
/// scale whose multiplier overflows the kernel's int32 arithmetic, more than
/// one dynamic dimension.
std::optional<std::string> int16ActivationUnsupported(bool sigmoid,
                                                      float inScale,
                                                      RankedTensorType inType);

/// Builds the chain on the i16 value `x` at `b`'s insertion point and
/// returns the i16 result (the final cast). Call
/// int16ActivationUnsupported first; this asserts it is supported.
Value buildInt16Activation(OpBuilder &b, Location loc, bool sigmoid,
                           float inScale, Value x);

/// A chain found in a graph.
struct Int16ActivationMatch {
  bool sigmoid = false;
  Value input;                    // the i16 input x
  Operation *last = nullptr;      // the cast yielding the i16 result
  SmallVector<Operation *> ops;   // the non-constant ops, first to last
};

/// Whether `op` starts a chain: a tosa.cast i16 -> i32 carrying
/// qapeft.activation = "sigmoid" (returns true) or "tanh" (false).
std::optional<bool> int16ActivationStart(Operation *op);

/// The chain that starts at `first` (int16ActivationStart(first) holds).
/// Fails, with the reason in `why`, when it differs from what
/// buildInt16Activation makes for `inScale` (op kinds, types, attributes,
/// constants, wiring) or when a value inside it is used outside it.
FailureOr<Int16ActivationMatch>
matchInt16Activation(Operation *first, float inScale, std::string &why);

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_DIALECT_QAPEFT_UTILS_INT16ACTIVATIONCHAIN_H
