//===- FunctionLowering.h - one function to integer-only TOSA ---*- C++ -*-===//
//
// The state of --qapeft-lower-to-integer for one function, shared by the
// files that lower each op family (LowerToInteger.cpp has the driver, the
// conv/matmul chains and the layout ops).
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_LIB_CONVERSION_FUNCTIONLOWERING_H
#define QAPEFT_LIB_CONVERSION_FUNCTIONLOWERING_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/Requantize.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

namespace mlir {
namespace qapeft {
namespace lowering {

namespace num = mlir::qapeft::numerics;

/// How an integer tensor maps to real values.
struct QInfo {
  SmallVector<float> scales;
  SmallVector<int64_t> zeroPoints;
  int64_t axis = -1;
  IntegerType storage;
  int64_t qmin = 0, qmax = 0;

  bool isPerTensor() const { return scales.size() == 1; }
  bool operator==(const QInfo &o) const {
    return scales == o.scales && zeroPoints == o.zeroPoints &&
           axis == o.axis && storage == o.storage && qmin == o.qmin &&
           qmax == o.qmax;
  }
};

/// Attaches the conventions' quantization attributes to `op`.
void setQuantAttrs(Operation *op, const QInfo &q);
/// Names the integer op yielding the value of activation fake quant `fq`
/// (`qapeft.tensor`, see the definition).
void setTensorName(Value v, FakeQuantOp fq);
NamedAttrList quantArgAttrs(MLIRContext *ctx, const QInfo &q);
RankedTensorType withElement(Type t, Type element);
/// An integer tosa.const of `type` from int64 values.
Value intConst(OpBuilder &b, Location loc, RankedTensorType type,
               ArrayRef<int64_t> values);
/// A tensor<1xelement> constant.
Value scalarConst(OpBuilder &b, Location loc, Type element, int64_t v);
/// A rank-`rank` f32 or integer splat constant of shape [1, ..., 1].
Value broadcastConst(OpBuilder &b, Location loc, int64_t rank, Type elem,
                     double value);

class FunctionLowering {
public:
  FunctionLowering(func::FuncOp func, std::optional<num::Rounding> rounding,
                   unsigned biasBits, unsigned accBits, bool floatIO)
      : func(func), ctx(func.getContext()), builder(func.getContext()),
        roundingOverride(rounding), biasBitsOpt(biasBits),
        accBitsOpt(accBits), floatIO(floatIO) {}

  LogicalResult run();

private:
  LogicalResult lowerArguments();
  LogicalResult lowerOp(Operation *op);
  /// The ops between a conv/matmul and its output quantizer.
  struct Chain {
    SmallVector<Operation *> ops;
    std::optional<SmallVector<float>> ia3;
    FakeQuantOp outFq;
    QInfo outQ; // outFq's grid (activationInfo)
  };
  FailureOr<Chain> walkChain(Operation *producer, StringRef what,
                             int64_t outChannels);
  /// Emits the integer form of `chain` after `value` (the requantized
  /// result) and maps the output quantizer to it.
  LogicalResult emitChain(Value &value, const Chain &chain,
                          const QInfo &outQ);
  LogicalResult lowerConv(Operation *conv);
  LogicalResult lowerMatmul(tosa::MatMulOp mm);
  LogicalResult lowerActivationFakeQuant(FakeQuantOp fq);
  LogicalResult lowerLayoutOp(Operation *op);
  LogicalResult lowerIntegerClamp(tosa::ClampOp op);
  /// Op-family lowerings, each in its own file. Each returns std::nullopt
  /// when `op` is not of its family, else the lowering's result.
  /// Elementwise add/sub/mul (LowerElementwise.cpp).
  std::optional<LogicalResult> lowerElementwise(Operation *op);
  /// Sigmoid, tanh, softmax and mean (LowerActivations.cpp).
  std::optional<LogicalResult> lowerActivation(Operation *op);
  /// An int16 sigmoid / tanh as the TOSA form of TFLite's int16 LOGISTIC /
  /// TANH kernel (LowerInt16Activations.cpp).
  LogicalResult lowerInt16Activation(Operation *op, bool sigmoid);
  /// Requantizes `value`, on the fixed output grid `fixedQ` of a TFLite
  /// kernel (`kernel`), to the calibrated grid `outQ` of `outFq`, with a
  /// warning: the device then rounds twice where training rounded once.
  FailureOr<Value> requantizeFixedOutput(FakeQuantOp outFq, Value value,
                                         const QInfo &fixedQ,
                                         const QInfo &outQ, StringRef what,
                                         StringRef kernel);
  LogicalResult lowerGlobalAveragePool(tosa::AvgPool2dOp pool);
  /// An int16 global average pool as TFLite's int16 MEAN
  /// (LowerMeanInt16.cpp); `in` is the pool's integer input.
  LogicalResult lowerGlobalAveragePoolInt16(tosa::AvgPool2dOp pool, Value in,
                                            const QInfo &inQ);
  /// An int8 or int16 softmax as qapeft.tflite_softmax (LowerSoftmax.cpp).
  LogicalResult lowerSoftmax(tosa::ReduceMaxOp max);
  /// Delta-deployed adapters: lora_side, bottleneck (LowerAdapters.cpp).
  std::optional<LogicalResult> lowerAdapter(Operation *op);
  /// Mixed-precision regions and their boundaries (LowerRegions.cpp).
  std::optional<LogicalResult> lowerRegion(Operation *op);
  /// A requantization between int8 and int16 (an int16x8 region's entry or
  /// exit) for a TFLite target (LowerRegions.cpp): the entry in the
  /// arithmetic of DEQUANTIZE + QUANTIZE, the exit in that of QUANTIZE.
  /// std::nullopt when `fq` is no such boundary or the target requantizes
  /// in fixed point (rounding double or half-away).
  std::optional<LogicalResult> lowerPrecisionBoundary(FakeQuantOp fq,
                                                      Value in,
                                                      const QInfo &inQ,
                                                      const QInfo &outQ);
  LogicalResult finish();

  /// The output quantizer of an op lowered as one unit (table activations,
  /// softmax, mean) and its grid.
  struct UnitOutput {
    FakeQuantOp fq;
    QInfo q;
  };
  /// `result` (of `op`, named `what` in diagnostics) must feed exactly one
  /// qapeft.fake_quant whose grid is per tensor in `bits`-bit storage;
  /// otherwise an error "<output> must be quantized per tensor in int<bits>
  /// <why>" at the quantizer.
  FailureOr<UnitOutput> unitOutput(Operation *op, Value result,
                                   StringRef what, unsigned bits,
                                   const Twine &output, StringRef why = "");
  /// Maps the unit's `result` and its output quantizer `outFq` to the
  /// integer `value` (named after the quantizer) and marks both lowered.
  void finishUnit(Operation *op, Value result, FakeQuantOp outFq,
                  Value value);
  /// Per-tensor (or per-channel) parameters of an activation fake quant
  /// with compile-time scale and zero point.
  FailureOr<QInfo> activationInfo(FakeQuantOp fq);
  /// The rounding for requantizations feeding `outFq`.
  num::Rounding roundingFor(FakeQuantOp outFq) const;
  /// Emits the requantization of `acc` (accumulator) to `out`.
  FailureOr<Value> emitRescale(Operation *anchor, Value acc, int64_t inZp,
                               ArrayRef<double> realScales,
                               ArrayRef<float> fp32Scales, const QInfo &out,
                               num::Rounding mode);
  /// Emits the requantization of the per-tensor activation `in` (grid
  /// `inQ`) to `outQ`, the grid of `outFq`, as the target's requantizing
  /// operator computes it (for TFLite: QUANTIZE, see the definition).
  FailureOr<Value> emitActivationRequantize(FakeQuantOp outFq, Value in,
                                            const QInfo &inQ,
                                            const QInfo &outQ);
  /// A clone of the tosa.const_shape `oldShape` for a new op, or null when
  /// the shape is not a constant.
  Value shapeOperand(Value oldShape);
  Value lookupInt(Value v) const { return intValues.lookup(v); }

  func::FuncOp func;
  MLIRContext *ctx;
  OpBuilder builder;
  std::optional<num::Rounding> roundingOverride;
  unsigned biasBitsOpt, accBitsOpt;
  bool floatIO;
  /// Emits the quantization of the f32 `x` to `q`'s grid (float-io).
  Value emitQuantize(Location loc, Value x, const QInfo &q);
  /// Emits the dequantization of the integer `v` (float-io).
  Value emitDequantize(Location loc, Value v, const QInfo &q);

  /// Float value -> integer value.
  llvm::DenseMap<Value, Value> intValues;
  /// Integer value -> its quantization.
  llvm::DenseMap<Value, QInfo> infos;
  /// Old ops already lowered as part of a conv chain.
  llvm::DenseSet<Operation *> handled;
  llvm::DenseMap<Value, Value> clonedShapes;
  /// Block arguments that become integer, with their quantization.
  llvm::DenseMap<unsigned, QInfo> argInfos;
  llvm::DenseSet<Operation *> newOps;
  /// The ops of the function before lowering (erased at the end).
  llvm::DenseSet<Operation *> originalOps;
};

} // namespace lowering
} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_CONVERSION_FUNCTIONLOWERING_H
