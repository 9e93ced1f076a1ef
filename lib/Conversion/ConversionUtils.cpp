//===- ConversionUtils.cpp - helpers of the deployment passes -------------===//

#include "ConversionUtils.h"

#include "qapeft/Numerics/Weights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;

namespace {
ElementsAttr constantAttr(Value v) {
  if (!v)
    return {};
  Operation *def = v.getDefiningOp();
  if (!def)
    return {};
  if (auto p = dyn_cast<ParamOp>(def))
    return p.getValue();
  if (auto c = dyn_cast<tosa::ConstOp>(def))
    return c.getValues();
  if (auto c = dyn_cast<arith::ConstantOp>(def))
    return dyn_cast<ElementsAttr>(c.getValue());
  return {};
}
} // namespace

bool mlir::qapeft::isCompileTimeTensor(Value v) {
  return static_cast<bool>(constantAttr(v));
}

std::optional<SmallVector<float>> mlir::qapeft::getConstantFloats(Value v) {
  ElementsAttr attr = constantAttr(v);
  if (!attr || !attr.getElementType().isF32())
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    SmallVector<float> out;
    out.reserve(dense.getNumElements());
    for (float f : dense.getValues<float>())
      out.push_back(f);
    return out;
  }
  if (auto res = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = res.tryGetAsArrayRef();
    if (!data)
      return std::nullopt;
    return SmallVector<float>(data->begin(), data->end());
  }
  return std::nullopt;
}

SmallVector<float> mlir::qapeft::mergeLora(ArrayRef<float> w,
                                           ArrayRef<int64_t> shape,
                                           ArrayRef<float> a, ArrayRef<float> b,
                                           int64_t outAxis, int64_t rank,
                                           float scaling) {
  SmallVector<float> out(w.size());
  numerics::mergeLora(w.data(), std::vector<int64_t>(shape.begin(), shape.end()),
                      a.data(), b.data(), outAxis, rank, scaling, out.data());
  return out;
}

void mlir::qapeft::computeWeightRange(ArrayRef<float> w,
                                      ArrayRef<int64_t> shape,
                                      QuantSchemeAttr scheme,
                                      SmallVectorImpl<float> &scales,
                                      SmallVectorImpl<float> &zeroPoints) {
  std::vector<float> s, z;
  numerics::weightRange(w.data(),
                        std::vector<int64_t>(shape.begin(), shape.end()),
                        scheme.isPerChannel() ? scheme.getAxis() : -1,
                        scheme.getSymmetric(), scheme.getQMin(),
                        scheme.getQMax(), s, z);
  scales.assign(s.begin(), s.end());
  zeroPoints.assign(z.begin(), z.end());
}

DenseElementsAttr mlir::qapeft::makeF32Attr(ShapedType type,
                                            ArrayRef<float> values) {
  return DenseElementsAttr::get(type, values);
}

Location mlir::qapeft::constantLoc(Value v) {
  auto param = v.getDefiningOp<ParamOp>();
  if (!param)
    return v.getLoc();
  auto named = dyn_cast<NameLoc>(v.getLoc());
  if (named && named.getName() == param.getName())
    return v.getLoc();
  return NameLoc::get(StringAttr::get(v.getContext(), param.getName()),
                      v.getLoc());
}
