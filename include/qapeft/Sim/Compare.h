//===- Compare.h - per-layer float / fake-quant / integer comparison -*- C++ -*-===//
//
// `qapeft-sim compare qa.mlir int.mlir --data x.npy`: runs the same data
// through three executions and measures, for every quantized activation
// tensor, how far they are apart:
//  - float: the QA-PEFT model with every qapeft.fake_quant disabled
//    (identity; weights unquantized too);
//  - fake quant: the QA-PEFT model as trained;
//  - integer: the deployed integer model (--qapeft-deploy), fed the data
//    quantized with its input's parameters (Quantize.h).
//
// Matching. --qapeft-lower-to-integer names the integer op that yields the
// value of each activation fake quant with `qapeft.tensor = "<name>"`, where
// the fake quant's scale is the param "<name>.scale" (docs/CONVENTIONS.md).
// compare pairs the fake quant whose scale param is "<name>.scale" with the
// integer op tagged "<name>" (names survive printing and parsing, unlike
// locations, and are unambiguous where scales are not: a reshape or clamp
// after a requantization carries the same scale). A model input is paired
// by argument position. The integer op's qapeft.scale / qapeft.zero_point
// must equal the fake quant's params, else the two files do not belong
// together and compare fails. Fake quants without an integer counterpart
// (e.g. a requantization to the same grid, which the lowering drops) are
// listed as unmatched.
//
// Metrics per tensor, over all samples, with s the tensor's scale:
//  - max |a - b| / s ("LSBs") for fake quant vs float, integer (dequantized)
//    vs float, and integer codes vs fake-quant codes;
//  - SQNR = 10 log10(sum ref^2 / sum (x - ref)^2) in dB against the float
//    execution (+inf when identical);
//  - the fraction of integer codes equal to the fake-quant codes.
// Per model output: the fraction of identical output codes and the largest
// code difference between the integer model and the fake-quant model (whose
// output is quantized with the integer output's parameters).
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_COMPARE_H
#define QAPEFT_SIM_COMPARE_H

#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::qapeft::sim {

/// Running error statistics of `x` against a reference.
struct ErrorStats {
  double maxLsb = 0.0;
  double signal = 0.0; // sum ref^2
  double noise = 0.0;  // sum (x - ref)^2
  /// SQNR in dB; +inf when there is no error.
  double sqnrDb() const;
};

struct TensorComparison {
  std::string name;
  std::string type; // the integer tensor's type, e.g. "tensor<?x28x28x16xi8>"
  float scale = 0.0f;
  int64_t zeroPoint = 0;
  int64_t elements = 0; // over all samples
  ErrorStats fakeQuantVsFloat, integerVsFloat;
  /// Integer codes against the fake-quant values' codes.
  int64_t maxCodeDiff = 0;
  int64_t identicalCodes = 0;
};

struct OutputComparison {
  unsigned index = 0;
  int64_t elements = 0;
  int64_t identicalCodes = 0;
  int64_t maxCodeDiff = 0;
};

struct CompareReport {
  int64_t samples = 0;
  std::vector<TensorComparison> tensors; // in the QA model's order
  std::vector<OutputComparison> outputs;
  /// Fake-quant tensors with no integer counterpart, and tagged integer
  /// tensors with no fake quant.
  std::vector<std::string> unmatched;

  std::string table() const;
  std::string json() const;
};

struct CompareOptions {
  std::string function = "forward";
  int64_t batch = 64;
};

/// Compares `qaModel` (float, fake quant) with `intModel` on `data` (f32,
/// first axis = samples). Errors are reported as diagnostics or in `error`.
FailureOr<CompareReport> compareModels(ModuleOp qaModel, ModuleOp intModel,
                                       const KernelRegistry &registry,
                                       const Tensor &data,
                                       const CompareOptions &options,
                                       std::string &error);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_COMPARE_H
