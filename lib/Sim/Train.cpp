//===- Train.cpp - the training loop of qapeft-sim ------------------------===//

#include "qapeft/Sim/Train.h"

#include "qapeft/Sim/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <random>

using namespace mlir;
using namespace mlir::qapeft::sim;

std::string TrainResult::csv() const {
  std::string out = "epoch,step,samples,loss,accuracy,lr\n";
  llvm::raw_string_ostream os(out);
  for (const StepRecord &r : steps)
    os << r.epoch << ',' << r.step << ',' << r.samples << ','
       << llvm::format("%.6f", r.loss) << ','
       << llvm::format("%.6f", r.accuracy) << ','
       << llvm::format("%.8g", r.lr) << '\n';
  return out;
}

double mlir::qapeft::sim::learningRate(const TrainOptions &options,
                                       int64_t step, int64_t total) {
  if (options.schedule == LRSchedule::Constant || total <= 1)
    return options.lr;
  return options.lr * 0.5 *
         (1.0 + std::cos(M_PI * static_cast<double>(step) / total));
}

std::vector<int64_t> mlir::qapeft::sim::shuffledIndices(int64_t n,
                                                        uint64_t seed) {
  std::vector<int64_t> order(n);
  for (int64_t i = 0; i < n; ++i)
    order[i] = i;
  std::mt19937_64 rng(seed);
  for (int64_t i = n - 1; i > 0; --i) {
    // Unbiased draw in [0, i] by rejection (std::uniform_int_distribution's
    // algorithm differs between standard libraries).
    uint64_t bound = static_cast<uint64_t>(i) + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t r;
    do
      r = rng();
    while (r >= limit);
    std::swap(order[i], order[r % bound]);
  }
  return order;
}

Tensor mlir::qapeft::sim::gatherRows(const Tensor &data,
                                     ArrayRef<int64_t> indices) {
  Shape shape(data.shape());
  shape[0] = indices.size();
  Tensor out = Tensor::empty(data.dtype(), shape);
  size_t rowBytes = data.dim(0) ? data.byteSize() / data.dim(0) : 0;
  const char *src = static_cast<const char *>(data.raw());
  char *dst = static_cast<char *>(out.raw());
  for (auto [i, row] : llvm::enumerate(indices))
    std::memcpy(dst + i * rowBytes, src + row * rowBytes, rowBytes);
  return out;
}

FailureOr<Tensor> mlir::qapeft::sim::labelsToI32(ModuleOp module,
                                                 const Tensor &labels) {
  if (isFloat(labels.dtype()) || labels.dtype() == DType::I1)
    return module.emitError() << "labels must be integer class indices, got "
                              << labels.describe();
  if (labels.rank() != 1)
    return module.emitError() << "labels must be a 1-D array, got "
                              << labels.describe();
  Tensor out = Tensor::empty(DType::I32, labels.shape());
  for (int64_t i = 0; i < labels.numel(); ++i) {
    int64_t v = labels.getInt(i);
    if (v < INT32_MIN || v > INT32_MAX)
      return module.emitError() << "label " << v << " at index " << i
                                << " does not fit i32";
    out.data<int32_t>()[i] = static_cast<int32_t>(v);
  }
  return out;
}

LogicalResult mlir::qapeft::sim::setParamValue(ModuleOp module,
                                               StringRef name,
                                               const Tensor &value) {
  bool found = false;
  WalkResult result = module.walk([&](Operation *op) {
    if (op->getName().getStringRef() != "qapeft.param")
      return WalkResult::advance();
    auto opName = op->getAttrOfType<StringAttr>("name");
    if (!opName || opName.getValue() != name)
      return WalkResult::advance();
    auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!type || type.getShape() != value.shape() ||
        dtypeFromType(type.getElementType()) != value.dtype()) {
      op->emitOpError() << "'" << name << "' has type " << op->getResult(0).getType()
                        << ", cannot store " << value.describe();
      return WalkResult::interrupt();
    }
    op->setAttr("value", value.toAttr(type));
    found = true;
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  if (!found)
    return module.emitError() << "no qapeft.param named '" << name
                              << "' to write the trained value into";
  return success();
}

namespace {
/// The initial value of the qapeft.param named `name` (first found).
FailureOr<Tensor> paramValue(ModuleOp module, StringRef name) {
  Operation *found = nullptr;
  module.walk([&](Operation *op) {
    if (op->getName().getStringRef() == "qapeft.param" && !found)
      if (auto n = op->getAttrOfType<StringAttr>("name"))
        if (n.getValue() == name)
          found = op;
  });
  if (!found)
    return module.emitError() << "@train_step updates '" << name
                              << "', but no qapeft.param has that name";
  auto attr = found->getAttrOfType<ElementsAttr>("value");
  FailureOr<Tensor> t = attr ? Tensor::fromAttr(attr) : FailureOr<Tensor>();
  if (failed(t))
    return found->emitOpError() << "has a value the simulator cannot read";
  return *t;
}

enum class ArgRole { Param, State, Step, LR, Input, Labels };

std::string formatDuration(double seconds) {
  int64_t s = static_cast<int64_t>(seconds + 0.5);
  char buf[32];
  snprintf(buf, sizeof(buf), "%lld:%02lld", static_cast<long long>(s / 60),
           static_cast<long long>(s % 60));
  return buf;
}
} // namespace

FailureOr<TrainResult> mlir::qapeft::sim::train(ModuleOp module,
                                                const KernelRegistry &registry,
                                                const Tensor &data,
                                                const Tensor &labelsIn,
                                                const TrainOptions &options) {
  auto func = module.lookupSymbol<func::FuncOp>(options.function);
  if (!func)
    return module.emitError() << "the module has no @" << options.function
                              << " (emit it with --qapeft-training-graph)";
  if (options.epochs < 1 || options.batch < 1)
    return module.emitError() << "epochs and batch size must be positive";

  // Classify the arguments by their attributes (docs/CONVENTIONS.md).
  SmallVector<ArgRole> roles;
  SmallVector<std::string> names;
  int inputArg = -1, labelsArg = -1, stepArg = -1, lrArg = -1;
  unsigned numParams = 0, numStates = 0;
  for (unsigned i = 0; i < func.getNumArguments(); ++i) {
    if (auto a = func.getArgAttrOfType<StringAttr>(i, "qapeft.param")) {
      roles.push_back(ArgRole::Param);
      names.push_back(a.getValue().str());
      ++numParams;
    } else if (auto a =
                   func.getArgAttrOfType<StringAttr>(i, "qapeft.opt_state")) {
      roles.push_back(ArgRole::State);
      names.push_back(a.getValue().str());
      ++numStates;
    } else if (func.getArgAttr(i, "qapeft.step")) {
      roles.push_back(ArgRole::Step), names.push_back(""), stepArg = i;
    } else if (func.getArgAttr(i, "qapeft.lr")) {
      roles.push_back(ArgRole::LR), names.push_back(""), lrArg = i;
    } else if (func.getArgAttr(i, "qapeft.input")) {
      roles.push_back(ArgRole::Input), names.push_back(""), inputArg = i;
    } else if (func.getArgAttr(i, "qapeft.labels")) {
      roles.push_back(ArgRole::Labels), names.push_back(""), labelsArg = i;
    } else {
      return func.emitError() << "argument #" << i << " of @"
                              << options.function
                              << " has none of the qapeft.param, "
                                 "qapeft.opt_state, qapeft.step, qapeft.lr, "
                                 "qapeft.input, qapeft.labels attributes";
    }
  }
  if (inputArg < 0 || labelsArg < 0 || stepArg < 0 || lrArg < 0)
    return func.emitError() << "@" << options.function
                            << " needs arguments marked qapeft.input, "
                               "qapeft.labels, qapeft.step and qapeft.lr";
  if (func.getNumResults() != numParams + numStates + 2)
    return func.emitError() << "@" << options.function << " must return "
                            << numParams + numStates + 2
                            << " values (new parameters, new optimizer "
                               "state, loss, correct), it returns "
                            << func.getNumResults();

  // Data checks against the input argument type (batch dimension aside).
  auto inputType = dyn_cast<RankedTensorType>(func.getArgumentTypes()[inputArg]);
  if (!inputType || inputType.getRank() != data.rank() ||
      dtypeFromType(inputType.getElementType()) != data.dtype())
    return func.emitError() << "the data " << data.describe()
                            << " does not match the input type "
                            << func.getArgumentTypes()[inputArg];
  for (int64_t d = 1; d < data.rank(); ++d)
    if (!inputType.isDynamicDim(d) && inputType.getDimSize(d) != data.dim(d))
      return func.emitError() << "the data " << data.describe()
                              << " does not match the input type "
                              << inputType;
  FailureOr<Tensor> labels = labelsToI32(module, labelsIn);
  if (failed(labels))
    return failure();
  if (labels->dim(0) != data.dim(0))
    return module.emitError() << "the data has " << data.dim(0)
                              << " samples but there are " << labels->dim(0)
                              << " labels";
  if (data.dim(0) == 0)
    return module.emitError() << "the data set is empty";

  // Initial state: params from the module, optimizer state zeros.
  SmallVector<Tensor> state(func.getNumArguments());
  for (unsigned i = 0; i < roles.size(); ++i) {
    if (roles[i] == ArgRole::Param) {
      FailureOr<Tensor> v = paramValue(module, names[i]);
      if (failed(v))
        return failure();
      state[i] = *v;
    } else if (roles[i] == ArgRole::State) {
      auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
      std::optional<DType> dtype =
          type ? dtypeFromType(type.getElementType()) : std::nullopt;
      if (!type || !type.hasStaticShape() || !dtype)
        return func.emitError() << "optimizer state '" << names[i]
                                << "' needs a static tensor type";
      state[i] = Tensor::zeros(*dtype, type.getShape());
    }
  }

  Interpreter interpreter(module, registry);
  if (failed(interpreter.checkSupported(options.function)))
    return failure();

  int64_t n = data.dim(0);
  int64_t stepsPerEpoch = (n + options.batch - 1) / options.batch;
  int64_t totalSteps = stepsPerEpoch * options.epochs;
  TrainResult result;
  int64_t globalStep = 0;
  auto start = std::chrono::steady_clock::now();
  SmallVector<Tensor> args(func.getNumArguments());
  for (int64_t epoch = 1; epoch <= options.epochs; ++epoch) {
    auto epochStart = std::chrono::steady_clock::now();
    // Each epoch has its own seeded order: seed and epoch determine it.
    std::vector<int64_t> order =
        shuffledIndices(n, options.seed * 1000003ULL + epoch);
    double lossSum = 0.0, correctSum = 0.0;
    int64_t seen = 0;
    for (int64_t s = 0; s < stepsPerEpoch; ++s, ++globalStep) {
      int64_t first = s * options.batch;
      int64_t count = std::min(options.batch, n - first);
      ArrayRef<int64_t> rows(order.data() + first, count);
      double lr = learningRate(options, globalStep, totalSteps);
      for (unsigned i = 0; i < roles.size(); ++i) {
        switch (roles[i]) {
        case ArgRole::Param:
        case ArgRole::State:
          args[i] = state[i];
          break;
        case ArgRole::Step:
          args[i] = Tensor::scalar(static_cast<float>(globalStep));
          break;
        case ArgRole::LR:
          args[i] = Tensor::scalar(static_cast<float>(lr));
          break;
        case ArgRole::Input:
          args[i] = gatherRows(data, rows);
          break;
        case ArgRole::Labels:
          args[i] = gatherRows(*labels, rows);
          break;
        }
      }
      FailureOr<SmallVector<Tensor>> out =
          interpreter.run(options.function, args);
      if (failed(out))
        return failure();
      // Results: params (argument order), states, loss, correct.
      unsigned r = 0;
      for (unsigned i = 0; i < roles.size(); ++i)
        if (roles[i] == ArgRole::Param)
          state[i] = (*out)[r++];
      for (unsigned i = 0; i < roles.size(); ++i)
        if (roles[i] == ArgRole::State)
          state[i] = (*out)[r++];
      double loss = (*out)[r].getDouble(0);
      double correct = (*out)[r + 1].getDouble(0);
      if (!std::isfinite(loss))
        return func.emitError() << "the loss became " << loss << " at epoch "
                                << epoch << ", step " << s + 1
                                << " (learning rate too high?)";
      lossSum += loss * count;
      correctSum += correct;
      seen += count;
      result.steps.push_back({epoch, globalStep + 1, count, loss,
                              correct / count, lr});
      if (options.progress && options.interactive) {
        double elapsed = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
        double done = static_cast<double>(globalStep + 1) / totalSteps;
        double rate = (globalStep * options.batch + count) / std::max(elapsed, 1e-9);
        int width = 24, filled = static_cast<int>(done * width);
        *options.progress << "\repoch " << epoch << "/" << options.epochs
                          << " [" << std::string(filled, '=')
                          << std::string(width - filled, ' ') << "] "
                          << llvm::format("loss %.4f acc %.3f  %.0f samples/s  ETA %s",
                                          lossSum / seen, correctSum / seen,
                                          rate,
                                          formatDuration(elapsed / done - elapsed).c_str())
                          << "   ";
        options.progress->flush();
      }
    }
    double seconds = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - epochStart)
                         .count();
    EpochRecord record{epoch, lossSum / seen, correctSum / seen, seconds};
    result.epochs.push_back(record);
    if (options.progress) {
      if (options.interactive)
        *options.progress << "\n";
      *options.progress << llvm::format(
          "epoch %lld/%lld: loss %.4f accuracy %.4f (%.0f samples/s)\n",
          static_cast<long long>(epoch),
          static_cast<long long>(options.epochs), record.loss,
          record.accuracy, seen / std::max(seconds, 1e-9));
      options.progress->flush();
    }
  }

  for (unsigned i = 0; i < roles.size(); ++i)
    if (roles[i] == ArgRole::Param &&
        failed(setParamValue(module, names[i], state[i])))
      return failure();
  return result;
}
