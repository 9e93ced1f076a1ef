//===- ActivationTable.cpp - TFLite's int8 sigmoid/tanh table -------------===//

#include "qapeft/Numerics/ActivationTable.h"

#include <algorithm>
#include <cmath>

std::vector<int64_t> mlir::qapeft::numerics::tfliteActivationTable(
    bool sigmoid, float inScale, int64_t inZp, float outScale,
    int64_t outZp) {
  // Float32 throughout, as the runtime: dequantize, transform, multiply by
  // the float inverse of the output scale, round half away from zero.
  std::vector<int64_t> table;
  table.reserve(256);
  const float inverseScale = 1.0f / outScale;
  for (int32_t q = -128; q <= 127; ++q) {
    const float x = inScale * static_cast<float>(q - static_cast<int32_t>(inZp));
    const float y = sigmoid ? 1.0f / (1.0f + std::exp(-x)) : std::tanh(x);
    const float rescaled = std::round(y * inverseScale);
    int32_t v = static_cast<int32_t>(rescaled + static_cast<float>(outZp));
    table.push_back(std::clamp<int32_t>(v, -128, 127));
  }
  return table;
}
