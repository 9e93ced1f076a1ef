//===- SoftmaxInt8.h - TFLite's int8 SOFTMAX arithmetic ---------*- C++ -*-===//
//
// TFLite's builtin int8 SOFTMAX with int8 output (activations.cc:
// SoftmaxPrepare fills a float table with PopulateSoftmaxLookupTable,
// SoftmaxEval runs optimized_ops::Softmax). The runtime qapeft targets
// (tfjs-tflite's WASM build) is not aarch64, so the kernel takes this
// float-table path and not SoftmaxInt8LUT (uint16 tables, aarch64 + clang
// only) nor reference_ops::Softmax (gemmlowp fixed point, kReference only).
// Every step is float32 in the kernel's order, so the result is bit-exact
// (test/Target/TFLite/conformance-softmax.test). The simulator's
// qapeft.tflite_softmax kernel and the hardware-exact forward share it.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_SOFTMAXINT8_H
#define QAPEFT_NUMERICS_SOFTMAXINT8_H

#include <array>
#include <cstdint>

namespace mlir {
namespace qapeft {
namespace numerics {

/// PopulateSoftmaxLookupTable: table[255 - v] = expf(-s_in * beta * v), the
/// product formed in float32 first.
std::array<float, 256> softmaxInt8Table(float inputScale, float beta);

/// optimized_ops::Softmax on one row of `n` int8 codes, onto TFLite's fixed
/// int8 output grid (1/256, -128):
///   row = table + 255 - max(in)      (row[q] = exp(s * beta * (q - max)))
///   sum = row[in[0]] + ... (float32, in order)
///   out[c] = clamp(round(row[in[c]] * (1 / (sum / 256))) - 128)
/// with round ties away from zero (QuantizeSoftmaxOutput).
void softmaxInt8Row(const int8_t *in, int8_t *out, int64_t n,
                    const std::array<float, 256> &table);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_SOFTMAXINT8_H
