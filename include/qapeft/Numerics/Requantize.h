//===- Requantize.h - exact integer requantization arithmetic ---*- C++ -*-===//
//
// The integer arithmetic real runtimes use to requantize an accumulator,
// reproduced bit for bit (DESIGN.md section 3). Everything here is plain C++
// on scalars: the integer lowering uses it to compute multipliers, the
// simulator uses it to execute tosa.rescale and integer kernels, and the
// hardware-exact training forward uses it to apply the device's rounding.
//
// Two shift conventions exist and both appear below; the type says which:
//  - TFLite (`QuantizedMultiplier`): real = multiplier * 2^(shift - 31),
//    shift > 0 is a left shift. This is what QuantizeMultiplier returns.
//  - TOSA (`TosaScale`): real = multiplier * 2^(-shift), shift is a right
//    shift in [2, 62]. This is what tosa.rescale takes.
// They convert with tosaShift = 31 - tfliteShift (15 - tfliteShift for the
// 16-bit multipliers of scale32 = false).
//
// All functions are total: out-of-contract inputs never hit undefined
// behaviour (arithmetic is done wide and wraps or saturates as documented);
// callers that must reject such inputs use the `...InContract` predicates.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_REQUANTIZE_H
#define QAPEFT_NUMERICS_REQUANTIZE_H

#include <cstdint>
#include <optional>

namespace mlir {
namespace qapeft {
namespace numerics {

/// The four requantization roundings (same order and meaning as the
/// dialect's #qapeft.rounding enum).
enum class Rounding {
  /// TFLite builtin kernels built with TFLITE_SINGLE_ROUNDING, TOSA
  /// SINGLE_ROUND: (x * m + 2^(s-1)) >> s, arithmetic shift (ties up).
  Single,
  /// gemmlowp SaturatingRoundingDoublingHighMul + RoundingDivideByPOT
  /// (TFLite reference default, CMSIS-NN), TOSA DOUBLE_ROUND.
  Double,
  /// XNNPACK fp32 requantization: lrintf(float(acc) * float(scale)), clamp
  /// in float relative to the zero point, then add the zero point.
  Fp32HalfEven,
  /// Fixed point like Single, but exact ties round away from zero.
  HalfAway,
};

/// Returns the dialect spelling of `mode` ("single", "double",
/// "fp32_half_even", "half_away").
const char *roundingName(Rounding mode);

//===----------------------------------------------------------------------===//
// Scalar rounding and quantization
//===----------------------------------------------------------------------===//

/// Rounds to the nearest integer, exact ties to even (IEEE default mode,
/// what lrintf/nearbyint do). Saturates to the int64 range; NaN gives 0.
int64_t roundHalfToEven(double x);

/// Rounds to the nearest integer, exact ties away from zero (std::round,
/// TfLiteRound). Saturates to the int64 range; NaN gives 0.
int64_t roundHalfAwayFromZero(double x);

/// Saturates `x` to [lo, hi].
inline int64_t clampInt(int64_t x, int64_t lo, int64_t hi) {
  return x < lo ? lo : (x > hi ? hi : x);
}

/// The quantizer of DESIGN.md section 3, as the fake-quant forward computes
/// it in float32: q = clamp(round_half_even(x / s) + z, qmin, qmax), with
/// x / s evaluated in float32.
int64_t quantizeFloat(float x, float scale, int64_t zeroPoint, int64_t qmin,
                      int64_t qmax);

/// Dequantizes in float32: (q - z) * s.
float dequantizeFloat(int64_t q, float scale, int64_t zeroPoint);

/// Quantizes a bias to the accumulator grid s_bias = s_in * s_w (computed in
/// double from the float32 scales, like TFLite's converter) with zero point
/// 0, rounding half to even. Returns std::nullopt if the result does not fit
/// a signed integer of `bits` (2..64) bits (the caller reports the
/// overflow).
std::optional<int64_t> quantizeBias(float bias, float inputScale,
                                     float weightScale, unsigned bits);

//===----------------------------------------------------------------------===//
// Multiplier and shift from a real scale
//===----------------------------------------------------------------------===//

/// TFLite convention: real = multiplier * 2^(shift - 31), multiplier in
/// [2^30, 2^31 - 1] (or 0 for a zero/flushed scale).
struct QuantizedMultiplier {
  int32_t multiplier = 0;
  int shift = 0;
  bool operator==(const QuantizedMultiplier &o) const {
    return multiplier == o.multiplier && shift == o.shift;
  }
};

/// TFLite's QuantizeMultiplier (quantization_util.cc): frexp, round the
/// mantissa half away from zero to 31 bits, renormalize the 2^31 edge case,
/// flush scales below about 2^-32 to (0, 0). With `singleRounding` (TFLite
/// built with TFLITE_SINGLE_ROUNDING) a shift above 30 saturates to
/// (2^31 - 1, 30). Negative or non-finite inputs give (0, 0).
QuantizedMultiplier quantizeMultiplier(double realMultiplier,
                                       bool singleRounding);

/// TFLite's int16x8 "reduced" 16-bit multiplier used by the int64
/// MultiplyByQuantizedMultiplier: (m + 2^15) >> 16, saturated to 0x7FFF.
int32_t reduceMultiplierTo16(int32_t multiplier);

/// TOSA convention: real = multiplier * 2^-shift.
struct TosaScale {
  int32_t multiplier = 0;
  int32_t shift = 0;
  bool operator==(const TosaScale &o) const {
    return multiplier == o.multiplier && shift == o.shift;
  }
};

/// The TOSA reference model's computeMultiplierAndShift for scale32 = true
/// (as MLIR's TosaQuantUtils): 31-bit mantissa, 2^31 edge renormalized,
/// shift = 31 - exponent, shifts above 62 folded into the multiplier.
/// Returns std::nullopt for negative/non-finite scales.
std::optional<TosaScale> computeTosaScale32(double scale);

/// The same with a 15-bit mantissa for scale32 = false (int16 multipliers).
std::optional<TosaScale> computeTosaScale16(double scale);

/// Converts a TFLite multiplier to the TOSA scale32 convention
/// (shift = 31 - tfliteShift). A flushed (0, 0) multiplier becomes
/// (0, 31), a valid rescale that yields 0.
TosaScale toTosaScale32(QuantizedMultiplier qm);

/// The int16x8 multiplier in the TOSA scale32 = false convention: the
/// reduced 16-bit multiplier with shift = 15 - tfliteShift.
TosaScale toTosaScale16(QuantizedMultiplier qm);

/// The multiplier the lowering puts into tosa.rescale for `mode` and a real
/// scale computed in double from float32 scales: TFLite QuantizeMultiplier
/// (with the single-rounding clamp for Single, without for the others),
/// converted to the TOSA convention. For `scale32 = false` the TFLite
/// int16x8 reduced multiplier. Returns std::nullopt if TOSA cannot express
/// it (shift outside [2, 62]) or the scale is negative/non-finite.
std::optional<TosaScale> rescaleMultiplier(double realScale, Rounding mode,
                                           bool scale32);

/// XNNPACK's float requantization scale for a conv/FC output channel:
/// input_scale * kernel_scale / output_scale, evaluated left to right in
/// float32 (XNNPACK rejects results >= 256).
float xnnpackRequantizationScale(float inputScale, float kernelScale,
                                 float outputScale);

/// XNNPACK's int8 -> int8 QUANTIZE (its QS8 convert operator) computes in
/// 8-bit fixed point: m = lrintf(256 * s) (ties to even) for
/// s = float(s_in) / float(s_out), then ((x - zp_in) * m + 128) >> 8
/// (arithmetic shift, ties up), + zp_out, saturated. The delegate takes the
/// node only for s in [2^-8, 2^7]; std::nullopt outside, where the builtin
/// kernel runs it. Probed on every int8 code at 15 scale pairs on the
/// runtime this project tests against (the runner's --nodes proving XNNPACK
/// ran the node): equal everywhere, including s = 2^-8 and 2^7 exactly,
/// 256 s = 2.5 and 3.5 (m = 2, 4) and s = 0.5 (ties up); neither fp32 nor
/// double rounding is (0.1 -> 0.07 differs from both in 7 of 256 codes).
std::optional<int32_t> xnnpackQuantizeMultiplier(float s);

/// XNNPACK's int8 QUANTIZE of code `q` with multiplier `m` (see above).
int64_t xnnpackQuantize(int64_t q, int64_t inZp, int64_t outZp, int32_t m);

/// The same as a SINGLE_ROUND TOSA rescale: multiplier 2m, shift 9.
/// apply_scale_32 requires |x - zp_in| < 2^(shift-1), and x - zp_in spans
/// [-255, 255], so shift 8 would be outside TOSA's contract; doubling both
/// terms computes the same floor((v * m + 128) / 256).
std::optional<TosaScale> xnnpackQuantizeScale(float s);

//===----------------------------------------------------------------------===//
// gemmlowp / TFLite fixed point
//===----------------------------------------------------------------------===//

/// gemmlowp SaturatingRoundingDoublingHighMul: round(a * b / 2^31) with the
/// nudge 2^30 (ties toward +inf after the truncating division), and
/// (INT32_MIN, INT32_MIN) saturating to INT32_MAX.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties
/// away from zero; exponent in [0, 31].
int32_t roundingDivideByPOT(int32_t x, int exponent);

/// TFLite MultiplyByQuantizedMultiplier (int32 accumulator) as built with
/// TFLITE_SINGLE_ROUNDING: (x * m + 2^(30 - shift)) >> (31 - shift).
/// The result is truncated to 32 bits as TFLite's cast does.
int32_t multiplyByQuantizedMultiplierSingle(int32_t x, int32_t multiplier,
                                            int shift);

/// TFLite MultiplyByQuantizedMultiplier (int32 accumulator), default
/// double rounding: RoundingDivideByPOT(SRDHM(x * 2^left, m), right).
/// x * 2^left wraps modulo 2^32 as the int32 product does on every target.
int32_t multiplyByQuantizedMultiplierDouble(int32_t x, int32_t multiplier,
                                            int shift);

/// TFLite MultiplyByQuantizedMultiplier for int64 accumulators (int16x8
/// kernels, both rounding builds): the reduced 16-bit multiplier, then
/// (x * m16 + 2^(14 - shift)) >> (15 - shift), truncated to 32 bits.
int32_t multiplyByQuantizedMultiplierInt64(int64_t x, int32_t multiplier,
                                           int shift);

//===----------------------------------------------------------------------===//
// TOSA rescale
//===----------------------------------------------------------------------===//

/// True if apply_scale_32's REQUIREs hold: multiplier >= 0, 2 <= shift <=
/// 62, -2^(shift-1) <= value < 2^(shift-1).
bool applyScale32InContract(int64_t value, int32_t multiplier, int shift);

/// TOSA 1.0 apply_scale_32: (value * m + round) >> shift, round = 2^(s-1),
/// and for double rounding with shift > 31 round +/- 2^30 by the sign of
/// value. Computed in 128 bits and truncated to int32.
int32_t applyScale32(int64_t value, int32_t multiplier, int shift,
                     bool doubleRound);

/// True if apply_scale_16's REQUIREs hold (multiplier in [0, 2^15 - 1],
/// 2 <= shift <= 62, the result fits int32).
bool applyScale16InContract(int64_t value, int32_t multiplier, int shift);

/// TOSA 1.0 apply_scale_16 on a 48-bit value: (value * m + 2^(s-1)) >> s.
int32_t applyScale16(int64_t value, int32_t multiplier, int shift);

/// Fixed-point requantization with exact ties rounded away from zero:
/// sign(v) * ((|v| * m + 2^(s-1)) >> s), TOSA convention, 128-bit exact.
int32_t applyScaleHalfAway(int64_t value, int32_t multiplier, int shift);

/// XNNPACK fp32 requantization of one accumulator (fp32 scalar lrintf
/// kernels): f = float(acc) * scale; f clamped to [qmin - zp, qmax - zp] in
/// float; lrintf (ties to even); + zp. `qmin`/`qmax` are the output bounds
/// including a fused activation.
int64_t requantizeFp32(int64_t acc, float scale, int64_t zeroPoint,
                       int64_t qmin, int64_t qmax);

/// Everything one output channel's requantization needs.
struct RequantParams {
  Rounding mode = Rounding::Single;
  /// TOSA convention multiplier/shift (used by Single, Double, HalfAway).
  TosaScale scale;
  /// True for 32-bit multipliers (apply_scale_32), false for the 16-bit
  /// int16x8 ones (apply_scale_16). Ignored by Fp32HalfEven.
  bool scale32 = true;
  /// The float32 multiplier Fp32HalfEven uses.
  float fpScale = 0.0f;
};

/// Requantizes `value` (an accumulator with the input zero point already
/// subtracted) to the output grid: rescale with `p`, add `outZeroPoint`,
/// saturate to [qmin, qmax]. This is tosa.rescale for Single/Double (and,
/// with the qapeft.rounding annotation, for the other two modes).
int64_t requantize(int64_t value, const RequantParams &p, int64_t outZeroPoint,
                   int64_t qmin, int64_t qmax);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_REQUANTIZE_H
