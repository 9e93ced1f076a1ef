//===- Int16Activation.h - TFLite's int16 LOGISTIC / TANH -------*- C++ -*-===//
//
// The arithmetic of TFLite's int16 LOGISTIC and TANH as the runtime we check
// against (tfjs-tflite 0.0.1-alpha.10, TF ~2.10 kernels) computes them:
// activations.cc's Prepare derives an input multiplier and shift from the
// input scale, and Eval runs reference_integer_ops::Logistic / Tanh, a
// linear interpolation in TF's 256-entry table of sigmoid(i / 24) in 0.16
// fixed point (common.h, sigmoid_table_uint16). Power-of-two input scales
// take another kernel (gemmlowp's fixed-point logistic/tanh), which is not
// modelled: `int16ActivationPrepare` reports them.
//
// Found by probing the runtime on all 65536 int16 inputs (session 10,
// issue #7): the scalar reference below matched LOGISTIC at input scales
// 1/3072, 0.0005, 0.0001 and 2^-11 and TANH at 1/6144, 1/3072 and 0.0005
// with 0 mismatches; TANH at 2^-11 (a power-of-two scale for TANH, see
// below) and LOGISTIC at 2^-12 took the gemmlowp kernel.
//
// The integer lowering builds the TOSA form of this kernel
// (qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h), the TFLite exporter
// checks it, the unit tests check the scalar reference: one definition.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_INT16ACTIVATION_H
#define QAPEFT_NUMERICS_INT16ACTIVATION_H

#include <array>
#include <cstdint>

namespace mlir {
namespace qapeft {
namespace numerics {

/// TF's sigmoid_table_uint16 (common.h): sigmoid(i / 24) in 0.16 fixed point
/// for i = 0 .. 255. The values are copied, not computed: 43 of them differ
/// by one from round(65536 * sigmoid(i / 24)), and the runtime uses these.
const std::array<uint16_t, 256> &sigmoidTableUint16();

/// What Prepare decides for an int16 LOGISTIC / TANH input scale.
struct Int16ActivationPrepare {
  enum class Kind {
    /// reference_integer_ops::Logistic / Tanh with `multiplier`, `shift`.
    Table,
    /// A power-of-two scale (CheckedLog2 within 1e-3 and input_left_shift
    /// 0, or 0/1 for TANH): the runtime runs gemmlowp's kernel instead.
    PowerOfTwo,
    /// x * multiplier overflows int32 in the kernel (shift 0 and a
    /// multiplier of 2^16 or more: input scales above about 5.33).
    Overflow,
  };
  Kind kind = Kind::Table;
  int32_t multiplier = 0;
  int32_t shift = 0;
};

/// activations.cc SigmoidPrepare / TanhPrepare for kTfLiteInt16 (zero
/// points 0): in double,
///   m = s_in * 4096 * 3;  shift = 0;
///   while (m <= 32767 / 2 && shift <= 30) { ++shift; m *= 2; }
///   multiplier = (int32) m   (truncated)
/// unless the scale is a power of two in CheckedLog2's sense (float32
/// log2 within 1e-3 of an integer L) with input_left_shift = 12 + L equal
/// to 0 (LOGISTIC) or in {0, 1} (TANH).
Int16ActivationPrepare int16ActivationPrepare(bool sigmoid, float inScale);

/// reference_integer_ops::Logistic (int16) on one value, TF ~2.10:
///   d = (x * M + 2^(shift-1)) >> shift      (no rounding term for shift 0)
///   a = |d|;  uh = a >> 9
///   r = uh >= 255 ? 0x7FFF << 10
///                 : (ua << 9) + (a & 511) * (ub - ua)   (ua, ub = T[uh], T[uh+1])
///   r = d >= 0 ? r + 512 : 2^25 - r + 511;   y = r >> 10
int16_t tfliteInt16Logistic(int16_t x, int32_t multiplier, int32_t shift);

/// reference_integer_ops::Tanh (int16), same input rescale, then
///   uh = a >> 8
///   r = uh >= 255 ? 0xFFFF << 8 : (ua << 8) + (a & 255) * (ub - ua)
///   r = d >= 0 ? r - 2^23 + 128 : -r + 2^23 + 127;   y = r >> 8  (floor)
int16_t tfliteInt16Tanh(int16_t x, int32_t multiplier, int32_t shift);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_INT16ACTIVATION_H
