//===- TFLiteCommon.h - shared by the TFLite exporter and importer -*- C++ -*-===//

#ifndef QAPEFT_LIB_TARGET_TFLITE_TFLITECOMMON_H
#define QAPEFT_LIB_TARGET_TFLITE_TFLITECOMMON_H

#include "qapeft/Target/TFLite/tflite_generated.h"

#include "llvm/ADT/StringRef.h"

namespace mlir {
namespace qapeft {
namespace tfl {

/// The schema's name of a builtin operator, for diagnostics and metadata.
llvm::StringRef builtinName(tflite::BuiltinOperator op);

/// The oldest TFLite release whose interpreter runs `op` at `version`
/// (TFLite's runtime_version.cc table, for the ops we write), or "" if
/// unknown.
llvm::StringRef minRuntimeVersion(tflite::BuiltinOperator op, int version);

/// Names of the discardable attributes carrying float quantization
/// parameters (docs/CONVENTIONS.md).
constexpr llvm::StringLiteral kScaleAttr = "qapeft.scale";
constexpr llvm::StringLiteral kZeroPointAttr = "qapeft.zero_point";
constexpr llvm::StringLiteral kQuantDimAttr = "qapeft.quantized_dimension";

} // namespace tfl
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_TARGET_TFLITE_TFLITECOMMON_H
