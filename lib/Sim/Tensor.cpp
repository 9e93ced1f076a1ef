//===- Tensor.cpp - qapeft-sim runtime tensors ----------------------------===//

#include "qapeft/Sim/Tensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

using namespace mlir;
using namespace mlir::qapeft::sim;

size_t mlir::qapeft::sim::dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32:
  case DType::I32:
    return 4;
  case DType::I1:
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::I16:
    return 2;
  case DType::I64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

StringRef mlir::qapeft::sim::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "f32";
  case DType::I1:
    return "i1";
  case DType::I8:
    return "i8";
  case DType::U8:
    return "ui8";
  case DType::I16:
    return "i16";
  case DType::I32:
    return "i32";
  case DType::I64:
    return "i64";
  }
  llvm_unreachable("unknown dtype");
}

bool mlir::qapeft::sim::isFloat(DType dtype) { return dtype == DType::F32; }

std::optional<DType> mlir::qapeft::sim::dtypeFromType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isIndex())
    return DType::I64;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType)
    return std::nullopt;
  unsigned width = intType.getWidth();
  if (width == 1)
    return DType::I1;
  if (intType.isUnsigned())
    return width == 8 ? std::optional<DType>(DType::U8) : std::nullopt;
  if (width <= 8)
    return DType::I8;
  if (width <= 16)
    return DType::I16;
  if (width <= 32)
    return DType::I32;
  if (width <= 64)
    return DType::I64;
  return std::nullopt;
}

int64_t mlir::qapeft::sim::numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string mlir::qapeft::sim::shapeToString(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

//===----------------------------------------------------------------------===//
// Storage and its pool
//===----------------------------------------------------------------------===//

namespace {
/// Recycles buffers by exact byte size. Training runs the same graph with
/// the same shapes every step, so after the first step every allocation is
/// served from here. Bounded so a shape change cannot hoard memory forever.
class BufferPool {
public:
  void *acquire(size_t bytes) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      auto it = free.find(bytes);
      if (it != free.end()) {
        void *p = it->second;
        free.erase(it);
        pooledBytes -= bytes;
        return p;
      }
    }
    // 64-byte alignment suits AVX-512 loads and BLAS.
    size_t rounded = (std::max<size_t>(bytes, 1) + 63) & ~size_t(63);
    void *p = std::aligned_alloc(64, rounded);
    if (!p)
      llvm::report_fatal_error("qapeft-sim: out of memory");
    return p;
  }
  void release(void *p, size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex);
    if (pooledBytes + bytes > kMaxPooledBytes) {
      std::free(p);
      return;
    }
    free.emplace(bytes, p);
    pooledBytes += bytes;
  }
  ~BufferPool() {
    for (auto &entry : free)
      std::free(entry.second);
  }

private:
  static constexpr size_t kMaxPooledBytes = size_t(1) << 30;
  std::mutex mutex;
  std::multimap<size_t, void *> free;
  size_t pooledBytes = 0;
};

BufferPool &pool() {
  static BufferPool *instance = new BufferPool(); // Never destroyed: tensors
  return *instance; // may outlive static destruction order.
}
} // namespace

struct Tensor::Storage {
  explicit Storage(size_t bytes) : bytes(bytes), ptr(pool().acquire(bytes)) {}
  ~Storage() { pool().release(ptr, bytes); }
  Storage(const Storage &) = delete;
  Storage &operator=(const Storage &) = delete;
  size_t bytes;
  void *ptr;
};

void *Tensor::raw() { return storage ? storage->ptr : nullptr; }
const void *Tensor::raw() const { return storage ? storage->ptr : nullptr; }

Tensor Tensor::empty(DType dtype, ArrayRef<int64_t> shape) {
  Tensor t;
  t.type = dtype;
  t.dims.assign(shape.begin(), shape.end());
  t.count = numElements(shape);
  t.storage = std::make_shared<Storage>(t.count * dtypeSize(dtype));
  return t;
}

Tensor Tensor::zeros(DType dtype, ArrayRef<int64_t> shape) {
  Tensor t = empty(dtype, shape);
  std::memset(t.raw(), 0, t.byteSize());
  return t;
}

Tensor Tensor::scalar(float value) {
  Tensor t = empty(DType::F32, {});
  *t.data<float>() = value;
  return t;
}

Tensor Tensor::fromFloats(ArrayRef<int64_t> shape, ArrayRef<float> values) {
  Tensor t = empty(DType::F32, shape);
  assert(values.size() == static_cast<size_t>(t.numel()));
  std::memcpy(t.raw(), values.data(), t.byteSize());
  return t;
}

FailureOr<Tensor> Tensor::fromAttr(ElementsAttr attr) {
  auto type = dyn_cast<RankedTensorType>(attr.getShapedType());
  if (!type || !type.hasStaticShape())
    return failure();
  std::optional<DType> dtype = dtypeFromType(type.getElementType());
  if (!dtype)
    return failure();
  Tensor t = empty(*dtype, type.getShape());
  int64_t n = t.numel();
  // Fast paths: raw little-endian data whose element width is the dtype's.
  Type elementType = type.getElementType();
  bool sameLayout = elementType.isIntOrFloat() && *dtype != DType::I1 &&
                    elementType.getIntOrFloatBitWidth() == 8 * dtypeSize(*dtype);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr);
      dense && sameLayout && !dense.isSplat()) {
    ArrayRef<char> raw = dense.getRawData();
    if (raw.size() == t.byteSize()) {
      std::memcpy(t.raw(), raw.data(), raw.size());
      return t;
    }
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
      resource && sameLayout) {
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob()) {
      ArrayRef<char> raw = blob->getData();
      if (raw.size() == t.byteSize()) {
        std::memcpy(t.raw(), raw.data(), raw.size());
        return t;
      }
    }
  }
  if (*dtype == DType::F32) {
    auto values = attr.tryGetValues<APFloat>();
    if (!values)
      return failure();
    float *out = t.data<float>();
    int64_t i = 0;
    for (const APFloat &v : *values)
      out[i++] = v.convertToFloat();
    return t;
  }
  auto values = attr.tryGetValues<APInt>();
  if (!values)
    return failure();
  bool isUnsigned = type.getElementType().isUnsignedInteger() ||
                    type.getElementType().isSignlessInteger(1);
  int64_t i = 0;
  for (const APInt &v : *values) {
    if (i >= n)
      break;
    t.setInt(i++, isUnsigned ? static_cast<int64_t>(v.getZExtValue())
                             : v.getSExtValue());
  }
  return t;
}

double Tensor::getDouble(int64_t i) const {
  switch (type) {
  case DType::F32:
    return data<float>()[i];
  default:
    return static_cast<double>(getInt(i));
  }
}

int64_t Tensor::getInt(int64_t i) const {
  const void *p = raw();
  switch (type) {
  case DType::F32:
    return static_cast<int64_t>(static_cast<const float *>(p)[i]);
  case DType::I1:
  case DType::U8:
    return static_cast<const uint8_t *>(p)[i];
  case DType::I8:
    return static_cast<const int8_t *>(p)[i];
  case DType::I16:
    return static_cast<const int16_t *>(p)[i];
  case DType::I32:
    return static_cast<const int32_t *>(p)[i];
  case DType::I64:
    return static_cast<const int64_t *>(p)[i];
  }
  llvm_unreachable("unknown dtype");
}

void Tensor::setDouble(int64_t i, double v) {
  if (type == DType::F32) {
    data<float>()[i] = static_cast<float>(v);
    return;
  }
  setInt(i, static_cast<int64_t>(v));
}

void Tensor::setInt(int64_t i, int64_t v) {
  void *p = raw();
  switch (type) {
  case DType::F32:
    static_cast<float *>(p)[i] = static_cast<float>(v);
    return;
  case DType::I1:
    static_cast<uint8_t *>(p)[i] = v != 0;
    return;
  case DType::U8:
    static_cast<uint8_t *>(p)[i] = static_cast<uint8_t>(v);
    return;
  case DType::I8:
    static_cast<int8_t *>(p)[i] = static_cast<int8_t>(v);
    return;
  case DType::I16:
    static_cast<int16_t *>(p)[i] = static_cast<int16_t>(v);
    return;
  case DType::I32:
    static_cast<int32_t *>(p)[i] = static_cast<int32_t>(v);
    return;
  case DType::I64:
    static_cast<int64_t *>(p)[i] = v;
    return;
  }
}

Tensor Tensor::reshaped(ArrayRef<int64_t> newShape) const {
  assert(numElements(newShape) == count && "reshape changes element count");
  Tensor t = *this;
  t.dims.assign(newShape.begin(), newShape.end());
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = empty(type, dims);
  std::memcpy(t.raw(), raw(), byteSize());
  return t;
}

DenseElementsAttr Tensor::toAttr(RankedTensorType resultType) const {
  assert(resultType.getShape() == shape() && "shape mismatch");
  Type elementType = resultType.getElementType();
  if (type == DType::F32) {
    const float *p = data<float>();
    return DenseElementsAttr::get(resultType, ArrayRef<float>(p, count));
  }
  SmallVector<APInt> values;
  values.reserve(count);
  unsigned width = elementType.getIntOrFloatBitWidth();
  for (int64_t i = 0; i < count; ++i)
    values.push_back(APInt(width, static_cast<uint64_t>(getInt(i)),
                           /*isSigned=*/!elementType.isUnsignedInteger(),
                           /*implicitTrunc=*/true));
  return DenseElementsAttr::get(resultType, values);
}

std::string Tensor::describe() const {
  std::string s = "tensor<";
  for (int64_t d : dims)
    s += std::to_string(d) + "x";
  s += dtypeName(type).str() + ">";
  return s;
}
