//===- QAPeftDialect.cpp - the qapeft dialect -----------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::qapeft;

#include "qapeft/Dialect/QAPeft/IR/QAPeftDialect.cpp.inc"

void QAPeftDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "qapeft/Dialect/QAPeft/IR/QAPeftOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Discardable attributes
//===----------------------------------------------------------------------===//

namespace {
constexpr StringLiteral kScale = "qapeft.scale";
constexpr StringLiteral kZeroPoint = "qapeft.zero_point";
constexpr StringLiteral kQuantDim = "qapeft.quantized_dimension";

/// Checks the quantization attributes in `attrs` that describe a value of
/// type `type`. Called once per attribute; the cross checks run when `name`
/// is the scale, so each problem is reported once. `emit` locates the
/// diagnostic (op, argument or result).
LogicalResult
verifyQuantAttr(StringRef name, Attribute value, DictionaryAttr attrs,
                Type type, function_ref<InFlightDiagnostic()> emit) {
  if (name == kZeroPoint) {
    auto zps = dyn_cast<ArrayAttr>(value);
    if (!zps || !llvm::all_of(zps, llvm::IsaPred<IntegerAttr>))
      return emit() << "'" << kZeroPoint
                    << "' must be an array of integers, got " << value;
    return success();
  }
  if (name == kQuantDim) {
    auto dim = dyn_cast<IntegerAttr>(value);
    if (!dim)
      return emit() << "'" << kQuantDim << "' must be an integer, got "
                    << value;
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (dim.getInt() < 0 || (ranked && dim.getInt() >= ranked.getRank()))
      return emit() << "'" << kQuantDim << "' " << dim.getInt()
                    << " is out of range for " << type;
    return success();
  }
  if (name != kScale)
    return success();

  auto scales = dyn_cast<ArrayAttr>(value);
  if (!scales || scales.empty() ||
      !llvm::all_of(scales, llvm::IsaPred<FloatAttr>))
    return emit() << "'" << kScale
                  << "' must be a non-empty array of floats, got " << value;
  size_t n = scales.size();
  if (auto zps = attrs ? attrs.getAs<ArrayAttr>(kZeroPoint) : ArrayAttr())
    if (zps.size() > 1 && zps.size() != n)
      return emit() << "'" << kZeroPoint << "' has " << zps.size()
                    << " values for " << n << " scale(s)";
  // One scale per index of the quantized dimension (axis 0 unless given,
  // as TFLite reads it).
  if (n > 1)
    if (auto ranked = dyn_cast<RankedTensorType>(type)) {
      int64_t axis = 0;
      if (auto dim = attrs ? attrs.getAs<IntegerAttr>(kQuantDim)
                           : IntegerAttr())
        axis = dim.getInt();
      if (axis >= 0 && axis < ranked.getRank() &&
          !ranked.isDynamicDim(axis) &&
          ranked.getDimSize(axis) != static_cast<int64_t>(n))
        return emit() << "'" << kScale << "' has " << n
                      << " values but dimension " << axis << " of " << type
                      << " has " << ranked.getDimSize(axis);
    }
  return success();
}

bool isQuantAttr(StringRef name) {
  return name == kScale || name == kZeroPoint || name == kQuantDim;
}
} // namespace

LogicalResult QAPeftDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (!isQuantAttr(name))
    return success();
  // The attributes describe the op's (single) result.
  if (op->getNumResults() != 1)
    return op->emitOpError() << "'" << name
                             << "' needs an op with exactly one result";
  return verifyQuantAttr(name, attr.getValue(), op->getAttrDictionary(),
                         op->getResult(0).getType(),
                         [&] { return op->emitOpError(); });
}

LogicalResult QAPeftDialect::verifyRegionArgAttribute(Operation *op,
                                                      unsigned regionIndex,
                                                      unsigned argIndex,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  auto emit = [&] {
    return op->emitOpError() << "argument #" << argIndex << ": ";
  };
  if (name == "qapeft.param" || name == "qapeft.opt_state") {
    auto str = dyn_cast<StringAttr>(attr.getValue());
    if (!str || str.getValue().empty())
      return emit() << "'" << name << "' must be a non-empty string, got "
                    << attr.getValue();
    return success();
  }
  if (name == "qapeft.step" || name == "qapeft.lr" ||
      name == "qapeft.input" || name == "qapeft.labels") {
    if (!isa<UnitAttr>(attr.getValue()))
      return emit() << "'" << name << "' must be a unit attribute, got "
                    << attr.getValue();
    return success();
  }
  if (!isQuantAttr(name))
    return success();
  Region &region = op->getRegion(regionIndex);
  if (region.empty() || argIndex >= region.getNumArguments())
    return success(); // A declaration: no argument to describe.
  DictionaryAttr attrs;
  if (auto fn = dyn_cast<FunctionOpInterface>(op))
    attrs = fn.getArgAttrDict(argIndex);
  return verifyQuantAttr(name, attr.getValue(), attrs,
                         region.getArgument(argIndex).getType(), emit);
}

LogicalResult QAPeftDialect::verifyRegionResultAttribute(
    Operation *op, unsigned regionIndex, unsigned resultIndex,
    NamedAttribute attr) {
  StringRef name = attr.getName().strref();
  if (!isQuantAttr(name))
    return success();
  auto fn = dyn_cast<FunctionOpInterface>(op);
  if (!fn || resultIndex >= fn.getNumResults())
    return success();
  return verifyQuantAttr(name, attr.getValue(),
                         fn.getResultAttrDict(resultIndex),
                         fn.getResultTypes()[resultIndex], [&] {
                           return op->emitOpError()
                                  << "result #" << resultIndex << ": ";
                         });
}
