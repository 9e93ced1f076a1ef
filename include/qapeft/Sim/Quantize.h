//===- Quantize.h - float <-> integer data at integer models' edges -*- C++ -*-===//
//
// An integer model (the output of --qapeft-deploy) takes and returns integer
// tensors whose real values are described by the discardable attributes of
// docs/CONVENTIONS.md (`qapeft.scale`, `qapeft.zero_point`, optional
// `qapeft.quantized_dimension`) on the function's arguments and results.
// These helpers read that description and convert data across the edge, so
// `qapeft-sim eval/run/quantize/compare` can feed float data to integer
// models and read their outputs as real values.
//
// Quantization rule (the one the QA-PEFT model's input qapeft.fake_quant
// applies, so the integer model sees exactly the codes training saw):
//   q = clamp(round_half_even(x / s) + zp, qmin, qmax)
// with x / s a float32 division, rounding half to even (the default FP
// rounding mode, std::nearbyint), and [qmin, qmax] the full range of the
// argument's signed integer type (i8: [-128, 127], i16: [-32768, 32767]).
// Dequantization: x' = (q - zp) * s in float32.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_QUANTIZE_H
#define QAPEFT_SIM_QUANTIZE_H

#include "qapeft/Sim/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <vector>

namespace mlir::qapeft::sim {

/// How the codes of an integer tensor map to real values.
struct TensorQuantization {
  std::vector<float> scales;
  std::vector<int64_t> zeroPoints;
  /// The channel axis of per-channel parameters, -1 for per-tensor.
  int64_t axis = -1;
  DType dtype = DType::I8;
  int64_t qmin = -128, qmax = 127;
};

/// The quantization of a tensor of `type` described by `attrs` (an op's,
/// argument's or result's attribute dictionary), or std::nullopt when
/// `type` is not an integer tensor or `attrs` has no `qapeft.scale`.
/// Malformed attributes give an error.
llvm::Expected<std::optional<TensorQuantization>>
readQuantization(Type type, DictionaryAttr attrs);

/// Same for argument `i` / result `i` of `func`.
llvm::Expected<std::optional<TensorQuantization>>
argumentQuantization(func::FuncOp func, unsigned i);
llvm::Expected<std::optional<TensorQuantization>>
resultQuantization(func::FuncOp func, unsigned i);

/// Quantizes the f32 tensor `x` (see the rule above); per-channel
/// parameters apply along `q.axis`.
llvm::Expected<Tensor> quantizeTensor(const Tensor &x,
                                      const TensorQuantization &q);
/// The real values (q - zp) * s of the integer tensor `t` as f32.
llvm::Expected<Tensor> dequantizeTensor(const Tensor &t,
                                        const TensorQuantization &q);

/// For every element of `shape`, the index of its scale / zero point.
std::vector<int64_t> quantizationIndex(llvm::ArrayRef<int64_t> shape,
                                       const TensorQuantization &q);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_QUANTIZE_H
