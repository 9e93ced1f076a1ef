//===- TargetDesc.h - accelerator target descriptions -----------*- C++ -*-===//
//
// A target description says how an accelerator (or a runtime's integer
// kernels) quantizes tensors, which ops it runs and under which limits. It is
// read from a YAML file (targets/README.md documents the format) and carried
// through the pipeline as the module attribute `qapeft.target`, so passes
// after `--qapeft-attach-target` need no file.
//
// Both forms load into the same `TargetDesc`, whose query API answers "how is
// tensor role R of op O quantized on this target, at precision P?":
//
//   FailureOr<TargetDesc> t = TargetDesc::fromModule(module);
//   QuantSchemeAttr w = t->getScheme(ctx, "tosa.conv2d", TensorRole::Weight);
//   unsigned acc = t->getAccumulator("tosa.conv2d").bits;
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_TARGETDESC_TARGETDESC_H
#define QAPEFT_TARGETDESC_TARGETDESC_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <map>
#include <optional>
#include <string>

namespace mlir {
namespace qapeft {

/// Name of the module attribute `--qapeft-attach-target` writes.
constexpr llvm::StringLiteral kTargetAttrName = "qapeft.target";

/// The tensor roles a target quantizes. `Input` is the model input (defaults
/// to the activation scheme); `Activation` is every tensor an op produces
/// (per-op overrides describe that op's output); `Weight` is the constant
/// weight operand; `Bias` and `Accumulator` are integer widths only.
enum class TensorRole { Input, Activation, Weight, Bias, Accumulator };

/// What to do with an op the target cannot run.
enum class UnsupportedOpPolicy { Error, KeepFloat };

/// What the kernels do when a requantized value leaves the output range.
enum class Saturation { Saturate, Wrap };

/// The activation clamps an op can apply in its output stage.
enum class FusedActivation { None, Relu, Relu6, ReluN1To1 };

llvm::StringRef stringifyTensorRole(TensorRole role);
llvm::StringRef stringifyFusedActivation(FusedActivation act);
llvm::StringRef stringifyUnsupportedOpPolicy(UnsupportedOpPolicy p);
llvm::StringRef stringifySaturation(Saturation s);
/// The YAML spelling of a rounding mode (`fp32-half-even`, ...).
llvm::StringRef stringifyRoundingYAML(RoundingMode mode);
std::optional<RoundingMode> parseRoundingYAML(llvm::StringRef name);
/// `int8`, `int16x8`, `int4x8`, `f16` or `f32`.
std::optional<Precision> parsePrecision(llvm::StringRef name);
/// True for `f16` and `f32`: nothing is quantized.
bool isFloatPrecision(Precision p);

/// How one quantized tensor role (input, activation, weight) is stored.
struct QuantSpec {
  unsigned bits = 8;
  /// Width of the integer type the device holds the values in.
  unsigned storageBits = 8;
  bool isSigned = true;
  bool symmetric = false;
  bool narrow = false;
  Granularity granularity = Granularity::PerTensor;
  /// The quantized axis (-1 for per-tensor). When `axisIsOutputChannel` is
  /// set, the axis is the output-channel axis of the op's weight operand and
  /// `axis` holds the value for the conv-like default (OHWI: 0); use
  /// `resolvedAxis(opName)`.
  int64_t axis = -1;
  bool axisIsOutputChannel = false;
  int64_t groupSize = 0;
  RangeSource range = RangeSource::Calibrated;
  /// Fixed quantization parameters (e.g. sigmoid outputs: 1/256, -128).
  std::optional<double> fixedScale;
  std::optional<int64_t> fixedZeroPoint;
  /// Scale constraints the fake quant / calibration must respect.
  std::optional<double> minScale;
  bool powerOfTwoScale = false;

  int64_t qmin() const;
  int64_t qmax() const;
  int64_t resolvedAxis(llvm::StringRef opName) const;
  /// The dialect attribute for this grid on op `opName` (axis resolved).
  QuantSchemeAttr toScheme(MLIRContext *ctx, llvm::StringRef opName,
                           RoundingMode rounding) const;
  bool operator==(const QuantSpec &o) const;
  bool operator!=(const QuantSpec &o) const { return !(*this == o); }
};

/// The bias: quantized with scale s_in * s_w (per channel when the weight is)
/// and zero point 0, stored in `storageBits`; `limitBits` (if set) is the
/// signed width its values must fit (Ethos-U: 40 bits in an int64 tensor).
struct BiasSpec {
  unsigned bits = 32;
  unsigned storageBits = 32;
  std::optional<unsigned> limitBits;
  unsigned valueBits() const { return limitBits ? *limitBits : bits; }
  bool operator==(const BiasSpec &o) const {
    return bits == o.bits && storageBits == o.storageBits &&
           limitBits == o.limitBits;
  }
};

/// The integer accumulator of the op's multiply-accumulate stage.
struct AccumulatorSpec {
  unsigned bits = 32;
  unsigned storageBits = 32;
  bool operator==(const AccumulatorSpec &o) const {
    return bits == o.bits && storageBits == o.storageBits;
  }
};

/// Every role at one precision.
struct RoleSet {
  QuantSpec input, activation, weight;
  BiasSpec bias;
  AccumulatorSpec accumulator;
};

/// Limits an op must meet to run on the target (unset = no limit).
struct OpConstraints {
  std::optional<int64_t> maxStride, maxDilation, maxKernelHeight,
      maxKernelWidth, maxKernelArea, maxInputChannels, maxOutputChannels,
      maxRank, maxBatch, maxWeightSum;
  /// Clamps that may directly follow the op; unset = any.
  std::optional<llvm::SmallVector<FusedActivation, 4>> fusedActivations;
};

/// One entry of the target's `ops` table.
struct OpDesc {
  std::string name;
  bool supported = true;
  /// Why the target cannot run it (only for `supported = false`).
  std::string reason;
  /// Precisions the op runs in; empty = every precision of the target.
  llvm::SmallVector<Precision, 4> precisions;
  OpConstraints constraints;
  /// The fully resolved roles of this op per precision.
  std::map<Precision, RoleSet> roles;
};

/// One located problem in a target file: `file:line:col: message`.
struct TargetDiagnostic {
  std::string file;
  unsigned line = 0;
  unsigned column = 0;
  std::string message;
  /// The message as `llvm::SourceMgr` prints it, with source line and caret.
  std::string rendered;
  std::string str() const;
};

class TargetDesc {
public:
  /// Parses and validates a target file. On failure, `diags` holds every
  /// error with its position.
  static FailureOr<TargetDesc>
  parse(std::unique_ptr<llvm::MemoryBuffer> buffer,
        llvm::SmallVectorImpl<TargetDiagnostic> &diags);
  static FailureOr<TargetDesc>
  loadFile(llvm::StringRef path,
           llvm::SmallVectorImpl<TargetDiagnostic> &diags);

  /// Reads the attribute form written by `toAttr`.
  static FailureOr<TargetDesc>
  fromAttr(DictionaryAttr attr, function_ref<InFlightDiagnostic()> emitError);
  /// Reads `qapeft.target` from `module`; fails with an error at the module
  /// when it is absent or malformed. Check `hasTarget` first for an optional
  /// target.
  static FailureOr<TargetDesc> fromModule(ModuleOp module);
  static bool hasTarget(ModuleOp module);

  /// The attribute form: a dictionary whose `name`, `rounding`,
  /// `accumulator_bits`, `input`/`activation`/`weight` (#qapeft.scheme, the
  /// default precision's roles) and `ops = {"tosa.conv2d" = {weight = ...}}`
  /// per-op overrides can also be read directly (targets/README.md).
  DictionaryAttr toAttr(MLIRContext *ctx) const;

  llvm::StringRef getName() const { return name; }
  llvm::StringRef getDescription() const { return description; }
  RoundingMode getRounding() const { return rounding; }
  Saturation getSaturation() const { return saturation; }
  UnsupportedOpPolicy getUnsupportedOpPolicy() const { return unsupported; }
  llvm::ArrayRef<Precision> getPrecisions() const { return precisions; }
  Precision getDefaultPrecision() const { return defaultPrecision; }
  bool supportsPrecision(Precision p) const;
  /// True when the target lists its ops (unlisted ops are unsupported).
  bool hasOpList() const { return opListed; }
  const std::map<std::string, OpDesc> &getOps() const { return ops; }
  const OpDesc *lookupOp(llvm::StringRef opName) const;

  /// The roles of op `opName` at `precision` (default precision if unset).
  /// Unlisted ops get the target's defaults.
  const RoleSet &getRoles(llvm::StringRef opName,
                          std::optional<Precision> precision = {}) const;
  /// The target-wide defaults at `precision`.
  const RoleSet &getDefaultRoles(std::optional<Precision> precision = {}) const;
  const QuantSpec &getQuant(llvm::StringRef opName, TensorRole role,
                            std::optional<Precision> precision = {}) const;
  /// The scheme of an Input, Activation or Weight role, axis resolved for
  /// `opName`, rounding = the target's.
  QuantSchemeAttr getScheme(MLIRContext *ctx, llvm::StringRef opName,
                            TensorRole role,
                            std::optional<Precision> precision = {}) const;
  const BiasSpec &getBias(llvm::StringRef opName,
                          std::optional<Precision> precision = {}) const;
  const AccumulatorSpec &
  getAccumulator(llvm::StringRef opName,
                 std::optional<Precision> precision = {}) const;

  /// Can the target run `opName` at `precision`? If not, `reason` says why.
  bool isOpSupported(llvm::StringRef opName,
                     std::optional<Precision> precision = {},
                     std::string *reason = nullptr) const;

  /// A human-readable listing (what `qapeft-target` prints).
  void print(llvm::raw_ostream &os) const;

private:
  friend class TargetDescBuilder;
  std::string name, description;
  RoundingMode rounding = RoundingMode::Single;
  Saturation saturation = Saturation::Saturate;
  UnsupportedOpPolicy unsupported = UnsupportedOpPolicy::Error;
  llvm::SmallVector<Precision, 4> precisions;
  Precision defaultPrecision = Precision::Int8;
  /// Target-wide roles for every quantized precision of `precisions`.
  std::map<Precision, RoleSet> defaults;
  bool opListed = false;
  std::map<std::string, OpDesc> ops;
};

/// The output-channel axis of op `opName`'s weight operand: 0 for OHWI
/// tosa.conv2d / conv3d / transpose_conv2d (and any op not known to differ),
/// 2 for tosa.depthwise_conv2d (HWCM, channel multiplier 1) and for the
/// [N, C, W] right-hand side of tosa.matmul.
int64_t getWeightOutputChannelAxis(llvm::StringRef opName);

/// Finds a target file: `nameOrPath` itself if it names an existing file
/// (or contains a '/' or ends in .yaml), else `<dir>/<name>.yaml` in
/// `searchDirs` and then in the project's targets/ folder. Fails with a
/// message listing where it looked.
FailureOr<std::string> findTargetFile(llvm::StringRef nameOrPath,
                                      llvm::ArrayRef<std::string> searchDirs,
                                      std::string &errorMessage);

/// The project's targets/ folder compiled into the library.
llvm::StringRef getBuiltinTargetsDir();

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_TARGETDESC_TARGETDESC_H
