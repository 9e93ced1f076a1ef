//===- Kernel.cpp - qapeft-sim kernel registry ----------------------------===//

#include "qapeft/Sim/Kernel.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

using namespace mlir;
using namespace mlir::qapeft::sim;

void KernelRegistry::add(StringRef opName, KernelFn fn, Domain domain) {
  entries[opName].byDomain[static_cast<int>(domain)] = std::move(fn);
}

const KernelFn *KernelRegistry::lookup(StringRef opName, Domain domain) const {
  auto it = entries.find(opName);
  if (it == entries.end())
    return nullptr;
  const Entry &e = it->second;
  if (e.byDomain[static_cast<int>(domain)])
    return &e.byDomain[static_cast<int>(domain)];
  if (e.byDomain[static_cast<int>(Domain::Any)])
    return &e.byDomain[static_cast<int>(Domain::Any)];
  return nullptr;
}

bool KernelRegistry::hasOp(StringRef opName) const {
  return entries.count(opName) != 0;
}

std::vector<std::string> KernelRegistry::describe() const {
  static const char *names[] = {"float", "integer", "any"};
  std::vector<std::string> out;
  for (const auto &entry : entries)
    for (int d = 0; d < 3; ++d)
      if (entry.second.byDomain[d])
        out.push_back(entry.first().str() + " [" + names[d] + "]");
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<SmallVector<int64_t>>
KernelContext::i64Array(StringRef name) const {
  Attribute attr = op->getAttr(name);
  if (!attr)
    return std::nullopt;
  if (auto a = dyn_cast<DenseI64ArrayAttr>(attr))
    return SmallVector<int64_t>(a.asArrayRef());
  if (auto a = dyn_cast<DenseI32ArrayAttr>(attr))
    return SmallVector<int64_t>(a.asArrayRef().begin(), a.asArrayRef().end());
  if (auto a = dyn_cast<ArrayAttr>(attr)) {
    SmallVector<int64_t> out;
    for (Attribute e : a) {
      auto i = dyn_cast<IntegerAttr>(e);
      if (!i)
        return std::nullopt;
      out.push_back(i.getInt());
    }
    return out;
  }
  if (auto a = dyn_cast<DenseIntElementsAttr>(attr)) {
    SmallVector<int64_t> out;
    for (const APInt &v : a)
      out.push_back(v.getSExtValue());
    return out;
  }
  return std::nullopt;
}

std::optional<int64_t> KernelContext::i64(StringRef name) const {
  if (auto a = op->getAttrOfType<IntegerAttr>(name))
    return a.getValue().getSExtValue();
  return std::nullopt;
}

std::optional<double> KernelContext::f64(StringRef name) const {
  Attribute attr = op->getAttr(name);
  if (auto a = dyn_cast_or_null<FloatAttr>(attr))
    return a.getValueAsDouble();
  if (auto a = dyn_cast_or_null<IntegerAttr>(attr))
    return static_cast<double>(a.getValue().getSExtValue());
  return std::nullopt;
}

std::optional<Shape> KernelContext::resultShape(unsigned i) const {
  auto type = dyn_cast<RankedTensorType>(op->getResult(i).getType());
  if (!type)
    return std::nullopt;
  return Shape(type.getShape());
}

std::optional<DType> KernelContext::resultDType(unsigned i) const {
  auto type = dyn_cast<ShapedType>(op->getResult(i).getType());
  if (!type)
    return std::nullopt;
  return dtypeFromType(type.getElementType());
}

FailureOr<Shape> mlir::qapeft::sim::broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      return failure();
    out[i] = da == 1 ? db : da;
  }
  return out;
}

void mlir::qapeft::sim::registerAllKernels(KernelRegistry &registry) {
  registerFloatKernels(registry);
  registerQAPeftKernels(registry);
  registerGradKernels(registry);
  registerHardwareExactKernels(registry);
  registerLsqKernels(registry);
  registerGeluKernels(registry);
#ifdef QAPEFT_SIM_HAVE_INTEGER_KERNELS
  registerIntegerKernels(registry);
#endif
  registerIntegerActivationKernels(registry);
  registerIntegerBitKernels(registry);
  registerIntegerSoftmaxKernels(registry);
}

static unsigned simThreads() {
  static unsigned threads = [] {
    if (const char *env = std::getenv("QAPEFT_SIM_THREADS")) {
      int v = std::atoi(env);
      if (v >= 1)
        return static_cast<unsigned>(v);
    }
    // One thread by default: OpenBLAS already runs the GEMMs (most of the
    // time) on both cores, and on a busy machine an extra thread per
    // elementwise op measured slower. QAPEFT_SIM_THREADS=2 opts in.
    return 1u;
  }();
  return threads;
}

void mlir::qapeft::sim::parallelFor(
    int64_t n, int64_t grain,
    const std::function<void(int64_t, int64_t)> &fn) {
  unsigned threads = simThreads();
  if (threads <= 1 || n < grain || n < 2) {
    if (n > 0)
      fn(0, n);
    return;
  }
  threads = static_cast<unsigned>(std::min<int64_t>(threads, n));
  std::vector<std::thread> workers;
  int64_t chunk = (n + threads - 1) / threads;
  for (unsigned t = 1; t < threads; ++t) {
    int64_t begin = t * chunk, end = std::min(n, begin + chunk);
    if (begin < end)
      workers.emplace_back(fn, begin, end);
  }
  fn(0, std::min(n, chunk));
  for (std::thread &w : workers)
    w.join();
}
