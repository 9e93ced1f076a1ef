//===- Requantize.cpp - exact integer requantization arithmetic -----------===//
//
// Each function mirrors one runtime's code path; the comments name it. All
// intermediate products are formed in 128 bits so that no input, in or out
// of the runtime's contract, has undefined behaviour here.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/Requantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::qapeft::numerics;

namespace {
using int128 = __int128;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();

/// Converts an already integral double to int64 with saturation.
int64_t saturatingToInt64(double r) {
  if (std::isnan(r))
    return 0;
  // 2^63 is exactly representable; anything >= it saturates.
  if (r >= 9223372036854775808.0)
    return kInt64Max;
  if (r < -9223372036854775808.0)
    return kInt64Min;
  return static_cast<int64_t>(r);
}

/// floor((v + round) / 2^shift) for shift >= 1, or v * 2^-shift for
/// shift <= 0. Shift is limited to 126 so the 128-bit shift is defined.
int128 shiftRightRounding(int128 v, int128 round, int shift) {
  if (shift <= 0)
    return v * (int128(1) << std::min(-shift, 62));
  shift = std::min(shift, 126);
  // >> on a negative __int128 is arithmetic with GCC and Clang.
  return (v + round) >> shift;
}

/// Truncates to 32 bits, as the runtimes' static_cast<int32_t> does.
int32_t truncateToInt32(int128 v) {
  return static_cast<int32_t>(static_cast<uint32_t>(
      static_cast<uint64_t>(static_cast<unsigned __int128>(v))));
}
} // namespace

const char *mlir::qapeft::numerics::roundingName(Rounding mode) {
  switch (mode) {
  case Rounding::Single:
    return "single";
  case Rounding::Double:
    return "double";
  case Rounding::Fp32HalfEven:
    return "fp32_half_even";
  case Rounding::HalfAway:
    return "half_away";
  }
  return "unknown";
}

//===----------------------------------------------------------------------===//
// Scalar rounding and quantization
//===----------------------------------------------------------------------===//

int64_t mlir::qapeft::numerics::roundHalfToEven(double x) {
  // nearbyint honours the current rounding mode, which is round-to-nearest-
  // even unless someone changed it; this project never does.
  return saturatingToInt64(std::nearbyint(x));
}

int64_t mlir::qapeft::numerics::roundHalfAwayFromZero(double x) {
  return saturatingToInt64(std::round(x));
}

int64_t mlir::qapeft::numerics::quantizeFloat(float x, float scale,
                                              int64_t zeroPoint, int64_t qmin,
                                              int64_t qmax) {
  // The division is a float32 operation, exactly as the float32 fake-quant
  // forward evaluates it, so the integer graph sees the same codes.
  float ratio = x / scale;
  int64_t q = roundHalfToEven(static_cast<double>(ratio));
  // Add the zero point with saturation so huge ratios cannot wrap.
  int128 withZp = int128(q) + zeroPoint;
  if (withZp < qmin)
    return qmin;
  if (withZp > qmax)
    return qmax;
  return static_cast<int64_t>(withZp);
}

float mlir::qapeft::numerics::dequantizeFloat(int64_t q, float scale,
                                              int64_t zeroPoint) {
  return static_cast<float>(q - zeroPoint) * scale;
}

std::optional<int64_t>
mlir::qapeft::numerics::quantizeBias(float bias, float inputScale,
                                     float weightScale, unsigned bits) {
  double biasScale =
      static_cast<double>(inputScale) * static_cast<double>(weightScale);
  if (!(biasScale > 0.0) || !std::isfinite(biasScale) ||
      !std::isfinite(bias) || bits < 2 || bits > 64)
    return std::nullopt;
  double ratio = static_cast<double>(bias) / biasScale;
  double rounded = std::nearbyint(ratio);
  // Integral doubles compare exactly against the powers of two; the upper
  // bound is exclusive so that 2^63 - 1 (not representable) needs no care.
  double bound = std::ldexp(1.0, bits - 1);
  if (!(rounded >= -bound && rounded < bound))
    return std::nullopt;
  return static_cast<int64_t>(rounded);
}

//===----------------------------------------------------------------------===//
// Multiplier and shift from a real scale
//===----------------------------------------------------------------------===//

QuantizedMultiplier
mlir::qapeft::numerics::quantizeMultiplier(double realMultiplier,
                                           bool singleRounding) {
  QuantizedMultiplier result;
  if (!(realMultiplier > 0.0) || !std::isfinite(realMultiplier))
    return result;
  int shift = 0;
  double q = std::frexp(realMultiplier, &shift);
  // TfLiteRound is std::round: ties away from zero.
  int64_t qFixed = roundHalfAwayFromZero(q * double(int64_t(1) << 31));
  // A mantissa just below 1 can round up to exactly 2^31: renormalize.
  if (qFixed == (int64_t(1) << 31)) {
    qFixed /= 2;
    ++shift;
  }
  // Below 2^-31 every product shifts out: TFLite flushes to zero.
  if (shift < -31) {
    shift = 0;
    qFixed = 0;
  }
  // The single-rounding kernel's total shift 31 - shift must stay >= 1.
  if (singleRounding && shift > 30) {
    shift = 30;
    qFixed = (int64_t(1) << 31) - 1;
  }
  result.multiplier = static_cast<int32_t>(qFixed);
  result.shift = shift;
  return result;
}

int32_t mlir::qapeft::numerics::reduceMultiplierTo16(int32_t multiplier) {
  return multiplier < 0x7FFF0000 ? (multiplier + (1 << 15)) >> 16 : 0x7FFF;
}

namespace {
std::optional<TosaScale> computeTosaScale(double scale, int mantissaBits) {
  if (!(scale >= 0.0) || !std::isfinite(scale))
    return std::nullopt;
  int exponent = 0;
  double mantissa = std::frexp(scale, &exponent);
  int64_t one = int64_t(1) << mantissaBits;
  int64_t shifted = roundHalfAwayFromZero(mantissa * double(one));
  if (shifted == one) {
    shifted /= 2;
    ++exponent;
  }
  TosaScale result;
  result.shift = mantissaBits - exponent;
  result.multiplier = static_cast<int32_t>(shifted);
  // TOSA shifts stop at 62 (two right shifts of 31); move the excess into
  // the multiplier, as the reference model does.
  if (result.shift > 62) {
    result.multiplier >>= std::min<int32_t>(31, result.shift - 62);
    result.shift = 62;
  }
  return result;
}
} // namespace

std::optional<TosaScale>
mlir::qapeft::numerics::computeTosaScale32(double scale) {
  return computeTosaScale(scale, 31);
}

std::optional<TosaScale>
mlir::qapeft::numerics::computeTosaScale16(double scale) {
  return computeTosaScale(scale, 15);
}

TosaScale mlir::qapeft::numerics::toTosaScale32(QuantizedMultiplier qm) {
  if (qm.multiplier == 0)
    return TosaScale{0, 31};
  return TosaScale{qm.multiplier, 31 - qm.shift};
}

TosaScale mlir::qapeft::numerics::toTosaScale16(QuantizedMultiplier qm) {
  if (qm.multiplier == 0)
    return TosaScale{0, 15};
  return TosaScale{reduceMultiplierTo16(qm.multiplier), 15 - qm.shift};
}

std::optional<TosaScale>
mlir::qapeft::numerics::rescaleMultiplier(double realScale, Rounding mode,
                                          bool scale32) {
  if (!(realScale >= 0.0) || !std::isfinite(realScale))
    return std::nullopt;
  QuantizedMultiplier qm =
      quantizeMultiplier(realScale, /*singleRounding=*/mode == Rounding::Single);
  TosaScale ts = scale32 ? toTosaScale32(qm) : toTosaScale16(qm);
  if (ts.shift < 2 || ts.shift > 62)
    return std::nullopt;
  return ts;
}

float mlir::qapeft::numerics::xnnpackRequantizationScale(float inputScale,
                                                         float kernelScale,
                                                         float outputScale) {
  // Two float32 operations, left to right, as XNNPACK's operator setup.
  float product = inputScale * kernelScale;
  return product / outputScale;
}

//===----------------------------------------------------------------------===//
// gemmlowp / TFLite fixed point
//===----------------------------------------------------------------------===//

int32_t mlir::qapeft::numerics::saturatingRoundingDoublingHighMul(int32_t a,
                                                                  int32_t b) {
  bool overflow = a == b && a == kInt32Min;
  int64_t ab = int64_t(a) * int64_t(b);
  int64_t nudge = ab >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  // C++ division truncates toward zero, as gemmlowp relies on.
  int32_t high = static_cast<int32_t>((ab + nudge) / (int64_t(1) << 31));
  return overflow ? kInt32Max : high;
}

int32_t mlir::qapeft::numerics::roundingDivideByPOT(int32_t x, int exponent) {
  exponent = std::clamp(exponent, 0, 31);
  int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t mlir::qapeft::numerics::multiplyByQuantizedMultiplierSingle(
    int32_t x, int32_t multiplier, int shift) {
  int totalShift = 31 - shift;
  int128 round = totalShift >= 1 ? int128(1) << (std::min(totalShift, 126) - 1)
                                 : int128(0);
  return truncateToInt32(
      shiftRightRounding(int128(x) * multiplier, round, totalShift));
}

int32_t mlir::qapeft::numerics::multiplyByQuantizedMultiplierDouble(
    int32_t x, int32_t multiplier, int shift) {
  int leftShift = std::clamp(shift, 0, 31);
  int rightShift = shift > 0 ? 0 : std::min(-shift, 31);
  // x * (1 << left_shift) in int32: wraps on overflow.
  int32_t shifted = static_cast<int32_t>(static_cast<uint32_t>(x)
                                         << leftShift);
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(shifted, multiplier), rightShift);
}

int32_t mlir::qapeft::numerics::multiplyByQuantizedMultiplierInt64(
    int64_t x, int32_t multiplier, int shift) {
  int32_t reduced = reduceMultiplierTo16(multiplier);
  int totalShift = 15 - shift;
  int128 round = totalShift >= 1 ? int128(1) << (std::min(totalShift, 126) - 1)
                                 : int128(0);
  return truncateToInt32(
      shiftRightRounding(int128(x) * reduced, round, totalShift));
}

//===----------------------------------------------------------------------===//
// TOSA rescale
//===----------------------------------------------------------------------===//

bool mlir::qapeft::numerics::applyScale32InContract(int64_t value,
                                                    int32_t multiplier,
                                                    int shift) {
  if (multiplier < 0 || shift < 2 || shift > 62)
    return false;
  int64_t bound = int64_t(1) << (shift - 1);
  return value >= -bound && value < bound && value >= kInt32Min &&
         value <= kInt32Max;
}

int32_t mlir::qapeft::numerics::applyScale32(int64_t value, int32_t multiplier,
                                             int shift, bool doubleRound) {
  int128 round = shift >= 1 ? int128(1) << (std::min(shift, 126) - 1) : 0;
  // DOUBLE_ROUND emulates gemmlowp's first rounding at bit 31 when the
  // shift spans it; the sign decides the direction of the extra nudge.
  if (doubleRound && shift > 31)
    round += value >= 0 ? (int128(1) << 30) : -(int128(1) << 30);
  return truncateToInt32(
      shiftRightRounding(int128(value) * multiplier, round, shift));
}

bool mlir::qapeft::numerics::applyScale16InContract(int64_t value,
                                                    int32_t multiplier,
                                                    int shift) {
  if (multiplier < 0 || multiplier > 0x7FFF || shift < 2 || shift > 62)
    return false;
  if (value < -(int64_t(1) << 47) || value >= (int64_t(1) << 47))
    return false;
  int128 r = shiftRightRounding(int128(value) * multiplier,
                                int128(1) << (shift - 1), shift);
  return r >= kInt32Min && r <= kInt32Max;
}

int32_t mlir::qapeft::numerics::applyScale16(int64_t value, int32_t multiplier,
                                             int shift) {
  int128 round = shift >= 1 ? int128(1) << (std::min(shift, 126) - 1) : 0;
  return truncateToInt32(
      shiftRightRounding(int128(value) * multiplier, round, shift));
}

int32_t mlir::qapeft::numerics::applyScaleHalfAway(int64_t value,
                                                   int32_t multiplier,
                                                   int shift) {
  int128 magnitude = int128(value < 0 ? -int128(value) : int128(value)) *
                     (multiplier < 0 ? -int128(multiplier) : int128(multiplier));
  int128 round = shift >= 1 ? int128(1) << (std::min(shift, 126) - 1) : 0;
  int128 r = shiftRightRounding(magnitude, round, shift);
  bool negative = (value < 0) != (multiplier < 0);
  return truncateToInt32(negative ? -r : r);
}

int64_t mlir::qapeft::numerics::requantizeFp32(int64_t acc, float scale,
                                               int64_t zeroPoint, int64_t qmin,
                                               int64_t qmax) {
  float f = static_cast<float>(acc) * scale;
  float lo = static_cast<float>(qmin - zeroPoint);
  float hi = static_cast<float>(qmax - zeroPoint);
  // XNNPACK clamps before rounding (math_max_f32 then math_min_f32), which
  // also keeps lrintf in range; a NaN scale ends up at the lower bound.
  f = std::isnan(f) ? lo : std::min(std::max(f, lo), hi);
  return static_cast<int64_t>(std::nearbyint(f)) + zeroPoint;
}

int64_t mlir::qapeft::numerics::requantize(int64_t value,
                                           const RequantParams &p,
                                           int64_t outZeroPoint, int64_t qmin,
                                           int64_t qmax) {
  int32_t scaled = 0;
  switch (p.mode) {
  case Rounding::Fp32HalfEven:
    return requantizeFp32(value, p.fpScale, outZeroPoint, qmin, qmax);
  case Rounding::Single:
  case Rounding::Double:
    scaled = p.scale32 ? applyScale32(value, p.scale.multiplier, p.scale.shift,
                                      p.mode == Rounding::Double)
                       : applyScale16(value, p.scale.multiplier, p.scale.shift);
    break;
  case Rounding::HalfAway:
    scaled = applyScaleHalfAway(value, p.scale.multiplier, p.scale.shift);
    break;
  }
  return clampInt(int64_t(scaled) + outZeroPoint, qmin, qmax);
}

std::optional<int32_t>
mlir::qapeft::numerics::xnnpackQuantizeMultiplier(float s) {
  if (!(s >= 0x1.0p-8f && s <= 0x1.0p+7f))
    return std::nullopt;
  return static_cast<int32_t>(std::lrint(256.0f * s));
}

int64_t mlir::qapeft::numerics::xnnpackQuantize(int64_t q, int64_t inZp,
                                                int64_t outZp, int32_t m) {
  int64_t fixed = (q - inZp) * m + 128;
  // Floor division (C++ division truncates toward zero).
  int64_t shifted = fixed >= 0 ? fixed / 256 : -((-fixed + 255) / 256);
  return std::clamp<int64_t>(shifted + outZp, -128, 127);
}

std::optional<TosaScale> mlir::qapeft::numerics::xnnpackQuantizeScale(float s) {
  std::optional<int32_t> m = xnnpackQuantizeMultiplier(s);
  if (!m)
    return std::nullopt;
  return TosaScale{2 * *m, 9};
}
