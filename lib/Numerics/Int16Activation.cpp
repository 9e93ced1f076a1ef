//===- Int16Activation.cpp - TFLite's int16 LOGISTIC / TANH ---------------===//

#include "qapeft/Numerics/Int16Activation.h"

#include <cmath>
#include <cstdlib>

using namespace mlir::qapeft::numerics;

const std::array<uint16_t, 256> &
mlir::qapeft::numerics::sigmoidTableUint16() {
  // The values of TF's table (lite/kernels/internal/common.h), the ones the
  // runtime matched on all 65536 inputs. Entry 0 is sigmoid(0) = 0.5 =
  // 32768; entry 255 saturates at 65535.
  static const std::array<uint16_t, 256> table = {
      32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841,
      39498, 40149, 40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102,
      45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464,
      50942, 51409, 51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755,
      55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433, 57724, 58007,
      58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
      60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036,
      62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
      63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968,
      64030, 64090, 64148, 64204, 64257, 64308, 64357, 64405, 64450, 64494,
      64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845,
      64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
      65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234,
      65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337,
      65345, 65352, 65360, 65367, 65374, 65381, 65387, 65393, 65399, 65404,
      65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
      65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479,
      65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
      65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511,
      65512, 65513, 65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520,
      65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524, 65525, 65525,
      65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529,
      65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531, 65531, 65531,
      65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
      65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534,
      65534, 65534, 65534, 65534, 65534, 65535};
  return table;
}

namespace {
/// TFLite's CheckedLog2, in float32 as the runtime computes it.
bool checkedLog2(float x, int *log2Result) {
  const float xLog2 = std::log(x) * (1.0f / std::log(2.0f));
  const float xLog2Rounded = std::round(xLog2);
  *log2Result = static_cast<int>(xLog2Rounded);
  return std::abs(xLog2 - xLog2Rounded) < 1e-3f;
}

/// d = (x * M + round) >> shift, in 64 bits (the kernel's int32 arithmetic
/// does not overflow for the multipliers Prepare yields, see Overflow).
int64_t rescaleInput(int16_t x, int32_t multiplier, int32_t shift) {
  int64_t round = shift > 0 ? int64_t(1) << (shift - 1) : 0;
  return (int64_t(x) * multiplier + round) >> shift;
}

int64_t interpolate(int64_t a, int fractionBits, int64_t saturated) {
  const std::array<uint16_t, 256> &t = sigmoidTableUint16();
  int64_t uh = a >> fractionBits;
  if (uh >= 255)
    return saturated;
  int64_t ua = t[uh], ub = t[uh + 1];
  int64_t ut = a & ((int64_t(1) << fractionBits) - 1);
  return (ua << fractionBits) + ut * (ub - ua);
}
} // namespace

Int16ActivationPrepare
mlir::qapeft::numerics::int16ActivationPrepare(bool sigmoid, float inScale) {
  Int16ActivationPrepare p;
  int log2Rounded = 0;
  bool pot = checkedLog2(inScale, &log2Rounded);
  // (15 - kInputIntegerBits) + log2, kInputIntegerBits = 3.
  int leftShift = 12 + log2Rounded;
  pot = pot && (leftShift == 0 || (!sigmoid && leftShift == 1));
  if (pot) {
    p.kind = Int16ActivationPrepare::Kind::PowerOfTwo;
    p.shift = leftShift;
    return p;
  }
  double m = static_cast<double>(inScale) * 4096.0 * 3.0;
  int shift = 0;
  while (m <= 32767.0 / 2.0 && shift <= 30) {
    ++shift;
    m *= 2.0;
  }
  p.shift = shift;
  if (!(m < 2147483648.0)) {
    p.kind = Int16ActivationPrepare::Kind::Overflow;
    return p;
  }
  p.multiplier = static_cast<int32_t>(m);
  // |x| <= 32768 and the rounding term must keep x * M + round in int32.
  int64_t round = shift > 0 ? int64_t(1) << (shift - 1) : 0;
  if (int64_t(32768) * p.multiplier + round > INT32_MAX)
    p.kind = Int16ActivationPrepare::Kind::Overflow;
  return p;
}

int16_t mlir::qapeft::numerics::tfliteInt16Logistic(int16_t x,
                                                    int32_t multiplier,
                                                    int32_t shift) {
  int64_t d = rescaleInput(x, multiplier, shift);
  int64_t r = interpolate(std::llabs(d), 9, int64_t(0x7FFF) << 10);
  r = d >= 0 ? r + (1 << 9) : (int64_t(1) << 25) - r + (1 << 9) - 1;
  return static_cast<int16_t>(r >> 10);
}

int16_t mlir::qapeft::numerics::tfliteInt16Tanh(int16_t x, int32_t multiplier,
                                                int32_t shift) {
  int64_t d = rescaleInput(x, multiplier, shift);
  int64_t r = interpolate(std::llabs(d), 8, int64_t(0xFFFF) << 8);
  r = d >= 0 ? r - (int64_t(1) << 23) + (1 << 7)
             : -r + (int64_t(1) << 23) + (1 << 7) - 1;
  // Arithmetic shift (floor), as the kernel's int32 >>= on the targets.
  return static_cast<int16_t>(r >> 8);
}
