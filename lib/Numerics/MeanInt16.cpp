//===- MeanInt16.cpp - TFLite's int16 MEAN arithmetic ---------------------===//
//
// See MeanInt16.h.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Numerics/MeanInt16.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qapeft;

bool numerics::tfliteMeanInt16IsExact(float inScale, float outScale) {
  return inScale == outScale;
}

float numerics::tfliteMeanInt16Scale(float inScale, float outScale) {
  return inScale / outScale;
}

int64_t numerics::tfliteMeanInt16Float(int64_t sum, int64_t count, float scale,
                                       int64_t outZp, int64_t qmin,
                                       int64_t qmax) {
  // The kernel keeps the sum in an int32 and converts it to float (round to
  // nearest even once |sum| >= 2^24). Each step below is one float32
  // operation (no multiply-add pair the compiler could contract).
  const float mean =
      static_cast<float>(static_cast<int32_t>(sum)) / static_cast<float>(count);
  const float scaled = mean * scale;
  // std::round on a float: ties away from zero, exact for every float.
  const float shifted = std::round(scaled) + static_cast<float>(outZp);
  float r = std::min(shifted, static_cast<float>(qmax));
  r = std::max(r, static_cast<float>(qmin));
  return static_cast<int64_t>(r);
}

int64_t numerics::tfliteMeanInt16Exact(int64_t sum, int64_t count) {
  return sum / count; // C++ division truncates toward zero, as the kernel's
}
