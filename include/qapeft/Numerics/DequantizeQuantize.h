//===- DequantizeQuantize.h - TFLite int8 -> int16 route --------*- C++ -*-===//
//
// The entry of an int16x8 region in an int8 model widens int8 codes to an
// int16 grid. The TFLite runtime the project tests against (tfjs-tflite
// 0.0.1-alpha.10, TF ~2.10 kernels) refuses QUANTIZE int8 -> int16 at model
// load (quantize.cc), so the only TFLite form is DEQUANTIZE (int8 -> f32)
// followed by QUANTIZE (f32 -> int16). This header states what that pair
// computes, and finds a TOSA rescale that computes the same bits, so the
// integer graph stays integer TOSA and the exporter can prove the pair
// equal to it.
//
// What the pair computes, found by probing the runtime: a DEQUANTIZE +
// QUANTIZE model over all 256 int8 codes at 40 scale pairs on the builtin
// kernels and 35 with XNNPACK (which takes the DEQUANTIZE and leaves the
// QUANTIZE to the builtin kernel): 30 random pairs (input scales e^-8 ..
// e^-1, ratios s_in / s_out e^1 .. e^9, any zero point) and crafted ones
// on or near exact halves (0.5 -> 1, 0.75 -> 0.5, 1 -> 2, 0.1 -> 0.2,
// 0.05 -> 0.1, 0.3 -> 0.2, 0.7 -> 0.2, 0.02 -> 0.008, 0.0123 -> 0.0004)
// and 0.1 (zp -5) -> 0.001.
// All agree, code for code, with
//
//   f = float(q - zp_in) * s_in                       (float32 product)
//   v = double(f) / double(s_out)                     (double division)
//   out = clamp(round(v) + zp_out, -32768, 32767)     (ties away from zero)
//
// Candidates the same probe refuted (most codes differing at one pair):
// the division in float32 (66 of 256), a multiplication by
// float32(1 / s_out) (90), the double division rounded to even (64), and
// the whole product in double, s_in * (q - zp) / s_out (59).
// test/Target/TFLite/region-int16x8-boundary-runtime.test keeps checking
// it through the lowering at 10 scale pairs.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_DEQUANTIZEQUANTIZE_H
#define QAPEFT_NUMERICS_DEQUANTIZEQUANTIZE_H

#include "qapeft/Numerics/Requantize.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace qapeft {
namespace numerics {

/// The int8 -> int16 widening by TFLite's DEQUANTIZE + QUANTIZE.
struct DequantizeQuantize {
  float inScale = 1.0f;
  int64_t inZeroPoint = 0;
  float outScale = 1.0f;
  int64_t outZeroPoint = 0;
  int64_t outMin = -32768, outMax = 32767;

  /// The unrounded value the QUANTIZE kernel rounds for int8 code `q`:
  /// double(float(q - zp_in) * s_in) / double(s_out).
  double unrounded(int64_t q) const;
  /// True if the runtime's float -> int32 conversion of round(v) is defined
  /// for every int8 code (|round(v)| < 2^31): TFLite casts before clamping.
  bool inInt32Range() const;
  /// What the runtime writes for int8 code `q` (see the file comment).
  int64_t compute(int64_t q) const;
};

/// A single-rounding, scale32 tosa.rescale (i8 input with input_zp
/// `inZeroPoint`, i16 output with output_zp `outZeroPoint`, saturating)
/// that yields `dq.compute(q)` for all 256 int8 codes, or std::nullopt when
/// none exists (or the float route leaves int32).
///
/// The rescale computes floor(((q - zp_in) * M + 2^(S-1)) / 2^S). The
/// float route rounds ties away from zero and carries float32 errors of
/// its own, so TFLite's QuantizeMultiplier(s_in / s_out) is not always
/// right; each code bounds M from both sides (exact 128-bit integer
/// bounds), and the widest shift whose intersection holds an integer gives
/// the finest choice. TFLite's own multiplier is returned whenever it is
/// exact, else the exact multiplier closest to s_in / s_out * 2^S. The
/// result is re-checked code by code with applyScale32.
std::optional<TosaScale>
findDequantizeQuantizeRescale(const DequantizeQuantize &dq);

/// The first int8 code (in -128 .. 127) where the single-rounding rescale
/// (multiplier, shift) differs from `dq`, or std::nullopt if it agrees on
/// all 256 codes.
std::optional<int64_t>
firstDequantizeQuantizeMismatch(const DequantizeQuantize &dq, TosaScale scale);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_DEQUANTIZEQUANTIZE_H
