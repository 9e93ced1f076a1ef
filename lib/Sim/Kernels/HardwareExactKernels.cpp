//===- HardwareExactKernels.cpp - the hardware-exact forward ops ----------===//
//
// Kernels of qapeft.exact_conv, qapeft.exact_matmul, qapeft.exact_requant,
// qapeft.exact_elementwise (add / sub / mul: LowerElementwise.cpp's
// arithmetic) and qapeft.exact_unary (int8 sigmoid / tanh tables and MEAN:
// LowerActivations.cpp's)
// (dialects/QAPeft/QAPeftHardwareExactOps.td): a quantized layer of the
// training forward recomputed with the integer arithmetic of the deployed
// graph. Every step mirrors one step of --qapeft-lower-to-integer and of the
// integer kernels (IntegerKernels.cpp) and goes through the same
// qapeft/Numerics functions, so the dequantized result equals, bit for bit,
// the integer graph's output dequantized:
//  - codes: numerics::quantizeFloat (the lowering's weight quantization and,
//    on already-quantized activations, the identity on their codes);
//  - bias: numerics::quantizeBias at s_in * s_w;
//  - multiplier/shift: numerics::rescaleMultiplier on the double
//    s_in * s_w / s_out, and numerics::xnnpackRequantizationScale for the
//    fp32 mode, exactly as the lowering computes them;
//  - requantization: numerics::requantize, with the contract checks of the
//    tosa.rescale kernel.
// The shadow operand (operand 0) only gives the result its runtime shape.
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Dialect/QAPeft/Utils/Int16ActivationChain.h"
#include "qapeft/Dialect/QAPeft/Utils/Rounding.h"
#include "qapeft/Numerics/ActivationTable.h"
#include "qapeft/Numerics/Int16Activation.h"
#include "qapeft/Numerics/MeanInt16.h"
#include "qapeft/Numerics/Requantize.h"
#include "qapeft/Numerics/SoftmaxInt16.h"
#include "qapeft/Numerics/SoftmaxInt8.h"
#include "qapeft/Sim/Kernel.h"

#include <climits>
#include <cmath>
#include <vector>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;
namespace num = mlir::qapeft::numerics;

namespace {

/// A per-tensor grid read from the scale / zero point operands.
struct Grid {
  float scale = 1.0f;
  int64_t zeroPoint = 0;
  int64_t qmin = 0, qmax = 0;
  /// The signed range of the storage type (what tosa.rescale saturates to).
  int64_t storageMin = 0, storageMax = 0;
  unsigned storageBits = 8;
};

FailureOr<Grid> readGrid(KernelContext &ctx, unsigned scaleIdx,
                         QuantSchemeAttr scheme, StringRef what) {
  const Tensor &s = ctx.in(scaleIdx), &z = ctx.in(scaleIdx + 1);
  if (s.numel() != 1 || z.numel() != 1)
    return ctx.emitError() << "the " << what
                           << " must be quantized per tensor, got scale "
                           << s.describe();
  Grid g;
  g.scale = s.data<float>()[0];
  if (!(g.scale > 0.0f) || !std::isfinite(g.scale))
    return ctx.emitError() << "the " << what << " scale " << g.scale
                           << " is not finite and positive";
  g.zeroPoint = static_cast<int64_t>(std::nearbyint(z.data<float>()[0]));
  g.qmin = scheme.getQMin();
  g.qmax = scheme.getQMax();
  g.storageBits = scheme.getStorage().getWidth();
  if (g.storageBits != 8 && g.storageBits != 16)
    return ctx.emitError() << "the " << what
                           << " must be stored in i8 or i16, got i"
                           << g.storageBits;
  g.storageMin = -(int64_t(1) << (g.storageBits - 1));
  g.storageMax = (int64_t(1) << (g.storageBits - 1)) - 1;
  return g;
}

/// The requantization parameters of one output channel, as the lowering
/// derives them for tosa.rescale (emitRescale).
FailureOr<num::RequantParams> requantParams(KernelContext &ctx, double real,
                                            float fp32, num::Rounding mode,
                                            bool scale32) {
  num::RequantParams p;
  // 16-bit multipliers have one rounding (the lowering emits SINGLE_ROUND).
  if (mode == num::Rounding::Double && !scale32)
    mode = num::Rounding::Single;
  p.mode = mode;
  p.scale32 = scale32;
  p.fpScale = fp32;
  std::optional<num::TosaScale> ts =
      num::rescaleMultiplier(real, mode, scale32);
  if (!ts)
    return ctx.emitError() << "requantization scale " << real
                           << " has no TOSA multiplier/shift";
  p.scale = *ts;
  return p;
}

/// The rounding of a requantization of one quantized activation to another
/// (a TFLite QUANTIZE), as the lowering's emitActivationRequantize picks it
/// (LowerToInteger.cpp): the builtin QUANTIZE runs
/// MultiplyByQuantizedMultiplier, which rounds twice, so under `single` the
/// rescale is DOUBLE_ROUND unless both roundings give the same multiplier
/// with a shift of at most 31 (where apply_scale_32 rounds once either way).
num::Rounding activationRequantRounding(double real, num::Rounding mode) {
  if (mode != num::Rounding::Single)
    return mode;
  std::optional<num::TosaScale> once =
      num::rescaleMultiplier(real, num::Rounding::Single, true);
  std::optional<num::TosaScale> twice =
      num::rescaleMultiplier(real, num::Rounding::Double, true);
  if (!once || !twice || !(*once == *twice) || twice->shift > 31)
    return num::Rounding::Double;
  return mode;
}

/// The parameters of a requantization of one quantized activation to
/// another, from grid `in` to grid `out`, as emitActivationRequantize lowers
/// it: under `fp32-half-even` (XNNPACK) an int8 -> int8 one is XNNPACK's
/// 8-bit fixed point where the delegate takes it and the builtin QUANTIZE's
/// rounding elsewhere and for int16; otherwise activationRequantRounding.
FailureOr<num::RequantParams> activationRequantParams(KernelContext &ctx,
                                                      const Grid &in,
                                                      const Grid &out,
                                                      num::Rounding mode) {
  double real = double(in.scale) / double(out.scale);
  float fp = in.scale / out.scale;
  if (mode == num::Rounding::Fp32HalfEven) {
    std::optional<num::TosaScale> xs;
    if (in.storageBits == 8 && out.storageBits == 8)
      xs = num::xnnpackQuantizeScale(fp);
    if (xs) {
      num::RequantParams p;
      p.mode = num::Rounding::Single;
      p.scale32 = true;
      p.fpScale = fp;
      p.scale = *xs;
      return p;
    }
    mode = num::Rounding::Single;
  }
  return requantParams(ctx, real, fp, activationRequantRounding(real, mode),
                       /*scale32=*/true);
}

/// numerics::requantize with the REQUIREs the tosa.rescale kernel checks,
/// to output zero point `zp` saturating to [lo, hi].
FailureOr<int64_t> requantizeChecked(KernelContext &ctx, int64_t value,
                                     const num::RequantParams &p, int64_t zp,
                                     int64_t lo, int64_t hi) {
  if (p.mode != num::Rounding::Fp32HalfEven) {
    bool ok = p.scale32 ? num::applyScale32InContract(value, p.scale.multiplier,
                                                      p.scale.shift)
                        : num::applyScale16InContract(value, p.scale.multiplier,
                                                      p.scale.shift);
    if (!ok)
      return ctx.emitError()
             << "value " << value
             << " is outside the range TOSA allows for multiplier "
             << p.scale.multiplier << " and shift " << p.scale.shift;
  }
  return num::requantize(value, p, zp, lo, hi);
}

/// The same into the storage range of grid `out`.
FailureOr<int64_t> requantizeChecked(KernelContext &ctx, int64_t value,
                                     const num::RequantParams &p,
                                     const Grid &out) {
  return requantizeChecked(ctx, value, p, out.zeroPoint, out.storageMin,
                           out.storageMax);
}

/// The fused clamps (`clamps` attribute, [lo, hi] float pairs) at their
/// quantized bounds on the output grid, as the lowering emits them.
LogicalResult readClamps(KernelContext &ctx, const Grid &out,
                         SmallVectorImpl<std::pair<int64_t, int64_t>> &clamps) {
  auto clampAttr = ctx.op->getAttrOfType<ArrayAttr>("clamps");
  if (!clampAttr)
    return success();
  if (clampAttr.size() % 2)
    return ctx.emitError() << "'clamps' must hold [lo, hi] pairs";
  for (size_t i = 0; i < clampAttr.size(); i += 2) {
    auto lo = dyn_cast<FloatAttr>(clampAttr[i]);
    auto hi = dyn_cast<FloatAttr>(clampAttr[i + 1]);
    if (!lo || !hi)
      return ctx.emitError() << "'clamps' must hold floats";
    clamps.push_back({num::quantizeFloat(lo.getValueAsDouble(), out.scale,
                                         out.zeroPoint, out.qmin, out.qmax),
                      num::quantizeFloat(hi.getValueAsDouble(), out.scale,
                                         out.zeroPoint, out.qmin, out.qmax)});
  }
  return success();
}

/// The output value of accumulator `sum` (element `idx`): checked against
/// the accBits-wide accumulator, requantized to `out`, clamped by the fused
/// activations and dequantized, as the integer graph computes it.
FailureOr<float>
requantizeAccumulator(KernelContext &ctx, int64_t sum, int64_t idx,
                      unsigned accBits, const num::RequantParams &p,
                      const Grid &out,
                      ArrayRef<std::pair<int64_t, int64_t>> clamps) {
  const int64_t accMin = -(int64_t(1) << (accBits - 1));
  const int64_t accMax = (int64_t(1) << (accBits - 1)) - 1;
  if (sum < accMin || sum > accMax)
    return ctx.emitError() << "accumulator overflow: " << sum
                           << " does not fit i" << accBits << " (element "
                           << idx << ")";
  FailureOr<int64_t> q = requantizeChecked(ctx, sum, p, out);
  if (failed(q))
    return failure();
  int64_t r = *q;
  for (auto [lo, hi] : clamps)
    r = std::min(std::max(r, lo), hi);
  return num::dequantizeFloat(r, out.scale, out.zeroPoint);
}

LogicalResult exactConvKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  Operation *op = ctx.op;
  auto inScheme = op->getAttrOfType<QuantSchemeAttr>("input_scheme");
  auto wScheme = op->getAttrOfType<QuantSchemeAttr>("weight_scheme");
  auto outScheme = op->getAttrOfType<QuantSchemeAttr>("output_scheme");
  auto rounding = op->getAttrOfType<RoundingModeAttr>("rounding");
  auto biasBits = ctx.i64("bias_bits");
  if (!inScheme || !wScheme || !outScheme || !rounding || !biasBits)
    return ctx.emitError() << "needs input_scheme, weight_scheme, "
                              "output_scheme, rounding and bias_bits";
  bool depthwise = op->hasAttr("depthwise");
  const Tensor &shadow = ctx.in(0), &x = ctx.in(1), &w = ctx.in(4),
               &ws = ctx.in(5), &wz = ctx.in(6), &b = ctx.in(7);
  FailureOr<Grid> inG = readGrid(ctx, 2, inScheme, "input");
  FailureOr<Grid> outG = readGrid(ctx, 8, outScheme, "output");
  if (failed(inG) || failed(outG))
    return failure();
  if (x.rank() != 4 || w.rank() != 4)
    return ctx.emitError() << "expects a 4-D input and weight, got "
                           << x.describe() << " and " << w.describe();
  ConvShape cs;
  if (failed(readConvShape(ctx, x, w, b, depthwise, cs)))
    return failure();
  const ConvGeometry &g = cs.g;
  int64_t n = g.n, h = g.ih, wd = g.iw, c = g.c, kh = g.kh, kw = g.kw;
  int64_t outC = cs.outC, mult = cs.mult;
  if (ws.numel() != wz.numel() || (ws.numel() != 1 && ws.numel() != outC))
    return ctx.emitError() << "expected 1 or " << outC
                           << " weight scales and as many zero points, got "
                           << ws.numel() << " and " << wz.numel();
  int64_t oh = g.oh, ow = g.ow;
  if (shadow.numel() != n * oh * ow * outC)
    return ctx.emitError() << "the shadow " << shadow.describe()
                           << " does not hold the " << n << "x" << oh << "x"
                           << ow << "x" << outC << " conv output";

  // Weight: one zero point (TOSA takes one), per-channel scales.
  const float *wsp = ws.data<float>(), *wzp = wz.data<float>();
  int64_t wzero = static_cast<int64_t>(std::nearbyint(wzp[0]));
  for (int64_t i = 1; i < wz.numel(); ++i)
    if (static_cast<int64_t>(std::nearbyint(wzp[i])) != wzero)
      return ctx.emitError() << "TOSA takes one weight zero point, got "
                                "different ones per channel";
  auto channelScale = [&](int64_t oc) {
    return ws.numel() == 1 ? wsp[0] : wsp[oc];
  };
  for (int64_t i = 0; i < ws.numel(); ++i)
    if (!(wsp[i] > 0.0f) || !std::isfinite(wsp[i]))
      return ctx.emitError()
             << "weight scale " << wsp[i] << " is not finite and positive";
  // The lowering's channel of a weight element: OHWI -> index / inner,
  // HWCM -> index % (C * M).
  int64_t inner = w.numel() / std::max<int64_t>(w.dim(0), 1);
  std::vector<int32_t> qw(w.numel());
  const float *pw = w.data<float>();
  for (int64_t i = 0; i < w.numel(); ++i) {
    int64_t oc = depthwise ? i % outC : i / inner;
    qw[i] = static_cast<int32_t>(num::quantizeFloat(pw[i], channelScale(oc),
                                                    wzero, wScheme.getQMin(),
                                                    wScheme.getQMax()) -
                                 wzero);
  }

  // Input codes minus the zero point (padding then contributes 0).
  std::vector<int32_t> qx(x.numel());
  const float *px = x.data<float>();
  for (int64_t i = 0; i < x.numel(); ++i)
    qx[i] = static_cast<int32_t>(num::quantizeFloat(px[i], inG->scale,
                                                    inG->zeroPoint, inG->qmin,
                                                    inG->qmax) -
                                 inG->zeroPoint);

  // Accumulator width: i32 for 8-bit inputs, i48 for 16-bit ones.
  unsigned accBits = inG->storageBits == 16 ? 48 : 32;
  unsigned biasLimit = std::min<unsigned>(*biasBits, accBits);
  const float *pb = b.data<float>();
  std::vector<int64_t> qb(outC);
  std::vector<num::RequantParams> params(outC);
  num::Rounding mode = toNumericsRounding(rounding.getValue());
  for (int64_t oc = 0; oc < outC; ++oc) {
    float bv = pb[b.numel() == 1 ? 0 : oc];
    std::optional<int64_t> q =
        num::quantizeBias(bv, inG->scale, channelScale(oc), biasLimit);
    if (!q)
      return ctx.emitError()
             << "bias of output channel " << oc << " (" << bv
             << ") does not fit " << biasLimit << " signed bits";
    qb[oc] = *q;
    double real =
        double(inG->scale) * double(channelScale(oc)) / double(outG->scale);
    float fp = num::xnnpackRequantizationScale(inG->scale, channelScale(oc),
                                               outG->scale);
    FailureOr<num::RequantParams> rp =
        requantParams(ctx, real, fp, mode, accBits != 48);
    if (failed(rp))
      return failure();
    params[oc] = *rp;
  }

  SmallVector<std::pair<int64_t, int64_t>> clamps;
  if (failed(readClamps(ctx, *outG, clamps)))
    return failure();

  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  float *po = out.data<float>();
  int64_t sy = g.strideY, sx = g.strideX, dy = g.dilY, dx = g.dilX;
  // The window sums on exact double-precision BLAS when every partial sum
  // is an integer below 2^53 (bit-identical to the loop below).
  std::vector<int64_t> dots;
  bool haveDots = !depthwise && mlir::qapeft::sim::detail::exactConvDots(
                                    std::vector<int64_t>(qx.begin(), qx.end()),
                                    std::vector<int64_t>(qw.begin(), qw.end()),
                                    g, outC, dots);
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t oc = 0; oc < outC; ++oc) {
          int64_t idx = ((bn * oh + oy) * ow + ox) * outC + oc;
          int64_t sum = qb[oc];
          if (haveDots)
            sum += dots[idx];
          for (int64_t ky = 0; ky < kh && !haveDots; ++ky) {
            int64_t iy = oy * sy - g.padTop + ky * dy;
            if (iy < 0 || iy >= h)
              continue;
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t ix = ox * sx - g.padLeft + kx * dx;
              if (ix < 0 || ix >= wd)
                continue;
              const int32_t *xrow = &qx[((bn * h + iy) * wd + ix) * c];
              if (depthwise) {
                int64_t ic = oc / mult, m = oc % mult;
                sum += int64_t(xrow[ic]) *
                       qw[((ky * kw + kx) * c + ic) * mult + m];
              } else {
                const int32_t *wrow = &qw[((oc * kh + ky) * kw + kx) * c];
                for (int64_t ic = 0; ic < c; ++ic)
                  sum += int64_t(xrow[ic]) * wrow[ic];
              }
            }
          }
          FailureOr<float> v = requantizeAccumulator(ctx, sum, idx, accBits,
                                                     params[oc], *outG, clamps);
          if (failed(v))
            return failure();
          po[idx] = *v;
        }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult exactMatmulKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  Operation *op = ctx.op;
  auto inScheme = op->getAttrOfType<QuantSchemeAttr>("input_scheme");
  auto wScheme = op->getAttrOfType<QuantSchemeAttr>("weight_scheme");
  auto outScheme = op->getAttrOfType<QuantSchemeAttr>("output_scheme");
  auto rounding = op->getAttrOfType<RoundingModeAttr>("rounding");
  if (!inScheme || !wScheme || !outScheme || !rounding)
    return ctx.emitError() << "needs input_scheme, weight_scheme, "
                              "output_scheme and rounding";
  const Tensor &shadow = ctx.in(0), &a = ctx.in(1), &b = ctx.in(4),
               &bs = ctx.in(5), &bz = ctx.in(6);
  FailureOr<Grid> inG = readGrid(ctx, 2, inScheme, "input");
  FailureOr<Grid> outG = readGrid(ctx, 7, outScheme, "output");
  if (failed(inG) || failed(outG))
    return failure();
  if (a.rank() != 3 || b.rank() != 3 || a.dim(2) != b.dim(1) ||
      (a.dim(0) != b.dim(0) && b.dim(0) != 1 && a.dim(0) != 1))
    return ctx.emitError() << "expects [N, H, C] x [N, C, W], got "
                           << a.describe() << " and " << b.describe();
  int64_t n = std::max(a.dim(0), b.dim(0)), h = a.dim(1), c = a.dim(2),
          w = b.dim(2);
  if (shadow.numel() != n * h * w)
    return ctx.emitError() << "the shadow " << shadow.describe()
                           << " does not hold the " << n << "x" << h << "x" << w
                           << " matmul output";
  if (bs.numel() != bz.numel() || (bs.numel() != 1 && bs.numel() != w))
    return ctx.emitError() << "expected 1 or " << w
                           << " weight scales and as many zero points, got "
                           << bs.numel() << " and " << bz.numel();
  const float *bsp = bs.data<float>(), *bzp = bz.data<float>();
  int64_t bzero = static_cast<int64_t>(std::nearbyint(bzp[0]));
  for (int64_t i = 1; i < bz.numel(); ++i)
    if (static_cast<int64_t>(std::nearbyint(bzp[i])) != bzero)
      return ctx.emitError() << "TOSA takes one zero point for the right "
                                "operand";
  auto channelScale = [&](int64_t j) {
    return bs.numel() == 1 ? bsp[0] : bsp[j];
  };
  for (int64_t i = 0; i < bs.numel(); ++i)
    if (!(bsp[i] > 0.0f) || !std::isfinite(bsp[i]))
      return ctx.emitError()
             << "weight scale " << bsp[i] << " is not finite and positive";
  std::vector<int32_t> qb(b.numel()), qa(a.numel());
  const float *pb = b.data<float>(), *pa = a.data<float>();
  for (int64_t i = 0; i < b.numel(); ++i)
    qb[i] = static_cast<int32_t>(num::quantizeFloat(pb[i], channelScale(i % w),
                                                    bzero, wScheme.getQMin(),
                                                    wScheme.getQMax()) -
                                 bzero);
  for (int64_t i = 0; i < a.numel(); ++i)
    qa[i] = static_cast<int32_t>(num::quantizeFloat(pa[i], inG->scale,
                                                    inG->zeroPoint, inG->qmin,
                                                    inG->qmax) -
                                 inG->zeroPoint);
  unsigned accBits = inG->storageBits == 16 ? 48 : 32;
  num::Rounding mode = toNumericsRounding(rounding.getValue());
  std::vector<num::RequantParams> params(w);
  for (int64_t j = 0; j < w; ++j) {
    double real =
        double(inG->scale) * double(channelScale(j)) / double(outG->scale);
    float fp = num::xnnpackRequantizationScale(inG->scale, channelScale(j),
                                               outG->scale);
    FailureOr<num::RequantParams> rp =
        requantParams(ctx, real, fp, mode, accBits != 48);
    if (failed(rp))
      return failure();
    params[j] = *rp;
  }
  SmallVector<std::pair<int64_t, int64_t>> clamps;
  if (failed(readClamps(ctx, *outG, clamps)))
    return failure();
  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  float *po = out.data<float>();
  // dgemm when exact, as in exactConvKernel.
  std::vector<int64_t> dots;
  bool haveDots = mlir::qapeft::sim::detail::exactMatmulDots(
      std::vector<int64_t>(qa.begin(), qa.end()),
      std::vector<int64_t>(qb.begin(), qb.end()), a.dim(0), b.dim(0), h, c, w,
      dots);
  for (int64_t bn = 0; bn < n; ++bn) {
    int64_t an = a.dim(0) == 1 ? 0 : bn, bb = b.dim(0) == 1 ? 0 : bn;
    for (int64_t i = 0; i < h; ++i)
      for (int64_t j = 0; j < w; ++j) {
        int64_t idx = (bn * h + i) * w + j;
        int64_t sum = 0;
        if (haveDots)
          sum = dots[idx];
        else
          for (int64_t k = 0; k < c; ++k)
            sum += int64_t(qa[(an * h + i) * c + k]) * qb[(bb * c + k) * w + j];
        FailureOr<float> v = requantizeAccumulator(ctx, sum, idx, accBits,
                                                   params[j], *outG, clamps);
        if (failed(v))
          return failure();
        po[idx] = *v;
      }
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult exactRequantKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  Operation *op = ctx.op;
  auto inScheme = op->getAttrOfType<QuantSchemeAttr>("input_scheme");
  auto outScheme = op->getAttrOfType<QuantSchemeAttr>("output_scheme");
  auto rounding = op->getAttrOfType<RoundingModeAttr>("rounding");
  if (!inScheme || !outScheme || !rounding)
    return ctx.emitError() << "needs input_scheme, output_scheme and "
                              "rounding";
  const Tensor &shadow = ctx.in(0), &x = ctx.in(1);
  FailureOr<Grid> inG = readGrid(ctx, 2, inScheme, "input");
  FailureOr<Grid> outG = readGrid(ctx, 4, outScheme, "output");
  if (failed(inG) || failed(outG))
    return failure();
  if (shadow.numel() != x.numel())
    return ctx.emitError() << "the shadow " << shadow.describe()
                           << " and the input " << x.describe()
                           << " differ in size";
  // The lowering maps a quantizer onto an equal grid to the same integers.
  bool same = inG->scale == outG->scale && inG->zeroPoint == outG->zeroPoint &&
              inG->qmin == outG->qmin && inG->qmax == outG->qmax &&
              inScheme.getStorage() == outScheme.getStorage();
  FailureOr<num::RequantParams> rp = activationRequantParams(
      ctx, *inG, *outG, toNumericsRounding(rounding.getValue()));
  if (failed(rp))
    return failure();
  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  const float *px = x.data<float>();
  float *po = out.data<float>();
  for (int64_t i = 0, e = x.numel(); i < e; ++i) {
    int64_t q = num::quantizeFloat(px[i], inG->scale, inG->zeroPoint, inG->qmin,
                                   inG->qmax);
    if (!same) {
      FailureOr<int64_t> r =
          requantizeChecked(ctx, q - inG->zeroPoint, *rp, *outG);
      if (failed(r))
        return failure();
      q = *r;
    }
    po[i] = num::dequantizeFloat(q, outG->scale, outG->zeroPoint);
  }
  ctx.setResult(0, std::move(out));
  return success();
}

/// The stored codes of `x` (dequantized values on grid `g`).
std::vector<int64_t> codesOf(const Tensor &x, const Grid &g) {
  std::vector<int64_t> q(x.numel());
  const float *px = x.data<float>();
  for (int64_t i = 0, e = x.numel(); i < e; ++i)
    q[i] = num::quantizeFloat(px[i], g.scale, g.zeroPoint, g.qmin, g.qmax);
  return q;
}

/// TFLite's QuantizeMultiplier(real) (no single-rounding clamp) as the
/// DOUBLE_ROUND tosa.rescale parameters the elementwise lowering emits.
num::RequantParams doubleRoundParams(double real) {
  num::QuantizedMultiplier qm =
      num::quantizeMultiplier(real, /*singleRounding=*/false);
  num::RequantParams p;
  p.mode = num::Rounding::Double;
  p.scale32 = true;
  p.scale = {qm.multiplier, 31 - qm.shift};
  return p;
}

LogicalResult exactElementwiseKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  Operation *op = ctx.op;
  auto kindAttr = op->getAttrOfType<StringAttr>("kind");
  auto lScheme = op->getAttrOfType<QuantSchemeAttr>("lhs_scheme");
  auto rScheme = op->getAttrOfType<QuantSchemeAttr>("rhs_scheme");
  auto outScheme = op->getAttrOfType<QuantSchemeAttr>("output_scheme");
  auto rounding = op->getAttrOfType<RoundingModeAttr>("rounding");
  if (!kindAttr || !lScheme || !rScheme || !outScheme || !rounding)
    return ctx.emitError() << "needs kind, lhs_scheme, rhs_scheme, "
                              "output_scheme and rounding";
  StringRef kind = kindAttr.getValue();
  bool isMul = kind == "mul", isSub = kind == "sub";
  if (!isMul && !isSub && kind != "add")
    return ctx.emitError() << "unknown kind '" << kind << "'";
  const Tensor &shadow = ctx.in(0), &x1 = ctx.in(1), &x2 = ctx.in(4);
  FailureOr<Grid> g1 = readGrid(ctx, 2, lScheme, "lhs");
  FailureOr<Grid> g2 = readGrid(ctx, 5, rScheme, "rhs");
  FailureOr<Grid> outG = readGrid(ctx, 7, outScheme, "output");
  if (failed(g1) || failed(g2) || failed(outG))
    return failure();
  if (g1->storageBits != g2->storageBits ||
      g1->storageBits != outG->storageBits)
    return ctx.emitError() << "the operands and the output must have one "
                              "storage type (TFLite's kernels), got i"
                           << g1->storageBits << ", i" << g2->storageBits
                           << " and i" << outG->storageBits;
  // TOSA broadcasting: equal ranks, each dimension equal or 1.
  if (x1.rank() != x2.rank())
    return ctx.emitError() << "operands of different rank: " << x1.describe()
                           << " and " << x2.describe();
  int64_t rank = x1.rank();
  SmallVector<int64_t> shape(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t a = x1.dim(d), b = x2.dim(d);
    if (a != b && a != 1 && b != 1)
      return ctx.emitError() << "operands do not broadcast: " << x1.describe()
                             << " and " << x2.describe();
    shape[d] = std::max(a, b);
  }
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  if (shadow.numel() != total)
    return ctx.emitError() << "the shadow " << shadow.describe()
                           << " does not hold the " << total
                           << " elements of the broadcast operands";

  bool wide = outG->storageBits == 16;
  num::Rounding mode = toNumericsRounding(rounding.getValue());
  if (mode == num::Rounding::HalfAway)
    return ctx.emitError() << "no integer form of " << kind
                           << " with rounding half-away";
  bool xnnpack = mode == num::Rounding::Fp32HalfEven && !wide;
  float s1 = g1->scale, s2 = g2->scale, so = outG->scale;

  // The per-element arithmetic, with the lowering's parameters
  // (LowerElementwise.cpp): `combine` maps the two zero-point-free codes to
  // the accumulator, `outParams` requantizes it to the output grid.
  num::RequantParams outParams, inParams[2];
  int64_t factor[2] = {1, 1};
  if (isMul) {
    int64_t m1 = std::max(std::llabs(g1->qmin - g1->zeroPoint),
                          std::llabs(g1->qmax - g1->zeroPoint));
    int64_t m2 = std::max(std::llabs(g2->qmin - g2->zeroPoint),
                          std::llabs(g2->qmax - g2->zeroPoint));
    // mul.cc's float32 real multiplier.
    float realF = s1 * s2 / so;
    if (xnnpack) {
      float fp32Scale = (s1 * s2) / so;
      FailureOr<num::RequantParams> rp = requantParams(
          ctx, double(realF), fp32Scale, num::Rounding::Fp32HalfEven, true);
      if (failed(rp))
        return failure();
      outParams = *rp;
    } else {
      outParams = doubleRoundParams(double(realF));
      int64_t sh = outParams.scale.shift;
      if (sh < 2 || sh > 62 || __int128(m1) * m2 >= (__int128(1) << (sh - 1)))
        return ctx.emitError() << "the requantization scale " << realF
                               << " is too large for a TOSA rescale of the "
                                  "product";
    }
  } else if (xnnpack) {
    // XNNPACK's qs8 add: multipliers lrintf(s_i / s_o 2^shift), the output
    // (acc + 2^(shift-1)) >> shift as an exact rescale by 2^30 and
    // shift + 30.
    float ratio[2] = {s1 / so, s2 / so};
    float maxRatio = std::max(ratio[0], ratio[1]);
    int shift = 20 - std::ilogb(maxRatio);
    if (shift < 12 || shift > 30 || ratio[0] < 0x1.0p-10f ||
        ratio[1] < 0x1.0p-10f)
      return ctx.emitError() << "XNNPACK's " << kind
                             << " needs input-to-output scale ratios in "
                                "[2^-10, 2^8), got "
                             << ratio[0] << " and " << ratio[1];
    for (unsigned k = 0; k < 2; ++k)
      factor[k] =
          static_cast<int64_t>(std::lrintf(std::ldexp(ratio[k], shift)));
    if (isSub)
      factor[1] = -factor[1];
    outParams.mode = num::Rounding::Single;
    outParams.scale32 = true;
    outParams.scale = {int32_t(1) << 30, shift + 30};
  } else {
    // TFLite's builtin add: a common grid of scale 2 max(s1, s2) / 2^L.
    int leftShift = wide ? 15 : 20;
    double twiceMax = 2 * std::max(s1, s2);
    inParams[0] = doubleRoundParams(double(s1) / twiceMax);
    inParams[1] = doubleRoundParams(double(s2) / twiceMax);
    factor[0] = int64_t(1) << leftShift;
    factor[1] = isSub ? -factor[0] : factor[0];
    outParams =
        doubleRoundParams(twiceMax / double(float(1 << leftShift) * so));
    int64_t sh = outParams.scale.shift;
    if (sh < 2 || sh > 62)
      return ctx.emitError() << "the output scale gives a requantization "
                                "shift "
                             << sh << " outside TOSA's [2, 62]";
  }
  bool builtinAdd = !isMul && !xnnpack;

  SmallVector<std::pair<int64_t, int64_t>> clamps;
  if (failed(readClamps(ctx, *outG, clamps)))
    return failure();
  std::vector<int64_t> q1 = codesOf(x1, *g1), q2 = codesOf(x2, *g2);
  // Row-major strides of the operands, 0 on broadcast dimensions.
  SmallVector<int64_t> st1(rank, 0), st2(rank, 0);
  for (int64_t d = rank - 1, a = 1, b = 1; d >= 0; --d) {
    st1[d] = x1.dim(d) == 1 ? 0 : a;
    st2[d] = x2.dim(d) == 1 ? 0 : b;
    a *= x1.dim(d);
    b *= x2.dim(d);
  }
  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  float *po = out.data<float>();
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t i = 0; i < total; ++i) {
    int64_t o1 = 0, o2 = 0;
    for (int64_t d = 0; d < rank; ++d) {
      o1 += idx[d] * st1[d];
      o2 += idx[d] * st2[d];
    }
    int64_t c1 = q1[o1] - g1->zeroPoint, c2 = q2[o2] - g2->zeroPoint;
    int64_t acc;
    if (isMul) {
      acc = c1 * c2;
    } else if (builtinAdd) {
      FailureOr<int64_t> a = requantizeChecked(ctx, c1 * factor[0], inParams[0],
                                               0, INT32_MIN, INT32_MAX);
      FailureOr<int64_t> b = requantizeChecked(ctx, c2 * factor[1], inParams[1],
                                               0, INT32_MIN, INT32_MAX);
      if (failed(a) || failed(b))
        return failure();
      acc = *a + *b;
    } else {
      acc = c1 * factor[0] + c2 * factor[1];
    }
    FailureOr<int64_t> q = requantizeChecked(ctx, acc, outParams, *outG);
    if (failed(q))
      return failure();
    int64_t r = *q;
    for (auto [lo, hi] : clamps)
      r = std::min(std::max(r, lo), hi);
    po[i] = num::dequantizeFloat(r, outG->scale, outG->zeroPoint);
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++idx[d] < shape[d])
        break;
      idx[d] = 0;
    }
  }
  ctx.setResult(0, std::move(out));
  return success();
}

/// Writes `fixed`, codes on TFLite's fixed output grid of LOGISTIC / TANH /
/// SOFTMAX (`fixedScale`, `fixedZp`), into `po` as values of grid `outG`,
/// requantized first when `outG` is another grid (the lowering's
/// requantizeFixedOutput).
LogicalResult writeFromFixedGrid(KernelContext &ctx, ArrayRef<int64_t> fixed,
                                 float fixedScale, int64_t fixedZp, bool wide,
                                 const Grid &outG, num::Rounding mode,
                                 float *po) {
  bool fixedOut = outG.scale == fixedScale && outG.zeroPoint == fixedZp &&
                  (wide || (outG.qmin == -128 && outG.qmax == 127));
  num::RequantParams rp;
  if (!fixedOut) {
    Grid fixedG = outG;
    fixedG.scale = fixedScale;
    fixedG.zeroPoint = fixedZp;
    FailureOr<num::RequantParams> p =
        activationRequantParams(ctx, fixedG, outG, mode);
    if (failed(p))
      return failure();
    rp = *p;
  }
  for (size_t i = 0, e = fixed.size(); i < e; ++i) {
    int64_t t = fixed[i];
    if (!fixedOut) {
      FailureOr<int64_t> r = requantizeChecked(ctx, t - fixedZp, rp, outG);
      if (failed(r))
        return failure();
      t = *r;
    }
    po[i] = num::dequantizeFloat(t, outG.scale, outG.zeroPoint);
  }
  return success();
}

/// TFLite's SOFTMAX (beta 1) over the last axis of `x` (codes `q`), as the
/// lowering's qapeft.tflite_softmax computes it, then the requantization
/// from TFLite's fixed output grid to `outG` if it differs.
LogicalResult exactSoftmax(KernelContext &ctx, const Tensor &x,
                           const std::vector<int64_t> &q, const Grid &inG,
                           const Grid &outG, num::Rounding mode, bool wide,
                           Tensor &out) {
  if (x.rank() < 1 || ctx.in(0).numel() != x.numel())
    return ctx.emitError() << "softmax expects the shadow to hold "
                           << x.describe();
  const int64_t cols = x.dim(x.rank() - 1);
  const int64_t rows = cols == 0 ? 0 : x.numel() / cols;
  std::vector<int64_t> fixed(x.numel());
  float fixedScale;
  int64_t fixedZp;
  if (wide) {
    // reference_ops::SoftmaxInt16 (numerics/SoftmaxInt16.h), input zero
    // point 0, fixed output grid 1/32768, 0.
    if (cols > num::kSoftmaxInt16MaxRow)
      return ctx.emitError() << "rows of " << cols << " values exceed the "
                             << num::kSoftmaxInt16MaxRow
                             << " the int16 kernel's int32 sum can hold";
    num::QuantizedMultiplier qm =
        num::softmaxInt16InputMultiplier(inG.scale, 1.0f);
    std::vector<int16_t> in16(q.begin(), q.end()), out16(q.size());
    for (int64_t r = 0; r < rows; ++r)
      num::softmaxInt16Row(in16.data() + r * cols, out16.data() + r * cols,
                           cols, qm);
    fixed.assign(out16.begin(), out16.end());
    fixedScale = 1.0f / 32768.0f;
    fixedZp = 0;
  } else {
    // TFLite's int8 SOFTMAX float-table path (Numerics/SoftmaxInt8.h),
    // beta 1, fixed output grid 1/256, -128.
    const std::array<float, 256> table = num::softmaxInt8Table(inG.scale, 1.0f);
    std::vector<int8_t> in8(q.begin(), q.end()), out8(q.size());
    for (int64_t r = 0; r < rows; ++r)
      num::softmaxInt8Row(in8.data() + r * cols, out8.data() + r * cols, cols,
                          table);
    fixed.assign(out8.begin(), out8.end());
    fixedScale = 1.0f / 256.0f;
    fixedZp = -128;
  }
  if (failed(writeFromFixedGrid(ctx, fixed, fixedScale, fixedZp, wide, outG,
                                mode, out.data<float>())))
    return failure();
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult exactUnaryKernel(KernelContext &ctx) {
  if (failed(allFloat(ctx)))
    return failure();
  Operation *op = ctx.op;
  auto kindAttr = op->getAttrOfType<StringAttr>("kind");
  auto inScheme = op->getAttrOfType<QuantSchemeAttr>("input_scheme");
  auto outScheme = op->getAttrOfType<QuantSchemeAttr>("output_scheme");
  auto rounding = op->getAttrOfType<RoundingModeAttr>("rounding");
  if (!kindAttr || !inScheme || !outScheme || !rounding)
    return ctx.emitError() << "needs kind, input_scheme, output_scheme and "
                              "rounding";
  StringRef kind = kindAttr.getValue();
  const Tensor &shadow = ctx.in(0), &x = ctx.in(1);
  FailureOr<Grid> inG = readGrid(ctx, 2, inScheme, "input");
  FailureOr<Grid> outG = readGrid(ctx, 4, outScheme, "output");
  if (failed(inG) || failed(outG))
    return failure();
  if (inG->storageBits != outG->storageBits)
    return ctx.emitError() << kind << " needs one storage type, got i"
                           << inG->storageBits << " and i" << outG->storageBits;
  bool wide = inG->storageBits == 16;
  if (wide && (inG->zeroPoint != 0 || outG->zeroPoint != 0))
    return ctx.emitError() << "TFLite's int16 " << kind
                           << " needs zero points 0";
  num::Rounding mode = toNumericsRounding(rounding.getValue());
  if (mode == num::Rounding::HalfAway)
    return ctx.emitError() << "no integer form of " << kind
                           << " with rounding half-away";
  std::vector<int64_t> q = codesOf(x, *inG);
  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  float *po = out.data<float>();

  if (kind == "sigmoid" || kind == "tanh") {
    if (shadow.numel() != x.numel())
      return ctx.emitError()
             << "the shadow " << shadow.describe() << " and the input "
             << x.describe() << " differ in size";
    bool sigmoid = kind == "sigmoid";
    // TFLite's fixed LOGISTIC / TANH output grid (LowerActivations.cpp,
    // LowerInt16Activations.cpp: int16 keeps the calibrated range).
    float fixedScale = wide      ? kInt16ActivationOutputScale
                       : sigmoid ? 1.0f / 256.0f
                                 : 1.0f / 128.0f;
    int64_t fixedZp = sigmoid && !wide ? -128 : 0;
    std::vector<int64_t> table;
    num::Int16ActivationPrepare prep;
    if (wide) {
      prep = num::int16ActivationPrepare(sigmoid, inG->scale);
      if (prep.kind != num::Int16ActivationPrepare::Kind::Table)
        return ctx.emitError()
               << "input scale " << inG->scale << " of the int16 " << kind
               << " has no integer form (TFLite runs another kernel or "
                  "overflows; see the integer lowering's diagnostic)";
    } else {
      table = num::tfliteActivationTable(sigmoid, inG->scale, inG->zeroPoint,
                                         fixedScale, fixedZp);
    }
    std::vector<int64_t> fixed(x.numel());
    for (int64_t i = 0, e = x.numel(); i < e; ++i) {
      if (wide) {
        auto x16 = static_cast<int16_t>(q[i]);
        fixed[i] =
            sigmoid ? num::tfliteInt16Logistic(x16, prep.multiplier, prep.shift)
                    : num::tfliteInt16Tanh(x16, prep.multiplier, prep.shift);
      } else {
        if (q[i] < -128 || q[i] > 127)
          return ctx.emitError() << kind << " expects int8 codes, got " << q[i];
        fixed[i] = table[q[i] + 128];
      }
    }
    if (failed(writeFromFixedGrid(ctx, fixed, fixedScale, fixedZp, wide, *outG,
                                  mode, po)))
      return failure();
    ctx.setResult(0, std::move(out));
    return success();
  }
  if (kind == "softmax")
    return exactSoftmax(ctx, x, q, *inG, *outG, mode, wide, out);
  if (kind != "mean")
    return ctx.emitError() << "unknown kind '" << kind << "'";

  // A global average pool (TFLite MEAN over H and W) of an NHWC input.
  if (x.rank() != 4)
    return ctx.emitError() << "mean expects an NHWC input, got "
                           << x.describe();
  int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
  int64_t count = h * w;
  if (shadow.numel() != n * c || count == 0)
    return ctx.emitError() << "the shadow " << shadow.describe()
                           << " does not hold the " << n << "x" << c
                           << " means of " << x.describe();
  const float sIn = inG->scale, sOut = outG->scale;
  if (wide) {
    // TFLite's int16 MEAN (numerics/MeanInt16.h, LowerMeanInt16.cpp).
    bool exact = num::tfliteMeanInt16IsExact(sIn, sOut);
    float scale = num::tfliteMeanInt16Scale(sIn, sOut);
    for (int64_t bn = 0; bn < n; ++bn)
      for (int64_t ch = 0; ch < c; ++ch) {
        int64_t sum = 0;
        for (int64_t i = 0; i < count; ++i)
          sum += q[(bn * count + i) * c + ch];
        if (sum < INT32_MIN || sum > INT32_MAX)
          return ctx.emitError()
                 << "int16 MEAN sum " << sum << " overflows TFLite's int32";
        int64_t r = exact ? num::tfliteMeanInt16Exact(sum, count)
                          : num::tfliteMeanInt16Float(sum, count, scale, 0,
                                                      outG->storageMin,
                                                      outG->storageMax);
        po[bn * c + ch] = num::dequantizeFloat(r, outG->scale, outG->zeroPoint);
      }
    ctx.setResult(0, std::move(out));
    return success();
  }
  num::RequantParams rp;
  int64_t offset = 0, bias = 0;
  if (mode != num::Rounding::Fp32HalfEven) {
    // The builtin kernel's float32 parameters (LowerActivations.cpp).
    const float realScale = sIn / (static_cast<float>(count) * sOut);
    float temp =
        static_cast<float>(static_cast<int32_t>(inG->zeroPoint) * sIn / sOut);
    temp = temp > 0 ? temp + 0.5f : temp - 0.5f;
    if (!(std::fabs(temp) < 1e9f))
      return ctx.emitError() << "TFLite's builtin MEAN bias zp_in * s_in / "
                                "s_out is out of range";
    bias = outG->zeroPoint - static_cast<int64_t>(static_cast<int32_t>(temp));
    num::TosaScale ts = num::toTosaScale32(num::quantizeMultiplier(
        static_cast<double>(realScale), /*singleRounding=*/false));
    if (ts.shift < 2 || ts.shift > 62)
      return ctx.emitError() << "TFLite's builtin MEAN multiplier " << realScale
                             << " has no tosa.rescale form";
    rp.mode = num::Rounding::Double;
    rp.scale32 = true;
    rp.scale = ts;
  } else {
    // XNNPACK's global average pooling.
    const float scale = (sIn / sOut) / static_cast<float>(count);
    offset = -count * inG->zeroPoint;
    FailureOr<num::RequantParams> p =
        requantParams(ctx, double(scale), scale, mode, /*scale32=*/true);
    if (failed(p))
      return failure();
    rp = *p;
  }
  for (int64_t bn = 0; bn < n; ++bn)
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t sum = offset;
      for (int64_t i = 0; i < count; ++i)
        sum += q[(bn * count + i) * c + ch];
      int64_t r;
      if (mode == num::Rounding::Fp32HalfEven) {
        FailureOr<int64_t> v = requantizeChecked(ctx, sum, rp, *outG);
        if (failed(v))
          return failure();
        r = *v;
      } else {
        // The rescale with output_zp = bias (or to i32, + bias, saturated
        // to int8: the same value).
        FailureOr<int64_t> v =
            requantizeChecked(ctx, sum, rp, 0, INT32_MIN, INT32_MAX);
        if (failed(v))
          return failure();
        r = num::clampInt(*v + bias, outG->storageMin, outG->storageMax);
      }
      po[bn * c + ch] = num::dequantizeFloat(r, outG->scale, outG->zeroPoint);
    }
  ctx.setResult(0, std::move(out));
  return success();
}

} // namespace

void mlir::qapeft::sim::registerHardwareExactKernels(KernelRegistry &r) {
  r.add("qapeft.exact_conv", exactConvKernel, Domain::Float);
  r.add("qapeft.exact_matmul", exactMatmulKernel, Domain::Float);
  r.add("qapeft.exact_requant", exactRequantKernel, Domain::Float);
  r.add("qapeft.exact_elementwise", exactElementwiseKernel, Domain::Float);
  r.add("qapeft.exact_unary", exactUnaryKernel, Domain::Float);
}
