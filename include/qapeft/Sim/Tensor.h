//===- Tensor.h - qapeft-sim runtime tensors ---------------------*- C++ -*-===//
//
// The value type of the simulator: a dense, C-order (row-major) tensor with a
// runtime shape and one of the element types the executed graphs use. Storage
// is reference counted, so reshapes and argument passing do not copy.
//
// This header is a stable API: kernels in lib/Sim/Kernels/*.cpp (including
// the integer kernels) are written against it.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_TENSOR_H
#define QAPEFT_SIM_TENSOR_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cassert>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mlir::qapeft::sim {

/// Element types of simulator tensors. I64 also holds i48 accumulators and
/// `index` values (e.g. `!tosa.shape` operands); I1 and U8 are one byte per
/// element (I1 holds 0 or 1).
enum class DType : uint8_t { F32, I1, I8, U8, I16, I32, I64 };

/// Bytes per element.
size_t dtypeSize(DType dtype);
/// The MLIR spelling (`f32`, `i1`, `i8`, `ui8`, `i16`, `i32`, `i64`).
llvm::StringRef dtypeName(DType dtype);
bool isFloat(DType dtype);

/// Maps an MLIR element type to the dtype that stores it: f32; i1; i2..i8
/// (signless or signed) -> I8; ui8 -> U8; i16; i32; i48/i64/index -> I64.
/// Returns std::nullopt for anything else (f16, bf16, complex, ...).
std::optional<DType> dtypeFromType(Type elementType);

/// The C++ element type for a dtype, for static checks in `Tensor::data<T>`.
template <typename T>
constexpr bool dtypeMatches(DType d) {
  if constexpr (std::is_same_v<T, float>)
    return d == DType::F32;
  else if constexpr (std::is_same_v<T, bool>)
    return d == DType::I1;
  else if constexpr (std::is_same_v<T, int8_t>)
    return d == DType::I8;
  else if constexpr (std::is_same_v<T, uint8_t>)
    return d == DType::U8 || d == DType::I1;
  else if constexpr (std::is_same_v<T, int16_t>)
    return d == DType::I16;
  else if constexpr (std::is_same_v<T, int32_t>)
    return d == DType::I32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return d == DType::I64;
  else
    return false;
}

using Shape = llvm::SmallVector<int64_t, 4>;

/// Number of elements of a shape (1 for rank 0).
int64_t numElements(llvm::ArrayRef<int64_t> shape);
/// "2x3x4" (or "scalar"), for diagnostics.
std::string shapeToString(llvm::ArrayRef<int64_t> shape);

class Tensor {
public:
  /// An invalid (null) tensor.
  Tensor() = default;

  /// A tensor with uninitialised contents. Storage comes from a per-process
  /// pool of recycled buffers, so steady-state execution does not hit malloc.
  static Tensor empty(DType dtype, llvm::ArrayRef<int64_t> shape);
  /// A tensor filled with zeros.
  static Tensor zeros(DType dtype, llvm::ArrayRef<int64_t> shape);
  /// A rank-0 f32 tensor.
  static Tensor scalar(float value);
  /// A tensor holding a copy of `values`.
  static Tensor fromFloats(llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<float> values);
  /// Converts a (dense or dense_resource) elements attribute; the shape is
  /// the attribute's static shape. Fails for element types without a dtype.
  static FailureOr<Tensor> fromAttr(ElementsAttr attr);

  bool valid() const { return storage != nullptr; }
  explicit operator bool() const { return valid(); }

  DType dtype() const { return type; }
  llvm::ArrayRef<int64_t> shape() const { return dims; }
  int64_t rank() const { return static_cast<int64_t>(dims.size()); }
  int64_t dim(int64_t i) const { return dims[i]; }
  int64_t numel() const { return count; }
  size_t byteSize() const { return count * dtypeSize(type); }

  template <typename T>
  T *data() {
    assert(valid() && dtypeMatches<T>(type) && "element type mismatch");
    return reinterpret_cast<T *>(raw());
  }
  template <typename T>
  const T *data() const {
    assert(valid() && dtypeMatches<T>(type) && "element type mismatch");
    return reinterpret_cast<const T *>(raw());
  }
  void *raw();
  const void *raw() const;

  /// Element `i` (flat C-order index) converted to double / int64.
  double getDouble(int64_t i) const;
  int64_t getInt(int64_t i) const;
  /// Stores `v` converted to this tensor's dtype (ints truncate toward zero).
  void setDouble(int64_t i, double v);
  void setInt(int64_t i, int64_t v);

  /// The same storage seen with another shape of equal element count.
  Tensor reshaped(llvm::ArrayRef<int64_t> newShape) const;
  /// A deep copy (fresh storage).
  Tensor clone() const;
  /// True when both tensors share storage (e.g. one is a reshape of the other).
  bool sharesStorageWith(const Tensor &other) const {
    return storage == other.storage;
  }

  /// A DenseElementsAttr of `type`'s element type holding this tensor's
  /// values; `type` must have a static shape equal to this tensor's.
  DenseElementsAttr toAttr(RankedTensorType type) const;

  /// "tensor<2x3xf32>"-like description for diagnostics.
  std::string describe() const;

private:
  struct Storage;
  std::shared_ptr<Storage> storage;
  DType type = DType::F32;
  Shape dims;
  int64_t count = 0;
};

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_TENSOR_H
