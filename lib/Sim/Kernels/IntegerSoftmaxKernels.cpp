//===- IntegerSoftmaxKernels.cpp - TFLite's int8 and int16 softmax --------===//
//
// qapeft.tflite_softmax on int16 codes: TFLite's builtin int16 SOFTMAX
// (reference_ops::SoftmaxInt16, all integer), with the op's
// input_multiplier / input_shift, in qapeft's Numerics (SoftmaxInt16.h),
// checked bit for bit by test/Target/TFLite/conformance-softmax-int16.test.
//
// qapeft.tflite_softmax on int8 codes: TFLite's builtin int8 SOFTMAX with
// int8 output (activations.cc: SoftmaxPrepare fills a float table with
// PopulateSoftmaxLookupTable, SoftmaxEval runs optimized_ops::Softmax). The
// runtime qapeft targets (tfjs-tflite's WASM build) is not aarch64, so the
// kernel takes this float-table path and not SoftmaxInt8LUT (uint16 tables,
// aarch64 + clang only) nor reference_ops::Softmax (gemmlowp fixed point,
// kReference only). Every step below is float32 in the kernel's order so the
// result is bit-exact (test/Target/TFLite/conformance-softmax.test).
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Kernel.h"

#include "qapeft/Numerics/SoftmaxInt16.h"

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

  // PopulateSoftmaxLookupTable: table[255 - v] = expf(-s_in * beta * v). The
  // product is formed in float32 first, as the kernel does.
  const float scale = -static_cast<float>(*scaleAttr) *
                      static_cast<float>(*betaAttr);
  float table[256];
  for (int v = 0; v <= 255; ++v)
    table[255 - v] = std::exp(scale * static_cast<float>(v));

  // TFLite fixes the int8 output grid: scale 1/256, zero point -128.
  const float outScale = 1.0f / 256.0f;
  const int32_t outZp = -128;
  const int64_t cols = x.dim(x.rank() - 1);
  const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
  Tensor out = Tensor::empty(*dt, x.shape());
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t base = r * cols;
    int64_t maxVal = -128;
    for (int64_t j = 0; j < cols; ++j)
      maxVal = std::max(maxVal, x.getInt(base + j));
    // table[255 - max + q] = exp(s * beta * (q - max)), q - max in [-255, 0].
    const float *row = &table[255 - maxVal];
    float sum = 0.0f;
    for (int64_t j = 0; j < cols; ++j)
      sum += row[x.getInt(base + j)];
    const float inv = 1.0f / (sum * outScale);
    for (int64_t j = 0; j < cols; ++j) {
      const float p = row[x.getInt(base + j)] * inv;
      // QuantizeSoftmaxOutput<int8_t>: std::round (ties away from zero).
      int32_t q = static_cast<int32_t>(std::round(p)) + outZp;
      out.setInt(base + j, std::clamp<int32_t>(q, -128, 127));
    }
  }
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerIntegerSoftmaxKernels(KernelRegistry &r) {
  r.add("qapeft.tflite_softmax", tfliteSoftmaxKernel, Domain::Integer);
}
