//===- CheckTarget.cpp - report what the target cannot run ----------------===//
//
// Implements --qapeft-check-target: the equivalent of Vela's "placing on
// CPU" report, but before training, so a user learns that an op, stride or
// precision will not run on the accelerator while the model can still be
// changed. Every problem is a diagnostic at the op's location.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/TargetDesc/TargetDesc.h"
#include "qapeft/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <limits>

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_CHECKTARGET
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {

/// Ops that are data or structure, not computation a target runs.
bool isStructural(Operation *op) {
  if (isa<ModuleOp>(op) || op->hasTrait<OpTrait::IsTerminator>())
    return true;
  StringRef name = op->getName().getStringRef();
  if (name.starts_with("func.") || name == "tosa.const" ||
      name == "tosa.const_shape" || name == "arith.constant")
    return true;
  // qapeft ops are training-time constructs (params, fake quant, adapters);
  // regions are checked for their precision separately.
  return op->getName().getDialectNamespace() == "qapeft";
}

/// The layout of the weight operand (operand 1) of the conv-like ops:
/// indices of kernel height and width.
std::optional<std::pair<unsigned, unsigned>>
weightKernelDims(StringRef opName) {
  if (opName == "tosa.conv2d" || opName == "tosa.transpose_conv2d")
    return std::make_pair(1u, 2u); // OHWI
  if (opName == "tosa.depthwise_conv2d")
    return std::make_pair(0u, 1u); // HWCM
  if (opName == "tosa.conv3d")
    return std::make_pair(2u, 3u); // ODHWI
  return std::nullopt;
}

/// The precision an op computes at, from its types: 16-bit integer
/// activations -> int16x8, 8-bit -> int8 (int4x8 with a 4-bit weight),
/// f16 -> f16; a float (f32) op is still to be quantized, so it runs at the
/// target's default precision.
std::optional<Precision> inferPrecision(Operation *op) {
  unsigned actBits = 0;
  bool f16 = false;
  auto visit = [&](Type t) {
    auto tensor = dyn_cast<ShapedType>(t);
    if (!tensor)
      return;
    Type e = tensor.getElementType();
    if (auto i = dyn_cast<IntegerType>(e)) {
      if (!actBits && (i.getWidth() == 8 || i.getWidth() == 16))
        actBits = i.getWidth();
    } else if (e.isF16()) {
      f16 = true;
    }
  };
  for (Type t : op->getOperandTypes())
    visit(t);
  for (Type t : op->getResultTypes())
    visit(t);
  if (actBits == 16)
    return Precision::Int16x8;
  if (actBits == 8) {
    if (weightKernelDims(op->getName().getStringRef()) &&
        op->getNumOperands() > 1)
      if (auto w = dyn_cast<ShapedType>(op->getOperand(1).getType()))
        if (w.getElementType().isInteger(4))
          return Precision::Int4x8;
    return Precision::Int8;
  }
  if (f16)
    return Precision::F16;
  return std::nullopt;
}

std::string formatArray(ArrayRef<int64_t> v) {
  return "[" +
         llvm::join(
             llvm::map_range(v, [](int64_t x) { return std::to_string(x); }),
             ", ") +
         "]";
}

/// Classifies a float activation clamp; nullopt for any other range.
std::optional<FusedActivation> classifyClamp(Operation *clamp) {
  auto lo = dyn_cast_or_null<FloatAttr>(clamp->getAttr("min_val"));
  auto hi = dyn_cast_or_null<FloatAttr>(clamp->getAttr("max_val"));
  if (!lo || !hi)
    return std::nullopt;
  double a = lo.getValueAsDouble(), b = hi.getValueAsDouble();
  if (a == 0 && b >= std::numeric_limits<float>::max())
    return FusedActivation::Relu;
  if (a == 0 && b == 6)
    return FusedActivation::Relu6;
  if (a == -1 && b == 1)
    return FusedActivation::ReluN1To1;
  return std::nullopt;
}

/// Per-output-channel sum of |q| of a constant weight, quantized the way
/// the target quantizes it (symmetric on its grid) when it is float.
std::optional<int64_t> maxWeightSum(Value weight, int64_t axis,
                                    const QuantSpec &grid) {
  Operation *def = weight.getDefiningOp();
  if (!def)
    return std::nullopt;
  DenseElementsAttr values;
  for (StringRef key : {"values", "value"})
    if (auto d = dyn_cast_or_null<DenseElementsAttr>(def->getAttr(key)))
      values = d;
  auto type = values ? dyn_cast<RankedTensorType>(values.getType()) : nullptr;
  if (!type || axis < 0 || axis >= type.getRank())
    return std::nullopt;
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = shape[axis];
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  if (channels <= 0 || inner <= 0)
    return std::nullopt; // an empty weight has no sums
  auto channelOf = [&](int64_t flat) { return (flat / inner) % channels; };
  SmallVector<int64_t> sums(channels, 0);
  if (isa<IntegerType>(type.getElementType())) {
    int64_t idx = 0;
    for (const APInt &v : values.getValues<APInt>())
      sums[channelOf(idx++)] += std::abs(v.getSExtValue());
  } else if (isa<FloatType>(type.getElementType())) {
    SmallVector<double> w;
    for (const APFloat &v : values.getValues<APFloat>())
      w.push_back(v.convertToDouble());
    bool perChannel = grid.granularity != Granularity::PerTensor;
    SmallVector<double> maxAbs(perChannel ? channels : 1, 0.0);
    for (size_t i = 0; i < w.size(); ++i) {
      double &m = maxAbs[perChannel ? channelOf(i) : 0];
      m = std::max(m, std::abs(w[i]));
    }
    double qmax = double(grid.qmax());
    for (size_t i = 0; i < w.size(); ++i) {
      double m = maxAbs[perChannel ? channelOf(i) : 0];
      if (m == 0)
        continue;
      double q = std::nearbyint(w[i] / (m / qmax));
      sums[channelOf(i)] += int64_t(std::min(std::abs(q), qmax));
    }
  } else {
    return std::nullopt;
  }
  return *std::max_element(sums.begin(), sums.end());
}

struct CheckTargetPass : public qapeft::impl::CheckTargetBase<CheckTargetPass> {
  using CheckTargetBase::CheckTargetBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<TargetDesc> target = TargetDesc::fromModule(module);
    if (failed(target))
      return signalPassFailure();
    t = &*target;
    asError =
        !warnOnly && t->getUnsupportedOpPolicy() == UnsupportedOpPolicy::Error;
    failedAny = false;
    module.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto region = dyn_cast<RegionOp>(op))
        return checkRegion(region);
      if (!isStructural(op))
        checkOp(op);
      return WalkResult::advance();
    });
    if (failedAny)
      signalPassFailure();
  }

private:
  void report(Operation *op, const Twine &message) {
    InFlightDiagnostic d =
        asError ? op->emitError(message) : op->emitWarning(message);
    // Said once per op, however many reasons it has.
    if (!asError && !warnOnly && noted.insert(op).second)
      d.attachNote() << "it stays in float (unsupported_ops: keep-float)";
    failedAny |= asError;
  }

  WalkResult checkRegion(RegionOp region) {
    Precision p = region.getPrecision();
    if (t->supportsPrecision(p))
      return WalkResult::advance();
    report(region,
           "target '" + t->getName() + "' has no " + stringifyPrecision(p) +
               " precision (precisions: " +
               llvm::join(llvm::map_range(t->getPrecisions(),
                                          [](Precision q) {
                                            return stringifyPrecision(q).str();
                                          }),
                          ", ") +
               ")");
    // The ops inside share the region's fate; one report is enough.
    return WalkResult::skip();
  }

  std::optional<Precision> precisionOf(Operation *op) {
    if (auto region = op->getParentOfType<RegionOp>())
      return region.getPrecision();
    return inferPrecision(op);
  }

  void checkOp(Operation *op) {
    StringRef name = op->getName().getStringRef();
    std::optional<Precision> precision = precisionOf(op);
    std::string reason;
    if (!t->isOpSupported(name, precision, &reason))
      return report(op, reason);
    const OpDesc *desc = t->lookupOp(name);
    if (!desc)
      return;
    const OpConstraints &c = desc->constraints;
    std::string prefix =
        ("target '" + t->getName() + "' cannot run '" + name + "': ").str();
    auto limit = [&](StringRef what, int64_t value,
                     const std::optional<int64_t> &max, StringRef key) {
      if (max && value > *max)
        report(op, prefix + what + " " + std::to_string(value) + " exceeds " +
                       key + " " + std::to_string(*max));
    };

    SmallVector<int64_t, 2> dilation{1, 1};
    if (auto d = op->getAttrOfType<DenseI64ArrayAttr>("dilation"))
      dilation.assign(d.asArrayRef().begin(), d.asArrayRef().end());
    if (auto s = op->getAttrOfType<DenseI64ArrayAttr>("stride")) {
      ArrayRef<int64_t> stride = s.asArrayRef();
      if (c.maxStride &&
          llvm::any_of(stride, [&](int64_t v) { return v > *c.maxStride; }))
        report(op, prefix + "stride " + formatArray(stride) +
                       " exceeds max_stride " + std::to_string(*c.maxStride));
    }
    if (c.maxDilation &&
        llvm::any_of(dilation, [&](int64_t v) { return v > *c.maxDilation; }))
      report(op, prefix + "dilation " + formatArray(dilation) +
                     " exceeds max_dilation " + std::to_string(*c.maxDilation));

    // Kernel: from the weight shape (conv-like) or the `kernel` attribute
    // (pools); limits apply to the dilated kernel, as Vela's do.
    std::optional<std::pair<int64_t, int64_t>> kernel;
    if (auto dims = weightKernelDims(name); dims && op->getNumOperands() > 1) {
      auto w = dyn_cast<RankedTensorType>(op->getOperand(1).getType());
      if (w && w.getRank() > std::max(dims->first, dims->second) &&
          !w.isDynamicDim(dims->first) && !w.isDynamicDim(dims->second))
        kernel = {w.getDimSize(dims->first), w.getDimSize(dims->second)};
    } else if (auto k = op->getAttrOfType<DenseI64ArrayAttr>("kernel")) {
      if (k.size() == 2)
        kernel = {k[0], k[1]};
    }
    if (kernel) {
      // The last two dilations are height and width (conv3d leads with
      // depth).
      size_t off = dilation.size() > 2 ? dilation.size() - 2 : 0;
      int64_t dh = off < dilation.size() ? dilation[off] : 1;
      int64_t dw = off + 1 < dilation.size() ? dilation[off + 1] : 1;
      int64_t kh = (kernel->first - 1) * dh + 1;
      int64_t kw = (kernel->second - 1) * dw + 1;
      limit("kernel height", kh, c.maxKernelHeight, "max_kernel_height");
      limit("kernel width", kw, c.maxKernelWidth, "max_kernel_width");
      limit("kernel area", kh * kw, c.maxKernelArea, "max_kernel_area");
    }

    // Channels, rank, batch from the static shapes.
    auto in = op->getNumOperands() > 0
                  ? dyn_cast<RankedTensorType>(op->getOperand(0).getType())
                  : nullptr;
    auto out = op->getNumResults() > 0
                   ? dyn_cast<RankedTensorType>(op->getResult(0).getType())
                   : nullptr;
    if (in && in.getRank() > 0 && !in.isDynamicDim(in.getRank() - 1))
      limit("input channels", in.getDimSize(in.getRank() - 1),
            c.maxInputChannels, "max_input_channels");
    if (out && out.getRank() > 0 && !out.isDynamicDim(out.getRank() - 1))
      limit("output channels", out.getDimSize(out.getRank() - 1),
            c.maxOutputChannels, "max_output_channels");
    if (c.maxRank) {
      int64_t rank = 0;
      for (Type ty : llvm::concat<const Type>(op->getOperandTypes(),
                                              op->getResultTypes()))
        if (auto r = dyn_cast<RankedTensorType>(ty))
          rank = std::max(rank, r.getRank());
      limit("tensor rank", rank, c.maxRank, "max_rank");
    }
    // A dynamic batch is fixed at deployment; only a static one is checked.
    if (in && in.getRank() >= 3 && !in.isDynamicDim(0))
      limit("batch", in.getDimSize(0), c.maxBatch, "max_batch");

    if (c.maxWeightSum && weightKernelDims(name) && op->getNumOperands() > 1) {
      const QuantSpec &grid = t->getQuant(name, TensorRole::Weight, precision);
      if (std::optional<int64_t> sum = maxWeightSum(
              op->getOperand(1), getWeightOutputChannelAxis(name), grid))
        limit("quantized weight sum of an output channel", *sum, c.maxWeightSum,
              "max_weight_sum");
    }

    // An integer graph states its accumulator (acc_type); the target's may
    // not be narrower, or the sums the graph relies on would not fit.
    if (auto acc = op->getAttrOfType<TypeAttr>("acc_type")) {
      const AccumulatorSpec &spec = t->getAccumulator(name, precision);
      if (auto it = dyn_cast<IntegerType>(acc.getValue());
          it && it.getWidth() > spec.bits)
        report(op, prefix + "accumulator i" + std::to_string(it.getWidth()) +
                       " is wider than the target's " +
                       std::to_string(spec.bits) + "-bit accumulator");
    }

    if (name == "tosa.clamp")
      checkFusedClamp(op);
  }

  /// A clamp right after an op (its only user) is that op's fused
  /// activation; the producer's target entry says which it can fuse.
  void checkFusedClamp(Operation *clamp) {
    Operation *producer = clamp->getOperand(0).getDefiningOp();
    if (!producer || !producer->getResult(0).hasOneUse())
      return;
    const OpDesc *desc = t->lookupOp(producer->getName().getStringRef());
    if (!desc || !desc->constraints.fusedActivations)
      return;
    if (!isa<FloatType>(getElementTypeOrSelf(clamp->getOperand(0).getType())))
      return; // integer clamp bounds depend on the zero point; not classified
    std::optional<FusedActivation> kind = classifyClamp(clamp);
    const auto &allowed = *desc->constraints.fusedActivations;
    if (kind && llvm::is_contained(allowed, *kind))
      return;
    std::string what =
        kind ? stringifyFusedActivation(*kind).str()
             : "clamp [" +
                   llvm::join(llvm::map_range(
                                  ArrayRef<StringRef>{"min_val", "max_val"},
                                  [&](StringRef k) {
                                    std::string s;
                                    llvm::raw_string_ostream os(s);
                                    os << clamp->getAttr(k);
                                    return s;
                                  }),
                              ", ") +
                   "]";
    report(clamp,
           "target '" + t->getName() + "' cannot fuse " + what + " into '" +
               producer->getName().getStringRef() + "' (fused_activations: " +
               llvm::join(
                   llvm::map_range(allowed,
                                   [](FusedActivation a) {
                                     return stringifyFusedActivation(a).str();
                                   }),
                   ", ") +
               ")");
  }

  llvm::SmallPtrSet<Operation *, 8> noted;
  const TargetDesc *t = nullptr;
  bool asError = true;
  bool failedAny = false;
};

} // namespace
