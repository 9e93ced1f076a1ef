//===- IntegerSoftmaxKernels.cpp - TFLite's int8 and int16 softmax --------===//
//
// qapeft.tflite_softmax on int16 codes: TFLite's builtin int16 SOFTMAX
// (reference_ops::SoftmaxInt16, all integer), with the op's
// input_multiplier / input_shift, in qapeft's Numerics (SoftmaxInt16.h),
// checked bit for bit by test/Target/TFLite/conformance-softmax-int16.test.
//
// qapeft.tflite_softmax on int8 codes: TFLite's builtin int8 SOFTMAX with
// int8 output, its float-table path (Numerics/SoftmaxInt8.h), checked bit
// for bit by test/Target/TFLite/conformance-softmax.test.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Kernel.h"

#include "qapeft/Numerics/SoftmaxInt16.h"
#include "qapeft/Numerics/SoftmaxInt8.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;

namespace {

LogicalResult tfliteSoftmaxInt16(KernelContext &ctx, const Tensor &x,
                                 DType dt) {
  std::optional<int64_t> mult = ctx.i64("input_multiplier");
  std::optional<int64_t> shift = ctx.i64("input_shift");
  if (!mult || !shift)
    return ctx.emitError() << "needs i32 attributes input_multiplier and "
                              "input_shift for an int16 input";
  if (dt != DType::I16)
    return ctx.emitError() << "needs an i16 result for an i16 input";
  const int64_t cols = x.dim(x.rank() - 1);
  // The kernel's int32 sum of exps would overflow on longer rows.
  if (cols > numerics::kSoftmaxInt16MaxRow)
    return ctx.emitError() << "rows of " << cols << " values exceed the "
                           << numerics::kSoftmaxInt16MaxRow
                           << " the int16 kernel's int32 sum can hold";
  numerics::QuantizedMultiplier qm;
  qm.multiplier = static_cast<int32_t>(*mult);
  qm.shift = static_cast<int>(*shift);
  const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
  Tensor out = Tensor::empty(dt, x.shape());
  const int16_t *in = x.data<int16_t>();
  int16_t *o = out.data<int16_t>();
  for (int64_t r = 0; r < rows; ++r)
    numerics::softmaxInt16Row(in + r * cols, o + r * cols, cols, qm);
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult tfliteSoftmaxKernel(KernelContext &ctx) {
  const Tensor &x = ctx.in(0);
  std::optional<double> scaleAttr = ctx.f64("input_scale");
  std::optional<double> betaAttr = ctx.f64("beta");
  if (!scaleAttr || !betaAttr)
    return ctx.emitError() << "needs f32 attributes input_scale and beta";
  if (x.rank() < 1)
    return ctx.emitError() << "needs an input of rank >= 1";
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  if (x.dtype() == DType::I16)
    return tfliteSoftmaxInt16(ctx, x, *dt);

  if (x.dtype() != DType::I8 || *dt != DType::I8)
    return ctx.emitError() << "needs i8 input and result, or i16 input and "
                              "result";
  const std::array<float, 256> table = numerics::softmaxInt8Table(
      static_cast<float>(*scaleAttr), static_cast<float>(*betaAttr));
  const int64_t cols = x.dim(x.rank() - 1);
  const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
  Tensor out = Tensor::empty(*dt, x.shape());
  for (int64_t r = 0; r < rows; ++r)
    numerics::softmaxInt8Row(x.data<int8_t>() + r * cols,
                             out.data<int8_t>() + r * cols, cols, table);
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerIntegerSoftmaxKernels(KernelRegistry &r) {
  r.add("qapeft.tflite_softmax", tfliteSoftmaxKernel, Domain::Integer);
}
