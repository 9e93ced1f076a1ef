//===- Quantize.cpp - float <-> integer data at integer models' edges -----===//

#include "qapeft/Sim/Quantize.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft::sim;

llvm::Expected<std::optional<TensorQuantization>>
mlir::qapeft::sim::readQuantization(Type type, DictionaryAttr attrs) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !attrs)
    return std::nullopt;
  auto intType = dyn_cast<IntegerType>(tensorType.getElementType());
  Attribute scaleAttr = attrs.get("qapeft.scale");
  if (!intType || !scaleAttr)
    return std::nullopt;
  auto scales = dyn_cast<ArrayAttr>(scaleAttr);
  if (!scales || scales.empty())
    return llvm::createStringError("'qapeft.scale' must be a non-empty "
                                   "array of floats");
  TensorQuantization q;
  for (Attribute a : scales) {
    auto f = dyn_cast<FloatAttr>(a);
    if (!f)
      return llvm::createStringError("'qapeft.scale' must be an array of "
                                     "floats");
    float s = static_cast<float>(f.getValueAsDouble());
    if (!(s > 0.0f) || !std::isfinite(s))
      return llvm::createStringError(
          "'qapeft.scale' value " + std::to_string(s) +
          " is not finite and positive");
    q.scales.push_back(s);
  }
  if (auto zps = dyn_cast_or_null<ArrayAttr>(attrs.get("qapeft.zero_point")))
    for (Attribute a : zps) {
      auto i = dyn_cast<IntegerAttr>(a);
      if (!i)
        return llvm::createStringError("'qapeft.zero_point' must be an "
                                       "array of integers");
      q.zeroPoints.push_back(i.getInt());
    }
  // An absent or empty zero point list means zero (symmetric); one value
  // applies to every channel.
  if (q.zeroPoints.empty())
    q.zeroPoints.assign(q.scales.size(), 0);
  else if (q.zeroPoints.size() == 1 && q.scales.size() > 1)
    q.zeroPoints.assign(q.scales.size(), q.zeroPoints[0]);
  if (q.zeroPoints.size() != q.scales.size())
    return llvm::createStringError("'qapeft.zero_point' has " +
                                   llvm::Twine(q.zeroPoints.size()) +
                                   " values for " +
                                   llvm::Twine(q.scales.size()) + " scales");
  if (auto dim = dyn_cast_or_null<IntegerAttr>(
          attrs.get("qapeft.quantized_dimension")))
    q.axis = dim.getInt();
  if (q.scales.size() > 1) {
    if (q.axis < 0 || q.axis >= tensorType.getRank() ||
        tensorType.isDynamicDim(q.axis) ||
        tensorType.getDimSize(q.axis) !=
            static_cast<int64_t>(q.scales.size()))
      return llvm::createStringError(
          llvm::Twine(q.scales.size()) + " scales need a "
          "'qapeft.quantized_dimension' of that size");
  } else {
    q.axis = -1;
  }
  std::optional<DType> dtype = dtypeFromType(intType);
  unsigned width = intType.getWidth();
  if (!dtype || width < 2 || width > 32)
    return llvm::createStringError("unsupported quantized element type");
  q.dtype = *dtype;
  if (intType.isUnsigned()) {
    q.qmin = 0;
    q.qmax = (int64_t(1) << width) - 1;
  } else {
    q.qmin = -(int64_t(1) << (width - 1));
    q.qmax = (int64_t(1) << (width - 1)) - 1;
  }
  return q;
}

llvm::Expected<std::optional<TensorQuantization>>
mlir::qapeft::sim::argumentQuantization(func::FuncOp func, unsigned i) {
  return readQuantization(func.getArgumentTypes()[i], func.getArgAttrDict(i));
}

llvm::Expected<std::optional<TensorQuantization>>
mlir::qapeft::sim::resultQuantization(func::FuncOp func, unsigned i) {
  return readQuantization(func.getResultTypes()[i],
                          func.getResultAttrDict(i));
}

std::vector<int64_t>
mlir::qapeft::sim::quantizationIndex(llvm::ArrayRef<int64_t> shape,
                                     const TensorQuantization &q) {
  int64_t n = numElements(shape);
  std::vector<int64_t> index(n, 0);
  if (q.axis < 0)
    return index;
  int64_t dim = shape[q.axis], inner = 1;
  for (size_t d = q.axis + 1; d < shape.size(); ++d)
    inner *= shape[d];
  for (int64_t i = 0; i < n; ++i)
    index[i] = (i / inner) % dim;
  return index;
}

static llvm::Error checkChannels(const Tensor &t,
                                 const TensorQuantization &q) {
  if (q.axis < 0)
    return llvm::Error::success();
  if (q.axis >= t.rank() ||
      t.dim(q.axis) != static_cast<int64_t>(q.scales.size()))
    return llvm::createStringError(
        "per-channel parameters on axis " + llvm::Twine(q.axis) + " (" +
        llvm::Twine(q.scales.size()) + " channels) do not fit " +
        t.describe());
  return llvm::Error::success();
}

llvm::Expected<Tensor>
mlir::qapeft::sim::quantizeTensor(const Tensor &x,
                                  const TensorQuantization &q) {
  if (x.dtype() != DType::F32)
    return llvm::createStringError("expected f32 data to quantize, got " +
                                   x.describe());
  if (llvm::Error e = checkChannels(x, q))
    return std::move(e);
  std::vector<int64_t> index = quantizationIndex(x.shape(), q);
  Tensor out = Tensor::empty(q.dtype, x.shape());
  const float *px = x.data<float>();
  for (int64_t i = 0, n = x.numel(); i < n; ++i) {
    float s = q.scales[index[i]];
    float zp = static_cast<float>(q.zeroPoints[index[i]]);
    // The same float32 operations as the qapeft.fake_quant kernel.
    float v = std::nearbyint(px[i] / s) + zp;
    if (std::isnan(v))
      return llvm::createStringError("element " + llvm::Twine(i) +
                                     " of the data is NaN");
    v = std::min(std::max(v, static_cast<float>(q.qmin)),
                 static_cast<float>(q.qmax));
    out.setInt(i, static_cast<int64_t>(v));
  }
  return out;
}

llvm::Expected<Tensor>
mlir::qapeft::sim::dequantizeTensor(const Tensor &t,
                                    const TensorQuantization &q) {
  if (isFloat(t.dtype()))
    return llvm::createStringError("expected integer codes to dequantize, "
                                   "got " + t.describe());
  if (llvm::Error e = checkChannels(t, q))
    return std::move(e);
  std::vector<int64_t> index = quantizationIndex(t.shape(), q);
  Tensor out = Tensor::empty(DType::F32, t.shape());
  float *po = out.data<float>();
  for (int64_t i = 0, n = t.numel(); i < n; ++i)
    po[i] = static_cast<float>(t.getInt(i) - q.zeroPoints[index[i]]) *
            q.scales[index[i]];
  return out;
}
