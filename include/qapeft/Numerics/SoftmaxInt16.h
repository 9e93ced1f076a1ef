//===- SoftmaxInt16.h - TFLite's int16 SOFTMAX arithmetic -------*- C++ -*-===//
//
// TFLite's builtin int16 SOFTMAX (activations.cc SoftmaxPrepare for int16
// input, reference_ops::SoftmaxInt16 -- the only int16 path, for every
// kernel type and every platform). Prepare builds two 513-entry int16
// tables with gen_lut in double precision and one multiplier from the input
// scale and beta; Eval is all integer. The integer lowering (the op's
// multiplier), the verifier, the simulator and the unit tests share this one
// definition; test/Target/TFLite/conformance-softmax-int16.test checks it
// bit for bit against the real runtime.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_SOFTMAXINT16_H
#define QAPEFT_NUMERICS_SOFTMAXINT16_H

#include "qapeft/Numerics/Requantize.h"

#include <array>
#include <cstdint>

namespace mlir {
namespace qapeft {
namespace numerics {

/// An int16-input lookup table with linear interpolation: 512 base values
/// plus one more for the last slope.
using Int16Lut = std::array<int16_t, 513>;

/// TFLite's gen_lut<double, int16_t, int16_t>(f, inMin, inMax, -1, 1): for
/// i < 512, with step = (inMax - inMin) / 512 and v(x) = f(x) * 32768,
///   lut[i] = clamp(round(v(x_i)) - round((round((v(x_{i+1}) +
///            round(v(x_i))) / 2) - round(v(x_i + step/2))) / 2)),
/// which centres the interpolation error on each segment's midpoint, and
/// lut[512] = clamp(round(v(inMax))); round is ties away from zero, clamp
/// to [-32768, 32767].
Int16Lut genInt16Lut(double (*f)(double), double inMin, double inMax);

/// The exp table: gen_lut(exp, -10, 0) (exp(-10) is treated as zero).
const Int16Lut &softmaxInt16ExpLut();

/// The reciprocal table: gen_lut(1 / (1 + x), 0, 1).
const Int16Lut &softmaxInt16ReciprocalLut();

/// generic_int16_table_lookup: index 256 + (v >> 7), offset v & 0x7f,
/// lut[index] + ((lut[index + 1] - lut[index]) * offset + 64) >> 7.
int16_t int16LutLookup(int16_t value, const Int16Lut &lut);

/// SoftmaxPrepare's input multiplier: QuantizeMultiplier of
/// double(input_scale) * double(beta) / (10 / 65535), which maps an input
/// difference of -10 / (input_scale * beta) onto -65535. TFLite convention
/// (real = multiplier * 2^(shift - 31)); (0, 0) when it flushes to zero.
QuantizedMultiplier softmaxInt16InputMultiplier(float inputScale, float beta);

/// The longest row whose sum of exps cannot overflow the kernel's int32
/// accumulator (each exp is at most 32767).
constexpr int64_t kSoftmaxInt16MaxRow = 65536;

/// reference_ops::SoftmaxInt16 on one row of `n` (1 .. kSoftmaxInt16MaxRow)
/// codes:
///   m = max(in);  for each c:
///     d  = MultiplyByQuantizedMultiplier(in[c] - m, mult, shift)  (double
///          rounding, the runtime's default build)
///     e[c] = lookup(clamp(d + 32767, int16), exp_lut)        Q0.15
///   sum = e[0] + ... ;  h = clz32(sum)
///   r = lookup(clamp((((sum << (h - 1)) + 2^13) >> 14) - 98304, int16),
///              reciprocal_lut)                                Q0.15
///   out[c] = clamp((e[c] * r + 2^(30 - h)) >> (31 - h), 0, 32767)
void softmaxInt16Row(const int16_t *in, int16_t *out, int64_t n,
                     QuantizedMultiplier inputMultiplier);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_SOFTMAXINT16_H
