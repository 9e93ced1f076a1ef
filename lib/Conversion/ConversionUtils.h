//===- ConversionUtils.h - helpers of the deployment passes -----*- C++ -*-===//
//
// Compile-time evaluation the merge and lowering passes share: reading
// constant tensors, the LoRA merge, and the weight range of a weight, each
// with the float32 arithmetic of the training forward.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_LIB_CONVERSION_CONVERSIONUTILS_H
#define QAPEFT_LIB_CONVERSION_CONVERSIONUTILS_H

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
namespace qapeft {

/// The float32 values of `v` if it is a compile-time tensor: a tosa.const,
/// an arith.constant or a qapeft.param (trainable or not) with dense (or
/// f32 dense_resource) float elements. Splats are expanded.
std::optional<llvm::SmallVector<float>> getConstantFloats(Value v);

/// True if `v` is produced by a qapeft.param or a constant op.
bool isCompileTimeTensor(Value v);

/// W + scaling * (B @ A) as numerics::mergeLora computes it (the order
/// documented on --qapeft-merge-adapters). `shape` is the static shape.
llvm::SmallVector<float> mergeLora(llvm::ArrayRef<float> w,
                                   llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<float> a,
                                   llvm::ArrayRef<float> b, int64_t outAxis,
                                   int64_t rank, float scaling);

/// Evaluates qapeft.weight_range on constant values (numerics::weightRange,
/// the simulator's float32 arithmetic): per channel along the scheme's
/// axis, or one value.
void computeWeightRange(llvm::ArrayRef<float> w, llvm::ArrayRef<int64_t> shape,
                        QuantSchemeAttr scheme,
                        llvm::SmallVectorImpl<float> &scales,
                        llvm::SmallVectorImpl<float> &zeroPoints);

/// The location a merged or lowered constant takes from the value it replaces: a
/// qapeft.param's name as a NameLoc (modules written by qapeft-sim carry no
/// locations, yet the exporter and --qapeft-export-adapter-delta find
/// tensors by name), else the value's own location.
Location constantLoc(Value v);

/// A float tensor attribute of `type` holding `values`.
DenseElementsAttr makeF32Attr(ShapedType type, llvm::ArrayRef<float> values);

} // namespace qapeft
} // namespace mlir

#endif // QAPEFT_LIB_CONVERSION_CONVERSIONUTILS_H
