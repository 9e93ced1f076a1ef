//===- Weights.cpp - float32 weight arithmetic shared by all stages -------===//

#include "qapeft/Numerics/Weights.h"

#include <algorithm>
#include <cmath>

using namespace mlir::qapeft::numerics;

float mlir::qapeft::numerics::loraScaling(float alpha, int64_t rank) {
  if (rank <= 0)
    return 0.0f;
  return static_cast<float>(static_cast<double>(alpha) /
                            static_cast<double>(rank));
}

void mlir::qapeft::numerics::mergeLora(const float *w,
                                       const std::vector<int64_t> &shape,
                                       const float *a, const float *b,
                                       int64_t outAxis, int64_t rank,
                                       float scaling, float *out) {
  int64_t numel = 1;
  for (int64_t d : shape)
    numel *= d;
  if (numel == 0)
    return;
  int64_t rows = shape[outAxis];
  int64_t cols = numel / rows;
  // Weight index = (outer * rows + row) * inner + j; column = outer * inner
  // + j (the other axes in order).
  int64_t inner = 1;
  for (size_t d = outAxis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  // Nested loops instead of dividing the flat index (the simulator runs this
  // every training step); the per-element arithmetic is unchanged.
  int64_t outers = numel / (inner * rows);
  int64_t idx = 0;
  for (int64_t outer = 0; outer < outers; ++outer)
    for (int64_t row = 0; row < rows; ++row)
      for (int64_t j = 0; j < inner; ++j, ++idx) {
        int64_t col = outer * inner + j;
        float d = 0.0f;
        for (int64_t k = 0; k < rank; ++k) {
          // volatile keeps the multiply and the add separately rounded even
          // where the compiler could contract them into a fused
          // multiply-add.
          volatile float prod = b[row * rank + k] * a[k * cols + col];
          d = d + prod;
        }
        volatile float scaled = scaling * d;
        out[idx] = w[idx] + scaled;
      }
}

void mlir::qapeft::numerics::weightRange(const float *w,
                                         const std::vector<int64_t> &shape,
                                         int64_t axis, bool symmetric,
                                         int64_t qmin, int64_t qmax,
                                         std::vector<float> &scales,
                                         std::vector<float> &zeroPoints) {
  int64_t numel = 1;
  for (int64_t d : shape)
    numel *= d;
  int64_t channels = 1, inner = numel;
  if (axis >= 0) {
    channels = shape[axis];
    inner = 1;
    for (size_t d = axis + 1; d < shape.size(); ++d)
      inner *= shape[d];
  }
  std::vector<float> lo(channels, 0.0f), hi(channels, 0.0f);
  for (int64_t i = 0; i < numel; ++i) {
    int64_t c = axis >= 0 ? (i / inner) % channels : 0;
    lo[c] = std::min(lo[c], w[i]);
    hi[c] = std::max(hi[c], w[i]);
  }
  scales.assign(channels, 1.0f);
  zeroPoints.assign(channels, 0.0f);
  for (int64_t c = 0; c < channels; ++c) {
    float s;
    if (symmetric)
      s = static_cast<float>(
          static_cast<double>(std::max(std::fabs(lo[c]), std::fabs(hi[c]))) /
          static_cast<double>(qmax));
    else
      s = (hi[c] - lo[c]) / static_cast<float>(qmax - qmin);
    if (s == 0.0f)
      s = 1.0f;
    scales[c] = s;
    if (!symmetric) {
      float z = std::nearbyint(static_cast<float>(qmin) - lo[c] / s);
      zeroPoints[c] = std::min(std::max(z, static_cast<float>(qmin)),
                               static_cast<float>(qmax));
    }
  }
}
