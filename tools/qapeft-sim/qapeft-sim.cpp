//===- qapeft-sim.cpp - run, evaluate, train and calibrate qapeft models --===//
//
// A thin driver over lib/Sim. Every subcommand reads a module, checks that
// every op it will execute has a kernel before touching any data, and writes
// its outputs atomically at the end, so a failure leaves no output file.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Sim/Calibrate.h"
#include "qapeft/Sim/Compare.h"
#include "qapeft/Sim/Data.h"
#include "qapeft/Sim/Interpreter.h"
#include "qapeft/Sim/Kernel.h"
#include "qapeft/Sim/Quantize.h"
#include "qapeft/Sim/Train.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft::sim;
namespace cl = llvm::cl;

static cl::OptionCategory simCategory("qapeft-sim options");

static cl::SubCommand runCmd("run", "run a function on .npy inputs and write "
                                    "its results as .npy");
static cl::SubCommand evalCmd("eval", "accuracy and loss of @forward on "
                                      "labelled data");
static cl::SubCommand trainCmd("train", "train with @train_step and write "
                                        "the trained values into the module");
static cl::SubCommand calibrateCmd(
    "calibrate", "observe activation ranges and write them into the "
                 "calibrated fake quants' scale / zero point params");
static cl::SubCommand quantizeCmd(
    "quantize", "quantize float data for an integer model's input (the "
                "bytes to feed to another runtime, e.g. TFLite)");
static cl::SubCommand compareCmd(
    "compare", "per-layer error between float, fake-quant and integer "
               "execution, and output agreement");
static cl::SubCommand kernelsCmd("kernels",
                                 "list the ops the simulator can execute");
static cl::SubCommand makeNpyCmd("make-npy",
                                 "write a .npy from listed values (for "
                                 "scripts and tests)");
static cl::SubCommand showNpyCmd("show-npy", "print a .npy's type and values");

static cl::opt<std::string> npyShape(cl::cat(simCategory), "shape",
                                     cl::desc("shape, e.g. 2x3 (empty: "
                                              "scalar)"),
                                     cl::sub(makeNpyCmd));
static cl::opt<std::string> npyDType(cl::cat(simCategory), "dtype",
                                     cl::desc("f32, i1, i8, ui8, i16, i32, "
                                              "i64"),
                                     cl::init("f32"), cl::sub(makeNpyCmd));
static cl::opt<std::string>
    npyValues(cl::cat(simCategory), "values",
              cl::desc("comma/space separated values (one value fills "
                       "the tensor); 'iota' counts 0, 1, 2, ...; 'iota:S' "
                       "counts S, S+1, ..."),
              cl::sub(makeNpyCmd));
static cl::opt<std::string> npyOutput(cl::cat(simCategory), "o", cl::desc("output .npy"),
                                      cl::sub(makeNpyCmd));
static cl::opt<std::string> npyInput(cl::cat(simCategory), cl::Positional, cl::desc("<file.npy>"),
                                     cl::sub(showNpyCmd));

static cl::opt<std::string> modelPath(cl::cat(simCategory), cl::Positional, cl::desc("<model.mlir>"),
                                      cl::sub(runCmd), cl::sub(evalCmd),
                                      cl::sub(trainCmd), cl::sub(calibrateCmd),
                                      cl::sub(quantizeCmd));
// One list, so the two models keep their command-line order.
static cl::list<std::string>
    compareModelPaths(cl::cat(simCategory), cl::Positional,
                      cl::desc("<qa.mlir> <int.mlir> (the QA-PEFT model and "
                               "its --qapeft-deploy output)"),
                      cl::sub(compareCmd));
static cl::opt<double> minOutputAgreement(
    cl::cat(simCategory), "min-output-agreement",
    cl::desc("exit with an error if a fraction of identical output codes "
             "is below this (a CI gate)"),
    cl::init(-1.0), cl::sub(compareCmd));
static cl::list<std::string> inputPaths(cl::cat(simCategory), "input",
                                        cl::desc("input .npy, one per "
                                                 "function argument"),
                                        cl::sub(runCmd));
static cl::list<std::string>
    outputPaths(cl::cat(simCategory), "o", cl::desc("output file (run: one .npy per result; "
                              "train/calibrate: the updated module)"),
                cl::sub(runCmd), cl::sub(trainCmd), cl::sub(calibrateCmd),
                cl::sub(quantizeCmd));
static cl::opt<std::string>
    functionName(cl::cat(simCategory), "function",
                 cl::desc("function to execute (default: forward, or "
                          "train_step for train)"),
                 cl::sub(runCmd), cl::sub(evalCmd), cl::sub(trainCmd),
                 cl::sub(calibrateCmd), cl::sub(quantizeCmd),
                 cl::sub(compareCmd));
static cl::opt<std::string> dataPath(cl::cat(simCategory), "data", cl::desc("samples (.npy)"),
                                     cl::sub(evalCmd), cl::sub(trainCmd),
                                     cl::sub(calibrateCmd), cl::sub(quantizeCmd),
                                     cl::sub(compareCmd));
static cl::opt<std::string>
    fashionMnist(cl::cat(simCategory), "fashion-mnist",
                 cl::desc("use Debian's Fashion-MNIST split (train|test) "
                          "instead of --data/--labels"),
                 cl::sub(evalCmd), cl::sub(trainCmd), cl::sub(calibrateCmd),
                 cl::sub(quantizeCmd), cl::sub(compareCmd));
static cl::opt<std::string> labelsPath(cl::cat(simCategory), "labels",
                                       cl::desc("integer class labels (.npy)"),
                                       cl::sub(evalCmd), cl::sub(trainCmd));
static cl::opt<int64_t> limit(cl::cat(simCategory), "limit",
                              cl::desc("use only the first N samples"),
                              cl::init(0), cl::sub(evalCmd), cl::sub(trainCmd),
                              cl::sub(calibrateCmd), cl::sub(quantizeCmd),
                              cl::sub(compareCmd));
static cl::opt<double> minAccuracy(
    cl::cat(simCategory), "min-accuracy",
    cl::desc("exit with an error if the accuracy is below this (a CI gate)"),
    cl::init(-1.0), cl::sub(evalCmd));
static cl::opt<double> maxLoss(
    cl::cat(simCategory), "max-loss",
    cl::desc("exit with an error if the loss is above this (a CI gate)"),
    cl::init(-1.0), cl::sub(evalCmd));
static cl::opt<bool> json(cl::cat(simCategory), "json", cl::desc("print the result as JSON"),
                          cl::sub(evalCmd), cl::sub(compareCmd));
static cl::opt<int64_t> batchSize(cl::cat(simCategory), "batch", cl::desc("batch size"),
                                  cl::init(64), cl::sub(evalCmd),
                                  cl::sub(trainCmd), cl::sub(calibrateCmd),
                                  cl::sub(compareCmd));
static cl::opt<int64_t> epochs(cl::cat(simCategory), "epochs", cl::desc("training epochs"),
                               cl::init(1), cl::sub(trainCmd));
static cl::opt<uint64_t> seed(cl::cat(simCategory), "seed", cl::desc("shuffling seed"), cl::init(1),
                              cl::sub(trainCmd));
static cl::opt<double> lrOption(cl::cat(simCategory), "lr", cl::desc("learning rate (default: the training graph's qapeft.default_lr, else 0.01)"),
                                    cl::init(0.01), cl::sub(trainCmd));
static cl::opt<LRSchedule> schedule(cl::cat(simCategory), 
    "schedule", cl::desc("learning rate schedule"),
    cl::values(clEnumValN(LRSchedule::Constant, "constant", "constant"),
               clEnumValN(LRSchedule::Cosine, "cosine",
                          "cosine decay to 0 over all steps")),
    cl::init(LRSchedule::Constant), cl::sub(trainCmd));
static cl::opt<std::string> logPath(cl::cat(simCategory), "log",
                                    cl::desc("write a per-step CSV log "
                                             "(epoch,step,samples,loss,"
                                             "accuracy,lr)"),
                                    cl::sub(trainCmd));
static cl::opt<std::string>
    progressMode(cl::cat(simCategory), "progress",
                 cl::desc("progress display: auto (a bar on a terminal, "
                          "lines otherwise), bar, lines, none"),
                 cl::init("auto"), cl::sub(trainCmd));
static cl::opt<bool> asConstants(
    cl::cat(simCategory), "as-constants",
    cl::desc("write a plain inference model: every parameter the training "
             "function updated becomes a tosa.const named by its location "
             "(loc(\"<name>\")), the training function is erased, and "
             "locations are printed (e.g. to pretrain a base model)"),
    cl::sub(trainCmd));
static cl::opt<std::string>
    observerText(cl::cat(simCategory), "observer",
                 cl::desc("minmax | ema | percentile=P | entropy"),
                 cl::init("minmax"), cl::sub(calibrateCmd));

namespace {
int failWith(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "qapeft-sim") << message << "\n";
  return 1;
}

int failWith(llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  return failWith(message);
}

/// Reads --data/--labels or --fashion-mnist (labels optional unless
/// `needLabels`); applies --limit.
llvm::Error loadData(bool needLabels, Tensor &data, Tensor &labels) {
  if (!fashionMnist.empty()) {
    if (!dataPath.empty())
      return llvm::createStringError("--data and --fashion-mnist exclude "
                                     "each other");
    auto set = readFashionMnist(fashionMnist, limit);
    if (!set)
      return set.takeError();
    data = set->images;
    labels = set->labels;
  } else {
    if (dataPath.empty())
      return llvm::createStringError("missing --data (or --fashion-mnist)");
    auto d = readNpy(dataPath);
    if (!d)
      return d.takeError();
    data = *d;
    if (!labelsPath.empty()) {
      auto l = readNpy(labelsPath);
      if (!l)
        return l.takeError();
      labels = *l;
    } else if (needLabels) {
      return llvm::createStringError(
          "missing --labels: this subcommand needs a class label per sample");
    }
  }
  if (data.rank() == 0)
    return llvm::createStringError("the data must have a batch dimension");
  if (labels.valid() && (labels.rank() != 1 || labels.dim(0) != data.dim(0)))
    return llvm::createStringError(
        "the data has " + llvm::Twine(data.dim(0)) + " samples but the labels "
        "are " + labels.describe() + " (expected one label per sample)");
  if (limit > 0 && limit < data.dim(0)) {
    std::vector<int64_t> rows(limit);
    for (int64_t i = 0; i < limit; ++i)
      rows[i] = i;
    data = gatherRows(data, rows);
    if (labels.valid())
      labels = gatherRows(labels, rows);
  }
  return llvm::Error::success();
}

llvm::Error writeModule(ModuleOp module, StringRef path,
                        bool withLocations = false) {
  std::string text;
  llvm::raw_string_ostream os(text);
  OpPrintingFlags flags;
  // Inline locations: the passes find layers and weights by loc("<name>").
  if (withLocations)
    flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false)
        .useLocalScope();
  module->print(os, flags);
  return writeFileAtomically(path, text);
}

/// --as-constants: turns the trained `qapeft.param`s (the training
/// function's qapeft.param arguments) into `tosa.const` ops named by their
/// location, the form docs/CONVENTIONS.md gives an input model, and erases
/// the training function, whose parameters then no longer exist. Frozen
/// params (e.g. calibrated scales) are left alone. Only name locations are
/// kept: file locations point into intermediate files and would make the
/// written model depend on where they were.
LogicalResult freezeTrainedParams(ModuleOp module, StringRef trainFunction) {
  auto func = module.lookupSymbol<func::FuncOp>(trainFunction);
  if (!func)
    return module.emitError() << "no @" << trainFunction;
  llvm::StringSet<> trained;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (auto name = func.getArgAttrOfType<StringAttr>(i, "qapeft.param"))
      trained.insert(name.getValue());
  SmallVector<mlir::qapeft::ParamOp> params;
  module.walk([&](mlir::qapeft::ParamOp param) {
    if (trained.contains(param.getName()))
      params.push_back(param);
  });
  func.erase();
  for (mlir::qapeft::ParamOp param : params) {
    Location loc = param.getLoc();
    auto nameLoc = dyn_cast<NameLoc>(loc);
    if (!nameLoc || nameLoc.getName() != param.getName())
      loc = NameLoc::get(param.getNameAttr(), loc);
    OpBuilder b(param);
    auto cst = tosa::ConstOp::create(b, loc, param.getType(),
                                     param.getValue());
    param.getResult().replaceAllUsesWith(cst.getResult());
    param.erase();
  }
  auto nameOnly = [&](Location loc) -> Location {
    if (auto name = dyn_cast<NameLoc>(loc))
      return NameLoc::get(name.getName());
    return UnknownLoc::get(module.getContext());
  };
  module->walk([&](Operation *op) {
    op->setLoc(nameOnly(op->getLoc()));
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setLoc(nameOnly(arg.getLoc()));
  });
  return verify(module);
}

/// The data for argument `i` of `func`: f32 data for an integer argument
/// that carries qapeft.scale is quantized with it (Quantize.h's rule);
/// anything else is passed through (the interpreter checks the dtype).
llvm::Expected<Tensor> prepareInput(func::FuncOp func, unsigned i,
                                    const Tensor &data) {
  if (data.dtype() != DType::F32)
    return data;
  auto q = argumentQuantization(func, i);
  if (!q)
    return llvm::createStringError("argument " + llvm::Twine(i) + " of @" +
                                   func.getSymName() + ": " +
                                   llvm::toString(q.takeError()));
  if (!*q)
    return data;
  return quantizeTensor(data, **q);
}

int runCommand(ModuleOp module, const KernelRegistry &registry) {
  std::string name = functionName.empty() ? "forward" : functionName.getValue();
  if (inputPaths.empty() || outputPaths.empty())
    return failWith("run needs --input x.npy and -o y.npy");
  Interpreter interpreter(module, registry);
  if (failed(interpreter.checkSupported(name)))
    return 1;
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (func.getNumArguments() != inputPaths.size())
    return failWith("@" + name + " takes " +
                    llvm::Twine(func.getNumArguments()) +
                    " arguments, got " + llvm::Twine(inputPaths.size()) +
                    " --input files");
  if (func.getNumResults() != outputPaths.size())
    return failWith("@" + name + " returns " +
                    llvm::Twine(func.getNumResults()) + " results, got " +
                    llvm::Twine(outputPaths.size()) + " -o files");
  SmallVector<Tensor> args;
  for (auto [i, path] : llvm::enumerate(inputPaths)) {
    auto t = readNpy(path);
    if (!t)
      return failWith(t.takeError());
    auto in = prepareInput(func, i, *t);
    if (!in)
      return failWith(path + ": " + llvm::toString(in.takeError()));
    args.push_back(*in);
  }
  auto results = interpreter.run(name, args);
  if (failed(results))
    return 1;
  for (auto [t, path] : llvm::zip(*results, outputPaths))
    if (llvm::Error e = writeNpy(t, path))
      return failWith(std::move(e));
  return 0;
}

int evalCommand(ModuleOp module, const KernelRegistry &registry) {
  std::string name = functionName.empty() ? "forward" : functionName.getValue();
  Interpreter interpreter(module, registry);
  if (failed(interpreter.checkSupported(name)))
    return 1;
  Tensor data, labels;
  if (llvm::Error e = loadData(/*needLabels=*/true, data, labels))
    return failWith(std::move(e));
  auto i32Labels = labelsToI32(module, labels);
  if (failed(i32Labels))
    return 1;
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (func.getNumArguments() != 1 || func.getNumResults() < 1)
    return failWith("eval needs @" + name + " to take one input and return "
                    "the logits");
  // An integer model takes the data quantized with its input's parameters
  // and returns integer logits; their real values give the loss.
  auto input = prepareInput(func, 0, data);
  if (!input)
    return failWith(input.takeError());
  data = *input;
  auto outQ = resultQuantization(func, 0);
  if (!outQ)
    return failWith("result 0 of @" + name + ": " +
                    llvm::toString(outQ.takeError()));
  int64_t n = data.dim(0), correct = 0;
  double lossSum = 0.0;
  bool haveLoss = true;
  int64_t batch = std::max<int64_t>(1, batchSize);
  for (int64_t first = 0; first < n; first += batch) {
    int64_t count = std::min(batch, n - first);
    std::vector<int64_t> rows(count);
    for (int64_t i = 0; i < count; ++i)
      rows[i] = first + i;
    auto out = interpreter.run(name, {gatherRows(data, rows)});
    if (failed(out))
      return 1;
    const Tensor &result = (*out)[0];
    if (result.rank() != 2 || result.dim(0) != count ||
        (isFloat(result.dtype()) && result.dtype() != DType::F32))
      return failWith("@" + name + " must return [N, K] f32 or integer "
                      "logits for eval, it returned " + result.describe());
    bool integer = !isFloat(result.dtype());
    // Float logits for the loss: the result itself, or the integer codes
    // dequantized with the result's qapeft.scale / qapeft.zero_point.
    Tensor logits;
    if (!integer) {
      logits = result;
    } else if (*outQ) {
      auto deq = dequantizeTensor(result, **outQ);
      if (!deq)
        return failWith(deq.takeError());
      logits = *deq;
    } else {
      haveLoss = false;
    }
    int64_t k = result.dim(1);
    for (int64_t r = 0; r < count; ++r) {
      int32_t label = i32Labels->data<int32_t>()[first + r];
      if (label < 0 || label >= k)
        return failWith("label " + llvm::Twine(label) + " of sample " +
                        llvm::Twine(first + r) + " is not a class in [0, " +
                        llvm::Twine(k) + ")");
      // Argmax over the values the model returned (integer codes for an
      // integer model); the first maximum wins a tie.
      int64_t best = 0;
      if (integer) {
        for (int64_t j = 1; j < k; ++j)
          if (result.getInt(r * k + j) > result.getInt(r * k + best))
            best = j;
      } else {
        const float *row = result.data<float>() + r * k;
        for (int64_t j = 1; j < k; ++j)
          if (row[j] > row[best])
            best = j;
      }
      correct += best == label;
      if (!haveLoss)
        continue;
      const float *row = logits.data<float>() + r * k;
      float top = *std::max_element(row, row + k);
      double sum = 0.0;
      for (int64_t j = 0; j < k; ++j)
        sum += std::exp(double(row[j]) - top);
      lossSum += std::log(sum) - (double(row[label]) - top);
    }
  }
  double accuracy = double(correct) / n, loss = lossSum / n;
  std::string lossText =
      haveLoss ? llvm::formatv("{0:f6}", loss).str() : std::string("null");
  if (json)
    llvm::outs() << llvm::format("{\"samples\": %lld, \"correct\": %lld, "
                                 "\"accuracy\": %.6f, \"loss\": %s}\n",
                                 (long long)n, (long long)correct, accuracy,
                                 lossText.c_str());
  else if (haveLoss)
    llvm::outs() << llvm::format("samples %lld  accuracy %.4f  loss %.4f\n",
                                 (long long)n, accuracy, loss);
  else
    llvm::outs() << llvm::format("samples %lld  accuracy %.4f  loss n/a "
                                 "(integer output without qapeft.scale)\n",
                                 (long long)n, accuracy);
  if (minAccuracy >= 0 && accuracy < minAccuracy)
    return failWith(llvm::formatv("accuracy {0:f4} is below --min-accuracy "
                                  "{1:f4}",
                                  accuracy, minAccuracy.getValue())
                        .str());
  if (maxLoss >= 0 && !haveLoss)
    return failWith("--max-loss needs a loss, but the integer output has no "
                    "qapeft.scale to dequantize it");
  if (maxLoss >= 0 && loss > maxLoss)
    return failWith(llvm::formatv("loss {0:f4} is above --max-loss {1:f4}",
                                  loss, maxLoss.getValue())
                        .str());
  return 0;
}

int trainCommand(ModuleOp module, const KernelRegistry &registry) {
  if (outputPaths.size() != 1)
    return failWith("train needs -o trained.mlir");
  TrainOptions options;
  options.function =
      functionName.empty() ? "train_step" : functionName.getValue();
  options.epochs = epochs;
  options.batch = batchSize;
  options.seed = seed;
  options.lr = lrOption;
  // Without --lr, use the rate the training graph was emitted with.
  if (!lrOption.getNumOccurrences())
    if (auto step = module.lookupSymbol<func::FuncOp>(options.function))
      if (auto lr = step->getAttrOfType<FloatAttr>("qapeft.default_lr"))
        options.lr = lr.getValueAsDouble();
  options.schedule = schedule;
  if (progressMode != "none")
    options.progress = &llvm::outs();
  if (progressMode == "bar")
    options.interactive = true;
  else if (progressMode == "auto")
    options.interactive = llvm::outs().is_displayed();
  else if (progressMode != "lines" && progressMode != "none")
    return failWith("--progress must be auto, bar, lines or none");
  Interpreter check(module, registry);
  if (module.lookupSymbol<func::FuncOp>(options.function) &&
      failed(check.checkSupported(options.function)))
    return 1;
  Tensor data, labels;
  if (llvm::Error e = loadData(/*needLabels=*/true, data, labels))
    return failWith(std::move(e));
  auto result = train(module, registry, data, labels, options);
  if (failed(result))
    return 1;
  if (asConstants && failed(freezeTrainedParams(module, options.function)))
    return 1;
  if (!logPath.empty())
    if (llvm::Error e = writeFileAtomically(logPath, result->csv()))
      return failWith(std::move(e));
  if (llvm::Error e = writeModule(module, outputPaths.front(), asConstants))
    return failWith(std::move(e));
  return 0;
}

int makeNpyCommand() {
  std::optional<DType> dtype;
  for (DType d : {DType::F32, DType::I1, DType::I8, DType::U8, DType::I16,
                  DType::I32, DType::I64})
    if (dtypeName(d) == npyDType)
      dtype = d;
  if (!dtype)
    return failWith("unknown --dtype '" + npyDType + "'");
  if (npyOutput.empty())
    return failWith("make-npy needs -o file.npy");
  Shape shape;
  SmallVector<StringRef> dims;
  StringRef(npyShape).split(dims, 'x', -1, /*KeepEmpty=*/false);
  for (StringRef d : dims) {
    int64_t v;
    if (d.trim().getAsInteger(10, v) || v < 0)
      return failWith("bad --shape '" + npyShape + "'");
    shape.push_back(v);
  }
  Tensor t = Tensor::empty(*dtype, shape);
  SmallVector<double> values;
  StringRef iota(npyValues);
  if (iota == "iota" || iota.consume_front("iota:")) {
    int64_t start = 0;
    if (iota != "iota" && iota.trim().getAsInteger(10, start))
      return failWith("bad start in --values '" + npyValues + "'");
    for (int64_t i = 0; i < t.numel(); ++i)
      values.push_back(static_cast<double>(start + i));
  } else {
    SmallVector<StringRef> parts;
    StringRef(npyValues).split(parts, ',', -1, false);
    for (StringRef part : parts) {
      SmallVector<StringRef> words;
      part.split(words, ' ', -1, false);
      for (StringRef w : words) {
        double v;
        if (w.trim().getAsDouble(v))
          return failWith("bad value '" + w + "' in --values");
        values.push_back(v);
      }
    }
    if (values.size() != 1 && static_cast<int64_t>(values.size()) != t.numel())
      return failWith("--values has " + llvm::Twine(values.size()) +
                      " values, the shape needs " + llvm::Twine(t.numel()));
  }
  for (int64_t i = 0; i < t.numel(); ++i) {
    double v = values.size() == 1 ? values[0] : values[i];
    t.setDouble(i, v);
    // An integer dtype would silently wrap or truncate what does not fit.
    if (!isFloat(*dtype) && static_cast<double>(t.getInt(i)) != v) {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%g", v);
      return failWith("--values: " + text + " is not a " + dtypeName(*dtype) +
                      " value");
    }
  }
  if (llvm::Error e = writeNpy(t, npyOutput))
    return failWith(std::move(e));
  return 0;
}

int showNpyCommand() {
  auto t = readNpy(npyInput);
  if (!t)
    return failWith(t.takeError());
  llvm::outs() << t->describe() << "\n";
  int64_t row = t->rank() ? t->dim(t->rank() - 1) : 1;
  for (int64_t i = 0; i < t->numel(); ++i) {
    if (isFloat(t->dtype()))
      llvm::outs() << llvm::format("%g", t->getDouble(i));
    else
      llvm::outs() << t->getInt(i);
    llvm::outs() << ((i + 1) % std::max<int64_t>(row, 1) == 0 ? "\n" : " ");
  }
  return 0;
}

int calibrateCommand(ModuleOp module, const KernelRegistry &registry) {
  if (outputPaths.size() != 1)
    return failWith("calibrate needs -o calibrated.mlir");
  std::string error;
  auto options = parseObserver(observerText, error);
  if (failed(options))
    return failWith(error);
  options->function = functionName.empty() ? "forward" : functionName.getValue();
  options->batch = std::max<int64_t>(1, batchSize);
  Interpreter check(module, registry);
  if (failed(check.checkSupported(options->function)))
    return 1;
  Tensor data, labels;
  if (llvm::Error e = loadData(/*needLabels=*/false, data, labels))
    return failWith(std::move(e));
  auto report = calibrate(module, registry, data, *options);
  if (failed(report))
    return 1;
  for (const std::string &line : report->lines)
    llvm::outs() << line << "\n";
  if (report->lines.empty())
    llvm::errs() << "qapeft-sim: warning: no calibrated fake quant found\n";
  if (llvm::Error e = writeModule(module, outputPaths.front()))
    return failWith(std::move(e));
  return 0;
}

int quantizeCommand(ModuleOp module) {
  if (outputPaths.size() != 1)
    return failWith("quantize needs -o xq.npy");
  std::string name = functionName.empty() ? "forward" : functionName.getValue();
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func || func.getNumArguments() < 1)
    return failWith("the model has no function @" + name +
                    " with an input to quantize");
  auto q = argumentQuantization(func, 0);
  if (!q)
    return failWith("argument 0 of @" + name + ": " +
                    llvm::toString(q.takeError()));
  if (!*q)
    return failWith("argument 0 of @" + name + " is not an integer tensor "
                    "with qapeft.scale: quantize needs an integer model "
                    "(qapeft-opt --qapeft-deploy)");
  Tensor data, labels;
  if (llvm::Error e = loadData(/*needLabels=*/false, data, labels))
    return failWith(std::move(e));
  // The input's shape must fit the argument (dynamic dims take any size).
  auto argType = cast<RankedTensorType>(func.getArgumentTypes()[0]);
  bool fits = argType.getRank() == data.rank();
  for (int64_t d = 0; fits && d < data.rank(); ++d)
    fits = argType.isDynamicDim(d) || argType.getDimSize(d) == data.dim(d);
  if (!fits)
    return failWith("the data is " + data.describe() + " but @" + name +
                    " takes " + [&] {
                      std::string t;
                      llvm::raw_string_ostream os(t);
                      os << argType;
                      return t;
                    }());
  auto codes = quantizeTensor(data, **q);
  if (!codes)
    return failWith(codes.takeError());
  if (llvm::Error e = writeNpy(*codes, outputPaths.front()))
    return failWith(std::move(e));
  llvm::outs() << llvm::format("%s: %s (scale %g, zero point %lld)\n",
                               outputPaths.front().c_str(),
                               codes->describe().c_str(), (*q)->scales[0],
                               (long long)(*q)->zeroPoints[0]);
  return 0;
}

int compareCommand(ModuleOp qaModel, ModuleOp intModel,
                   const KernelRegistry &registry) {
  Tensor data, labels;
  if (llvm::Error e = loadData(/*needLabels=*/false, data, labels))
    return failWith(std::move(e));
  CompareOptions options;
  options.function = functionName.empty() ? "forward" : functionName.getValue();
  options.batch = std::max<int64_t>(1, batchSize);
  std::string error;
  auto report = compareModels(qaModel, intModel, registry, data, options,
                              error);
  if (failed(report))
    return error.empty() ? 1 : failWith(error);
  llvm::outs() << (json ? report->json() : report->table());
  if (minOutputAgreement >= 0)
    for (const OutputComparison &o : report->outputs)
      if (o.elements &&
          double(o.identicalCodes) / o.elements < minOutputAgreement)
        return failWith(llvm::formatv("output {0}: {1:f4} of the codes are "
                                      "identical, below "
                                      "--min-output-agreement {2:f4}",
                                      o.index,
                                      double(o.identicalCodes) / o.elements,
                                      minOutputAgreement.getValue())
                            .str());
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  for (cl::SubCommand *sub :
       {&runCmd, &evalCmd, &trainCmd, &calibrateCmd, &quantizeCmd,
        &compareCmd, &kernelsCmd, &makeNpyCmd, &showNpyCmd})
    cl::HideUnrelatedOptions(simCategory, *sub);
  cl::HideUnrelatedOptions(simCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "qapeft-sim: execute qapeft models (TOSA + qapeft ops)\n\n"
      "  qapeft-sim run model.mlir --input x.npy -o y.npy [--function f]\n"
      "  qapeft-sim eval model.mlir --data x.npy --labels y.npy [--json]\n"
      "  qapeft-sim train train.mlir --data x.npy --labels y.npy --epochs N "
      "--batch B --seed S --lr X -o trained.mlir\n"
      "  qapeft-sim calibrate qa.mlir --data calib.npy --observer minmax -o "
      "qa-cal.mlir\n"
      "  qapeft-sim quantize int.mlir --data x.npy -o xq.npy\n"
      "  qapeft-sim compare qa.mlir int.mlir --data x.npy [--json]\n");

  KernelRegistry registry;
  registerAllKernels(registry);
  if (kernelsCmd) {
    for (const std::string &line : registry.describe())
      llvm::outs() << line << "\n";
    return 0;
  }
  if (makeNpyCmd)
    return makeNpyCommand();
  if (showNpyCmd)
    return showNpyCommand();
  if (!runCmd && !evalCmd && !trainCmd && !calibrateCmd && !quantizeCmd &&
      !compareCmd)
    return failWith("expected a subcommand: run, eval, train, calibrate, "
                    "quantize, compare, kernels, make-npy or show-npy (see "
                    "--help)");
  if (compareCmd) {
    if (compareModelPaths.size() != 2)
      return failWith("compare needs the QA model and the integer model");
    modelPath = compareModelPaths[0];
  }
  if (modelPath.empty())
    return failWith("missing the model file");

  DialectRegistry dialects;
  dialects.insert<mlir::qapeft::QAPeftDialect, tosa::TosaDialect,
                  func::FuncDialect, arith::ArithDialect,
                  tensor::TensorDialect>();
  MLIRContext context(dialects);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  // parseSourceFile parses a manager's main file: one manager per model.
  auto parse = [&](StringRef path,
                   llvm::SourceMgr &manager) -> OwningOpRef<ModuleOp> {
    std::string errorMessage;
    auto file = openInputFile(path, &errorMessage);
    if (!file) {
      failWith(errorMessage);
      return {};
    }
    manager.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(manager, &context);
  };
  OwningOpRef<ModuleOp> module = parse(modelPath, sourceMgr);
  if (!module)
    return 1;

  if (runCmd)
    return runCommand(*module, registry);
  if (evalCmd)
    return evalCommand(*module, registry);
  if (trainCmd)
    return trainCommand(*module, registry);
  if (quantizeCmd)
    return quantizeCommand(*module);
  if (compareCmd) {
    llvm::SourceMgr intSourceMgr;
    SourceMgrDiagnosticHandler intHandler(intSourceMgr, &context);
    OwningOpRef<ModuleOp> intModule = parse(compareModelPaths[1], intSourceMgr);
    if (!intModule)
      return 1;
    return compareCommand(*module, *intModule, registry);
  }
  return calibrateCommand(*module, registry);
}
