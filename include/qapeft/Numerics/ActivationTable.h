//===- ActivationTable.h - TFLite's int8 sigmoid/tanh table -----*- C++ -*-===//
//
// The 256-entry lookup table TFLite's builtin int8 LOGISTIC / TANH kernels
// build in Prepare (activations.cc, PopulateLookupTable). The integer
// lowering emits it as a tosa.table and the TFLite exporter and importer
// check / rebuild it from a file's scales: one definition for all three.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_NUMERICS_ACTIVATIONTABLE_H
#define QAPEFT_NUMERICS_ACTIVATIONTABLE_H

#include <cstdint>
#include <vector>

namespace mlir {
namespace qapeft {
namespace numerics {

/// For every input code q in [-128, 127] (entry q + 128), in float32 as the
/// runtime computes it:
///   x = s_in * (q - zp_in);  y = 1 / (1 + expf(-x))  or  tanhf(x);
///   t = round(y * (1 / s_out)) + zp_out   (ties away from zero),
/// saturated to int8.
std::vector<int64_t> tfliteActivationTable(bool sigmoid, float inScale,
                                           int64_t inZp, float outScale,
                                           int64_t outZp);

} // namespace numerics
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_NUMERICS_ACTIVATIONTABLE_H
