//===- Importer.h - TFLite flatbuffer to integer TOSA -----------*- C++ -*-===//
//
// The importer's state, shared by the files that import each op family
// (TFLiteImport.cpp has the driver, tensors and the conv family).
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_LIB_TARGET_TFLITE_IMPORTER_H
#define QAPEFT_LIB_TARGET_TFLITE_IMPORTER_H

#include "TFLiteCommon.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
namespace qapeft {
namespace tfl {

/// The fused activation of an ADD, SUB or MUL operator (NONE for others).
tflite::ActivationFunctionType binaryActivation(const tflite::Operator *op);

/// A tensor's per-tensor quantization.
struct TensorQuant {
  float scale;
  int64_t zeroPoint; // 0 when the file stores none
};
/// `t`'s quantization if it has exactly one scale, else std::nullopt.
std::optional<TensorQuant> perTensorQuant(const tflite::Tensor *t);

class Importer {
public:
  Importer(const tflite::Model *model, MLIRContext *ctx, Location loc)
      : model(model), ctx(ctx), b(ctx), loc(loc) {}

  OwningOpRef<ModuleOp> run();

private:
  InFlightDiagnostic error() { return emitError(loc, "TFLite import: "); }
  const tflite::Tensor *tensor(int index);
  FailureOr<Type> elementType(const tflite::Tensor *t, bool wideBias = false);
  FailureOr<RankedTensorType> tensorType(int index, bool wideBias = false);
  Location tensorLoc(int index);
  NamedAttrList quantAttrs(const tflite::Tensor *t);
  FailureOr<Value> value(int index, bool wideBias = false,
                         ArrayRef<int64_t> shapeOverride = {});
  Value intConst(ArrayRef<int64_t> values, Type elementType);
  Value shapeConst(ArrayRef<int64_t> shape);
  SmallVector<int64_t> samePadding(int64_t inH, int64_t inW, int64_t kH,
                                   int64_t kW, int64_t sH, int64_t sW,
                                   int64_t dH, int64_t dW);
  /// The TOSA pad of a pooling operator on an NHWC `inType` (VALID: none).
  SmallVector<int64_t> poolPadding(const tflite::Pool2DOptions *o,
                                   RankedTensorType inType);
  LogicalResult importConvLike(const tflite::Operator *op,
                               tflite::BuiltinOperator code);
  LogicalResult importOperator(const tflite::Operator *op);
  /// Op-family importers, each in its own file, mirroring the exporter's.
  /// Each returns std::nullopt when `code` is not of its family.
  /// ADD, SUB, MUL (ImportElementwise.cpp).
  std::optional<LogicalResult> importElementwise(const tflite::Operator *op,
                                                 tflite::BuiltinOperator code);
  /// LOGISTIC, TANH, SOFTMAX, MEAN, DEQUANTIZE, float ops
  /// (ImportActivations.cpp).
  std::optional<LogicalResult> importActivation(const tflite::Operator *op,
                                                tflite::BuiltinOperator code);
  /// int16 LOGISTIC / TANH as their TOSA chain (ImportInt16Activations.cpp).
  std::optional<LogicalResult>
  importInt16Activation(const tflite::Operator *op,
                        tflite::BuiltinOperator code);
  /// What the int8 and int16 MEAN importers share: the checked operands of
  /// a keep_dims MEAN over axes [1, 2] of a 4-D tensor of `type`, and the
  /// i32 code sum over H and W (cast, reduce_sum 1, reduce_sum 2).
  struct MeanSum {
    TensorQuant in, out;
    int outIdx;
    RankedTensorType outType;
    int64_t count; // H * W
    Value sum;     // i32 [N, 1, 1, C]
    Location loc;
  };
  FailureOr<MeanSum> importMeanSum(const tflite::Operator *op,
                                   tflite::TensorType type,
                                   StringRef typeError);
  LogicalResult importMean(const tflite::Operator *op);
  /// int16 MEAN (ImportMeanInt16.cpp).
  LogicalResult importMeanInt16(const tflite::Operator *op);
  /// int8 and int16 SOFTMAX as qapeft.tflite_softmax (ImportSoftmax.cpp).
  std::optional<LogicalResult>
  importQuantizedSoftmax(const tflite::Operator *op,
                         tflite::BuiltinOperator code);
  /// DEQUANTIZE, QUANTIZE from f32, SOFTMAX and float operators of f32
  /// islands (ImportFloatIslands.cpp).
  std::optional<LogicalResult> importFloatIsland(const tflite::Operator *op,
                                                 tflite::BuiltinOperator code);
  LogicalResult importFloatBinary(const tflite::Operator *op,
                                  tflite::BuiltinOperator code);
  LogicalResult importQuantizeBoundary(const tflite::Operator *op,
                                       bool quantize);
  /// DEQUANTIZE int8 -> f32 + QUANTIZE f32 -> int16 as one tosa.rescale
  /// (ImportRegions.cpp); the QUANTIZE is then skipped.
  std::optional<LogicalResult> importWideningPair(const tflite::Operator *op,
                                                  tflite::BuiltinOperator code);
  llvm::DenseSet<const tflite::Operator *> widenedQuantizes;
  LogicalResult importFloatConv(const tflite::Operator *op,
                                tflite::BuiltinOperator code);

  const tflite::Model *model;
  const tflite::SubGraph *graph = nullptr;
  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  llvm::DenseMap<int, Value> values;
  StringRef currentCode;
  int currentVersion = 1;
  void annotate(Operation *op, StringRef activation = "");
};

} // namespace tfl
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_TARGET_TFLITE_IMPORTER_H
