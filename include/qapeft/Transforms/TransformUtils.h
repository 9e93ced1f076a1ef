//===- TransformUtils.h - helpers shared by the QA-PEFT passes --*- C++ -*-===//
//
// The deterministic generator adapter initialisation uses, layer names from
// locations, reading the `qapeft.target` module attribute, and small TOSA
// builders the passes share.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_TRANSFORMS_TRANSFORMUTILS_H
#define QAPEFT_TRANSFORMS_TRANSFORMUTILS_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace qapeft {

/// splitmix64 (Steele, Lea, Flood 2014): a tiny generator whose output is
/// defined bit for bit by its 64-bit state, so initial adapter values are the
/// same on every platform and compiler (unlike std:: distributions).
class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1): the top 24 bits, exactly representable in float.
  float uniform01() { return float(next() >> 40) * (1.0f / 16777216.0f); }
  /// Uniform in [lo, hi).
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform01(); }

private:
  uint64_t state;
};

/// FNV-1a of `s`: a stable hash (llvm::hash_value may differ between runs)
/// used to give every layer its own generator stream.
uint64_t stableHash(llvm::StringRef s);

/// The seed of the generator of one named tensor: independent of the order
/// in which layers are visited, so adapting one more layer does not change
/// the others' initial values.
inline uint64_t tensorSeed(uint64_t seed, llvm::StringRef name) {
  return stableHash(name) ^ (seed * 0x9e3779b97f4a7c15ULL);
}

/// The name of a location: the first NameLoc found (through fused and
/// call-site locations), or "" when it has none.
std::string locationName(Location loc);

/// The parts of the `qapeft.target` module attribute the passes use.
struct TargetSchemes {
  std::string name;
  QuantSchemeAttr activation;
  QuantSchemeAttr weight;
  /// The model input's scheme (`input`), defaulting to `activation`.
  QuantSchemeAttr input;
  /// Per-op overrides: op name (e.g. "tosa.conv2d") -> {weight, activation}.
  DictionaryAttr ops;

  /// The scheme of `role` ("weight" or "activation") for ops named `opName`.
  QuantSchemeAttr schemeFor(llvm::StringRef opName, llvm::StringRef role) const;
};

/// Reads `qapeft.target` from `module`. Returns std::nullopt when absent;
/// emits an error and returns failure when present but malformed.
FailureOr<std::optional<TargetSchemes>> readTargetSchemes(ModuleOp module);

/// A scheme like `s` with granularity/axis replaced (per_channel on `axis`,
/// or per_tensor when axis < 0) and the given range source.
QuantSchemeAttr withAxisAndRange(QuantSchemeAttr s, int64_t axis,
                                 RangeSource range);

/// Creates `qapeft.param name [trainable] value` at the builder's point.
ParamOp createParam(OpBuilder &b, Location loc, llvm::StringRef name,
                    ElementsAttr value, bool trainable);

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_TRANSFORMS_TRANSFORMUTILS_H
