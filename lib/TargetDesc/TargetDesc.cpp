//===- TargetDesc.cpp - target description queries ------------------------===//

#include "qapeft/TargetDesc/TargetDesc.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qapeft;

#ifndef QAPEFT_TARGETS_DIR
#error "QAPEFT_TARGETS_DIR must be defined by the build"
#endif

llvm::StringRef mlir::qapeft::getBuiltinTargetsDir() {
  return QAPEFT_TARGETS_DIR;
}

llvm::StringRef mlir::qapeft::stringifyTensorRole(TensorRole role) {
  switch (role) {
  case TensorRole::Input:
    return "input";
  case TensorRole::Activation:
    return "activation";
  case TensorRole::Weight:
    return "weight";
  case TensorRole::Bias:
    return "bias";
  case TensorRole::Accumulator:
    return "accumulator";
  }
  llvm_unreachable("unknown tensor role");
}

llvm::StringRef mlir::qapeft::stringifyFusedActivation(FusedActivation act) {
  switch (act) {
  case FusedActivation::None:
    return "none";
  case FusedActivation::Relu:
    return "relu";
  case FusedActivation::Relu6:
    return "relu6";
  case FusedActivation::ReluN1To1:
    return "relu-n1-to-1";
  }
  llvm_unreachable("unknown fused activation");
}

llvm::StringRef
mlir::qapeft::stringifyUnsupportedOpPolicy(UnsupportedOpPolicy p) {
  return p == UnsupportedOpPolicy::Error ? "error" : "keep-float";
}

llvm::StringRef mlir::qapeft::stringifySaturation(Saturation s) {
  return s == Saturation::Saturate ? "saturate" : "wrap";
}

llvm::StringRef mlir::qapeft::stringifyRoundingYAML(RoundingMode mode) {
  switch (mode) {
  case RoundingMode::Single:
    return "single";
  case RoundingMode::Double:
    return "double";
  case RoundingMode::Fp32HalfEven:
    return "fp32-half-even";
  case RoundingMode::HalfAway:
    return "half-away";
  }
  llvm_unreachable("unknown rounding mode");
}

std::optional<RoundingMode>
mlir::qapeft::parseRoundingYAML(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<RoundingMode>>(name)
      .Case("single", RoundingMode::Single)
      .Case("double", RoundingMode::Double)
      .Case("fp32-half-even", RoundingMode::Fp32HalfEven)
      .Case("half-away", RoundingMode::HalfAway)
      .Default(std::nullopt);
}

std::optional<Precision> mlir::qapeft::parsePrecision(llvm::StringRef name) {
  // The dialect's own spelling (int8, int16x8, int4x8, f16, f32).
  return symbolizePrecision(name);
}

bool mlir::qapeft::isFloatPrecision(Precision p) {
  return p == Precision::F16 || p == Precision::F32;
}

int64_t mlir::qapeft::getWeightOutputChannelAxis(llvm::StringRef opName) {
  // TOSA 1.0 weight layouts: conv2d OHWI, conv3d ODHWI, transpose_conv2d
  // OHWI -> axis 0; depthwise_conv2d HWCM -> the C axis (2), which is the
  // output channel for channel multiplier 1; matmul B is [N, C, W] -> W (2).
  return llvm::StringSwitch<int64_t>(opName)
      .Case("tosa.depthwise_conv2d", 2)
      .Case("tosa.matmul", 2)
      .Default(0);
}

std::string TargetDiagnostic::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << file;
  if (line)
    os << ":" << line << ":" << column;
  os << ": " << message;
  return s;
}

//===----------------------------------------------------------------------===//
// QuantSpec
//===----------------------------------------------------------------------===//

int64_t QuantSpec::qmin() const {
  if (!isSigned)
    return 0;
  int64_t lowest = -(int64_t(1) << (bits - 1));
  return narrow ? lowest + 1 : lowest;
}

int64_t QuantSpec::qmax() const {
  if (!isSigned)
    return (int64_t(1) << bits) - 1;
  return (int64_t(1) << (bits - 1)) - 1;
}

int64_t QuantSpec::resolvedAxis(llvm::StringRef opName) const {
  if (granularity == Granularity::PerTensor)
    return -1;
  return axisIsOutputChannel ? getWeightOutputChannelAxis(opName) : axis;
}

QuantSchemeAttr QuantSpec::toScheme(MLIRContext *ctx, llvm::StringRef opName,
                                    RoundingMode rounding) const {
  ctx->getOrLoadDialect<QAPeftDialect>();
  return QuantSchemeAttr::get(ctx, bits, IntegerType::get(ctx, storageBits),
                              isSigned, symmetric, narrow, granularity,
                              resolvedAxis(opName), groupSize, rounding, range);
}

bool QuantSpec::operator==(const QuantSpec &o) const {
  return bits == o.bits && storageBits == o.storageBits &&
         isSigned == o.isSigned && symmetric == o.symmetric &&
         narrow == o.narrow && granularity == o.granularity && axis == o.axis &&
         axisIsOutputChannel == o.axisIsOutputChannel &&
         groupSize == o.groupSize && range == o.range &&
         fixedScale == o.fixedScale && fixedZeroPoint == o.fixedZeroPoint &&
         minScale == o.minScale && powerOfTwoScale == o.powerOfTwoScale;
}

//===----------------------------------------------------------------------===//
// Queries
//===----------------------------------------------------------------------===//

bool TargetDesc::supportsPrecision(Precision p) const {
  return llvm::is_contained(precisions, p);
}

const OpDesc *TargetDesc::lookupOp(llvm::StringRef opName) const {
  auto it = ops.find(opName.str());
  return it == ops.end() ? nullptr : &it->second;
}

const RoleSet &
TargetDesc::getDefaultRoles(std::optional<Precision> precision) const {
  auto it = defaults.find(precision.value_or(defaultPrecision));
  if (it != defaults.end())
    return it->second;
  // Float precisions quantize nothing; answer with the default grids so
  // callers never dereference a missing entry.
  it = defaults.find(defaultPrecision);
  if (it != defaults.end())
    return it->second;
  static const RoleSet empty; // a default-constructed TargetDesc
  return empty;
}

const RoleSet &TargetDesc::getRoles(llvm::StringRef opName,
                                    std::optional<Precision> precision) const {
  if (const OpDesc *op = lookupOp(opName)) {
    auto it = op->roles.find(precision.value_or(defaultPrecision));
    if (it != op->roles.end())
      return it->second;
  }
  return getDefaultRoles(precision);
}

const QuantSpec &
TargetDesc::getQuant(llvm::StringRef opName, TensorRole role,
                     std::optional<Precision> precision) const {
  const RoleSet &roles = getRoles(opName, precision);
  switch (role) {
  case TensorRole::Input:
    return roles.input;
  case TensorRole::Weight:
    return roles.weight;
  default:
    return roles.activation;
  }
}

QuantSchemeAttr
TargetDesc::getScheme(MLIRContext *ctx, llvm::StringRef opName, TensorRole role,
                      std::optional<Precision> precision) const {
  assert((role == TensorRole::Input || role == TensorRole::Activation ||
          role == TensorRole::Weight) &&
         "bias and accumulator have no fake-quant scheme");
  return getQuant(opName, role, precision).toScheme(ctx, opName, rounding);
}

const BiasSpec &TargetDesc::getBias(llvm::StringRef opName,
                                    std::optional<Precision> precision) const {
  return getRoles(opName, precision).bias;
}

const AccumulatorSpec &
TargetDesc::getAccumulator(llvm::StringRef opName,
                           std::optional<Precision> precision) const {
  return getRoles(opName, precision).accumulator;
}

static std::string joinPrecisions(llvm::ArrayRef<Precision> ps) {
  return llvm::join(
      llvm::map_range(ps,
                      [](Precision p) { return stringifyPrecision(p).str(); }),
      ", ");
}

bool TargetDesc::isOpSupported(llvm::StringRef opName,
                               std::optional<Precision> precision,
                               std::string *reason) const {
  Precision p = precision.value_or(defaultPrecision);
  auto fail = [&](const llvm::Twine &why) {
    if (reason)
      *reason = why.str();
    return false;
  };
  if (!supportsPrecision(p))
    return fail("precision " + stringifyPrecision(p) +
                " is not supported by target '" + name +
                "' (precisions: " + joinPrecisions(precisions) + ")");
  const OpDesc *op = lookupOp(opName);
  if (!op)
    return opListed ? fail("'" + opName + "' is not in the ops of target '" +
                           name + "'")
                    : true;
  if (!op->supported)
    return fail("target '" + name + "' cannot run '" + opName + "'" +
                (op->reason.empty() ? "" : ": " + op->reason));
  if (!op->precisions.empty() && !llvm::is_contained(op->precisions, p))
    return fail("'" + opName + "' runs only at " +
                joinPrecisions(op->precisions) + " on target '" + name +
                "', not at " + stringifyPrecision(p));
  return true;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

static void printQuant(llvm::raw_ostream &os, const QuantSpec &q,
                       bool resolved) {
  os << (q.isSigned ? "int" : "uint") << q.bits << " in i" << q.storageBits
     << " [" << q.qmin() << ", " << q.qmax() << "] "
     << (q.symmetric ? "symmetric" : "asymmetric");
  if (q.narrow)
    os << " narrow";
  switch (q.granularity) {
  case Granularity::PerTensor:
    os << " per-tensor";
    break;
  case Granularity::PerChannel:
    os << " per-channel";
    break;
  case Granularity::PerGroup:
    os << " per-group(" << q.groupSize << ")";
    break;
  }
  if (q.granularity != Granularity::PerTensor) {
    // Per-op grids hold the op's actual axis; the defaults only name it.
    if (q.axisIsOutputChannel && resolved)
      os << " axis=" << q.axis << " (output-channel)";
    else if (q.axisIsOutputChannel)
      os << " axis=output-channel";
    else
      os << " axis=" << q.axis;
  }
  os << " range=" << stringifyRangeSource(q.range);
  if (q.fixedScale)
    os << " scale=" << llvm::format("%g", *q.fixedScale);
  if (q.fixedZeroPoint)
    os << " zero_point=" << *q.fixedZeroPoint;
  if (q.minScale)
    os << " min_scale=" << llvm::format("%g", *q.minScale);
  if (q.powerOfTwoScale)
    os << " power-of-two-scale";
}

static void printRoles(llvm::raw_ostream &os, const RoleSet &r,
                       const RoleSet *base, llvm::StringRef indent) {
  auto quant = [&](llvm::StringRef role, const QuantSpec &q,
                   const QuantSpec *b) {
    if (b && *b == q)
      return;
    os << indent << llvm::left_justify(role, 12);
    printQuant(os, q, /*resolved=*/base != nullptr);
    os << "\n";
  };
  quant("input", r.input, base ? &base->input : nullptr);
  quant("activation", r.activation, base ? &base->activation : nullptr);
  quant("weight", r.weight, base ? &base->weight : nullptr);
  if (!base || !(base->bias == r.bias)) {
    os << indent << llvm::left_justify("bias", 12) << "int" << r.bias.bits
       << " in i" << r.bias.storageBits;
    if (r.bias.limitBits)
      os << " (values within " << *r.bias.limitBits << " bits)";
    os << ", scale = s_in * s_w, zero point 0\n";
  }
  if (!base || !(base->accumulator == r.accumulator))
    os << indent << llvm::left_justify("accumulator", 12) << "int"
       << r.accumulator.bits << " in i" << r.accumulator.storageBits << "\n";
}

void TargetDesc::print(llvm::raw_ostream &os) const {
  os << "target '" << name << "'\n";
  if (!description.empty())
    os << "  " << description << "\n";
  os << "  rounding: " << stringifyRoundingYAML(rounding)
     << "\n  saturation: " << stringifySaturation(saturation)
     << "\n  unsupported ops: " << stringifyUnsupportedOpPolicy(unsupported)
     << "\n  precisions: " << joinPrecisions(precisions) << " (default "
     << stringifyPrecision(defaultPrecision) << ")\n";
  for (const auto &[p, roles] : defaults) {
    os << "  grids at " << stringifyPrecision(p) << ":\n";
    printRoles(os, roles, nullptr, "    ");
  }
  if (!opListed) {
    os << "  ops: every op (no op list)\n";
    return;
  }
  os << "  ops (" << ops.size() << "; unlisted ops are unsupported):\n";
  for (const auto &[opName, op] : ops) {
    os << "    " << opName;
    if (!op.supported) {
      os << ": unsupported";
      if (!op.reason.empty())
        os << " (" << op.reason << ")";
      os << "\n";
      continue;
    }
    if (!op.precisions.empty())
      os << " [" << joinPrecisions(op.precisions) << "]";
    const OpConstraints &c = op.constraints;
    auto lim = [&](llvm::StringRef key, const std::optional<int64_t> &v) {
      if (v)
        os << " " << key << "=" << *v;
    };
    lim("max_stride", c.maxStride);
    lim("max_dilation", c.maxDilation);
    lim("max_kernel_height", c.maxKernelHeight);
    lim("max_kernel_width", c.maxKernelWidth);
    lim("max_kernel_area", c.maxKernelArea);
    lim("max_input_channels", c.maxInputChannels);
    lim("max_output_channels", c.maxOutputChannels);
    lim("max_rank", c.maxRank);
    lim("max_batch", c.maxBatch);
    lim("max_weight_sum", c.maxWeightSum);
    if (c.fusedActivations)
      os << " fused_activations="
         << llvm::join(
                llvm::map_range(*c.fusedActivations,
                                [](FusedActivation a) {
                                  return stringifyFusedActivation(a).str();
                                }),
                ",");
    os << "\n";
    for (const auto &[p, roles] : op.roles) {
      // Show only what differs from the target's grids for this op.
      const RoleSet &base = getDefaultRoles(p);
      std::string buf;
      llvm::raw_string_ostream sub(buf);
      printRoles(sub, roles, &base, "        ");
      if (!buf.empty())
        os << "      at " << stringifyPrecision(p) << ":\n" << buf;
    }
  }
}

//===----------------------------------------------------------------------===//
// Finding files
//===----------------------------------------------------------------------===//

FailureOr<std::string>
mlir::qapeft::findTargetFile(llvm::StringRef nameOrPath,
                             llvm::ArrayRef<std::string> searchDirs,
                             std::string &errorMessage) {
  if (nameOrPath.empty()) {
    errorMessage = "no target given (option target=<name|path>)";
    return failure();
  }
  bool looksLikePath = nameOrPath.contains('/') ||
                       nameOrPath.ends_with(".yaml") ||
                       nameOrPath.ends_with(".yml");
  if (looksLikePath || llvm::sys::fs::is_regular_file(nameOrPath)) {
    if (llvm::sys::fs::is_regular_file(nameOrPath))
      return nameOrPath.str();
    errorMessage = ("target file '" + nameOrPath + "' " +
                    (llvm::sys::fs::exists(nameOrPath) ? "is not a file"
                                                       : "does not exist"))
                       .str();
    return failure();
  }
  llvm::SmallVector<std::string> dirs(searchDirs.begin(), searchDirs.end());
  dirs.push_back(getBuiltinTargetsDir().str());
  for (const std::string &dir : dirs) {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, nameOrPath + ".yaml");
    if (llvm::sys::fs::is_regular_file(path))
      return std::string(path);
  }
  errorMessage = ("unknown target '" + nameOrPath + "': no " + nameOrPath +
                  ".yaml in " + llvm::join(dirs, ", "))
                     .str();
  return failure();
}
