//===- qapeft-step-bench.cpp - time qapeft-sim training steps one by one ---===//
//
// The qapeft-sim side of bench/train-bench.sh. `qapeft-sim train` reports an
// epoch's samples/s, which includes the first step (the buffer pool filling
// up) and hides the spread between steps; a benchmark against PyTorch wants
// the median of N steady-state steps. This driver runs @train_step through
// the same lib/Sim interpreter, exactly as lib/Sim/Train.cpp calls it, and
// times every step.
//
// Batches are the data in file order (batch i is samples [i*B, (i+1)*B)), not
// shuffled, so that bench/torch_cnn.py can feed PyTorch the same batches and
// the per-step losses of both can be compared: that comparison is what shows
// the two sides train the same model. --dump-params writes every qapeft.param
// (the base weights, the LoRA initialisation, the calibrated ranges) as .npy
// for the PyTorch side to load.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Data.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Train.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sys/resource.h>

using namespace mlir;
using namespace mlir::qapeft::sim;
namespace cl = llvm::cl;

static cl::OptionCategory benchCategory("qapeft-step-bench options");
static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<train.mlir>"),
                                      cl::cat(benchCategory));
static cl::opt<int64_t> steps("steps",
                              cl::desc("timed steps (after the warm-up)"),
                              cl::init(50), cl::cat(benchCategory));
static cl::opt<int64_t> warmup("warmup",
                               cl::desc("untimed steps first (the buffer "
                                        "pool and caches fill up)"),
                               cl::init(3), cl::cat(benchCategory));
static cl::opt<int64_t> batch("batch", cl::desc("batch size"), cl::init(64),
                              cl::cat(benchCategory));
static cl::opt<double> lrOption("lr",
                                cl::desc("learning rate (default: the "
                                         "graph's qapeft.default_lr)"),
                                cl::init(1e-3), cl::cat(benchCategory));
static cl::opt<std::string>
    dumpDir("dump-params",
            cl::desc("write every qapeft.param as <dir>/<name>.npy first"),
            cl::cat(benchCategory));
static cl::opt<std::string> dataDir(
    "fashion-mnist-dir",
    cl::desc("Fashion-MNIST directory (Debian's dataset-fashion-mnist)"),
    cl::init("/usr/share/datasets/fashion-mnist"), cl::cat(benchCategory));
static cl::opt<std::string> saveDir(
    "save-params",
    cl::desc("write the trained parameters as <dir>/<name>.npy at the end "
             "(to compare them with the PyTorch side's)"),
    cl::cat(benchCategory));
static cl::opt<bool> printSteps("print-steps",
                                cl::desc("print one line per step (loss, "
                                         "milliseconds)"),
                                cl::cat(benchCategory));

static int failWith(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qapeft-step-bench") << message << "\n";
  return 1;
}

namespace {
enum class Role { Param, State, Step, LR, Input, Labels };

/// The initial value of every qapeft.param, by name (the first op of a name
/// wins; the training graph keeps @forward's and @train_step's in step).
llvm::StringMap<Operation *> collectParams(ModuleOp module) {
  llvm::StringMap<Operation *> params;
  module.walk([&](Operation *op) {
    if (op->getName().getStringRef() == "qapeft.param")
      if (auto name = op->getAttrOfType<StringAttr>("name"))
        params.try_emplace(name.getValue(), op);
  });
  return params;
}

FailureOr<Tensor> paramTensor(Operation *op) {
  auto attr = op->getAttrOfType<ElementsAttr>("value");
  FailureOr<Tensor> t = attr ? Tensor::fromAttr(attr) : FailureOr<Tensor>();
  if (failed(t))
    return op->emitOpError() << "has a value the simulator cannot read";
  return t;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(benchCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "times @train_step of a qapeft training graph step by step\n\n"
      "  qapeft-step-bench train.mlir --steps 50 --warmup 3 --batch 64 "
      "[--dump-params DIR] [--print-steps]\n\n"
      "Prints 'qapeft-sim steps_per_s S median_ms M mean_ms A peak_rss_kb R "
      "first_loss L last_loss K mean_loss E' (E: the mean loss of all "
      "steps).\n");
  if (steps < 1 || warmup < 0 || batch < 1)
    return failWith("--steps and --batch must be positive, --warmup not "
                    "negative");

  DialectRegistry dialects;
  dialects.insert<mlir::qapeft::QAPeftDialect, tosa::TosaDialect,
                  func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect>();
  MLIRContext context(dialects);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string errorMessage;
  auto file = openInputFile(modelPath, &errorMessage);
  if (!file)
    return failWith(errorMessage);
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  auto func = module->lookupSymbol<func::FuncOp>("train_step");
  if (!func) {
    module->emitError() << "the module has no @train_step (emit it with "
                           "--qapeft-training-graph)";
    return 1;
  }

  // The argument roles of docs/CONVENTIONS.md, as lib/Sim/Train.cpp reads
  // them.
  llvm::StringMap<Operation *> params = collectParams(*module);
  SmallVector<Role> roles;
  SmallVector<std::string> names(func.getNumArguments());
  SmallVector<Tensor> state(func.getNumArguments());
  unsigned numParams = 0, numStates = 0;
  int inputArg = -1, labelsArg = -1, stepArg = -1, lrArg = -1;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "qapeft.param")) {
      auto it = params.find(name.getValue());
      if (it == params.end()) {
        func.emitError() << "@train_step updates '" << name.getValue()
                         << "', but no qapeft.param has that name";
        return 1;
      }
      FailureOr<Tensor> value = paramTensor(it->second);
      if (failed(value))
        return 1;
      state[i] = *value;
      names[i] = name.getValue().str();
      roles.push_back(Role::Param);
      ++numParams;
    } else if (func.getArgAttr(i, "qapeft.opt_state")) {
      auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
      if (!type || !type.hasStaticShape() || !type.getElementType().isF32()) {
        func.emitError() << "optimizer state argument #" << i
                         << " needs a static f32 tensor type";
        return 1;
      }
      state[i] = Tensor::zeros(DType::F32, type.getShape());
      roles.push_back(Role::State);
      ++numStates;
    } else if (func.getArgAttr(i, "qapeft.step")) {
      roles.push_back(Role::Step), stepArg = i;
    } else if (func.getArgAttr(i, "qapeft.lr")) {
      roles.push_back(Role::LR), lrArg = i;
    } else if (func.getArgAttr(i, "qapeft.input")) {
      roles.push_back(Role::Input), inputArg = i;
    } else if (func.getArgAttr(i, "qapeft.labels")) {
      roles.push_back(Role::Labels), labelsArg = i;
    } else {
      func.emitError() << "argument #" << i
                       << " of @train_step has no qapeft role attribute";
      return 1;
    }
  }
  if (inputArg < 0 || labelsArg < 0 || stepArg < 0 || lrArg < 0) {
    func.emitError() << "@train_step needs arguments marked qapeft.input, "
                        "qapeft.labels, qapeft.step and qapeft.lr";
    return 1;
  }
  if (func.getNumResults() != numParams + numStates + 2) {
    func.emitError() << "@train_step must return " << numParams + numStates + 2
                     << " values, it returns " << func.getNumResults();
    return 1;
  }
  double lr = lrOption;
  if (!lrOption.getNumOccurrences())
    if (auto attr = func->getAttrOfType<FloatAttr>("qapeft.default_lr"))
      lr = attr.getValueAsDouble();

  KernelRegistry registry;
  registerAllKernels(registry);
  Interpreter interpreter(*module, registry);
  if (failed(interpreter.checkSupported("train_step")))
    return 1;

  // The initial values for the PyTorch side, written before any training.
  if (!dumpDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(dumpDir))
      return failWith("cannot create '" + dumpDir + "': " + ec.message());
    for (auto &entry : params) {
      FailureOr<Tensor> value = paramTensor(entry.second);
      if (failed(value))
        return 1;
      llvm::SmallString<256> path(dumpDir);
      llvm::sys::path::append(path, entry.first() + ".npy");
      if (llvm::Error e = writeNpy(*value, path))
        return failWith(llvm::toString(std::move(e)));
    }
  }

  int64_t total = warmup + steps;
  auto data = readFashionMnist("train", total * batch, dataDir);
  if (!data)
    return failWith(llvm::toString(data.takeError()));
  if (data->images.dim(0) < total * batch)
    return failWith(llvm::Twine("Fashion-MNIST has only ") +
                    llvm::Twine(data->images.dim(0)) + " training samples, " +
                    llvm::Twine(total * batch) + " are needed");

  std::vector<double> millis;
  double firstLoss = 0.0, lastLoss = 0.0, lossSum = 0.0;
  SmallVector<Tensor> args(func.getNumArguments());
  std::vector<int64_t> rows(batch);
  for (int64_t s = 0; s < total; ++s) {
    for (int64_t i = 0; i < batch; ++i)
      rows[i] = s * batch + i;
    // Preparing the arguments is part of the timed step, as in Train.cpp.
    auto start = std::chrono::steady_clock::now();
    for (unsigned i = 0; i < roles.size(); ++i) {
      switch (roles[i]) {
      case Role::Param:
      case Role::State:
        args[i] = state[i];
        break;
      case Role::Step:
        args[i] = Tensor::scalar(static_cast<float>(s));
        break;
      case Role::LR:
        args[i] = Tensor::scalar(static_cast<float>(lr));
        break;
      case Role::Input:
        args[i] = gatherRows(data->images, rows);
        break;
      case Role::Labels:
        args[i] = gatherRows(data->labels, rows);
        break;
      }
    }
    FailureOr<SmallVector<Tensor>> out = interpreter.run("train_step", args);
    if (failed(out))
      return 1;
    unsigned r = 0;
    for (unsigned i = 0; i < roles.size(); ++i)
      if (roles[i] == Role::Param)
        state[i] = (*out)[r++];
    for (unsigned i = 0; i < roles.size(); ++i)
      if (roles[i] == Role::State)
        state[i] = (*out)[r++];
    double loss = (*out)[r].getDouble(0);
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    if (!std::isfinite(loss))
      return failWith(llvm::Twine("the loss became non-finite at step ") +
                      llvm::Twine(s + 1));
    if (s == 0)
      firstLoss = loss;
    lastLoss = loss;
    lossSum += loss;
    if (s >= warmup)
      millis.push_back(ms);
    if (printSteps)
      llvm::outs() << llvm::format("step %lld loss %.6f ms %.3f%s\n",
                                   static_cast<long long>(s + 1), loss, ms,
                                   s < warmup ? " (warm-up)" : "");
  }

  if (!saveDir.empty()) {
    if (std::error_code ec = llvm::sys::fs::create_directories(saveDir))
      return failWith("cannot create '" + saveDir + "': " + ec.message());
    for (unsigned i = 0; i < roles.size(); ++i) {
      if (roles[i] != Role::Param)
        continue;
      llvm::SmallString<256> path(saveDir);
      llvm::sys::path::append(path, names[i] + ".npy");
      if (llvm::Error e = writeNpy(state[i], path))
        return failWith(llvm::toString(std::move(e)));
    }
  }

  std::vector<double> sorted = millis;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  double median = n % 2 ? sorted[n / 2]
                        : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  double mean = 0.0;
  for (double m : millis)
    mean += m / n;
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  llvm::outs() << llvm::format("qapeft-sim steps_per_s %.3f median_ms %.3f "
                               "mean_ms %.3f peak_rss_kb %ld first_loss %.6f "
                               "last_loss %.6f mean_loss %.6f\n",
                               1000.0 / median, median, mean, usage.ru_maxrss,
                               firstLoss, lastLoss, lossSum / total);
  return 0;
}
