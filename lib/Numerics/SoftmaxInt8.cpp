//===- SoftmaxInt8.cpp - TFLite's int8 SOFTMAX arithmetic ------------------===//

#include "qapeft/Numerics/SoftmaxInt8.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qapeft::numerics;

std::array<float, 256>
mlir::qapeft::numerics::softmaxInt8Table(float inputScale, float beta) {
  const float scale = -inputScale * beta;
  std::array<float, 256> table;
  for (int v = 0; v <= 255; ++v)
    table[255 - v] = std::exp(scale * static_cast<float>(v));
  return table;
}

void mlir::qapeft::numerics::softmaxInt8Row(
    const int8_t *in, int8_t *out, int64_t n,
    const std::array<float, 256> &table) {
  const float outScale = 1.0f / 256.0f;
  const int32_t outZp = -128;
  int32_t maxVal = -128;
  for (int64_t j = 0; j < n; ++j)
    maxVal = std::max<int32_t>(maxVal, in[j]);
  // row[q] = table[255 - max + q], q - max in [-255, 0].
  const float *row = table.data() + 255 - maxVal;
  float sum = 0.0f;
  for (int64_t j = 0; j < n; ++j)
    sum += row[in[j]];
  const float inv = 1.0f / (sum * outScale);
  for (int64_t j = 0; j < n; ++j) {
    const float p = row[in[j]] * inv;
    int32_t q = static_cast<int32_t>(std::round(p)) + outZp;
    out[j] = static_cast<int8_t>(std::clamp<int32_t>(q, -128, 127));
  }
}
