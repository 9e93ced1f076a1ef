//===- Rounding.h - the requantization rounding of a target ------*- C++ -*-===//
//
// How a rounding mode is spelled in options and target attributes, how it
// maps to the exact arithmetic of lib/Numerics, and which one applies to a
// requantization. The hardware-exact pass, its kernels and the integer
// lowering must agree on all three, so they share these.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_DIALECT_QAPEFT_UTILS_ROUNDING_H
#define QAPEFT_DIALECT_QAPEFT_UTILS_ROUNDING_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Numerics/Requantize.h"

#include <algorithm>
#include <optional>
#include <string>

namespace mlir {
namespace qapeft {

/// A rounding mode in the target files' spelling (`fp32-half-even`) or the
/// dialect's (`fp32_half_even`).
inline std::optional<RoundingMode> parseRoundingMode(llvm::StringRef s) {
  if (std::optional<RoundingMode> mode = symbolizeRoundingMode(s))
    return mode;
  if (s.contains('_'))
    return std::nullopt;
  std::string name = s.str();
  std::replace(name.begin(), name.end(), '-', '_');
  return symbolizeRoundingMode(name);
}

/// The exact arithmetic that implements `mode`.
inline numerics::Rounding toNumericsRounding(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::Single:
    return numerics::Rounding::Single;
  case RoundingMode::Double:
    return numerics::Rounding::Double;
  case RoundingMode::Fp32HalfEven:
    return numerics::Rounding::Fp32HalfEven;
  case RoundingMode::HalfAway:
    return numerics::Rounding::HalfAway;
  }
  return numerics::Rounding::Single;
}

/// The rounding of the requantization into `outFq`'s grid: the attached
/// target's `rounding` (`target` is the module's `qapeft.target`, may be
/// null), else the fake quant's scheme.
inline RoundingMode targetOrSchemeRounding(DictionaryAttr target,
                                           FakeQuantOp outFq) {
  if (target)
    if (Attribute r = target.get("rounding")) {
      if (auto ra = dyn_cast<RoundingModeAttr>(r))
        return ra.getValue();
      if (auto s = dyn_cast<StringAttr>(r))
        if (std::optional<RoundingMode> parsed = parseRoundingMode(s))
          return *parsed;
    }
  return outFq.getScheme().getRounding();
}

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_DIALECT_QAPEFT_UTILS_ROUNDING_H
