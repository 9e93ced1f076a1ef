//===- MeanInt16.h - TFLite's int16 MEAN arithmetic ------------*- C++ -*-===//
//
// What TFLite's builtin int16 MEAN computes (reduce.cc, EvalMean; int16 has
// no optimized kernel, so both kernel types run the reference code), as
// found by probing the runtime this project tests against (tfjs-tflite
// 0.0.1-alpha.10, see lib/Conversion/LowerMeanInt16.cpp for the evidence).
// Prepare requires both zero points to be 0. For a mean over `count`
// elements whose int32 code sum is `sum`:
//
//   s_in == s_out (as float32)   reference_ops::Mean:
//                                out = sum / count   (C++ int division,
//                                                     truncation toward 0)
//   otherwise                    reference_ops::QuantizedMeanOrSum:
//                                mean  = float(sum) / float(count)
//                                scale = s_in / s_out              (float32)
//                                out   = clamp(roundf(mean * scale))
//
// where every float operation rounds to float32 and roundf rounds ties away
// from zero. Plain C++, no MLIR: shared by the simulator and the unit tests.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_MEANINT16_H
#define QAPEFT_NUMERICS_MEANINT16_H

#include <cstdint>

namespace mlir::qapeft::numerics {

/// True when TFLite's int16 MEAN takes the integer (truncating) path: the
/// float32 scales are equal. (Zero points are 0, Prepare requires it.)
bool tfliteMeanInt16IsExact(float inScale, float outScale);

/// The float32 factor TFLite's float path multiplies the mean by.
float tfliteMeanInt16Scale(float inScale, float outScale);

/// The float path: clamp(roundf(float32(float(sum) / float(count)) * scale)
/// + outZp, qmin, qmax), each operation in float32, as the kernel does.
int64_t tfliteMeanInt16Float(int64_t sum, int64_t count, float scale,
                             int64_t outZp, int64_t qmin, int64_t qmax);

/// The integer path: sum / count, truncated toward zero.
int64_t tfliteMeanInt16Exact(int64_t sum, int64_t count);

} // namespace mlir::qapeft::numerics

#endif // QAPEFT_NUMERICS_MEANINT16_H
