//===- TargetDescAttr.cpp - the qapeft.target module attribute ------------===//
//
// The attribute is the whole description, so passes after attach-target work
// from the MLIR file alone. Layout (targets/README.md, "The attribute"):
//
//   qapeft.target = {
//     name = "tflite-int8", rounding = #qapeft<rounding single>,
//     saturation = "saturate", unsupported_ops = "error",
//     precisions = [#qapeft<precision int8>],
//     default_precision = #qapeft<precision int8>,
//     input = #qapeft.scheme<...>, activation = ..., weight = ...,
//     weight_constraints = {output_channel_axis, ...},
//     bias_bits = 32, bias_storage_bits = 32, accumulator_bits = 32,
//     accumulator_storage_bits = 32,
//     modes = {int16x8 = {<the role keys at int16x8>}},
//     ops = {"tosa.conv2d" = {max_stride = 3, <role keys that differ>,
//                              modes = {...}}}}
//
// Role keys at the top are the default precision's. Per-op role keys appear
// only where the op's grid (weight axis resolved for that op) differs from
// the top-level one as written, so a consumer that reads `ops[op].weight`
// and falls back to `weight` gets the right scheme.
//
//===----------------------------------------------------------------------===//

#include "TargetDescBuilder.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::qapeft;

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

namespace {

struct AttrWriter {
  MLIRContext *ctx;
  Builder b;
  RoundingMode rounding;

  explicit AttrWriter(MLIRContext *ctx, RoundingMode rounding)
      : ctx(ctx), b(ctx), rounding(rounding) {}

  NamedAttribute named(StringRef key, Attribute value) {
    return b.getNamedAttr(key, value);
  }
  Attribute i64(int64_t v) { return b.getI64IntegerAttr(v); }

  /// What a scheme cannot say: fixed qparams, scale constraints and whether
  /// the axis follows the op's output channel.
  void constraints(StringRef role, const QuantSpec &q,
                   SmallVectorImpl<NamedAttribute> &out) {
    SmallVector<NamedAttribute> c;
    if (q.axisIsOutputChannel)
      c.push_back(named("output_channel_axis", b.getUnitAttr()));
    if (q.fixedScale)
      c.push_back(named("scale", b.getF64FloatAttr(*q.fixedScale)));
    if (q.fixedZeroPoint)
      c.push_back(named("zero_point", i64(*q.fixedZeroPoint)));
    if (q.minScale)
      c.push_back(named("min_scale", b.getF64FloatAttr(*q.minScale)));
    if (q.powerOfTwoScale)
      c.push_back(named("power_of_two_scale", b.getUnitAttr()));
    if (!c.empty())
      out.push_back(
          named((role + "_constraints").str(), b.getDictionaryAttr(c)));
  }

  /// The role keys of `roles`, or only those differing from `base`.
  void roles(const RoleSet &r, const RoleSet *base, StringRef opName,
             SmallVectorImpl<NamedAttribute> &out) {
    auto quant = [&](StringRef role, const QuantSpec &q, const QuantSpec *bq) {
      if (bq && *bq == q)
        return;
      out.push_back(named(role, q.toScheme(ctx, opName, rounding)));
      constraints(role, q, out);
    };
    quant("input", r.input, base ? &base->input : nullptr);
    quant("activation", r.activation, base ? &base->activation : nullptr);
    quant("weight", r.weight, base ? &base->weight : nullptr);
    if (!base || !(base->bias == r.bias)) {
      out.push_back(named("bias_bits", i64(r.bias.bits)));
      out.push_back(named("bias_storage_bits", i64(r.bias.storageBits)));
      if (r.bias.limitBits)
        out.push_back(named("bias_limit_bits", i64(*r.bias.limitBits)));
    }
    if (!base || !(base->accumulator == r.accumulator)) {
      out.push_back(named("accumulator_bits", i64(r.accumulator.bits)));
      out.push_back(
          named("accumulator_storage_bits", i64(r.accumulator.storageBits)));
    }
  }
};

/// The target default at `p` with output-channel axes resolved for `opName`:
/// what an op without overrides gets.
RoleSet defaultsForOp(const TargetDesc &t, StringRef opName, Precision p) {
  RoleSet r = t.getDefaultRoles(p);
  for (QuantSpec *q : {&r.input, &r.activation, &r.weight})
    if (q->axisIsOutputChannel)
      q->axis = getWeightOutputChannelAxis(opName);
  return r;
}

} // namespace

DictionaryAttr TargetDesc::toAttr(MLIRContext *ctx) const {
  ctx->getOrLoadDialect<QAPeftDialect>();
  AttrWriter w(ctx, rounding);
  Builder &b = w.b;
  SmallVector<NamedAttribute> top;
  top.push_back(w.named("name", b.getStringAttr(name)));
  if (!description.empty())
    top.push_back(w.named("description", b.getStringAttr(description)));
  top.push_back(w.named("rounding", RoundingModeAttr::get(ctx, rounding)));
  top.push_back(
      w.named("saturation", b.getStringAttr(stringifySaturation(saturation))));
  top.push_back(
      w.named("unsupported_ops",
              b.getStringAttr(stringifyUnsupportedOpPolicy(unsupported))));
  auto precisionList = [&](ArrayRef<Precision> ps) {
    return b.getArrayAttr(
        llvm::to_vector(llvm::map_range(ps, [&](Precision p) -> Attribute {
          return PrecisionAttr::get(ctx, p);
        })));
  };
  top.push_back(w.named("precisions", precisionList(precisions)));
  top.push_back(
      w.named("default_precision", PrecisionAttr::get(ctx, defaultPrecision)));
  // The default precision's grids, flat, as consumers expect.
  w.roles(defaults.at(defaultPrecision), nullptr, "", top);
  SmallVector<NamedAttribute> modes;
  for (const auto &[p, roles] : defaults) {
    if (p == defaultPrecision)
      continue;
    SmallVector<NamedAttribute> m;
    w.roles(roles, nullptr, "", m);
    modes.push_back(w.named(stringifyPrecision(p), b.getDictionaryAttr(m)));
  }
  if (!modes.empty())
    top.push_back(w.named("modes", b.getDictionaryAttr(modes)));

  if (opListed) {
    SmallVector<NamedAttribute> opAttrs;
    for (const auto &[opName, op] : ops) {
      SmallVector<NamedAttribute> o;
      if (!op.supported) {
        o.push_back(w.named("supported", b.getBoolAttr(false)));
        if (!op.reason.empty())
          o.push_back(w.named("reason", b.getStringAttr(op.reason)));
        opAttrs.push_back(w.named(opName, b.getDictionaryAttr(o)));
        continue;
      }
      if (!op.precisions.empty())
        o.push_back(w.named("precisions", precisionList(op.precisions)));
      const OpConstraints &c = op.constraints;
      auto lim = [&](StringRef key, const std::optional<int64_t> &v) {
        if (v)
          o.push_back(w.named(key, w.i64(*v)));
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
        o.push_back(w.named(
            "fused_activations",
            b.getArrayAttr(llvm::to_vector(llvm::map_range(
                *c.fusedActivations, [&](FusedActivation a) -> Attribute {
                  return b.getStringAttr(stringifyFusedActivation(a));
                })))));
      SmallVector<NamedAttribute> opModes;
      for (const auto &[p, roles] : op.roles) {
        // Compared with the top-level grid as written (conv-like axis 0),
        // so an op whose output-channel axis differs (depthwise, matmul)
        // gets its own key and raw readers of the attribute see it.
        const RoleSet &base = getDefaultRoles(p);
        if (p == defaultPrecision) {
          w.roles(roles, &base, opName, o);
          continue;
        }
        SmallVector<NamedAttribute> m;
        w.roles(roles, &base, opName, m);
        if (!m.empty())
          opModes.push_back(
              w.named(stringifyPrecision(p), b.getDictionaryAttr(m)));
      }
      if (!opModes.empty())
        o.push_back(w.named("modes", b.getDictionaryAttr(opModes)));
      opAttrs.push_back(w.named(opName, b.getDictionaryAttr(o)));
    }
    top.push_back(w.named("ops", b.getDictionaryAttr(opAttrs)));
  }
  return b.getDictionaryAttr(top);
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

namespace {

struct AttrReader {
  function_ref<InFlightDiagnostic()> emitError;

  template <typename T>
  FailureOr<T> get(DictionaryAttr d, StringRef key, StringRef where,
                   bool required = true) {
    Attribute a = d.get(key);
    if (!a) {
      if (required)
        emitError() << "qapeft.target" << where << ": missing '" << key << "'";
      return failure();
    }
    if (auto t = dyn_cast<T>(a))
      return t;
    emitError() << "qapeft.target" << where << ": '" << key
                << "' has the wrong kind of attribute: " << a;
    return failure();
  }

  /// Optional key: absent -> success with null; wrong kind -> failure.
  template <typename T>
  LogicalResult getOpt(DictionaryAttr d, StringRef key, StringRef where,
                       T &out) {
    out = {};
    if (!d.get(key))
      return success();
    FailureOr<T> v = get<T>(d, key, where);
    if (failed(v))
      return failure();
    out = *v;
    return success();
  }

  LogicalResult readQuant(DictionaryAttr d, StringRef role, StringRef where,
                          QuantSpec &q) {
    QuantSchemeAttr s;
    if (failed(getOpt(d, role, where, s)))
      return failure();
    if (!s)
      return success();
    q = QuantSpec();
    q.bits = s.getBits();
    q.storageBits = s.getStorage().getWidth();
    q.isSigned = s.getIsSigned();
    q.symmetric = s.getSymmetric();
    q.narrow = s.getNarrow();
    q.granularity = s.getGranularity();
    q.axis = s.getAxis();
    q.groupSize = s.getGroupSize();
    q.range = s.getRange();
    DictionaryAttr c;
    if (failed(getOpt(d, (role + "_constraints").str(), where, c)))
      return failure();
    if (!c)
      return success();
    q.axisIsOutputChannel = c.contains("output_channel_axis");
    q.powerOfTwoScale = c.contains("power_of_two_scale");
    FloatAttr f;
    IntegerAttr i;
    std::string cw = (where + "." + role + "_constraints").str();
    if (failed(getOpt(c, "scale", cw, f)))
      return failure();
    if (f)
      q.fixedScale = f.getValueAsDouble();
    if (failed(getOpt(c, "min_scale", cw, f)))
      return failure();
    if (f)
      q.minScale = f.getValueAsDouble();
    if (failed(getOpt(c, "zero_point", cw, i)))
      return failure();
    if (i)
      q.fixedZeroPoint = i.getInt();
    return success();
  }

  LogicalResult readBits(DictionaryAttr d, StringRef key, StringRef where,
                         unsigned &out) {
    IntegerAttr i;
    if (failed(getOpt(d, key, where, i)))
      return failure();
    if (i) {
      if (i.getInt() < 1 || i.getInt() > 64) {
        emitError() << "qapeft.target" << where << ": '" << key
                    << "' must be in [1, 64]";
        return failure();
      }
      out = i.getInt();
    }
    return success();
  }

  /// Overlays the role keys present in `d` onto `r`.
  LogicalResult readRoles(DictionaryAttr d, StringRef where, RoleSet &r) {
    if (failed(readQuant(d, "input", where, r.input)) ||
        failed(readQuant(d, "activation", where, r.activation)) ||
        failed(readQuant(d, "weight", where, r.weight)) ||
        failed(readBits(d, "bias_bits", where, r.bias.bits)) ||
        failed(readBits(d, "bias_storage_bits", where, r.bias.storageBits)) ||
        failed(readBits(d, "accumulator_bits", where, r.accumulator.bits)) ||
        failed(readBits(d, "accumulator_storage_bits", where,
                        r.accumulator.storageBits)))
      return failure();
    if (d.contains("bias_bits") || d.contains("bias_limit_bits")) {
      r.bias.limitBits.reset();
      unsigned limit = 0;
      if (failed(readBits(d, "bias_limit_bits", where, limit)))
        return failure();
      if (limit)
        r.bias.limitBits = limit;
    }
    return success();
  }

  FailureOr<SmallVector<Precision, 4>> readPrecisions(DictionaryAttr d,
                                                      StringRef where) {
    FailureOr<ArrayAttr> arr = get<ArrayAttr>(d, "precisions", where);
    if (failed(arr))
      return failure();
    SmallVector<Precision, 4> out;
    for (Attribute a : *arr) {
      auto p = dyn_cast<PrecisionAttr>(a);
      if (!p) {
        emitError() << "qapeft.target" << where
                    << ": 'precisions' holds a non-precision " << a;
        return failure();
      }
      out.push_back(p.getValue());
    }
    return out;
  }
};

} // namespace

FailureOr<TargetDesc>
TargetDesc::fromAttr(DictionaryAttr attr,
                     function_ref<InFlightDiagnostic()> emitError) {
  AttrReader r{emitError};
  TargetDesc t;
  TargetDescBuilder b(t);
  FailureOr<StringAttr> name = r.get<StringAttr>(attr, "name", "");
  FailureOr<RoundingModeAttr> rounding =
      r.get<RoundingModeAttr>(attr, "rounding", "");
  FailureOr<PrecisionAttr> defPrecision =
      r.get<PrecisionAttr>(attr, "default_precision", "");
  FailureOr<SmallVector<Precision, 4>> precisions = r.readPrecisions(attr, "");
  if (failed(name) || failed(rounding) || failed(defPrecision) ||
      failed(precisions))
    return failure();
  b.name() = name->str();
  b.rounding() = rounding->getValue();
  b.defaultPrecision() = defPrecision->getValue();
  b.precisions() = *precisions;
  if (!llvm::is_contained(*precisions, b.defaultPrecision())) {
    emitError() << "qapeft.target: default_precision is not in precisions";
    return failure();
  }
  StringAttr s;
  if (failed(r.getOpt(attr, "description", "", s)))
    return failure();
  if (s)
    b.description() = s.str();
  if (failed(r.getOpt(attr, "saturation", "", s)))
    return failure();
  if (s && s.getValue() != "saturate" && s.getValue() != "wrap") {
    emitError() << "qapeft.target: unknown saturation " << s;
    return failure();
  }
  b.saturation() =
      s && s.getValue() == "wrap" ? Saturation::Wrap : Saturation::Saturate;
  if (failed(r.getOpt(attr, "unsupported_ops", "", s)))
    return failure();
  if (s && s.getValue() != "error" && s.getValue() != "keep-float") {
    emitError() << "qapeft.target: unknown unsupported_ops policy " << s;
    return failure();
  }
  b.unsupported() = s && s.getValue() == "keep-float"
                        ? UnsupportedOpPolicy::KeepFloat
                        : UnsupportedOpPolicy::Error;

  // Defaults: the top-level keys, then each mode over them.
  if (!attr.contains("activation") || !attr.contains("weight")) {
    emitError() << "qapeft.target: missing 'activation' or 'weight' scheme";
    return failure();
  }
  RoleSet top;
  if (failed(r.readRoles(attr, "", top)))
    return failure();
  if (!attr.contains("input"))
    top.input = top.activation;
  DictionaryAttr modes;
  if (failed(r.getOpt(attr, "modes", "", modes)))
    return failure();
  for (Precision p : *precisions) {
    if (isFloatPrecision(p))
      continue;
    if (p == b.defaultPrecision()) {
      b.defaults()[p] = top;
      continue;
    }
    DictionaryAttr m;
    if (!modes || failed(r.getOpt(modes, stringifyPrecision(p), ".modes", m)) ||
        !m) {
      emitError() << "qapeft.target: no modes entry for precision "
                  << stringifyPrecision(p);
      return failure();
    }
    RoleSet roles = top;
    if (failed(
            r.readRoles(m, (".modes." + stringifyPrecision(p)).str(), roles)))
      return failure();
    b.defaults()[p] = roles;
  }

  DictionaryAttr ops;
  if (failed(r.getOpt(attr, "ops", "", ops)))
    return failure();
  b.opListed() = bool(ops);
  if (!ops)
    return t;
  for (NamedAttribute entry : ops) {
    std::string where = (".ops." + entry.getName().strref()).str();
    auto d = dyn_cast<DictionaryAttr>(entry.getValue());
    if (!d) {
      emitError() << "qapeft.target" << where << ": expected a dictionary";
      return failure();
    }
    OpDesc op;
    op.name = entry.getName().str();
    BoolAttr supported;
    if (failed(r.getOpt(d, "supported", where, supported)))
      return failure();
    if (supported && !supported.getValue()) {
      op.supported = false;
      if (failed(r.getOpt(d, "reason", where, s)))
        return failure();
      if (s)
        op.reason = s.str();
      b.ops()[op.name] = op;
      continue;
    }
    if (d.contains("precisions")) {
      FailureOr<SmallVector<Precision, 4>> ps = r.readPrecisions(d, where);
      if (failed(ps))
        return failure();
      op.precisions = *ps;
    }
    OpConstraints &c = op.constraints;
    for (auto [key, slot] : {std::pair<StringRef, std::optional<int64_t> *>{
                                 "max_stride", &c.maxStride},
                             {"max_dilation", &c.maxDilation},
                             {"max_kernel_height", &c.maxKernelHeight},
                             {"max_kernel_width", &c.maxKernelWidth},
                             {"max_kernel_area", &c.maxKernelArea},
                             {"max_input_channels", &c.maxInputChannels},
                             {"max_output_channels", &c.maxOutputChannels},
                             {"max_rank", &c.maxRank},
                             {"max_batch", &c.maxBatch},
                             {"max_weight_sum", &c.maxWeightSum}}) {
      IntegerAttr i;
      if (failed(r.getOpt(d, key, where, i)))
        return failure();
      if (i)
        *slot = i.getInt();
    }
    ArrayAttr acts;
    if (failed(r.getOpt(d, "fused_activations", where, acts)))
      return failure();
    if (acts) {
      c.fusedActivations.emplace();
      for (Attribute a : acts) {
        auto str = dyn_cast<StringAttr>(a);
        std::optional<FusedActivation> act;
        if (str)
          for (FusedActivation f :
               {FusedActivation::None, FusedActivation::Relu,
                FusedActivation::Relu6, FusedActivation::ReluN1To1})
            if (str.getValue() == stringifyFusedActivation(f))
              act = f;
        if (!act) {
          emitError() << "qapeft.target" << where
                      << ": unknown fused activation " << a;
          return failure();
        }
        c.fusedActivations->push_back(*act);
      }
    }
    DictionaryAttr opModes;
    if (failed(r.getOpt(d, "modes", where, opModes)))
      return failure();
    for (Precision p : op.precisions.empty()
                           ? ArrayRef<Precision>(*precisions)
                           : ArrayRef<Precision>(op.precisions)) {
      if (isFloatPrecision(p))
        continue;
      RoleSet roles = defaultsForOp(t, op.name, p);
      DictionaryAttr layer = d;
      if (p != b.defaultPrecision()) {
        layer = {};
        if (opModes &&
            failed(r.getOpt(opModes, stringifyPrecision(p), where, layer)))
          return failure();
      }
      if (layer && failed(r.readRoles(layer, where, roles)))
        return failure();
      op.roles[p] = roles;
    }
    b.ops()[op.name] = op;
  }
  return t;
}

bool TargetDesc::hasTarget(ModuleOp module) {
  return module->hasAttr(kTargetAttrName);
}

FailureOr<TargetDesc> TargetDesc::fromModule(ModuleOp module) {
  Attribute a = module->getAttr(kTargetAttrName);
  if (!a)
    return module.emitError()
           << "no target attached (run --qapeft-attach-target first)";
  auto d = dyn_cast<DictionaryAttr>(a);
  if (!d)
    return module.emitError()
           << "'" << kTargetAttrName << "' must be a dictionary, got " << a;
  return fromAttr(d, [&] { return module.emitError(); });
}
