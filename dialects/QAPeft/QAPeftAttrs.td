//===- QAPeftAttrs.td - qapeft attributes ------------------*- tablegen -*-===//

#ifndef QAPEFT_ATTRS_TD
#define QAPEFT_ATTRS_TD

include "QAPeftDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def QAPeft_Granularity : I32EnumAttr<"Granularity",
    "how many scales a quantized tensor has", [
      I32EnumAttrCase<"PerTensor", 0, "per_tensor">,
      I32EnumAttrCase<"PerChannel", 1, "per_channel">,
      I32EnumAttrCase<"PerGroup", 2, "per_group">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_GranularityAttr : EnumAttr<QAPeft_Dialect, QAPeft_Granularity,
                                      "granularity"> {
  let assemblyFormat = "$value";
}

// The four requantization roundings real runtimes use (DESIGN.md section 3).
def QAPeft_RoundingMode : I32EnumAttr<"RoundingMode",
    "requantization rounding of the target's integer kernels", [
      I32EnumAttrCase<"Single", 0, "single">,
      I32EnumAttrCase<"Double", 1, "double">,
      I32EnumAttrCase<"Fp32HalfEven", 2, "fp32_half_even">,
      I32EnumAttrCase<"HalfAway", 3, "half_away">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_RoundingModeAttr : EnumAttr<QAPeft_Dialect, QAPeft_RoundingMode,
                                       "rounding"> {
  let assemblyFormat = "$value";
}

def QAPeft_RangeSource : I32EnumAttr<"RangeSource",
    "where the scale and zero point of a fake quant come from", [
      I32EnumAttrCase<"Calibrated", 0, "calibrated">,
      I32EnumAttrCase<"Observer", 1, "observer">,
      I32EnumAttrCase<"Learnable", 2, "learnable">,
      I32EnumAttrCase<"Weight", 3, "weight">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_RangeSourceAttr : EnumAttr<QAPeft_Dialect, QAPeft_RangeSource,
                                      "range_source"> {
  let assemblyFormat = "$value";
}

def QAPeft_Precision : I32EnumAttr<"Precision",
    "arithmetic precision of a mixed-precision region", [
      I32EnumAttrCase<"Int8", 0, "int8">,
      I32EnumAttrCase<"Int16x8", 1, "int16x8">,
      I32EnumAttrCase<"Int4x8", 2, "int4x8">,
      I32EnumAttrCase<"F16", 3, "f16">,
      I32EnumAttrCase<"F32", 4, "f32">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_PrecisionAttr : EnumAttr<QAPeft_Dialect, QAPeft_Precision,
                                    "precision"> {
  let assemblyFormat = "$value";
}

def QAPeft_QuantSchemeAttr : AttrDef<QAPeft_Dialect, "QuantScheme"> {
  let mnemonic = "scheme";
  let summary = "how a tensor is quantized on the target";
  let description = [{
    The integer grid a `qapeft.fake_quant` simulates:
    `q = clamp(round(x / s) + z, qmin, qmax)`, `x' = (q - z) * s`.

    - `bits` (2..16) and `storage` (the integer type the device holds it in;
      `bits` must fit it), `is_signed`;
    - `symmetric` (zero point fixed at 0) and `narrow` (drop the most
      negative code, e.g. int8 weights in [-127, 127]);
    - `granularity`: `per_tensor`, `per_channel` along `axis`, or
      `per_group` of `group_size` consecutive elements along `axis`;
    - `rounding`: the requantization rounding of the target's kernels, used
      by the hardware-exact mode and the integer lowering;
    - `range`: where scale and zero point come from (`calibrated` by an
      observer run, `observer` updated during training, `learnable`
      LSQ-style, or `weight`: computed from the weight itself each step).

    Example: `#qapeft.scheme<bits = 8, storage = i8, symmetric = true,
    narrow = true, granularity = per_channel, axis = 0, range = weight>`.
  }];
  let parameters = (ins
    "unsigned":$bits,
    "::mlir::IntegerType":$storage,
    DefaultValuedParameter<"bool", "true">:$is_signed,
    DefaultValuedParameter<"bool", "false">:$symmetric,
    DefaultValuedParameter<"bool", "false">:$narrow,
    DefaultValuedParameter<"::mlir::qapeft::Granularity",
                           "::mlir::qapeft::Granularity::PerTensor">:$granularity,
    DefaultValuedParameter<"int64_t", "-1">:$axis,
    DefaultValuedParameter<"int64_t", "0">:$group_size,
    DefaultValuedParameter<"::mlir::qapeft::RoundingMode",
                           "::mlir::qapeft::RoundingMode::Single">:$rounding,
    DefaultValuedParameter<"::mlir::qapeft::RangeSource",
                           "::mlir::qapeft::RangeSource::Calibrated">:$range
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Smallest and largest integer code of the grid.
    int64_t getQMin() const;
    int64_t getQMax() const;
    bool isPerChannel() const {
      return getGranularity() == ::mlir::qapeft::Granularity::PerChannel;
    }
    bool isPerGroup() const {
      return getGranularity() == ::mlir::qapeft::Granularity::PerGroup;
    }
  }];
}

#endif // QAPEFT_ATTRS_TD
