//===- SoftmaxInt16.cpp - TFLite's int16 SOFTMAX arithmetic ---------------===//
//
// See SoftmaxInt16.h. Every step follows TFLite's code in its order and
// widths; the comments say where a width matters.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/SoftmaxInt16.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qapeft::numerics;

namespace {

double clampToInt16(double v) { return std::min(std::max(v, -32768.0), 32767.0); }

int16_t saturateInt16(int64_t v) {
  return static_cast<int16_t>(clampInt(v, -32768, 32767));
}

double expFn(double x) { return std::exp(x); }
double reciprocalFn(double x) { return 1.0 / (1.0 + x); }

} // namespace

Int16Lut mlir::qapeft::numerics::genInt16Lut(double (*f)(double), double inMin,
                                             double inMax) {
  // gen_lut with FloatT = double, output range [-1, 1]: the output scaling
  // is 65536 / 2 = 32768. std::round is TfLiteRound (ties away from zero).
  const int steps = 512;
  const double step = (inMax - inMin) / steps;
  const double halfStep = step / 2;
  const double scaling = 32768.0;
  Int16Lut lut{};
  for (int i = 0; i < steps; ++i) {
    const double val = f(inMin + i * step);
    const double valMid = f(inMin + i * step + halfStep);
    const double valNext = f(inMin + (i + 1) * step);
    const double sample = std::round(val * scaling);
    const double midInterp =
        std::round((valNext * scaling + std::round(val * scaling)) / 2);
    const double mid = std::round(valMid * scaling);
    const double bias = std::round((midInterp - mid) / 2);
    lut[i] = static_cast<int16_t>(clampToInt16(sample - bias));
  }
  lut[steps] =
      static_cast<int16_t>(clampToInt16(std::round(f(inMax) * scaling)));
  return lut;
}

const Int16Lut &mlir::qapeft::numerics::softmaxInt16ExpLut() {
  static const Int16Lut lut = genInt16Lut(expFn, -10.0, 0.0);
  return lut;
}

const Int16Lut &mlir::qapeft::numerics::softmaxInt16ReciprocalLut() {
  static const Int16Lut lut = genInt16Lut(reciprocalFn, 0.0, 1.0);
  return lut;
}

int16_t mlir::qapeft::numerics::int16LutLookup(int16_t value,
                                               const Int16Lut &lut) {
  // value >> 7 is an arithmetic shift: index in [0, 511].
  const int index = 256 + (value >> 7);
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const int32_t slope = int32_t(lut[index + 1]) - int32_t(lut[index]);
  // Q0.15 slope * Q0.7 offset, rounded back to Q0.15 (arithmetic shift: a
  // negative slope rounds ties toward +inf, as the kernel's int32 >> 7).
  const int32_t delta = (slope * offset + 64) >> 7;
  // The kernel returns int16_t(base + delta); with these tables the sum
  // stays in range, the cast only documents the width.
  return static_cast<int16_t>(base + delta);
}

QuantizedMultiplier
mlir::qapeft::numerics::softmaxInt16InputMultiplier(float inputScale,
                                                    float beta) {
  // SoftmaxPrepare: input->params.scale * params->beta is a float * float
  // product promoted to double only for the division (the expression is
  // `float * float / double`), so the product is rounded to float32 first.
  const float scaleBeta = inputScale * beta;
  const double real = static_cast<double>(scaleBeta) / (10.0 / 65535.0);
  // The runtime's default build: QuantizeMultiplier without the
  // single-rounding shift clamp.
  return quantizeMultiplier(real, /*singleRounding=*/false);
}

void mlir::qapeft::numerics::softmaxInt16Row(
    const int16_t *in, int16_t *out, int64_t n,
    QuantizedMultiplier inputMultiplier) {
  if (n <= 0)
    return;
  const Int16Lut &expLut = softmaxInt16ExpLut();
  const Int16Lut &recipLut = softmaxInt16ReciprocalLut();
  int16_t maxIn = -32768;
  for (int64_t c = 0; c < n; ++c)
    maxIn = std::max(maxIn, in[c]);

  // The exps are cached in `out` (the kernel does the same with its
  // output buffer), so `in` and `out` must not alias.
  int32_t sum = 0; // Q16.15; n <= 65536 keeps it below 2^31.
  for (int64_t c = 0; c < n; ++c) {
    const int32_t diff = int32_t(in[c]) - int32_t(maxIn);
    const int32_t scaled = multiplyByQuantizedMultiplierDouble(
        diff, inputMultiplier.multiplier, inputMultiplier.shift);
    // Recentre [-65535, 0] to [-32768, 32767], saturating in int32 first.
    const int16_t sym = saturateInt16(int64_t(scaled) + 32767);
    out[c] = int16LutLookup(sym, expLut);
    sum += out[c];
  }

  // The row max contributes lut[511] + (127 * slope + 64) >> 7 > 2^14, so
  // sum > 0 and headroomPlusOne is in [1, 17].
  int headroomPlusOne = 0;
  for (uint32_t s = static_cast<uint32_t>(sum); !(s & 0x80000000u); s <<= 1)
    ++headroomPlusOne;
  const int32_t shiftedSum = static_cast<int32_t>(
      ((static_cast<int64_t>(sum) << (headroomPlusOne - 1)) + (1 << 13)) >>
      14);
  // 1/(1 + x) wants x = sum - 1 recentred from [0, 65535] to
  // [-32768, 32767].
  const int16_t symSum =
      saturateInt16(int64_t(shiftedSum) - ((1 << 15) + (1 << 16)));
  const int32_t reciprocal = int16LutLookup(symSum, recipLut);

  const int rightShift = 31 - headroomPlusOne;
  const int64_t round = int64_t(1) << (rightShift - 1);
  for (int64_t c = 0; c < n; ++c) {
    const int64_t result = (int64_t(out[c]) * reciprocal + round) >> rightShift;
    // The kernel truncates the int64 to int32 before clamping; the product
    // of two int16 values shifted right by >= 14 always fits.
    out[c] = static_cast<int16_t>(clampInt(result, 0, 32767));
  }
}
