//===- Calibrate.h - calibration observers of qapeft-sim ---------*- C++ -*-===//
//
// Runs @forward over calibration data with the calibrated fake quants passed
// through (so early, not yet calibrated ranges do not distort later
// observations), observes the input of every qapeft.fake_quant whose scale
// and zero point are non-trainable qapeft.param ops and whose scheme has
// `range = calibrated`, and writes the resulting scale and zero point into
// those params.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_CALIBRATE_H
#define QAPEFT_SIM_CALIBRATE_H

#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::qapeft::sim {

enum class ObserverKind { MinMax, Ema, Percentile, Entropy };

struct CalibrateOptions {
  ObserverKind observer = ObserverKind::MinMax;
  /// For Percentile: the kept fraction of values, in percent.
  double percentile = 99.99;
  /// For Ema: weight of the running value (new = d * old + (1 - d) * batch).
  double emaDecay = 0.9;
  int64_t batch = 32;
  std::string function = "forward";
};

/// Parses "minmax", "ema", "percentile=P" (0 < P <= 100) or "entropy".
FailureOr<CalibrateOptions> parseObserver(llvm::StringRef text,
                                          std::string &error);

/// The observed range [lo, hi] of one channel (or the whole tensor).
struct ObservedRange {
  float lo, hi;
};

/// Scale and zero point of a range on `scheme`'s grid: the range is extended
/// to include 0; symmetric gives max|x| / qmax and 0, asymmetric gives
/// (hi - lo) / (qmax - qmin) and clamp(round_half_even(qmin - lo / s)). A
/// zero scale becomes 1.
std::pair<float, float> scaleAndZeroPoint(ObservedRange range, int64_t qmin,
                                          int64_t qmax, bool symmetric);

/// The KL-optimal clipping threshold of a histogram of |x| (`bins` equal
/// bins over [0, maxAbs]) for `levels` quantization levels.
float entropyThreshold(llvm::ArrayRef<double> histogram, float maxAbs,
                       int64_t levels);

struct CalibrationReport {
  /// One line per calibrated fake quant: "<scale param>: range ...".
  std::vector<std::string> lines;
};

FailureOr<CalibrationReport> calibrate(ModuleOp module,
                                       const KernelRegistry &registry,
                                       const Tensor &data,
                                       const CalibrateOptions &options);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_CALIBRATE_H
