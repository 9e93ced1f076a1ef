//===- HardwareExactKernels.cpp - the hardware-exact forward ops ----------===//
//
// Kernels of qapeft.exact_conv, qapeft.exact_matmul and qapeft.exact_requant
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
#include "qapeft/Dialect/QAPeft/Utils/Rounding.h"
#include "qapeft/Numerics/Requantize.h"
#include "qapeft/Sim/Kernel.h"

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
  std::optional<num::TosaScale> ts = num::rescaleMultiplier(real, mode,
                                                            scale32);
  if (!ts)
    return ctx.emitError() << "requantization scale " << real
                           << " has no TOSA multiplier/shift";
  p.scale = *ts;
  return p;
}

/// numerics::requantize with the REQUIREs the tosa.rescale kernel checks.
FailureOr<int64_t> requantizeChecked(KernelContext &ctx, int64_t value,
                                     const num::RequantParams &p,
                                     const Grid &out) {
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
  return num::requantize(value, p, out.zeroPoint, out.storageMin,
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
      return ctx.emitError() << "weight scale " << wsp[i]
                             << " is not finite and positive";
  // The lowering's channel of a weight element: OHWI -> index / inner,
  // HWCM -> index % (C * M).
  int64_t inner = w.numel() / std::max<int64_t>(w.dim(0), 1);
  std::vector<int32_t> qw(w.numel());
  const float *pw = w.data<float>();
  for (int64_t i = 0; i < w.numel(); ++i) {
    int64_t oc = depthwise ? i % outC : i / inner;
    qw[i] = static_cast<int32_t>(
        num::quantizeFloat(pw[i], channelScale(oc), wzero,
                           wScheme.getQMin(), wScheme.getQMax()) -
        wzero);
  }

  // Input codes minus the zero point (padding then contributes 0).
  std::vector<int32_t> qx(x.numel());
  const float *px = x.data<float>();
  for (int64_t i = 0; i < x.numel(); ++i)
    qx[i] = static_cast<int32_t>(
        num::quantizeFloat(px[i], inG->scale, inG->zeroPoint, inG->qmin,
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
      return ctx.emitError() << "bias of output channel " << oc << " (" << bv
                             << ") does not fit " << biasLimit
                             << " signed bits";
    qb[oc] = *q;
    double real = double(inG->scale) * double(channelScale(oc)) /
                  double(outG->scale);
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
          FailureOr<float> v = requantizeAccumulator(
              ctx, sum, idx, accBits, params[oc], *outG, clamps);
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
                           << " does not hold the " << n << "x" << h << "x"
                           << w << " matmul output";
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
      return ctx.emitError() << "weight scale " << bsp[i]
                             << " is not finite and positive";
  std::vector<int32_t> qb(b.numel()), qa(a.numel());
  const float *pb = b.data<float>(), *pa = a.data<float>();
  for (int64_t i = 0; i < b.numel(); ++i)
    qb[i] = static_cast<int32_t>(
        num::quantizeFloat(pb[i], channelScale(i % w), bzero,
                           wScheme.getQMin(), wScheme.getQMax()) -
        bzero);
  for (int64_t i = 0; i < a.numel(); ++i)
    qa[i] = static_cast<int32_t>(
        num::quantizeFloat(pa[i], inG->scale, inG->zeroPoint, inG->qmin,
                           inG->qmax) -
        inG->zeroPoint);
  unsigned accBits = inG->storageBits == 16 ? 48 : 32;
  num::Rounding mode = toNumericsRounding(rounding.getValue());
  std::vector<num::RequantParams> params(w);
  for (int64_t j = 0; j < w; ++j) {
    double real = double(inG->scale) * double(channelScale(j)) /
                  double(outG->scale);
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
  double real = double(inG->scale) / double(outG->scale);
  float fp = inG->scale / outG->scale;
  FailureOr<num::RequantParams> rp = requantParams(
      ctx, real, fp, toNumericsRounding(rounding.getValue()), /*scale32=*/true);
  if (failed(rp))
    return failure();
  Tensor out = Tensor::empty(DType::F32, shadow.shape());
  const float *px = x.data<float>();
  float *po = out.data<float>();
  for (int64_t i = 0, e = x.numel(); i < e; ++i) {
    int64_t q = num::quantizeFloat(px[i], inG->scale, inG->zeroPoint,
                                   inG->qmin, inG->qmax);
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

} // namespace

void mlir::qapeft::sim::registerHardwareExactKernels(KernelRegistry &r) {
  r.add("qapeft.exact_conv", exactConvKernel, Domain::Float);
  r.add("qapeft.exact_matmul", exactMatmulKernel, Domain::Float);
  r.add("qapeft.exact_requant", exactRequantKernel, Domain::Float);
}
