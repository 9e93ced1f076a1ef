//===- Calibrate.cpp - calibration observers of qapeft-sim ----------------===//

#include "qapeft/Sim/Calibrate.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Train.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;

FailureOr<CalibrateOptions> mlir::qapeft::sim::parseObserver(StringRef text,
                                                             std::string &error) {
  CalibrateOptions options;
  if (text == "minmax") {
    options.observer = ObserverKind::MinMax;
  } else if (text == "ema") {
    options.observer = ObserverKind::Ema;
  } else if (text == "entropy") {
    options.observer = ObserverKind::Entropy;
  } else if (text.consume_front("percentile")) {
    options.observer = ObserverKind::Percentile;
    if (text.consume_front("=")) {
      if (text.getAsDouble(options.percentile) || options.percentile <= 0 ||
          options.percentile > 100) {
        error = "the percentile must be a number in (0, 100], got '" +
                text.str() + "'";
        return failure();
      }
    } else if (!text.empty()) {
      error = "expected percentile=P";
      return failure();
    }
  } else {
    error = "unknown observer '" + text.str() +
            "' (expected minmax, ema, percentile=P or entropy)";
    return failure();
  }
  return options;
}

std::pair<float, float>
mlir::qapeft::sim::scaleAndZeroPoint(ObservedRange range, int64_t qmin, int64_t qmax,
                                     bool symmetric) {
  float lo = std::min(range.lo, 0.0f), hi = std::max(range.hi, 0.0f);
  if (symmetric) {
    float scale = std::max(std::fabs(lo), std::fabs(hi)) / qmax;
    return {scale == 0.0f ? 1.0f : scale, 0.0f};
  }
  float scale = (hi - lo) / static_cast<float>(qmax - qmin);
  if (scale == 0.0f)
    scale = 1.0f;
  float zp = std::nearbyint(static_cast<float>(qmin) - lo / scale);
  zp = std::min(std::max(zp, static_cast<float>(qmin)),
                static_cast<float>(qmax));
  return {scale, zp};
}

float mlir::qapeft::sim::entropyThreshold(ArrayRef<double> hist, float maxAbs,
                                          int64_t levels) {
  int64_t bins = hist.size();
  if (bins == 0 || maxAbs <= 0.0f)
    return maxAbs;
  levels = std::max<int64_t>(2, std::min<int64_t>(levels, bins));
  double total = 0.0;
  for (double h : hist)
    total += h;
  if (total == 0.0)
    return maxAbs;
  double bestKl = std::numeric_limits<double>::infinity();
  int64_t bestEnd = bins;
  int64_t stride = std::max<int64_t>(1, bins / 256);
  std::vector<double> p, q;
  for (int64_t end = levels; end <= bins; end += stride) {
    // Reference distribution: the histogram clipped at `end` (the clipped
    // mass lands in the last kept bin).
    p.assign(hist.begin(), hist.begin() + end);
    double outliers = 0.0;
    for (int64_t i = end; i < bins; ++i)
      outliers += hist[i];
    p[end - 1] += outliers;
    // Candidate: `levels` chunks, each chunk's mass spread evenly over its
    // non-empty bins.
    q.assign(end, 0.0);
    for (int64_t l = 0; l < levels; ++l) {
      int64_t b0 = l * end / levels, b1 = (l + 1) * end / levels;
      double mass = 0.0;
      int64_t nonEmpty = 0;
      for (int64_t i = b0; i < b1; ++i) {
        mass += hist[i];
        nonEmpty += hist[i] > 0;
      }
      for (int64_t i = b0; i < b1; ++i)
        if (hist[i] > 0)
          q[i] = mass / nonEmpty;
    }
    double pSum = 0.0, qSum = 0.0;
    for (int64_t i = 0; i < end; ++i) {
      pSum += p[i];
      qSum += q[i];
    }
    double kl = 0.0;
    for (int64_t i = 0; i < end; ++i) {
      if (p[i] <= 0)
        continue;
      double pi = p[i] / pSum;
      double qi = q[i] > 0 ? q[i] / qSum : 1e-12;
      kl += pi * std::log(pi / qi);
    }
    if (kl < bestKl) {
      bestKl = kl;
      bestEnd = end;
    }
  }
  return maxAbs * static_cast<float>(bestEnd) / bins;
}

namespace {
constexpr int64_t kBins = 2048;

/// Statistics of one calibrated fake quant.
struct Site {
  Operation *fakeQuant;
  Operation *scaleParam, *zpParam;
  QuantSchemeAttr scheme;
  int64_t channels = 1;
  int64_t axis = -1;
  std::vector<ObservedRange> minmax; // Pass 1 (and the minmax/ema result).
  bool seen = false;
  std::vector<std::vector<double>> hist; // Pass 2 (percentile/entropy).
};

/// Calls fn(channel, value) for every element of `x` (channel 0 when
/// per-tensor).
template <typename Fn>
void forEachValue(const Tensor &x, const Site &site, Fn fn) {
  const float *p = x.data<float>();
  if (site.axis < 0) {
    for (int64_t i = 0; i < x.numel(); ++i)
      fn(0, p[i]);
    return;
  }
  int64_t outer = 1, inner = 1, dim = x.dim(site.axis);
  for (int64_t d = 0; d < site.axis; ++d)
    outer *= x.dim(d);
  for (int64_t d = site.axis + 1; d < x.rank(); ++d)
    inner *= x.dim(d);
  for (int64_t o = 0, i = 0; o < outer; ++o)
    for (int64_t k = 0; k < dim; ++k)
      for (int64_t j = 0; j < inner; ++j, ++i)
        fn(k, p[i]);
}
} // namespace

FailureOr<CalibrationReport>
mlir::qapeft::sim::calibrate(ModuleOp module, const KernelRegistry &registry,
                             const Tensor &data,
                             const CalibrateOptions &options) {
  // Find the calibrated fake quants of the calibrated function and the
  // functions it calls (a training graph's @train_step holds copies of the
  // same params; they are updated by name below, not observed).
  auto entry = module.lookupSymbol<func::FuncOp>(options.function);
  if (!entry)
    return module.emitError() << "the module has no function @"
                              << options.function;
  SmallVector<func::FuncOp> reachable{entry};
  DenseSet<Operation *> seenFuncs{entry};
  for (size_t i = 0; i < reachable.size(); ++i)
    reachable[i].walk([&](func::CallOp call) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
      if (callee && seenFuncs.insert(callee).second)
        reachable.push_back(callee);
    });
  std::vector<Site> sites;
  DenseMap<Operation *, size_t> siteOf;
  bool ok = true;
  for (func::FuncOp f : reachable) f.walk([&](FakeQuantOp op) {
    QuantSchemeAttr scheme = op.getScheme();
    if (scheme.getRange() != RangeSource::Calibrated)
      return;
    auto scale = op.getScale().getDefiningOp<ParamOp>();
    auto zp = op.getZeroPoint().getDefiningOp<ParamOp>();
    if (!scale || !zp || scale.getTrainable() || zp.getTrainable())
      return;
    Site site;
    site.fakeQuant = op;
    site.scaleParam = scale;
    site.zpParam = zp;
    site.scheme = scheme;
    auto scaleType = cast<RankedTensorType>(scale.getType());
    if (scheme.isPerGroup()) {
      op.emitError() << "calibration of per_group fake quant is not supported";
      ok = false;
      return;
    }
    if (scheme.isPerChannel() && scaleType.getRank() == 1) {
      site.axis = scheme.getAxis();
      site.channels = scaleType.getDimSize(0);
    }
    siteOf[op] = sites.size();
    sites.push_back(std::move(site));
  });
  if (!ok)
    return failure();
  CalibrationReport report;
  if (sites.empty())
    return report;

  // Calibrated fake quants pass their input through while observing.
  KernelRegistry observing = registry;
  const KernelFn *original =
      registry.lookup("qapeft.fake_quant", Domain::Float);
  KernelFn fallback = original ? *original : KernelFn();
  observing.add(
      "qapeft.fake_quant",
      [&siteOf, fallback](KernelContext &ctx) -> LogicalResult {
        if (siteOf.count(ctx.op) || !fallback) {
          ctx.setResult(0, ctx.in(0));
          return success();
        }
        return fallback(ctx);
      },
      Domain::Float);
  // The hardware-exact ops recompute a layer from its (now pass-through)
  // fake quants; while observing they must yield the float value they
  // shadow, or the ranges would be taken from a wrong integer grid.
  for (StringRef name :
       {"qapeft.exact_conv", "qapeft.exact_matmul", "qapeft.exact_requant",
        "qapeft.exact_elementwise", "qapeft.exact_unary"})
    observing.add(
        name,
        [](KernelContext &ctx) -> LogicalResult {
          ctx.setResult(0, ctx.in(0));
          return success();
        },
        Domain::Float);

  Interpreter interpreter(module, observing);
  if (failed(interpreter.checkSupported(options.function)))
    return failure();
  int pass = 0;
  interpreter.setObserver([&](Operation *op, ArrayRef<Tensor> inputs,
                              ArrayRef<Tensor>) {
    auto it = siteOf.find(op);
    if (it == siteOf.end())
      return;
    Site &site = sites[it->second];
    const Tensor &x = inputs[0];
    if (pass == 0) {
      std::vector<ObservedRange> batch(site.channels,
                               {std::numeric_limits<float>::infinity(),
                                -std::numeric_limits<float>::infinity()});
      forEachValue(x, site, [&](int64_t c, float v) {
        if (std::isnan(v))
          return;
        batch[c].lo = std::min(batch[c].lo, v);
        batch[c].hi = std::max(batch[c].hi, v);
      });
      if (!site.seen) {
        site.minmax = batch;
        site.seen = true;
        return;
      }
      for (int64_t c = 0; c < site.channels; ++c) {
        if (options.observer == ObserverKind::Ema) {
          float d = options.emaDecay;
          site.minmax[c].lo = d * site.minmax[c].lo + (1 - d) * batch[c].lo;
          site.minmax[c].hi = d * site.minmax[c].hi + (1 - d) * batch[c].hi;
        } else {
          site.minmax[c].lo = std::min(site.minmax[c].lo, batch[c].lo);
          site.minmax[c].hi = std::max(site.minmax[c].hi, batch[c].hi);
        }
      }
      return;
    }
    // Pass 2: histograms. Percentile: signed values over [lo, hi];
    // entropy: |x| over [0, max|x|].
    bool absolute = options.observer == ObserverKind::Entropy;
    forEachValue(x, site, [&](int64_t c, float v) {
      if (std::isnan(v))
        return;
      ObservedRange r = site.minmax[c];
      float lo = absolute ? 0.0f : r.lo;
      float hi = absolute ? std::max(std::fabs(r.lo), std::fabs(r.hi)) : r.hi;
      float value = absolute ? std::fabs(v) : v;
      int64_t bin = hi > lo ? static_cast<int64_t>((value - lo) / (hi - lo) *
                                                   kBins)
                            : 0;
      bin = std::min<int64_t>(std::max<int64_t>(bin, 0), kBins - 1);
      site.hist[c][bin] += 1.0;
    });
  });

  int64_t n = data.dim(0);
  auto runAll = [&]() -> LogicalResult {
    for (int64_t first = 0; first < n; first += options.batch) {
      int64_t count = std::min(options.batch, n - first);
      std::vector<int64_t> rows(count);
      for (int64_t i = 0; i < count; ++i)
        rows[i] = first + i;
      if (failed(interpreter.run(options.function, {gatherRows(data, rows)})))
        return failure();
    }
    return success();
  };
  if (n == 0)
    return module.emitError() << "the calibration data set is empty";
  if (failed(runAll()))
    return failure();
  bool histogram = options.observer == ObserverKind::Percentile ||
                   options.observer == ObserverKind::Entropy;
  if (histogram) {
    for (Site &site : sites)
      site.hist.assign(site.channels, std::vector<double>(kBins, 0.0));
    pass = 1;
    if (failed(runAll()))
      return failure();
  }

  for (Site &site : sites) {
    if (!site.seen) {
      site.fakeQuant->emitWarning()
          << "was not executed by @" << options.function
          << "; its range is left unchanged";
      continue;
    }
    int64_t qmin = site.scheme.getQMin(), qmax = site.scheme.getQMax();
    auto scaleType = cast<RankedTensorType>(site.scaleParam->getResult(0).getType());
    Tensor scale = Tensor::empty(DType::F32, scaleType.getShape());
    Tensor zp = Tensor::empty(DType::F32, scaleType.getShape());
    std::vector<ObservedRange> ranges = site.minmax;
    for (int64_t c = 0; c < site.channels; ++c) {
      ObservedRange r = site.minmax[c];
      const std::vector<double> *h = histogram ? &site.hist[c] : nullptr;
      if (options.observer == ObserverKind::Percentile) {
        double total = 0;
        for (double v : *h)
          total += v;
        double tail = total * (100.0 - options.percentile) / 100.0 / 2.0;
        float width = (r.hi - r.lo) / kBins;
        double acc = 0;
        int64_t loBin = 0, hiBin = kBins - 1;
        for (; loBin < kBins - 1 && acc + (*h)[loBin] <= tail; ++loBin)
          acc += (*h)[loBin];
        acc = 0;
        for (; hiBin > loBin && acc + (*h)[hiBin] <= tail; --hiBin)
          acc += (*h)[hiBin];
        if (width > 0)
          r = {r.lo + loBin * width, r.lo + (hiBin + 1) * width};
      } else if (options.observer == ObserverKind::Entropy) {
        float maxAbs = std::max(std::fabs(r.lo), std::fabs(r.hi));
        int64_t levels = site.scheme.getIsSigned() ? (qmax - qmin + 1) / 2
                                                   : qmax - qmin + 1;
        float t = entropyThreshold(*h, maxAbs, levels);
        r = {std::max(r.lo, -t), std::min(r.hi, t)};
      }
      ranges[c] = r;
      auto [s, z] = scaleAndZeroPoint(r, qmin, qmax, site.scheme.getSymmetric());
      if (site.channels == 1) {
        for (int64_t i = 0; i < scale.numel(); ++i) {
          scale.data<float>()[i] = s;
          zp.data<float>()[i] = z;
        }
      } else {
        scale.data<float>()[c] = s;
        zp.data<float>()[c] = z;
      }
    }
    // Every param of the same name (e.g. in @train_step) gets the range.
    if (failed(setParamValue(
            module,
            site.scaleParam->getAttrOfType<StringAttr>("name").getValue(),
            scale)) ||
        failed(setParamValue(
            module, site.zpParam->getAttrOfType<StringAttr>("name").getValue(),
            zp)))
      return failure();
    std::string line;
    llvm::raw_string_ostream os(line);
    os << site.scaleParam->getAttrOfType<StringAttr>("name").getValue()
       << ": ";
    if (site.channels == 1)
      os << llvm::format("range [%g, %g] scale %g zero_point %g", ranges[0].lo,
                         ranges[0].hi, scale.data<float>()[0],
                         zp.data<float>()[0]);
    else
      os << site.channels << " channels along axis " << site.axis;
    report.lines.push_back(line);
  }
  return report;
}
