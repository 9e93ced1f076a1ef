//===- TFLite.h - TFLite flatbuffer export and import -----------*- C++ -*-===//
//
// Translation between qapeft's integer TOSA graph (docs/CONVENTIONS.md) and
// TensorFlow Lite flatbuffer models.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_TARGET_TFLITE_H
#define QAPEFT_TARGET_TFLITE_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <utility>

namespace mlir {
namespace qapeft {

struct TFLiteExportOptions {
  /// The batch size written for a dynamic leading dimension: TFLite models
  /// have static shapes.
  int64_t batch = 1;
  /// The target named in the model description; when empty, the module's
  /// `qapeft.target` attribute, else "generic".
  std::string targetName;
};

/// Writes the integer graph in `module` (its `@forward` function, or its only
/// function) as a TFLite flatbuffer to `os`. On an op or quantization scheme
/// TFLite cannot express, emits an error at that op and writes nothing.
LogicalResult exportToTFLite(ModuleOp module, llvm::raw_ostream &os,
                             const TFLiteExportOptions &options = {});

/// Reads a TFLite flatbuffer (at least everything exportToTFLite writes) back
/// into an integer TOSA module. Emits an error at `loc` and returns null on a
/// malformed file or an operator it does not know.
OwningOpRef<ModuleOp> importFromTFLite(llvm::StringRef bytes,
                                       MLIRContext *context, Location loc);

/// TFLite's QuantizeMultiplier: splits a positive real multiplier into a Q31
/// significand and a power-of-two exponent, `m ~= q * 2^(shift - 31)`.
/// Returns {q, shift}; {0, 0} for m == 0.
std::pair<int32_t, int> quantizeMultiplier(double m);

/// The TOSA rescale (multiplier, shift) that computes bit for bit what
/// TFLite's quantized convolution kernels compute for the real multiplier
/// `m = s_in * s_w / s_out`: `(acc * multiplier + 2^(shift-1)) >> shift`.
/// int8 kernels use QuantizeMultiplier's Q31 value (scale32). The int16x8
/// kernels (int64 bias) first round it to 16 bits: with `scale32` false that
/// is TOSA's 16-bit multiplier (what TOSA requires for i48 accumulators),
/// with `scale32` true the same value shifted up by 16.
std::pair<int32_t, int> tfliteConvRescale(double m, bool int16x8,
                                          bool scale32 = true);

/// The clamp bounds TFLite applies for a fused activation on a quantized
/// output (CalculateActivationRangeQuantized). `activation` is the schema's
/// ActivationFunctionType value (0 NONE, 1 RELU, 2 RELU_N1_TO_1, 3 RELU6).
std::pair<int64_t, int64_t> quantizedActivationRange(int activation,
                                                     float scale,
                                                     int64_t zeroPoint,
                                                     int64_t qmin,
                                                     int64_t qmax);

/// Registers `--qapeft-to-tflite` and `--tflite-to-mlir` with mlir-translate's
/// registry.
void registerTFLiteTranslations();

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_TARGET_TFLITE_H
