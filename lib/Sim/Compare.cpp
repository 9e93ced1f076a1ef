//===- Compare.cpp - per-layer float / fake-quant / integer comparison ----===//
//
// See include/qapeft/Sim/Compare.h for the executions, the matching rule
// and the metrics.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Compare.h"

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Data.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Quantize.h"
#include "qapeft/Sim/Train.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::sim;

double ErrorStats::sqnrDb() const {
  if (noise == 0.0)
    return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

namespace {

/// One quantized tensor present in both models.
struct Pair {
  FakeQuantOp fq;
  Operation *intOp = nullptr; // null: the integer function's argument
  int argIndex = -1;
  TensorQuantization q;
  size_t report = 0;
};

/// "<name>" for a fake quant whose scale is the param "<name>.scale".
std::optional<std::string> tensorName(FakeQuantOp fq) {
  auto param = fq.getScale().getDefiningOp<ParamOp>();
  if (!param)
    return std::nullopt;
  StringRef name = param.getName();
  name.consume_back(".scale");
  return name.str();
}

/// The values of the qapeft.param or constant defining `v`.
FailureOr<Tensor> constantValue(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto p = dyn_cast_or_null<ParamOp>(def))
    return Tensor::fromAttr(p.getValue());
  return failure();
}

/// Checks that the fake quant's params equal the integer tensor's.
LogicalResult checkSameQuantization(FakeQuantOp fq, const std::string &name,
                                    const TensorQuantization &q,
                                    std::string &error) {
  FailureOr<Tensor> s = constantValue(fq.getScale());
  FailureOr<Tensor> z = constantValue(fq.getZeroPoint());
  if (failed(s) || failed(z) || s->dtype() != DType::F32 ||
      z->dtype() != DType::F32) {
    error = "tensor '" + name + "': the fake quant's scale and zero point "
            "are not f32 qapeft.param values";
    return failure();
  }
  bool same = s->numel() == static_cast<int64_t>(q.scales.size()) &&
              z->numel() == s->numel();
  for (int64_t i = 0; same && i < s->numel(); ++i)
    same = s->data<float>()[i] == q.scales[i] &&
           static_cast<int64_t>(std::nearbyint(z->data<float>()[i])) ==
               q.zeroPoints[i];
  if (!same) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << "tensor '" << name << "': the QA model quantizes it with scale "
       << llvm::format("%.9g", s->getDouble(0)) << " zero point "
       << llvm::format("%g", z->getDouble(0))
       << ", the integer model with scale "
       << llvm::format("%.9g", q.scales[0]) << " zero point "
       << q.zeroPoints[0]
       << "; were both made from the same calibrated model?";
    error = text;
    return failure();
  }
  return success();
}

std::string typeString(Type t) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << t;
  return text;
}

void accumulate(ErrorStats &stats, float ref, float x, float scale) {
  double d = double(x) - double(ref);
  stats.maxLsb = std::max(stats.maxLsb, std::fabs(d) / scale);
  stats.signal += double(ref) * double(ref);
  stats.noise += d * d;
}

std::string sqnrText(double db, const char *infText) {
  if (std::isinf(db))
    return infText;
  return llvm::formatv("{0:f2}", db).str();
}

} // namespace

FailureOr<CompareReport> mlir::qapeft::sim::compareModels(
    ModuleOp qaModel, ModuleOp intModel, const KernelRegistry &registry,
    const Tensor &data, const CompareOptions &options, std::string &error) {
  auto qaFunc = qaModel.lookupSymbol<func::FuncOp>(options.function);
  auto intFunc = intModel.lookupSymbol<func::FuncOp>(options.function);
  if (!qaFunc || !intFunc) {
    error = "both models need a function @" + options.function;
    return failure();
  }
  if (qaFunc.getNumArguments() != 1 || intFunc.getNumArguments() != 1 ||
      qaFunc.getNumResults() != intFunc.getNumResults()) {
    error = "@" + options.function + " must take one input in both models "
            "and return as many results";
    return failure();
  }
  if (data.dtype() != DType::F32 || data.rank() == 0) {
    error = "compare needs f32 data with a sample axis, got " +
            data.describe();
    return failure();
  }

  // Integer tensors by name.
  llvm::StringMap<Operation *> tagged;
  CompareReport report;
  intFunc.walk([&](Operation *op) {
    auto name = op->getAttrOfType<StringAttr>("qapeft.tensor");
    if (name && !tagged.try_emplace(name.getValue(), op).second)
      report.unmatched.push_back("integer tensor '" + name.getValue().str() +
                                 "' is named twice; the second is ignored");
  });
  auto argQ = argumentQuantization(intFunc, 0);
  if (!argQ) {
    error = "argument 0 of the integer model: " +
            llvm::toString(argQ.takeError());
    return failure();
  }

  // Pair every named activation fake quant with its integer tensor.
  std::vector<Pair> pairs;
  llvm::StringSet<> used;
  WalkResult walk = qaFunc.walk([&](FakeQuantOp fq) {
    std::optional<std::string> name = tensorName(fq);
    if (!name)
      return WalkResult::advance(); // A weight's quantizer (weight_range).
    Pair p;
    p.fq = fq;
    auto arg = dyn_cast<BlockArgument>(fq.getInput());
    if (arg && arg.getOwner()->getParentOp() == qaFunc.getOperation()) {
      if (!*argQ) {
        report.unmatched.push_back("'" + *name + "': the integer model's "
                                   "input is not quantized");
        return WalkResult::advance();
      }
      p.argIndex = arg.getArgNumber();
      p.q = **argQ;
    } else {
      Operation *op = tagged.lookup(*name);
      if (!op) {
        report.unmatched.push_back("'" + *name + "': no integer tensor "
                                   "named so");
        return WalkResult::advance();
      }
      auto q = readQuantization(op->getResult(0).getType(),
                                op->getAttrDictionary());
      if (!q || !*q) {
        error = "integer tensor '" + *name + "' has no valid quantization" +
                (q ? std::string() : ": " + llvm::toString(q.takeError()));
        return WalkResult::interrupt();
      }
      p.intOp = op;
      p.q = **q;
      used.insert(*name);
    }
    if (failed(checkSameQuantization(fq, *name, p.q, error)))
      return WalkResult::interrupt();
    TensorComparison t;
    t.name = *name;
    t.type = typeString(p.intOp ? p.intOp->getResult(0).getType()
                                : intFunc.getArgumentTypes()[0]);
    t.scale = p.q.scales[0];
    t.zeroPoint = p.q.zeroPoints[0];
    p.report = report.tensors.size();
    report.tensors.push_back(std::move(t));
    pairs.push_back(p);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  for (auto &entry : tagged)
    if (!used.contains(entry.getKey()))
      report.unmatched.push_back("integer tensor '" +
                                 entry.getKey().str() +
                                 "': no fake quant in the QA model");

  std::vector<std::optional<TensorQuantization>> resultQ;
  for (unsigned i = 0; i < intFunc.getNumResults(); ++i) {
    auto q = resultQuantization(intFunc, i);
    if (!q) {
      error = "result " + std::to_string(i) + " of the integer model: " +
              llvm::toString(q.takeError());
      return failure();
    }
    resultQ.push_back(*q);
    OutputComparison o;
    o.index = i;
    report.outputs.push_back(o);
  }

  // Three interpreters; the float one runs every fake quant as identity.
  KernelRegistry floatRegistry = registry;
  floatRegistry.add(
      "qapeft.fake_quant",
      [](KernelContext &ctx) {
        ctx.setResult(0, ctx.in(0).clone());
        return success();
      },
      Domain::Float);
  Interpreter fqRun(qaModel, registry), floatRun(qaModel, floatRegistry),
      intRun(intModel, registry);
  if (failed(fqRun.checkSupported(options.function)) ||
      failed(intRun.checkSupported(options.function))) {
    error = "a model has an op the simulator cannot run";
    return failure();
  }
  llvm::DenseMap<Operation *, Tensor> fqValues, floatValues, intValues;
  llvm::DenseSet<Operation *> qaOps, intOps;
  for (const Pair &p : pairs) {
    qaOps.insert(p.fq);
    if (p.intOp)
      intOps.insert(p.intOp);
  }
  auto capture = [](llvm::DenseSet<Operation *> &ops,
                    llvm::DenseMap<Operation *, Tensor> &into) {
    return [&ops, &into](Operation *op, ArrayRef<Tensor>,
                         ArrayRef<Tensor> results) {
      if (ops.contains(op))
        into[op] = results[0];
    };
  };
  fqRun.setObserver(capture(qaOps, fqValues));
  floatRun.setObserver(capture(qaOps, floatValues));
  intRun.setObserver(capture(intOps, intValues));

  int64_t n = data.dim(0), batch = std::max<int64_t>(1, options.batch);
  report.samples = n;
  for (int64_t first = 0; first < n; first += batch) {
    int64_t count = std::min(batch, n - first);
    std::vector<int64_t> rows(count);
    for (int64_t i = 0; i < count; ++i)
      rows[i] = first + i;
    Tensor x = gatherRows(data, rows);
    Tensor xInt = x;
    if (*argQ) {
      auto q = quantizeTensor(x, **argQ);
      if (!q) {
        error = llvm::toString(q.takeError());
        return failure();
      }
      xInt = *q;
    }
    fqValues.clear();
    floatValues.clear();
    intValues.clear();
    auto fqOut = fqRun.run(options.function, {x});
    if (failed(fqOut))
      return failure();
    if (failed(floatRun.run(options.function, {x})))
      return failure();
    auto intOut = intRun.run(options.function, {xInt});
    if (failed(intOut))
      return failure();

    for (const Pair &p : pairs) {
      TensorComparison &t = report.tensors[p.report];
      Tensor fq = fqValues.lookup(p.fq), fl = floatValues.lookup(p.fq);
      Tensor iv = p.intOp ? intValues.lookup(p.intOp) : xInt;
      if (!fq || !fl || !iv)
        continue; // Not executed (inside a region that did not run).
      if (fq.numel() != iv.numel() || isFloat(iv.dtype())) {
        error = "tensor '" + t.name + "' is " + fq.describe() +
                " in the QA model but " + iv.describe() +
                " in the integer model";
        return failure();
      }
      std::vector<int64_t> index = quantizationIndex(iv.shape(), p.q);
      const float *pf = fq.data<float>(), *pr = fl.data<float>();
      for (int64_t i = 0, e = iv.numel(); i < e; ++i) {
        float s = p.q.scales[index[i]];
        int64_t zp = p.q.zeroPoints[index[i]];
        int64_t code = iv.getInt(i);
        float deq = static_cast<float>(code - zp) * s;
        accumulate(t.fakeQuantVsFloat, pr[i], pf[i], s);
        accumulate(t.integerVsFloat, pr[i], deq, s);
        float fc = std::nearbyint(pf[i] / s) + static_cast<float>(zp);
        fc = std::min(std::max(fc, static_cast<float>(p.q.qmin)),
                      static_cast<float>(p.q.qmax));
        int64_t diff = std::llabs(code - static_cast<int64_t>(fc));
        t.maxCodeDiff = std::max(t.maxCodeDiff, diff);
        t.identicalCodes += diff == 0;
      }
      t.elements += iv.numel();
    }

    for (OutputComparison &o : report.outputs) {
      const Tensor &iv = (*intOut)[o.index];
      const Tensor &fv = (*fqOut)[o.index];
      const std::optional<TensorQuantization> &q = resultQ[o.index];
      if (isFloat(iv.dtype()) || !q || fv.dtype() != DType::F32 ||
          fv.numel() != iv.numel())
        continue;
      auto codes = quantizeTensor(fv, *q);
      if (!codes) {
        error = llvm::toString(codes.takeError());
        return failure();
      }
      for (int64_t i = 0, e = iv.numel(); i < e; ++i) {
        int64_t diff = std::llabs(iv.getInt(i) - codes->getInt(i));
        o.maxCodeDiff = std::max(o.maxCodeDiff, diff);
        o.identicalCodes += diff == 0;
      }
      o.elements += iv.numel();
    }
  }
  for (const OutputComparison &o : report.outputs)
    if (o.elements == 0)
      report.unmatched.push_back("result " + std::to_string(o.index) +
                                 ": the integer model's output is not a "
                                 "quantized integer tensor");
  return report;
}

std::string CompareReport::table() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "samples " << samples << "\n";
  os << llvm::format("%-16s %-24s %-11s %5s | %-17s | %-17s | %-18s\n",
                     "tensor", "integer type", "scale", "zp",
                     "fake quant-float", "integer-float",
                     "integer-fake quant");
  os << llvm::format("%-16s %-24s %-11s %5s | %8s %8s | %8s %8s | %7s %10s\n",
                     "", "", "", "", "max LSB", "SQNR dB", "max LSB",
                     "SQNR dB", "max LSB", "identical");
  for (const TensorComparison &t : tensors) {
    double identical =
        t.elements ? 100.0 * t.identicalCodes / t.elements : 0.0;
    os << llvm::format("%-16s %-24s %-11g %5lld | %8.3f %8s | %8.3f %8s | "
                       "%7lld %9.2f%%\n",
                       t.name.c_str(), t.type.c_str(), t.scale,
                       (long long)t.zeroPoint, t.fakeQuantVsFloat.maxLsb,
                       sqnrText(t.fakeQuantVsFloat.sqnrDb(), "inf").c_str(),
                       t.integerVsFloat.maxLsb,
                       sqnrText(t.integerVsFloat.sqnrDb(), "inf").c_str(),
                       (long long)t.maxCodeDiff, identical);
  }
  for (const OutputComparison &o : outputs) {
    if (!o.elements)
      continue;
    os << llvm::format("output %u: %lld of %lld codes identical (%.2f%%), "
                       "max difference %lld LSB\n",
                       o.index, (long long)o.identicalCodes,
                       (long long)o.elements,
                       100.0 * o.identicalCodes / o.elements,
                       (long long)o.maxCodeDiff);
  }
  for (const std::string &u : unmatched)
    os << "unmatched: " << u << "\n";
  return text;
}

static std::string jsonString(StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20)
      out += llvm::formatv("\\u{0:x-4}", (unsigned)c).str();
    else
      out += c;
  }
  return out + "\"";
}

static std::string jsonStats(const ErrorStats &s) {
  // JSON has no infinity: an error-free comparison has "sqnr_db": null.
  return llvm::formatv("{{\"max_lsb\": {0}, \"sqnr_db\": {1}}",
                       llvm::formatv("{0:f6}", s.maxLsb).str(),
                       sqnrText(s.sqnrDb(), "null"))
      .str();
}

std::string CompareReport::json() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "{\"samples\": " << samples << ", \"tensors\": [";
  for (auto [i, t] : llvm::enumerate(tensors)) {
    os << (i ? ", " : "") << "{\"name\": " << jsonString(t.name)
       << ", \"type\": " << jsonString(t.type)
       << ", \"scale\": " << llvm::format("%.9g", t.scale)
       << ", \"zero_point\": " << t.zeroPoint
       << ", \"elements\": " << t.elements
       << ", \"fake_quant_vs_float\": " << jsonStats(t.fakeQuantVsFloat)
       << ", \"integer_vs_float\": " << jsonStats(t.integerVsFloat)
       << ", \"integer_vs_fake_quant\": {\"max_lsb\": " << t.maxCodeDiff
       << ", \"identical\": "
       << llvm::formatv("{0:f6}", t.elements ? double(t.identicalCodes) /
                                                   t.elements
                                             : 0.0)
       << "}}";
  }
  os << "], \"outputs\": [";
  bool firstOut = true;
  for (const OutputComparison &o : outputs) {
    if (!o.elements)
      continue;
    os << (firstOut ? "" : ", ") << "{\"index\": " << o.index
       << ", \"elements\": " << o.elements
       << ", \"identical\": "
       << llvm::formatv("{0:f6}", double(o.identicalCodes) / o.elements)
       << ", \"max_lsb\": " << o.maxCodeDiff << "}";
    firstOut = false;
  }
  os << "], \"unmatched\": [";
  for (auto [i, u] : llvm::enumerate(unmatched))
    os << (i ? ", " : "") << jsonString(u);
  os << "]}\n";
  return text;
}
