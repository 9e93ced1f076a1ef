//===- Exporter.h - MLIR integer TOSA to a TFLite flatbuffer ----*- C++ -*-===//
//
// The exporter's state, shared by the files that export each op family
// (TFLiteExport.cpp has the driver, tensors, buffers and the conv family).
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_LIB_TARGET_TFLITE_EXPORTER_H
#define QAPEFT_LIB_TARGET_TFLITE_EXPORTER_H

#include "TFLiteCommon.h"
#include "qapeft/Target/TFLite.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace qapeft {
namespace tfl {

namespace fb = flatbuffers;

struct QParams {
  SmallVector<float> scale;
  SmallVector<int64_t> zeroPoint;
  int64_t dim = 0;
  bool perTensor() const { return scale.size() == 1; }
};

/// Reads `qapeft.scale` / `qapeft.zero_point` / `qapeft.quantized_dimension`
/// from a dictionary of attributes.
std::optional<QParams> readQParams(DictionaryAttr attrs);
/// The signed range of an integer element type.
int64_t qmin(Type t);
int64_t qmax(Type t);
/// Reads the integer values of a constant operand (tosa.const).
std::optional<SmallVector<int64_t>> constInts(Value v);
/// Reads the float values of a constant operand (tosa.const).
std::optional<SmallVector<float>> constFloats(Value v);
/// The tosa.rescale multipliers/shifts of ADD, SUB or MUL as TFLite derives
/// them from the scales (ExportElementwise.cpp; shared with the importer).
struct ElementwiseRescales {
  int64_t leftShift;           // ADD/SUB: L, the inputs' exact << L
  int64_t inMult[2], inShift[2]; // ADD/SUB input requantizations
  int64_t outMult, outShift;
};
ElementwiseRescales elementwiseRescales(tflite::BuiltinOperator code, float s1,
                                        float s2, float so, bool int16);

/// The single user of `v` if it is an `OpTy`, else null.
template <typename OpTy> OpTy soleUser(Value v) {
  if (!v.hasOneUse())
    return nullptr;
  return dyn_cast<OpTy>(*v.getUsers().begin());
}

/// The code sum of a MEAN over H and W: `cast` (a 4-D i`inWidth` -> i32)
/// -> reduce_sum(axis 1) -> reduce_sum(axis 2), each the sole user of the
/// one before (ExportActivations.cpp).
struct MeanSumOps {
  tosa::ReduceSumOp rows, cols;
};
std::optional<MeanSumOps> matchMeanSum(tosa::CastOp cast, unsigned inWidth);

class Exporter {
public:
  Exporter(ModuleOp module, const TFLiteExportOptions &options)
      : module(module), options(options) {}

  LogicalResult run(llvm::raw_ostream &os);

private:
  // --- tensors and buffers
  FailureOr<SmallVector<int32_t>> staticShape(Operation *at, Type type);
  FailureOr<tflite::TensorType> tensorType(Operation *at, Type elementType);
  unsigned addBuffer(ArrayRef<uint8_t> bytes);
  fb::Offset<tflite::QuantizationParameters> makeQuant(const QParams &q);
  int addTensor(StringRef name, ArrayRef<int32_t> shape, tflite::TensorType type,
                unsigned buffer, const std::optional<QParams> &q);
  std::optional<QParams> qparamsOf(Value v);
  FailureOr<int> tensorFor(Operation *user, Value v);
  FailureOr<int> constTensor(Operation *user, Value v,
                             ArrayRef<int32_t> shapeOverride = {},
                             std::optional<QParams> q = std::nullopt);
  FailureOr<int> intConstTensor(StringRef name, ArrayRef<int32_t> values,
                                ArrayRef<int32_t> shape = {});
  std::string nameFor(Value v);

  // --- operators
  unsigned opcode(tflite::BuiltinOperator op, int version);
  void addOperator(tflite::BuiltinOperator op, int version,
                   ArrayRef<int> inputs, ArrayRef<int> outputs,
                   tflite::BuiltinOptions optionsType = tflite::BuiltinOptions::NONE,
                   fb::Offset<void> builtinOptions = 0);
  /// Adds a one-input, one-output operator reading `in` (as used by
  /// `inUser`) and writing `out` (as yielded by `outUser`).
  LogicalResult addUnaryOperator(
      tflite::BuiltinOperator op, int version, Operation *inUser, Value in,
      Operation *outUser, Value out,
      tflite::BuiltinOptions optionsType = tflite::BuiltinOptions::NONE,
      fb::Offset<void> builtinOptions = 0);

  LogicalResult exportConvLike(Operation *conv);
  LogicalResult exportReshape(tosa::ReshapeOp op);
  LogicalResult exportPool(Operation *op);
  LogicalResult exportConcat(tosa::ConcatOp op);
  LogicalResult exportPad(tosa::PadOp op);
  LogicalResult exportRequantize(tosa::RescaleOp op);
  /// An int8 -> int16 rescale as DEQUANTIZE + QUANTIZE (ExportRegions.cpp).
  /// The checked operands of a per-tensor requantization between activations
  /// (ExportRegions.cpp).
  struct RequantOperands {
    QParams in, out;
    int64_t inZp, outZp, multiplier, shift;
  };
  FailureOr<RequantOperands> readRequantize(tosa::RescaleOp op);
  LogicalResult exportWideningRequantize(tosa::RescaleOp op,
                                         const RequantOperands &r);
  LogicalResult exportClamp(tosa::ClampOp op);
  /// Op-family exporters, each in its own file. Each returns std::nullopt
  /// when `op` is not of its family, else the export's result.
  /// ADD, SUB, MUL (ExportElementwise.cpp).
  std::optional<LogicalResult> exportElementwise(Operation *op);
  /// LOGISTIC, TANH, SOFTMAX, MEAN, DEQUANTIZE and f32 islands
  /// (ExportActivations.cpp).
  std::optional<LogicalResult> exportActivation(Operation *op);
  /// int16 LOGISTIC / TANH from their TOSA chain
  /// (ExportInt16Activations.cpp).
  std::optional<LogicalResult> exportInt16Activation(Operation *op);
  LogicalResult exportActivationTable(tosa::TableOp op);
  std::optional<LogicalResult> exportMean(tosa::CastOp cast);
  LogicalResult exportBuiltinMean(tosa::CastOp cast, tosa::ReduceSumOp rows,
                                  tosa::ReduceSumOp cols,
                                  tosa::RescaleOp rescale);
  LogicalResult writeMean(tosa::CastOp cast, tosa::RescaleOp rescale);
  /// int16 MEAN (ExportMeanInt16.cpp).
  std::optional<LogicalResult> exportMeanInt16(tosa::CastOp cast);
  /// qapeft.tflite_softmax as int8 or int16 SOFTMAX (ExportSoftmax.cpp).
  std::optional<LogicalResult> exportQuantizedSoftmax(Operation *op);
  /// DEQUANTIZE, QUANTIZE from f32, SOFTMAX and the float operators of f32
  /// islands (ExportFloatIslands.cpp).
  std::optional<LogicalResult> exportFloatIsland(Operation *op);
  std::optional<LogicalResult> exportDequantize(tosa::CastOp cast);
  std::optional<LogicalResult> exportQuantize(tosa::MulOp mul);
  std::optional<LogicalResult> exportSoftmax(tosa::ReduceMaxOp max);
  std::optional<LogicalResult> exportFloatOp(Operation *op);
  LogicalResult exportFloatConv(Operation *conv);
  tosa::ReshapeOp floatFcAfter(tosa::Conv2DOp conv);
  FailureOr<tflite::Padding> padding(Operation *op, ArrayRef<int64_t> pad,
                                     int64_t inH, int64_t inW, int64_t kH,
                                     int64_t kW, ArrayRef<int64_t> stride,
                                     ArrayRef<int64_t> dilation, int64_t outH,
                                     int64_t outW);
  struct ConvChain {
    tosa::RescaleOp rescale;
    tosa::ClampOp clamp;
    tosa::ReshapeOp before, after; // set for a FULLY_CONNECTED
    Value out;                     // the value the TFLite operator yields
    Operation *last = nullptr;
  };
  ConvChain matchChain(Operation *conv);
  FailureOr<int> explicitPad(Operation *at, Value input, int inputTensor,
                             ArrayRef<int64_t> pad, StringRef name);

  ModuleOp module;
  const TFLiteExportOptions &options;
  fb::FlatBufferBuilder fbb;
  std::vector<fb::Offset<tflite::Buffer>> buffers;
  std::map<std::vector<uint8_t>, unsigned> bufferIndex;
  std::vector<fb::Offset<tflite::Tensor>> tensors;
  llvm::DenseMap<Value, int> valueTensors;
  std::vector<fb::Offset<tflite::Operator>> operators;
  std::vector<std::pair<tflite::BuiltinOperator, int>> opcodes;
  llvm::DenseSet<Operation *> fused;
  int tensorCount = 0;
};

} // namespace tfl
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_TARGET_TFLITE_EXPORTER_H
