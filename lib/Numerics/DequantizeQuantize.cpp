//===- DequantizeQuantize.cpp - TFLite int8 -> int16 float route ----------===//
//
// See DequantizeQuantize.h for what the runtime computes and how it was
// found.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/DequantizeQuantize.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::qapeft::numerics;

namespace {
using int128 = __int128;

constexpr int64_t kInt8Min = -128, kInt8Max = 127;
/// The smallest shift the search tries: |q - zp| <= 255 < 2^9 keeps the
/// rescale's input inside apply_scale_32's contract, and with M < 2^31 the
/// scaled value stays below 2^29, inside int32.
constexpr int kMinShift = 10;
constexpr int kMaxShift = 62;
constexpr int64_t kMaxMultiplier = (int64_t(1) << 31) - 1;

int128 floorDiv(int128 a, int128 b) {
  int128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

int128 ceilDiv(int128 a, int128 b) { return -floorDiv(-a, b); }
} // namespace

double DequantizeQuantize::unrounded(int64_t q) const {
  // The float32 product of DEQUANTIZE, then QUANTIZE's division in double
  // (its scale is a double in TFLite's QuantizationParams).
  float f = static_cast<float>(q - inZeroPoint) * inScale;
  return static_cast<double>(f) / static_cast<double>(outScale);
}

bool DequantizeQuantize::inInt32Range() const {
  if (!(inScale > 0.0f) || !(outScale > 0.0f) || !std::isfinite(inScale) ||
      !std::isfinite(outScale))
    return false;
  for (int64_t q = kInt8Min; q <= kInt8Max; ++q) {
    double r = std::round(unrounded(q));
    if (!(std::fabs(r) < 2147483648.0))
      return false;
  }
  return true;
}

int64_t DequantizeQuantize::compute(int64_t q) const {
  double r = std::round(unrounded(q)); // ties away from zero (TfLiteRound)
  // Out of int32 the runtime's cast is undefined; inInt32Range() rules that
  // out for callers, here it saturates so the function stays total.
  if (!(r > -2147483648.0))
    return outMin;
  if (!(r < 2147483648.0))
    return outMax;
  int64_t v = static_cast<int64_t>(r) + outZeroPoint;
  return std::clamp(v, outMin, outMax);
}

std::optional<int64_t> mlir::qapeft::numerics::firstDequantizeQuantizeMismatch(
    const DequantizeQuantize &dq, TosaScale scale) {
  for (int64_t q = kInt8Min; q <= kInt8Max; ++q) {
    int64_t x = q - dq.inZeroPoint;
    if (!applyScale32InContract(x, scale.multiplier, scale.shift))
      return q;
    int64_t r = std::clamp<int64_t>(
        int64_t(applyScale32(x, scale.multiplier, scale.shift, false)) +
            dq.outZeroPoint,
        dq.outMin, dq.outMax);
    if (r != dq.compute(q))
      return q;
  }
  return std::nullopt;
}

std::optional<TosaScale> mlir::qapeft::numerics::findDequantizeQuantizeRescale(
    const DequantizeQuantize &dq) {
  if (!dq.inInt32Range() || dq.outMin >= dq.outMax)
    return std::nullopt;
  const double real =
      static_cast<double>(dq.inScale) / static_cast<double>(dq.outScale);

  // TFLite's own multiplier, when it happens to be exact, keeps the rescale
  // the one a requantization would have.
  if (std::optional<TosaScale> standard =
          rescaleMultiplier(real, Rounding::Single, /*scale32=*/true))
    if (standard->shift >= kMinShift &&
        !firstDequantizeQuantizeMismatch(dq, *standard))
      return standard;

  // Every code q (x = q - zp_in) asks for a rescale result a(x) in
  // [lo, hi] (one value, or a half-line where the output saturates), and
  // a(x) = floor((x * M + 2^(S-1)) / 2^S) turns that into bounds on M.
  // Feasibility at shift S implies it at S + 1 (M -> 2M) unless 2M
  // overflows, so the widest shift with a non-empty interval is the
  // finest one.
  for (int shift = kMaxShift; shift >= kMinShift; --shift) {
    const int128 t = int128(1) << shift, h = int128(1) << (shift - 1);
    int128 mLo = 0, mHi = kMaxMultiplier;
    for (int64_t q = kInt8Min; q <= kInt8Max && mLo <= mHi; ++q) {
      const int64_t x = q - dq.inZeroPoint;
      const int64_t out = dq.compute(q);
      const bool lowOpen = out == dq.outMin, highOpen = out == dq.outMax;
      const int128 lo = out - dq.outZeroPoint, hi = out - dq.outZeroPoint;
      if (x == 0) {
        // a(0) = 0 whatever M is.
        if ((!lowOpen && lo > 0) || (!highOpen && hi < 0))
          mHi = -1;
        continue;
      }
      // a(x) >= lo  <=>  x * M >= lo * 2^S - 2^(S-1)
      // a(x) <= hi  <=>  x * M <= (hi + 1) * 2^S - 2^(S-1) - 1
      const int128 a = lo * t - h, b = (hi + 1) * t - h - 1;
      if (x > 0) {
        if (!lowOpen)
          mLo = std::max(mLo, ceilDiv(a, x));
        if (!highOpen)
          mHi = std::min(mHi, floorDiv(b, x));
      } else {
        if (!lowOpen)
          mHi = std::min(mHi, floorDiv(a, x));
        if (!highOpen)
          mLo = std::max(mLo, ceilDiv(b, x));
      }
    }
    if (mLo > mHi)
      continue;
    // The exact multiplier closest to the real ratio.
    const double ideal = std::ldexp(real, shift);
    int128 m = ideal >= static_cast<double>(kMaxMultiplier)
                   ? int128(kMaxMultiplier)
                   : int128(std::llround(ideal));
    m = std::clamp(m, mLo, mHi);
    TosaScale found{static_cast<int32_t>(m), shift};
    if (firstDequantizeQuantizeMismatch(dq, found))
      return std::nullopt; // the bounds and the check disagree: be safe
    return found;
  }
  return std::nullopt;
}
