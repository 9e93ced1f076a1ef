//===- IntegerKernels.cpp - integer TOSA kernels of qapeft-sim ------------===//
//
// The integer half of the simulator: what the device computes, bit for bit.
// Convolutions and matmuls accumulate exactly in 64 bits (in double-precision
// BLAS when every partial sum is an integer below 2^53, which is exact in any
// summation order; otherwise in int64 loops) and then check that the value
// fits the accumulator type (TOSA REQUIREs it; a device would
// wrap), tosa.rescale follows the TOSA 1.0 pseudo-code through
// qapeft/Numerics, and the two roundings TOSA cannot name (annotated by
// --qapeft-lower-to-integer with `qapeft.rounding`) are executed exactly:
// `fp32_half_even` with the XNNPACK float path and `qapeft.fp32_scale`,
// `half_away` with fixed point and ties away from zero, and
// `fp32_mean_half_away` (TFLite's int16 MEAN, numerics/MeanInt16.h) with
// `qapeft.fp32_divisor` and `qapeft.fp32_scale`.
//
// Registered for Domain::Integer: tosa.conv2d, tosa.depthwise_conv2d,
// tosa.matmul, tosa.rescale, tosa.max_pool2d, tosa.avg_pool2d, tosa.add,
// tosa.intdiv, tosa.sub, tosa.mul. tosa.clamp, tosa.reshape and tosa.cast
// are dtype generic (FloatKernels.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"
#include "qapeft/Numerics/MeanInt16.h"
#include "qapeft/Numerics/Requantize.h"
#include "qapeft/Sim/Kernel.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <algorithm>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using mlir::qapeft::sim::detail::ConvGeometry;
using mlir::qapeft::sim::detail::ConvShape;
using mlir::qapeft::sim::detail::readConvGeometry;
using mlir::qapeft::sim::detail::readConvShape;
using mlir::qapeft::sim::detail::resultWidth;
namespace num = mlir::qapeft::numerics;
namespace kd = mlir::qapeft::sim::detail;

namespace {

/// Bit width of operand `i`'s element type.
unsigned operandWidth(const KernelContext &ctx, unsigned i) {
  auto t = cast<ShapedType>(ctx.op->getOperand(i).getType());
  return t.getElementType().getIntOrFloatBitWidth();
}

int64_t signedMin(unsigned w) { return -(int64_t(1) << (w - 1)); }
int64_t signedMax(unsigned w) { return (int64_t(1) << (w - 1)) - 1; }

/// A scalar zero point operand (shape [1]).
FailureOr<int64_t> zeroPoint(KernelContext &ctx, unsigned i,
                             StringRef what) {
  const Tensor &t = ctx.in(i);
  if (t.numel() != 1)
    return ctx.emitError() << what << " must have one element, got "
                           << t.describe();
  return t.getInt(0);
}

/// Stores accumulators after checking they fit the result type, as TOSA
/// requires of the accumulator.
LogicalResult storeAccumulators(KernelContext &ctx, ArrayRef<int64_t> shape,
                                ArrayRef<int64_t> acc) {
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has an accumulator type the simulator cannot "
                              "represent";
  unsigned w = resultWidth(ctx);
  int64_t lo = signedMin(w), hi = signedMax(w);
  Tensor out = Tensor::empty(*dt, shape);
  for (size_t i = 0; i < acc.size(); ++i) {
    if (acc[i] < lo || acc[i] > hi)
      return ctx.emitError() << "accumulator overflow: " << acc[i]
                             << " does not fit i" << w << " (element " << i
                             << ")";
    out.setInt(i, acc[i]);
  }
  ctx.setResult(0, std::move(out));
  return success();
}


/// tosa.conv2d and tosa.depthwise_conv2d on integers: acc = bias +
/// sum (x - x_zp) * (w - w_zp); padding contributes 0.
LogicalResult convKernel(KernelContext &ctx, bool depthwise) {
  const Tensor &x = ctx.in(0), &w = ctx.in(1), &b = ctx.in(2);
  if (x.rank() != 4 || w.rank() != 4 || b.rank() != 1)
    return ctx.emitError() << "expects a 4-D input and weight and a 1-D bias";
  FailureOr<int64_t> xzp = zeroPoint(ctx, 3, "input_zp");
  FailureOr<int64_t> wzp = zeroPoint(ctx, 4, "weight_zp");
  if (failed(xzp) || failed(wzp))
    return failure();
  ConvShape cs;
  if (failed(readConvShape(ctx, x, w, b, depthwise, cs)))
    return failure();
  const ConvGeometry &p = cs.g;
  int64_t n = p.n, h = p.ih, wd = p.iw, c = p.c, kh = p.kh, kw = p.kw;
  int64_t outC = cs.outC, mult = cs.mult, oh = p.oh, ow = p.ow;
  Shape shape{n, oh, ow, outC};
  // Widen once: operands as int64 minus their zero points.
  std::vector<int64_t> xs(x.numel()), ws(w.numel());
  for (int64_t i = 0; i < x.numel(); ++i)
    xs[i] = x.getInt(i) - *xzp;
  for (int64_t i = 0; i < w.numel(); ++i)
    ws[i] = w.getInt(i) - *wzp;
  std::vector<int64_t> acc(numElements(shape));
  // Exact double-precision BLAS when the sums allow it (KernelUtils.h).
  std::vector<int64_t> dots;
  if (!depthwise && kd::exactConvDots(xs, ws, p, outC, dots)) {
    for (size_t i = 0; i < acc.size(); ++i)
      acc[i] = b.getInt(b.numel() == 1 ? 0 : int64_t(i) % outC) + dots[i];
    return storeAccumulators(ctx, shape, acc);
  }
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t oc = 0; oc < outC; ++oc) {
          int64_t sum = b.getInt(b.numel() == 1 ? 0 : oc);
          for (int64_t ky = 0; ky < kh; ++ky) {
            int64_t iy = oy * p.strideY - p.padTop + ky * p.dilY;
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ix = ox * p.strideX - p.padLeft + kx * p.dilX;
              if (ix < 0 || ix >= wd)
                continue;
              const int64_t *xrow = &xs[((bn * h + iy) * wd + ix) * c];
              if (depthwise) {
                int64_t ic = oc / mult, m = oc % mult;
                sum += xrow[ic] * ws[((ky * kw + kx) * c + ic) * mult + m];
              } else {
                const int64_t *wrow = &ws[((oc * kh + ky) * kw + kx) * c];
                for (int64_t ic = 0; ic < c; ++ic)
                  sum += xrow[ic] * wrow[ic];
              }
            }
          }
          acc[((bn * oh + oy) * ow + ox) * outC + oc] = sum;
        }
  return storeAccumulators(ctx, shape, acc);
}

/// tosa.matmul: [N, H, C] x [N, C, W] -> [N, H, W] with zero points.
LogicalResult matmulKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0), &b = ctx.in(1);
  if (a.rank() != 3 || b.rank() != 3 || a.dim(2) != b.dim(1) ||
      (a.dim(0) != b.dim(0) && b.dim(0) != 1 && a.dim(0) != 1))
    return ctx.emitError() << "expects [N, H, C] x [N, C, W], got "
                           << a.describe() << " and " << b.describe();
  FailureOr<int64_t> azp = zeroPoint(ctx, 2, "a_zp");
  FailureOr<int64_t> bzp = zeroPoint(ctx, 3, "b_zp");
  if (failed(azp) || failed(bzp))
    return failure();
  int64_t n = std::max(a.dim(0), b.dim(0)), h = a.dim(1), c = a.dim(2),
          w = b.dim(2);
  Shape shape{n, h, w};
  std::vector<int64_t> acc(n * h * w);
  // The operands minus their zero points; dgemm when exact.
  std::vector<int64_t> as(a.numel()), bs(b.numel()), dots;
  for (int64_t i = 0; i < a.numel(); ++i)
    as[i] = a.getInt(i) - *azp;
  for (int64_t i = 0; i < b.numel(); ++i)
    bs[i] = b.getInt(i) - *bzp;
  if (kd::exactMatmulDots(as, bs, a.dim(0), b.dim(0), h, c, w, dots))
    return storeAccumulators(ctx, shape, dots);
  for (int64_t bn = 0; bn < n; ++bn) {
    int64_t an = a.dim(0) == 1 ? 0 : bn, bb = b.dim(0) == 1 ? 0 : bn;
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        int64_t sum = 0;
        for (int64_t k = 0; k < c; ++k)
          sum += as[(an * h + i) * c + k] * bs[(bb * c + k) * w + j];
        acc[(bn * h + i) * w + j] = sum;
      }
  }
  return storeAccumulators(ctx, shape, acc);
}

/// tosa.rescale (TOSA 1.0), plus the qapeft.rounding annotation.
LogicalResult rescaleKernel(KernelContext &ctx) {
  const Tensor &x = ctx.in(0), &mult = ctx.in(1), &shift = ctx.in(2);
  Operation *op = ctx.op;
  auto boolAttr = [&](StringRef name) {
    auto a = op->getAttrOfType<BoolAttr>(name);
    return a && a.getValue();
  };
  bool scale32 = boolAttr("scale32"), perChannel = boolAttr("per_channel");
  bool inUnsigned = boolAttr("input_unsigned");
  bool outUnsigned = boolAttr("output_unsigned");
  auto modeAttr = op->getAttrOfType<tosa::RoundingModeAttr>("rounding_mode");
  if (!modeAttr)
    return ctx.emitError() << "needs a rounding_mode";
  num::Rounding mode = num::Rounding::Single;
  // TFLite's int16 MEAN: a float32 divide and multiply, ties away (see
  // MeanInt16.h); the multiplier and shift operands are then informative.
  bool floatMean = false;
  switch (modeAttr.getValue()) {
  case tosa::RoundingMode::SINGLE_ROUND:
    mode = num::Rounding::Single;
    break;
  case tosa::RoundingMode::DOUBLE_ROUND:
    mode = num::Rounding::Double;
    break;
  case tosa::RoundingMode::INEXACT_ROUND: {
    // TOSA leaves it implementation-defined; the lowering says which one.
    auto name = op->getAttrOfType<StringAttr>("qapeft.rounding");
    if (!name)
      return ctx.emitError() << "INEXACT_ROUND needs a qapeft.rounding "
                                "attribute (fp32_half_even, half_away or "
                                "fp32_mean_half_away)";
    if (name.getValue() == "fp32_half_even")
      mode = num::Rounding::Fp32HalfEven;
    else if (name.getValue() == "half_away")
      mode = num::Rounding::HalfAway;
    else if (name.getValue() == "fp32_mean_half_away")
      floatMean = true;
    else
      return ctx.emitError() << "unknown qapeft.rounding '"
                             << name.getValue() << "'";
    break;
  }
  }
  if (mode == num::Rounding::Double && !scale32)
    return ctx.emitError() << "DOUBLE_ROUND needs scale32 = true";
  int64_t channels = perChannel && x.rank() > 0 ? x.dim(x.rank() - 1) : 1;
  if (mult.numel() != channels || shift.numel() != channels)
    return ctx.emitError() << "needs " << channels
                           << " multipliers and shifts, got "
                           << mult.numel() << " and " << shift.numel();
  SmallVector<float> fpScales;
  int64_t divisor = 1;
  if (floatMean) {
    auto d = op->getAttrOfType<IntegerAttr>("qapeft.fp32_divisor");
    if (!d || d.getInt() < 1 || channels != 1)
      return ctx.emitError() << "fp32_mean_half_away needs a positive "
                                "qapeft.fp32_divisor and per_channel = false";
    divisor = d.getInt();
  }
  if (mode == num::Rounding::Fp32HalfEven || floatMean) {
    auto arr = op->getAttrOfType<ArrayAttr>("qapeft.fp32_scale");
    if (!arr || static_cast<int64_t>(arr.size()) != channels)
      return ctx.emitError() << (floatMean ? "fp32_mean_half_away"
                                           : "fp32_half_even")
                             << " needs " << channels
                             << " qapeft.fp32_scale values";
    for (Attribute a : arr) {
      auto f = dyn_cast<FloatAttr>(a);
      if (!f)
        return ctx.emitError() << "qapeft.fp32_scale must hold floats";
      fpScales.push_back(static_cast<float>(f.getValueAsDouble()));
    }
  }
  FailureOr<int64_t> izpRaw = zeroPoint(ctx, 3, "input_zp");
  FailureOr<int64_t> ozpRaw = zeroPoint(ctx, 4, "output_zp");
  if (failed(izpRaw) || failed(ozpRaw))
    return failure();
  unsigned inW = operandWidth(ctx, 0), outW = resultWidth(ctx);
  auto extend = [](int64_t v, unsigned w, bool isUnsigned) {
    if (!isUnsigned || w >= 64)
      return v;
    return static_cast<int64_t>(static_cast<uint64_t>(v) &
                                ((uint64_t(1) << w) - 1));
  };
  int64_t izp = extend(*izpRaw, inW, inUnsigned);
  int64_t ozp = extend(*ozpRaw, outW, outUnsigned);
  if (floatMean && izp != 0)
    return ctx.emitError() << "fp32_mean_half_away needs input_zp 0";
  int64_t qmin = outUnsigned ? 0 : signedMin(outW);
  int64_t qmax = outUnsigned ? (int64_t(1) << outW) - 1 : signedMax(outW);
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  Tensor out = Tensor::empty(*dt, x.shape());
  for (int64_t i = 0, e = x.numel(); i < e; ++i) {
    int64_t c = channels == 1 ? 0 : i % channels;
    int64_t value = extend(x.getInt(i), inW, inUnsigned) - izp;
    int32_t m = static_cast<int32_t>(mult.getInt(c));
    int s = static_cast<int>(shift.getInt(c));
    int64_t r;
    if (floatMean) {
      r = num::tfliteMeanInt16Float(value, divisor, fpScales[0], ozp, qmin,
                                    qmax);
    } else if (mode == num::Rounding::Fp32HalfEven) {
      r = num::requantizeFp32(value, fpScales[c], ozp, qmin, qmax);
    } else {
      bool ok = scale32 ? num::applyScale32InContract(value, m, s)
                        : num::applyScale16InContract(value, m, s);
      if (!ok)
        return ctx.emitError()
               << "value " << value << " (element " << i
               << ") is outside the range TOSA allows for multiplier " << m
               << " and shift " << s;
      int32_t scaled =
          mode == num::Rounding::HalfAway
              ? num::applyScaleHalfAway(value, m, s)
          : scale32 ? num::applyScale32(value, m, s,
                                        mode == num::Rounding::Double)
                    : num::applyScale16(value, m, s);
      r = num::clampInt(int64_t(scaled) + ozp, qmin, qmax);
    }
    out.setInt(i, r);
  }
  ctx.setResult(0, std::move(out));
  return success();
}

/// TOSA's reciprocal_scale for the integer average pool.
num::TosaScale reciprocalScale(uint32_t value) {
  // (1 << k) / 2 < value <= (1 << k).
  int k = value == 1 ? 0 : 32 - __builtin_clz(value - 1);
  int64_t numerator = ((int64_t(1) << 30) + 1) << k;
  return num::TosaScale{static_cast<int32_t>(numerator / value), 30 + k};
}

/// tosa.max_pool2d and tosa.avg_pool2d on integers.
LogicalResult poolKernel(KernelContext &ctx, bool isMax) {
  const Tensor &x = ctx.in(0);
  auto kernel = ctx.i64Array("kernel");
  if (x.rank() != 4 || !kernel || kernel->size() != 2)
    return ctx.emitError() << "expects a 4-D input and kernel[2]";
  int64_t izp = 0, ozp = 0;
  if (!isMax) {
    FailureOr<int64_t> a = zeroPoint(ctx, 1, "input_zp");
    FailureOr<int64_t> b = zeroPoint(ctx, 2, "output_zp");
    if (failed(a) || failed(b))
      return failure();
    izp = *a, ozp = *b;
  }
  int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  int64_t kh = (*kernel)[0], kw = (*kernel)[1];
  ConvGeometry p;
  if (failed(readConvGeometry(ctx, x.shape(), kh, kw, p,
                              /*hasDilation=*/false)))
    return failure();
  int64_t oh = p.oh, ow = p.ow;
  std::optional<DType> dt = ctx.resultDType(0);
  if (!dt)
    return ctx.emitError() << "has a result type the simulator cannot "
                              "represent";
  unsigned outW = resultWidth(ctx);
  Tensor out = Tensor::empty(*dt, Shape{n, oh, ow, c});
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t ch = 0; ch < c; ++ch) {
          int64_t best = std::numeric_limits<int64_t>::min(), sum = 0,
                  count = 0;
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t iy = oy * p.strideY - p.padTop + ky;
              int64_t ix = ox * p.strideX - p.padLeft + kx;
              // Padding is excluded from both the maximum and the average.
              if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                continue;
              int64_t v = x.getInt(((bn * h + iy) * w + ix) * c + ch);
              best = std::max(best, v);
              sum += v - izp;
              ++count;
            }
          int64_t r;
          if (isMax) {
            r = best;
          } else {
            if (count == 0)
              return ctx.emitError() << "a pooling window covers only "
                                        "padding";
            num::TosaScale s = reciprocalScale(static_cast<uint32_t>(count));
            r = num::applyScale32(sum, s.multiplier, s.shift, false);
            r = num::clampInt(r + ozp, signedMin(outW), signedMax(outW));
          }
          out.setInt(((bn * oh + oy) * ow + ox) * c + ch, r);
        }
  ctx.setResult(0, std::move(out));
  return success();
}

/// tosa.add / tosa.sub / tosa.mul / tosa.intdiv on integers with
/// broadcasting; the result must fit the result type (TOSA REQUIRE).
template <typename Fn>
LogicalResult binaryKernel(KernelContext &ctx, Fn fn) {
  return kd::integerBinaryKernel(
      ctx, [&](int64_t a, int64_t b, unsigned w) -> FailureOr<int64_t> {
        FailureOr<int64_t> r = fn(a, b);
        if (failed(r))
          return failure();
        if (*r < signedMin(w) || *r > signedMax(w))
          return ctx.emitError() << "integer overflow: " << *r
                                 << " does not fit i" << w;
        return *r;
      });
}

LogicalResult mulKernel(KernelContext &ctx) {
  // TOSA 1.0: the shift operand (i8[1]) applies to i32 x i32 only.
  int64_t shift = 0;
  if (ctx.numInputs() > 2 && ctx.in(2).numel() == 1)
    shift = ctx.in(2).getInt(0);
  if (shift < 0 || shift > 63)
    return ctx.emitError() << "shift " << shift << " is out of range";
  return binaryKernel(ctx, [&](int64_t a, int64_t b) -> FailureOr<int64_t> {
    __int128 p = __int128(a) * b;
    if (shift > 0)
      p = (p + (__int128(1) << (shift - 1))) >> shift;
    if (p < std::numeric_limits<int64_t>::min() ||
        p > std::numeric_limits<int64_t>::max())
      return ctx.emitError() << "integer overflow in tosa.mul";
    return static_cast<int64_t>(p);
  });
}

} // namespace

void mlir::qapeft::sim::registerIntegerKernels(KernelRegistry &r) {
  constexpr Domain I = Domain::Integer;
  r.add("tosa.conv2d",
        [](KernelContext &c) { return convKernel(c, /*depthwise=*/false); }, I);
  r.add("tosa.depthwise_conv2d",
        [](KernelContext &c) { return convKernel(c, /*depthwise=*/true); }, I);
  r.add("tosa.matmul", matmulKernel, I);
  r.add("tosa.rescale", rescaleKernel, I);
  r.add("tosa.max_pool2d",
        [](KernelContext &c) { return poolKernel(c, /*isMax=*/true); }, I);
  r.add("tosa.avg_pool2d",
        [](KernelContext &c) { return poolKernel(c, /*isMax=*/false); }, I);
  r.add("tosa.add", [](KernelContext &c) {
    return binaryKernel(c, [](int64_t a, int64_t b) -> FailureOr<int64_t> {
      return a + b;
    });
  }, I);
  // TOSA 1.0 intdiv (i32): truncation toward zero; the int16 MEAN's
  // integer path divides the code sum by the element count with it.
  r.add("tosa.intdiv", [](KernelContext &c) {
    return binaryKernel(c, [&](int64_t a, int64_t b) -> FailureOr<int64_t> {
      if (b == 0)
        return c.emitError() << "division by zero";
      return a / b;
    });
  }, I);
  r.add("tosa.sub", [](KernelContext &c) {
    return binaryKernel(c, [](int64_t a, int64_t b) -> FailureOr<int64_t> {
      return a - b;
    });
  }, I);
  r.add("tosa.mul", mulKernel, I);
}
