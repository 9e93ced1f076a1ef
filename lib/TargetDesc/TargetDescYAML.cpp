//===- TargetDescYAML.cpp - read a target description from YAML -----------===//
//
// Two stages. LLVM's YAML I/O maps the file onto "raw" structs in which
// every key is optional and remembers where in the file it was written;
// unknown keys, wrong types and unknown enum names fail here with the
// position YAML I/O reports. Then the layers a role is built from (target
// default, precision mode, op, op mode) are merged key by key and the result
// is validated; a range or consistency error points at the key that caused
// it, so the user sees file:line:col of the offending value.
//
//===----------------------------------------------------------------------===//

#include "TargetDescBuilder.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/YAMLTraits.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// A YAML value plus where it was written. Absent keys leave `value` empty.
template <typename T> struct Field {
  std::optional<T> value;
  llvm::SMRange range;
  explicit operator bool() const { return value.has_value(); }
  const T &operator*() const { return *value; }
  const T *operator->() const { return &*value; }
};

/// `i8`, `i16`, ...: the storage integer type.
struct StorageType {
  unsigned bits = 0;
};

/// An integer axis or `output-channel`.
struct AxisSpec {
  bool outputChannel = false;
  int64_t axis = -1;
};

struct RawQuant {
  Field<unsigned> bits;
  Field<StorageType> storage;
  Field<bool> isSigned, symmetric, narrow, powerOfTwoScale;
  Field<Granularity> granularity;
  Field<AxisSpec> axis;
  Field<int64_t> groupSize, zeroPoint;
  Field<RangeSource> range;
  Field<double> scale, minScale;
};

struct RawBias {
  Field<unsigned> bits, limitBits;
  Field<StorageType> storage;
};

struct RawAccumulator {
  Field<unsigned> bits;
  Field<StorageType> storage;
};

/// The role keys shared by the target, `modes` entries and ops.
struct RawRoles {
  Field<RawQuant> input, activation, weight;
  Field<RawBias> bias;
  Field<RawAccumulator> accumulator;
};

using RawModes = std::map<std::string, Field<RawRoles>>;

/// Op-level modes: an op has no `input` (that is the model's).
struct RawOpRoles : RawRoles {};
using RawOpModes = std::map<std::string, Field<RawOpRoles>>;

struct RawOp {
  llvm::SMRange range;
  Field<bool> supported;
  Field<std::string> reason;
  Field<std::vector<Precision>> precisions;
  Field<int64_t> maxStride, maxDilation, maxKernelHeight, maxKernelWidth,
      maxKernelArea, maxInputChannels, maxOutputChannels, maxRank, maxBatch,
      maxWeightSum;
  Field<std::vector<FusedActivation>> fusedActivations;
  RawRoles roles;
  Field<RawOpModes> modes;
};

using RawOps = std::map<std::string, Field<RawOp>>;

struct RawTarget {
  llvm::SMRange range;
  Field<unsigned> formatVersion;
  Field<std::string> name, description;
  Field<RoundingMode> rounding;
  Field<Saturation> saturation;
  Field<std::vector<Precision>> precisions;
  Field<Precision> defaultPrecision;
  Field<UnsupportedOpPolicy> unsupportedOps;
  RawRoles roles;
  Field<RawModes> modes;
  Field<RawOps> ops;
};

/// Records where the value being read starts and ends, then reads it with
/// the type's own traits. Found by argument-dependent lookup from YAML I/O's
/// `yamlize(io, value, ...)` calls and more specialized than its templates.
template <typename T>
void yamlize(llvm::yaml::IO &io, Field<T> &field, bool required,
             llvm::yaml::EmptyContext &ctx) {
  // Only ever used for input; YAML I/O has no Input RTTI.
  auto &input = static_cast<llvm::yaml::Input &>(io);
  if (const llvm::yaml::Node *node = input.getCurrentNode())
    field.range = node->getSourceRange();
  field.value.emplace();
  using llvm::yaml::yamlize;
  yamlize(io, *field.value, required, ctx);
}

} // namespace

//===----------------------------------------------------------------------===//
// YAML traits
//===----------------------------------------------------------------------===//

LLVM_YAML_IS_FLOW_SEQUENCE_VECTOR(mlir::qapeft::Precision)
LLVM_YAML_IS_FLOW_SEQUENCE_VECTOR(mlir::qapeft::FusedActivation)

namespace llvm {
namespace yaml {

/// Enum scalars with an error message that lists the accepted names.
template <typename E> struct NamedEnumTraits {
  static QuotingType mustQuote(StringRef) { return QuotingType::None; }
  static void output(const E &, void *, raw_ostream &) {
    llvm_unreachable("target descriptions are only read");
  }
};

template <>
struct ScalarTraits<mlir::qapeft::Granularity>
    : NamedEnumTraits<mlir::qapeft::Granularity> {
  static StringRef input(StringRef s, void *, mlir::qapeft::Granularity &v) {
    if (s == "per-tensor")
      v = mlir::qapeft::Granularity::PerTensor;
    else if (s == "per-channel")
      v = mlir::qapeft::Granularity::PerChannel;
    else if (s == "per-group")
      v = mlir::qapeft::Granularity::PerGroup;
    else
      return "unknown granularity; expected per-tensor, per-channel or "
             "per-group";
    return {};
  }
};

template <>
struct ScalarTraits<mlir::qapeft::RoundingMode>
    : NamedEnumTraits<mlir::qapeft::RoundingMode> {
  static StringRef input(StringRef s, void *, mlir::qapeft::RoundingMode &v) {
    if (std::optional<mlir::qapeft::RoundingMode> r = parseRoundingYAML(s)) {
      v = *r;
      return {};
    }
    return "unknown rounding mode; expected single, double, fp32-half-even "
           "or half-away";
  }
};

template <>
struct ScalarTraits<mlir::qapeft::RangeSource>
    : NamedEnumTraits<mlir::qapeft::RangeSource> {
  static StringRef input(StringRef s, void *, mlir::qapeft::RangeSource &v) {
    if (s == "calibrated")
      v = mlir::qapeft::RangeSource::Calibrated;
    else if (s == "observer")
      v = mlir::qapeft::RangeSource::Observer;
    else if (s == "learnable")
      v = mlir::qapeft::RangeSource::Learnable;
    else if (s == "weight")
      v = mlir::qapeft::RangeSource::Weight;
    else
      return "unknown range source; expected calibrated, observer, "
             "learnable or weight";
    return {};
  }
};

template <>
struct ScalarTraits<mlir::qapeft::Precision>
    : NamedEnumTraits<mlir::qapeft::Precision> {
  static StringRef input(StringRef s, void *, mlir::qapeft::Precision &v) {
    if (std::optional<mlir::qapeft::Precision> p = parsePrecision(s)) {
      v = *p;
      return {};
    }
    return "unknown precision; expected int8, int16x8, int4x8, f16 or f32";
  }
};

template <>
struct ScalarTraits<mlir::qapeft::Saturation>
    : NamedEnumTraits<mlir::qapeft::Saturation> {
  static StringRef input(StringRef s, void *, mlir::qapeft::Saturation &v) {
    if (s == "saturate")
      v = mlir::qapeft::Saturation::Saturate;
    else if (s == "wrap")
      v = mlir::qapeft::Saturation::Wrap;
    else
      return "unknown saturation; expected saturate or wrap";
    return {};
  }
};

template <>
struct ScalarTraits<mlir::qapeft::UnsupportedOpPolicy>
    : NamedEnumTraits<mlir::qapeft::UnsupportedOpPolicy> {
  static StringRef input(StringRef s, void *,
                         mlir::qapeft::UnsupportedOpPolicy &v) {
    if (s == "error")
      v = mlir::qapeft::UnsupportedOpPolicy::Error;
    else if (s == "keep-float")
      v = mlir::qapeft::UnsupportedOpPolicy::KeepFloat;
    else
      return "unknown unsupported_ops policy; expected error or keep-float";
    return {};
  }
};

template <>
struct ScalarTraits<mlir::qapeft::FusedActivation>
    : NamedEnumTraits<mlir::qapeft::FusedActivation> {
  static StringRef input(StringRef s, void *,
                         mlir::qapeft::FusedActivation &v) {
    if (s == "none")
      v = mlir::qapeft::FusedActivation::None;
    else if (s == "relu")
      v = mlir::qapeft::FusedActivation::Relu;
    else if (s == "relu6")
      v = mlir::qapeft::FusedActivation::Relu6;
    else if (s == "relu-n1-to-1")
      v = mlir::qapeft::FusedActivation::ReluN1To1;
    else
      return "unknown fused activation; expected none, relu, relu6 or "
             "relu-n1-to-1";
    return {};
  }
};

template <> struct ScalarTraits<StorageType> : NamedEnumTraits<StorageType> {
  static StringRef input(StringRef s, void *, StorageType &v) {
    unsigned bits;
    if (!s.consume_front("i") || s.getAsInteger(10, bits) ||
        !llvm::is_contained({4u, 8u, 16u, 32u, 48u, 64u}, bits))
      return "unknown storage type; expected i4, i8, i16, i32, i48 or i64";
    v.bits = bits;
    return {};
  }
};

template <> struct ScalarTraits<AxisSpec> : NamedEnumTraits<AxisSpec> {
  static StringRef input(StringRef s, void *, AxisSpec &v) {
    if (s == "output-channel") {
      v.outputChannel = true;
      v.axis = 0;
      return {};
    }
    if (s.getAsInteger(10, v.axis))
      return "invalid axis; expected an integer or output-channel";
    return {};
  }
};

template <> struct MappingTraits<RawQuant> {
  static void mapping(IO &io, RawQuant &q) {
    io.mapOptional("bits", q.bits);
    io.mapOptional("storage", q.storage);
    io.mapOptional("signed", q.isSigned);
    io.mapOptional("symmetric", q.symmetric);
    io.mapOptional("narrow_range", q.narrow);
    io.mapOptional("granularity", q.granularity);
    io.mapOptional("axis", q.axis);
    io.mapOptional("group_size", q.groupSize);
    io.mapOptional("range", q.range);
    io.mapOptional("scale", q.scale);
    io.mapOptional("zero_point", q.zeroPoint);
    io.mapOptional("min_scale", q.minScale);
    io.mapOptional("power_of_two_scale", q.powerOfTwoScale);
  }
};

template <> struct MappingTraits<RawBias> {
  static void mapping(IO &io, RawBias &b) {
    io.mapOptional("bits", b.bits);
    io.mapOptional("storage", b.storage);
    io.mapOptional("limit_bits", b.limitBits);
  }
};

template <> struct MappingTraits<RawAccumulator> {
  static void mapping(IO &io, RawAccumulator &a) {
    io.mapOptional("bits", a.bits);
    io.mapOptional("storage", a.storage);
  }
};

/// Role keys; `withInput` only for the target level and its modes (an op's
/// output is its `activation`; the model input belongs to no op).
static void mapRoles(IO &io, RawRoles &r, bool withInput) {
  if (withInput)
    io.mapOptional("input", r.input);
  io.mapOptional("activation", r.activation);
  io.mapOptional("weight", r.weight);
  io.mapOptional("bias", r.bias);
  io.mapOptional("accumulator", r.accumulator);
}

template <> struct MappingTraits<RawRoles> {
  static void mapping(IO &io, RawRoles &r) { mapRoles(io, r, true); }
};

/// `modes` and `ops` are maps with user-chosen keys.
template <typename V> struct CustomMappingTraits<std::map<std::string, V>> {
  static void inputOne(IO &io, StringRef key, std::map<std::string, V> &m) {
    io.mapRequired(key.str().c_str(), m[key.str()]);
  }
  static void output(IO &, std::map<std::string, V> &) {
    llvm_unreachable("target descriptions are only read");
  }
};

template <> struct MappingTraits<RawOpRoles> {
  static void mapping(IO &io, RawOpRoles &r) { mapRoles(io, r, false); }
};

template <> struct MappingTraits<RawOp> {
  static void mapping(IO &io, RawOp &op) {
    if (const Node *node = static_cast<Input &>(io).getCurrentNode())
      op.range = node->getSourceRange();
    io.mapOptional("supported", op.supported);
    io.mapOptional("reason", op.reason);
    io.mapOptional("precisions", op.precisions);
    io.mapOptional("max_stride", op.maxStride);
    io.mapOptional("max_dilation", op.maxDilation);
    io.mapOptional("max_kernel_height", op.maxKernelHeight);
    io.mapOptional("max_kernel_width", op.maxKernelWidth);
    io.mapOptional("max_kernel_area", op.maxKernelArea);
    io.mapOptional("max_input_channels", op.maxInputChannels);
    io.mapOptional("max_output_channels", op.maxOutputChannels);
    io.mapOptional("max_rank", op.maxRank);
    io.mapOptional("max_batch", op.maxBatch);
    io.mapOptional("max_weight_sum", op.maxWeightSum);
    io.mapOptional("fused_activations", op.fusedActivations);
    mapRoles(io, op.roles, /*withInput=*/false);
    io.mapOptional("modes", op.modes);
  }
};

template <> struct MappingTraits<RawTarget> {
  static void mapping(IO &io, RawTarget &t) {
    if (const Node *node = static_cast<Input &>(io).getCurrentNode())
      t.range = node->getSourceRange();
    io.mapOptional("format_version", t.formatVersion);
    io.mapRequired("name", t.name);
    io.mapOptional("description", t.description);
    io.mapOptional("rounding", t.rounding);
    io.mapOptional("saturation", t.saturation);
    io.mapOptional("precisions", t.precisions);
    io.mapOptional("default_precision", t.defaultPrecision);
    io.mapOptional("unsupported_ops", t.unsupportedOps);
    mapRoles(io, t.roles, /*withInput=*/true);
    io.mapOptional("modes", t.modes);
    io.mapOptional("ops", t.ops);
  }
};

} // namespace yaml
} // namespace llvm

//===----------------------------------------------------------------------===//
// Resolution and validation
//===----------------------------------------------------------------------===//

namespace {

class Resolver {
public:
  Resolver(llvm::SourceMgr &srcMgr,
           llvm::SmallVectorImpl<TargetDiagnostic> &diags)
      : srcMgr(srcMgr), diags(diags) {}

  void error(llvm::SMRange range, const llvm::Twine &message) {
    // Keys that were never written fall back to the whole document.
    if (!range.Start.isValid())
      range = document;
    llvm::SMDiagnostic d = srcMgr.GetMessage(
        range.Start, llvm::SourceMgr::DK_Error, message, {range});
    TargetDiagnostic td = toTargetDiagnostic(d);
    // A value shared by several roles (an op's activation also seeds the
    // input grid) is reported once.
    if (llvm::none_of(diags, [&](const TargetDiagnostic &o) {
          return o.rendered == td.rendered;
        }))
      diags.push_back(std::move(td));
  }
  template <typename T>
  void error(const Field<T> &f, const llvm::Twine &message) {
    error(f.range, message);
  }
  bool failed() const { return !diags.empty(); }

  /// Where the map key `key` whose value starts at `value` was written: the
  /// last occurrence of the key's text before the value (YAML I/O keeps no
  /// key positions for user-keyed maps).
  llvm::SMRange keyRange(llvm::StringRef key, llvm::SMRange value) {
    if (!value.Start.isValid())
      return value;
    llvm::StringRef buf =
        srcMgr.getMemoryBuffer(srcMgr.getMainFileID())->getBuffer();
    size_t end = value.Start.getPointer() - buf.data();
    size_t at = buf.take_front(end).rfind(key);
    if (at == llvm::StringRef::npos)
      return value;
    llvm::SMLoc start = llvm::SMLoc::getFromPointer(buf.data() + at);
    return {start,
            llvm::SMLoc::getFromPointer(start.getPointer() + key.size())};
  }

  static TargetDiagnostic toTargetDiagnostic(const llvm::SMDiagnostic &d) {
    TargetDiagnostic td;
    td.file = d.getFilename().str();
    td.line = d.getLineNo();
    td.column = d.getColumnNo() + 1;
    td.message = d.getMessage().str();
    llvm::raw_string_ostream os(td.rendered);
    d.print(/*ProgName=*/nullptr, os, /*ShowColors=*/false);
    return td;
  }

  std::optional<TargetDesc> resolve(const RawTarget &raw);

private:
  template <typename T>
  static void overlay(Field<T> &dst, const Field<T> &src) {
    if (src)
      dst = src;
  }
  static void overlay(RawQuant &d, const RawQuant &s) {
    // axis and group_size belong to the granularity they were written
    // with: a layer that changes the granularity drops inherited ones.
    if (s.granularity) {
      d.axis = s.axis;
      d.groupSize = s.groupSize;
    }
    overlay(d.bits, s.bits);
    overlay(d.storage, s.storage);
    overlay(d.isSigned, s.isSigned);
    overlay(d.symmetric, s.symmetric);
    overlay(d.narrow, s.narrow);
    overlay(d.powerOfTwoScale, s.powerOfTwoScale);
    overlay(d.granularity, s.granularity);
    overlay(d.axis, s.axis);
    overlay(d.groupSize, s.groupSize);
    overlay(d.zeroPoint, s.zeroPoint);
    overlay(d.range, s.range);
    overlay(d.scale, s.scale);
    overlay(d.minScale, s.minScale);
  }
  static void overlay(RawBias &d, const RawBias &s) {
    overlay(d.bits, s.bits);
    overlay(d.limitBits, s.limitBits);
    overlay(d.storage, s.storage);
  }
  static void overlay(RawAccumulator &d, const RawAccumulator &s) {
    overlay(d.bits, s.bits);
    overlay(d.storage, s.storage);
  }

  /// The layers a role is built from, outermost first.
  using Layers = llvm::SmallVector<const RawRoles *, 4>;

  std::optional<QuantSpec> resolveQuant(const Layers &layers, TensorRole role,
                                        Precision precision,
                                        llvm::SMRange where);
  std::optional<BiasSpec> resolveBias(const Layers &layers,
                                      unsigned accumulatorBits);
  std::optional<AccumulatorSpec> resolveAccumulator(const Layers &layers);
  /// `input`, when given, is used as is: ops take the target's model-input
  /// grid (an op's `activation` is its output, not the model input).
  std::optional<RoleSet> resolveRoles(const Layers &layers, Precision precision,
                                      llvm::SMRange where,
                                      const QuantSpec *input = nullptr);
  template <typename ModeMap>
  bool checkModes(const Field<ModeMap> &modes,
                  llvm::ArrayRef<Precision> allowed, llvm::StringRef what,
                  std::map<Precision, const RawRoles *> &out);

  llvm::SourceMgr &srcMgr;
  llvm::SmallVectorImpl<TargetDiagnostic> &diags;
  llvm::SMRange document;
};

unsigned defaultStorageBits(unsigned bits) {
  for (unsigned w : {8u, 16u, 32u, 64u})
    if (bits <= w)
      return w;
  return 64;
}

/// Activation and weight widths a precision name promises.
std::pair<unsigned, unsigned> precisionWidths(Precision p) {
  switch (p) {
  case Precision::Int8:
    return {8, 8};
  case Precision::Int16x8:
    return {16, 8};
  case Precision::Int4x8:
    return {8, 4};
  case Precision::F16:
  case Precision::F32:
    break;
  }
  return {0, 0};
}

std::string fmt(double x) {
  char buf[32];
  snprintf(buf, sizeof(buf), "%g", x);
  return buf;
}

bool isPowerOfTwo(double x) {
  int exp;
  return x > 0 && std::frexp(x, &exp) == 0.5;
}

std::optional<QuantSpec> Resolver::resolveQuant(const Layers &layers,
                                                TensorRole role,
                                                Precision precision,
                                                llvm::SMRange where) {
  RawQuant q;
  bool any = false;
  for (const RawRoles *l : layers) {
    // In each layer the model input starts from that layer's activation
    // grid, then applies its own `input` keys.
    llvm::SmallVector<const Field<RawQuant> *, 2> parts;
    if (role == TensorRole::Weight)
      parts.push_back(&l->weight);
    else
      parts.push_back(&l->activation);
    if (role == TensorRole::Input)
      parts.push_back(&l->input);
    for (const Field<RawQuant> *f : parts) {
      if (!*f)
        continue;
      overlay(q, **f);
      any = true;
      where = f->range;
    }
  }
  llvm::StringRef roleName = stringifyTensorRole(role);
  if (!any || !q.bits) {
    error(where, llvm::Twine("the ") + roleName +
                     " role needs 'bits' (no default for it)");
    return std::nullopt;
  }
  size_t before = diags.size();
  QuantSpec s;
  s.bits = *q.bits;
  if (s.bits < 2 || s.bits > 16)
    error(q.bits, llvm::Twine(roleName) + " bits must be in [2, 16], got " +
                      llvm::Twine(s.bits));
  s.storageBits = q.storage ? q.storage->bits : defaultStorageBits(s.bits);
  if (q.storage && s.bits > s.storageBits)
    error(q.storage, llvm::Twine(s.bits) + " bits do not fit storage type i" +
                         llvm::Twine(s.storageBits));
  s.isSigned = q.isSigned ? *q.isSigned : true;
  s.symmetric = q.symmetric ? *q.symmetric : false;
  s.narrow = q.narrow ? *q.narrow : false;
  if (s.narrow && !s.isSigned)
    error(q.narrow, "narrow_range needs a signed grid (it drops the most "
                    "negative code)");
  s.granularity = q.granularity ? *q.granularity : Granularity::PerTensor;
  if (s.granularity == Granularity::PerTensor) {
    if (q.axis)
      error(q.axis, "a per-tensor grid takes no axis");
    if (q.groupSize)
      error(q.groupSize, "group_size is only meaningful for per-group");
  } else {
    AxisSpec axis = q.axis ? *q.axis : AxisSpec{true, 0};
    if (axis.axis < 0)
      error(q.axis, "axis must be >= 0, got " + llvm::Twine(axis.axis));
    s.axis = axis.axis;
    s.axisIsOutputChannel = axis.outputChannel;
    if (s.granularity == Granularity::PerGroup) {
      // Groups usually run along the reduction axis, which differs per
      // layout: no default.
      if (!q.axis)
        error(q.granularity, "a per-group grid needs an explicit axis");
      if (!q.groupSize)
        error(q.granularity, "a per-group grid needs group_size");
      else if (*q.groupSize < 1)
        error(q.groupSize,
              "group_size must be >= 1, got " + llvm::Twine(*q.groupSize));
      else
        s.groupSize = *q.groupSize;
    } else if (q.groupSize) {
      error(q.groupSize, "group_size is only meaningful for per-group");
    }
  }
  s.range = q.range ? *q.range
                    : (role == TensorRole::Weight ? RangeSource::Weight
                                                  : RangeSource::Calibrated);
  if (s.range == RangeSource::Weight && role != TensorRole::Weight)
    error(q.range, "range 'weight' is only meaningful for the weight role");
  s.powerOfTwoScale = q.powerOfTwoScale ? *q.powerOfTwoScale : false;
  if (q.minScale) {
    if (!(*q.minScale > 0) || !std::isfinite(*q.minScale))
      error(q.minScale, "min_scale must be a positive finite number");
    s.minScale = *q.minScale;
  }
  if (q.scale) {
    double scale = *q.scale;
    if (!(scale > 0) || !std::isfinite(scale))
      error(q.scale, "scale must be a positive finite number");
    else if (s.minScale && scale < *s.minScale)
      error(q.scale, "fixed scale " + fmt(scale) + " is below min_scale " +
                         fmt(*s.minScale));
    else if (s.powerOfTwoScale && !isPowerOfTwo(scale))
      error(q.scale, "fixed scale " + fmt(scale) +
                         " is not a power of two, but power_of_two_scale "
                         "is set");
    if (s.granularity != Granularity::PerTensor)
      error(q.scale, "a fixed scale needs a per-tensor grid");
    s.fixedScale = scale;
  }
  if (q.zeroPoint) {
    int64_t zp = *q.zeroPoint;
    if (s.symmetric && zp != 0)
      error(q.zeroPoint, "symmetric quantization fixes the zero point at 0, "
                         "but zero_point is " +
                             llvm::Twine(zp));
    else if (diags.size() == before && (zp < s.qmin() || zp > s.qmax()))
      error(q.zeroPoint, "zero_point " + llvm::Twine(zp) +
                             " is outside the grid [" + llvm::Twine(s.qmin()) +
                             ", " + llvm::Twine(s.qmax()) + "]");
    if (s.granularity != Granularity::PerTensor)
      error(q.zeroPoint, "a fixed zero_point needs a per-tensor grid");
    s.fixedZeroPoint = zp;
  }
  // A precision name is a promise about widths; the file must keep it.
  auto [actBits, weightBits] = precisionWidths(precision);
  unsigned want = role == TensorRole::Weight ? weightBits : actBits;
  if (role != TensorRole::Input && want && diags.size() == before &&
      s.bits != want)
    error(q.bits, llvm::Twine("precision ") + stringifyPrecision(precision) +
                      " needs " + llvm::Twine(want) + "-bit " + roleName +
                      "s, but bits is " + llvm::Twine(s.bits));
  if (diags.size() != before)
    return std::nullopt;
  return s;
}

std::optional<BiasSpec> Resolver::resolveBias(const Layers &layers,
                                              unsigned accumulatorBits) {
  RawBias b;
  for (const RawRoles *l : layers)
    if (l->bias)
      overlay(b, *l->bias);
  size_t before = diags.size();
  BiasSpec s;
  s.bits = b.bits ? *b.bits : 32;
  if (s.bits < 8 || s.bits > 64)
    error(b.bits, "bias bits must be in [8, 64], got " + llvm::Twine(s.bits));
  s.storageBits = b.storage ? b.storage->bits : defaultStorageBits(s.bits);
  if (b.storage && s.bits > s.storageBits)
    error(b.storage, llvm::Twine(s.bits) +
                         " bias bits do not fit storage type i" +
                         llvm::Twine(s.storageBits));
  if (b.limitBits) {
    if (*b.limitBits < 2 || *b.limitBits > s.bits)
      error(b.limitBits, "limit_bits must be in [2, " + llvm::Twine(s.bits) +
                             "] (the bias bits), got " +
                             llvm::Twine(*b.limitBits));
    s.limitBits = *b.limitBits;
  }
  // The bias is added to the accumulator: wider values cannot be exact.
  if (diags.size() == before && s.valueBits() > accumulatorBits) {
    const auto &at = s.limitBits ? b.limitBits : b.bits;
    error(at.value ? at.range : b.storage.range,
          "bias values of " + llvm::Twine(s.valueBits()) +
              " bits do not fit the " + llvm::Twine(accumulatorBits) +
              "-bit accumulator they are added to");
  }
  if (diags.size() != before)
    return std::nullopt;
  return s;
}

std::optional<AccumulatorSpec>
Resolver::resolveAccumulator(const Layers &layers) {
  RawAccumulator a;
  for (const RawRoles *l : layers)
    if (l->accumulator)
      overlay(a, *l->accumulator);
  size_t before = diags.size();
  AccumulatorSpec s;
  s.bits = a.bits ? *a.bits : 32;
  if (s.bits < 8 || s.bits > 64)
    error(a.bits,
          "accumulator bits must be in [8, 64], got " + llvm::Twine(s.bits));
  s.storageBits = a.storage ? a.storage->bits : defaultStorageBits(s.bits);
  if (a.storage && s.bits > s.storageBits)
    error(a.storage, llvm::Twine(s.bits) +
                         " accumulator bits do not fit storage type i" +
                         llvm::Twine(s.storageBits));
  if (diags.size() != before)
    return std::nullopt;
  return s;
}

std::optional<RoleSet> Resolver::resolveRoles(const Layers &layers,
                                              Precision precision,
                                              llvm::SMRange where,
                                              const QuantSpec *fixedInput) {
  std::optional<QuantSpec> act =
      resolveQuant(layers, TensorRole::Activation, precision, where);
  // Without an explicit input grid the model input is an activation like
  // any other; resolving it again would repeat the activation's errors.
  std::optional<QuantSpec> input = act;
  if (fixedInput)
    input = *fixedInput;
  else if (llvm::any_of(layers,
                        [](const RawRoles *l) { return bool(l->input); }))
    input = resolveQuant(layers, TensorRole::Input, precision, where);
  std::optional<QuantSpec> weight =
      resolveQuant(layers, TensorRole::Weight, precision, where);
  std::optional<AccumulatorSpec> acc = resolveAccumulator(layers);
  std::optional<BiasSpec> bias =
      acc ? resolveBias(layers, acc->bits) : std::nullopt;
  if (!input || !act || !weight || !acc || !bias)
    return std::nullopt;
  return RoleSet{*input, *act, *weight, *bias, *acc};
}

template <typename ModeMap>
bool Resolver::checkModes(const Field<ModeMap> &modes,
                          llvm::ArrayRef<Precision> allowed,
                          llvm::StringRef what,
                          std::map<Precision, const RawRoles *> &out) {
  if (!modes)
    return true;
  bool ok = true;
  for (const auto &[key, roles] : *modes) {
    std::optional<Precision> p = parsePrecision(key);
    if (!p) {
      error(roles, "unknown precision '" + key +
                       "' in modes; expected int8, int16x8 or int4x8");
      ok = false;
    } else if (isFloatPrecision(*p)) {
      error(roles, "modes." + key + ": a float precision quantizes nothing");
      ok = false;
    } else if (!llvm::is_contained(allowed, *p)) {
      error(roles, "modes." + key + " is given, but " + key + " is not in " +
                       what + " precisions");
      ok = false;
    } else {
      out[*p] = &*roles;
    }
  }
  return ok;
}

bool isValidOpName(llvm::StringRef name) {
  auto [dialect, op] = name.split('.');
  auto ident = [](llvm::StringRef s) {
    return !s.empty() && llvm::all_of(s, [](char c) {
      return llvm::isAlnum(c) || c == '_' || c == '.';
    });
  };
  return ident(dialect) && ident(op) && llvm::isAlpha(dialect.front());
}

std::optional<TargetDesc> Resolver::resolve(const RawTarget &raw) {
  document = raw.range;
  TargetDesc t;
  TargetDescBuilder b(t);
  if (raw.formatVersion && *raw.formatVersion != 1)
    error(raw.formatVersion, "unsupported format_version " +
                                 llvm::Twine(*raw.formatVersion) +
                                 "; this qapeft reads format_version 1");
  b.name() = *raw.name;
  if (raw.name->empty())
    error(raw.name, "name must not be empty");
  if (raw.description)
    b.description() = *raw.description;
  b.rounding() = raw.rounding ? *raw.rounding : RoundingMode::Single;
  b.saturation() = raw.saturation ? *raw.saturation : Saturation::Saturate;
  b.unsupported() =
      raw.unsupportedOps ? *raw.unsupportedOps : UnsupportedOpPolicy::Error;

  // Precisions.
  auto &precisions = b.precisions();
  if (raw.precisions) {
    if (raw.precisions->empty())
      error(raw.precisions, "precisions must list at least one precision");
    for (Precision p : *raw.precisions) {
      if (llvm::is_contained(precisions, p))
        error(raw.precisions, llvm::Twine("precision ") +
                                  stringifyPrecision(p) + " is listed twice");
      else
        precisions.push_back(p);
    }
  } else {
    precisions.push_back(Precision::Int8);
  }
  if (failed())
    return std::nullopt;
  if (raw.defaultPrecision) {
    if (!llvm::is_contained(precisions, *raw.defaultPrecision))
      error(raw.defaultPrecision,
            llvm::Twine("default_precision ") +
                stringifyPrecision(*raw.defaultPrecision) +
                " is not in precisions");
    b.defaultPrecision() = *raw.defaultPrecision;
  } else {
    b.defaultPrecision() = precisions.front();
  }
  if (isFloatPrecision(b.defaultPrecision()))
    error(raw.defaultPrecision.value ? raw.defaultPrecision.range
                                     : raw.precisions.range,
          "the default precision must be an integer one (int8, int16x8 or "
          "int4x8)");

  std::map<Precision, const RawRoles *> modes;
  checkModes(raw.modes, precisions, "the target's", modes);
  if (failed())
    return std::nullopt;

  // Target defaults per quantized precision.
  for (Precision p : precisions) {
    if (isFloatPrecision(p))
      continue;
    Layers layers{&raw.roles};
    auto it = modes.find(p);
    if (it != modes.end())
      layers.push_back(it->second);
    else if (p != b.defaultPrecision())
      error(raw.precisions, llvm::Twine("precision ") + stringifyPrecision(p) +
                                " is not the default, so it needs a 'modes: {" +
                                stringifyPrecision(p) +
                                ": ...}' entry with its grids");
    if (failed())
      return std::nullopt;
    if (std::optional<RoleSet> roles = resolveRoles(layers, p, raw.range))
      b.defaults()[p] = *roles;
  }
  if (failed())
    return std::nullopt;

  // Ops.
  b.opListed() = raw.ops.value.has_value();
  if (raw.ops) {
    for (const auto &[opName, rawOpField] : *raw.ops) {
      const RawOp &rop = *rawOpField;
      size_t before = diags.size();
      if (!isValidOpName(opName)) {
        error(keyRange(opName, rop.range),
              "'" + opName +
                  "' is not an op name; expected "
                  "<dialect>.<op>, e.g. tosa.conv2d");
        continue;
      }
      OpDesc op;
      op.name = opName;
      op.supported = rop.supported ? *rop.supported : true;
      if (!op.supported) {
        // An op the target cannot run has nothing else to describe.
        bool extra = rop.precisions || rop.maxStride || rop.maxDilation ||
                     rop.maxKernelHeight || rop.maxKernelWidth ||
                     rop.maxKernelArea || rop.maxInputChannels ||
                     rop.maxOutputChannels || rop.maxRank || rop.maxBatch ||
                     rop.maxWeightSum || rop.fusedActivations ||
                     rop.roles.activation || rop.roles.weight ||
                     rop.roles.bias || rop.roles.accumulator || rop.modes;
        if (extra)
          error(rop.supported, "an op with 'supported: false' takes only "
                               "'reason'; remove its other keys");
        if (rop.reason)
          op.reason = *rop.reason;
        b.ops()[opName] = op;
        continue;
      }
      if (rop.reason)
        error(rop.reason, "'reason' is only meaningful with 'supported: "
                          "false'");
      if (rop.precisions) {
        if (rop.precisions->empty())
          error(rop.precisions, "precisions must list at least one "
                                "precision");
        for (Precision p : *rop.precisions) {
          if (!llvm::is_contained(precisions, p))
            error(rop.precisions, "op precision " +
                                      llvm::Twine(stringifyPrecision(p)) +
                                      " is not in the target's precisions");
          else if (llvm::is_contained(op.precisions, p))
            error(rop.precisions, "precision " +
                                      llvm::Twine(stringifyPrecision(p)) +
                                      " is listed twice");
          else
            op.precisions.push_back(p);
        }
      }
      auto limit = [&](const Field<int64_t> &f, std::optional<int64_t> &out,
                       llvm::StringRef key) {
        if (!f)
          return;
        if (*f < 1)
          error(f, key + " must be >= 1, got " + llvm::Twine(*f));
        out = *f;
      };
      OpConstraints &c = op.constraints;
      limit(rop.maxStride, c.maxStride, "max_stride");
      limit(rop.maxDilation, c.maxDilation, "max_dilation");
      limit(rop.maxKernelHeight, c.maxKernelHeight, "max_kernel_height");
      limit(rop.maxKernelWidth, c.maxKernelWidth, "max_kernel_width");
      limit(rop.maxKernelArea, c.maxKernelArea, "max_kernel_area");
      limit(rop.maxInputChannels, c.maxInputChannels, "max_input_channels");
      limit(rop.maxOutputChannels, c.maxOutputChannels, "max_output_channels");
      limit(rop.maxRank, c.maxRank, "max_rank");
      limit(rop.maxBatch, c.maxBatch, "max_batch");
      limit(rop.maxWeightSum, c.maxWeightSum, "max_weight_sum");
      if (rop.fusedActivations) {
        c.fusedActivations.emplace();
        for (FusedActivation a : *rop.fusedActivations) {
          if (llvm::is_contained(*c.fusedActivations, a))
            error(rop.fusedActivations,
                  "fused activation " +
                      llvm::Twine(stringifyFusedActivation(a)) +
                      " is listed twice");
          c.fusedActivations->push_back(a);
        }
      }
      std::map<Precision, const RawRoles *> opModes;
      checkModes(rop.modes,
                 op.precisions.empty()
                     ? llvm::ArrayRef<Precision>(precisions)
                     : llvm::ArrayRef<Precision>(op.precisions),
                 "the op's", opModes);
      if (diags.size() != before)
        continue;
      for (Precision p : op.precisions.empty()
                             ? llvm::ArrayRef<Precision>(precisions)
                             : llvm::ArrayRef<Precision>(op.precisions)) {
        if (isFloatPrecision(p))
          continue;
        Layers layers{&raw.roles};
        if (auto it = modes.find(p); it != modes.end())
          layers.push_back(it->second);
        layers.push_back(&rop.roles);
        if (auto it = opModes.find(p); it != opModes.end())
          layers.push_back(it->second);
        // The model input belongs to no op: ops keep the target's.
        std::optional<RoleSet> roles =
            resolveRoles(layers, p, rop.range, &b.defaults()[p].input);
        if (!roles)
          break;
        // Per-op grids are stored resolved for this op.
        for (QuantSpec *q : {&roles->input, &roles->activation, &roles->weight})
          if (q->axisIsOutputChannel)
            q->axis = getWeightOutputChannelAxis(opName);
        op.roles[p] = *roles;
      }
      b.ops()[opName] = op;
    }
  }
  if (failed())
    return std::nullopt;
  return t;
}

} // namespace

/// A problem with no source range (the file as a whole, or one line).
static TargetDiagnostic unlocatedDiagnostic(llvm::StringRef file, unsigned line,
                                            const llvm::Twine &message) {
  TargetDiagnostic d;
  d.file = file.str();
  d.line = line;
  d.column = line ? 1 : 0;
  d.message = message.str();
  // Same shape as llvm::SourceMgr's rendering, minus the source excerpt.
  std::string prefix = d.file;
  if (line)
    prefix += ":" + std::to_string(line) + ":1";
  d.rendered = prefix + ": error: " + d.message + "\n";
  return d;
}

FailureOr<TargetDesc>
TargetDesc::parse(std::unique_ptr<llvm::MemoryBuffer> buffer,
                  llvm::SmallVectorImpl<TargetDiagnostic> &diags) {
  llvm::SourceMgr srcMgr;
  llvm::MemoryBufferRef ref = buffer->getMemBufferRef();
  srcMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());

  RawTarget raw;
  {
    llvm::yaml::Input yin(
        ref, /*Ctxt=*/nullptr,
        [](const llvm::SMDiagnostic &d, void *ctx) {
          auto *out =
              static_cast<llvm::SmallVectorImpl<TargetDiagnostic> *>(ctx);
          if (d.getKind() == llvm::SourceMgr::DK_Error)
            out->push_back(Resolver::toTargetDiagnostic(d));
        },
        &diags);
    yin >> raw;
    if (yin.error() || !diags.empty()) {
      if (diags.empty())
        diags.push_back(unlocatedDiagnostic(
            ref.getBufferIdentifier(), 1,
            "not a target description (expected a YAML mapping)"));
      return failure();
    }
    // A second document would be silently ignored; say so instead.
    if (yin.nextDocument()) {
      llvm::StringRef text = ref.getBuffer();
      size_t at = text.rfind("\n---");
      unsigned line = at == llvm::StringRef::npos
                          ? 1
                          : text.take_front(at + 1).count('\n') + 1;
      diags.push_back(unlocatedDiagnostic(
          ref.getBufferIdentifier(), line,
          "a target file holds one YAML document; remove the second"));
      return failure();
    }
  }
  Resolver resolver(srcMgr, diags);
  std::optional<TargetDesc> t = resolver.resolve(raw);
  if (!t)
    return failure();
  return std::move(*t);
}

FailureOr<TargetDesc>
TargetDesc::loadFile(llvm::StringRef path,
                     llvm::SmallVectorImpl<TargetDiagnostic> &diags) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buf =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buf) {
    diags.push_back(unlocatedDiagnostic(
        path, 0, "cannot read target file: " + buf.getError().message()));
    return failure();
  }
  return parse(std::move(*buf), diags);
}
