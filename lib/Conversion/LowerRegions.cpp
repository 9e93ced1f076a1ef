//===- LowerRegions.cpp - integer lowering of mixed-precision regions -----===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h).
//
// A `qapeft.region` is lowered in place of the region op, into the
// function's block (the integer graph is flat):
//
//   - integer precisions (int8, int16x8, int4x8): --qapeft-assign-precision
//     has put the fake quants inside on the region's grids, so the body is
//     lowered op by op like the rest of the function; the widths follow from
//     the quantizers (i16 activations accumulate in i48 with an i48 bias).
//     The boundaries are the region's entry and exit fake quants, lowered as
//     requantizations (tosa.rescale i8 <-> i16) by the activation lowering.
//   - f32 islands: every integer input is dequantized (the float-io form
//     `(q - zp) * s`), the body's float ops are kept as they are, and each
//     fake quant reading a result quantizes it back (the float-io quantize
//     form). Compile-time operands (weights, biases) become f32 constants.
//
//===----------------------------------------------------------------------===//

#include "ConversionUtils.h"
#include "FunctionLowering.h"

#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

namespace {
/// The activation storage width of an integer precision.
unsigned activationWidth(Precision p) {
  return p == Precision::Int16x8 ? 16 : 8;
}

/// True if `fq` quantizes an activation (not a compile-time weight).
bool isActivationQuantizer(FakeQuantOp fq) {
  return !isCompileTimeTensor(fq.getInput()) &&
         !fq.getInput().getDefiningOp<LoraDeltaOp>();
}
} // namespace

std::optional<LogicalResult> FunctionLowering::lowerRegion(Operation *op) {
  auto region = dyn_cast<RegionOp>(op);
  if (!region)
    return std::nullopt;
  Precision precision = region.getPrecision();
  StringRef pname = stringifyPrecision(precision);
  if (precision == Precision::F16)
    return region.emitError("cannot lower to integer: f16 regions are not "
                            "supported (TOSA's int profile has no f16; use "
                            "an f32 region)");
  bool floatIsland = precision == Precision::F32;
  Block &body = region.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());

  // The quantizers inside must be on the region's grid: a region wrapped by
  // hand (or before the fake quants were inserted) would silently compute
  // at the surrounding precision.
  for (Operation &inner : body.without_terminator()) {
    auto fq = dyn_cast<FakeQuantOp>(inner);
    if (!fq)
      continue;
    if (floatIsland)
      return fq.emitError("cannot lower to integer: an f32 region holds no "
                          "qapeft.fake_quant (run --qapeft-assign-precision "
                          "to place the region's quantizers)");
    if (!isActivationQuantizer(fq))
      continue;
    unsigned width = fq.getScheme().getStorage().getWidth();
    if (width != activationWidth(precision))
      return fq.emitError("cannot lower to integer: this activation is "
                          "quantized to i")
             << width << " inside a " << pname
             << " region, whose activations are i" << activationWidth(precision)
             << " (run --qapeft-assign-precision to re-scheme the region)";
  }

  // Move the body in front of the region: the op lowerings build their
  // integer ops right before the ops they replace, which must be in the
  // function's block. The moved float ops are erased with the others.
  SmallVector<Operation *> bodyOps;
  for (Operation &inner : body.without_terminator())
    bodyOps.push_back(&inner);
  for (Operation *inner : bodyOps) {
    inner->moveBefore(region);
    originalOps.insert(inner);
  }

  if (!floatIsland) {
    // A boundary requantization may read the model input directly; the
    // integer argument types are set at the end (finish()), but the rescale
    // takes its zero point's type from its input, so give the quantized
    // arguments their integer type now (they only feed fake quants, which
    // are erased).
    for (auto &[index, q] : argInfos) {
      BlockArgument arg = func.getArgument(index);
      arg.setType(withElement(arg.getType(), q.storage));
    }
    for (Operation *inner : bodyOps)
      if (failed(lowerOp(inner)))
        return failure();
    for (auto [result, yielded] :
         llvm::zip(region.getResults(), yield.getValues())) {
      Value iv = lookupInt(yielded);
      if (!iv)
        return region.emitError("cannot lower to integer: result ")
               << result.getResultNumber() << " of this " << pname
               << " region is not fake quantized";
      intValues[result] = iv;
    }
    return success();
  }

  // --- f32 island.
  IRMapping map;
  llvm::DenseMap<Value, Value> dequantized;
  builder.setInsertionPoint(region);
  auto floatOperand = [&](Operation *user, Value v) -> FailureOr<Value> {
    if (Value m = map.lookupOrNull(v))
      return m;
    if (Value iv = lookupInt(v)) {
      Value &d = dequantized[iv];
      if (!d) {
        auto it = infos.find(iv);
        if (it == infos.end() || !it->second.isPerTensor())
          return user->emitError("cannot lower to integer: the input of this "
                                 "f32 region op is not a per-tensor "
                                 "quantized value");
        d = emitDequantize(user->getLoc(), iv, it->second);
        newOps.insert(d.getDefiningOp());
      }
      return d;
    }
    Operation *def = v.getDefiningOp();
    if (def && (isa<tosa::ConstOp, tosa::ConstShapeOp>(def) ||
                def->hasTrait<OpTrait::ConstantLike>())) {
      Operation *clone = builder.clone(*def);
      newOps.insert(clone);
      return clone->getResult(cast<OpResult>(v).getResultNumber());
    }
    // Parameters (trained values) become plain f32 constants.
    if (auto vals = getConstantFloats(v)) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      if (type && type.hasStaticShape()) {
        auto c = tosa::ConstOp::create(builder, v.getLoc(), type,
                                       makeF32Attr(type, *vals));
        newOps.insert(c);
        return c.getResult();
      }
    }
    return user->emitError("cannot lower to integer: an operand of this op "
                           "in an f32 region is neither quantized nor a "
                           "compile-time tensor");
  };
  for (Operation *inner : bodyOps) {
    // Compile-time values are materialized where they are used.
    if (isa<ParamOp, tosa::ConstOp, tosa::ConstShapeOp>(inner) ||
        inner->hasTrait<OpTrait::ConstantLike>())
      continue;
    if (inner->getNumRegions() != 0)
      return inner->emitError("cannot lower to integer: nested regions in "
                              "an f32 region");
    for (Value v : inner->getOperands()) {
      FailureOr<Value> f = floatOperand(inner, v);
      if (failed(f))
        return failure();
      map.map(v, *f);
    }
    Operation *clone = builder.clone(*inner, map);
    newOps.insert(clone);
    handled.insert(inner);
  }

  // The quantize boundary: every fake quant of a result (placed after the
  // region by --qapeft-assign-precision) quantizes the float value.
  for (auto [result, yielded] :
       llvm::zip(region.getResults(), yield.getValues())) {
    FailureOr<Value> fv = floatOperand(region, yielded);
    if (failed(fv))
      return failure();
    for (Operation *user : result.getUsers()) {
      auto fq = dyn_cast<FakeQuantOp>(user);
      if (!fq || fq.getInput() != result)
        return user->emitError("cannot lower to integer: the result of an "
                               "f32 region must be quantized by a "
                               "qapeft.fake_quant before other ops use it");
      FailureOr<QInfo> q = activationInfo(fq);
      if (failed(q))
        return failure();
      Value out = emitQuantize(fq.getLoc(), *fv, *q);
      newOps.insert(out.getDefiningOp());
      intValues[fq.getOutput()] = out;
      infos[out] = *q;
      setTensorName(out, fq);
      handled.insert(fq);
    }
  }
  return success();
}
