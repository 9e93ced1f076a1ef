//===- Weights.h - float32 weight arithmetic shared by all stages -*- C++ -*-===//
//
// The float32 computations on weights that the training forward, the merge
// pass and the integer lowering must perform identically (same operations,
// same order, same rounding), so that merging and lowering change no bit of
// what training saw:
//  - the LoRA merge W + s * (B @ A), and its factor s = alpha / rank;
//  - the weight range (scale and zero point) of qapeft.weight_range.
// Plain C++ on arrays: the simulator's kernels and the passes call these.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_WEIGHTS_H
#define QAPEFT_NUMERICS_WEIGHTS_H

#include <cstdint>
#include <vector>

namespace mlir {
namespace qapeft {
namespace numerics {

/// The LoRA factor alpha / rank: a double division rounded once to float32
/// (as the simulator computes it from the f32 attribute). 0 for rank 0.
float loraScaling(float alpha, int64_t rank);

/// out = W + scaling * (B @ A) in float32, with the weight seen as a matrix
/// whose rows are the `outAxis` index and whose columns are the other axes
/// in order. Per element: d = 0; for k in 0..rank-1: d = d + B[r][k] *
/// A[k][c] (a float32 multiply, then a float32 add: never fused); then
/// out = W + scaling * d (multiply, then add). `out` may alias `w`.
void mergeLora(const float *w, const std::vector<int64_t> &shape,
               const float *a, const float *b, int64_t outAxis, int64_t rank,
               float scaling, float *out);

/// qapeft.weight_range on float32 values: per channel along `axis` (or one
/// range for axis = -1). The range always includes 0.
///  - symmetric: scale = float(double(max|w|) / double(qmax)), zp = 0;
///  - asymmetric: scale = (max - min) / float(qmax - qmin) in float32,
///    zp = clamp(nearbyint(float(qmin) - min / scale), qmin, qmax);
///  - a zero scale (all-zero channel) becomes 1.
void weightRange(const float *w, const std::vector<int64_t> &shape,
                 int64_t axis, bool symmetric, int64_t qmin, int64_t qmax,
                 std::vector<float> &scales, std::vector<float> &zeroPoints);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_WEIGHTS_H
