//===- Interpreter.cpp - qapeft-sim executor ------------------------------===//
//
// A function is compiled once into a flat "plan": every SSA value gets a slot,
// every op becomes a step that reads and writes slots, qapeft.region bodies
// are inlined (their yield becomes an alias step), and each step lists the
// slots whose last use it is, so tensors go back to the buffer pool as early
// as possible.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Sim/Interpreter.h"

#include "Kernels/KernelUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

using namespace mlir;
using namespace mlir::qapeft::sim;
namespace kernels = mlir::qapeft::sim::detail;

namespace {
enum class StepKind { Kernel, Constant, Call, Alias, Return, Fused };

struct Step {
  StepKind kind;
  Operation *op;
  SmallVector<unsigned, 4> inputs;
  SmallVector<unsigned, 2> outputs;
  const KernelFn *kernel = nullptr;
  func::FuncOp callee;
  SmallVector<unsigned, 4> release;
  /// Fused: the group's kind and its kernel steps in program order. inputs
  /// and outputs are the union of the parts' (for the release analysis).
  kernels::Fusion fusion = kernels::Fusion::None;
  std::vector<Step> parts;
};

bool isKernelStep(const Step &step, StringRef name) {
  return step.kind == StepKind::Kernel &&
         step.op->getName().getStringRef() == name;
}

Step fuse(kernels::Fusion kind, std::vector<Step> parts) {
  Step fused;
  fused.kind = StepKind::Fused;
  fused.op = parts.back().op;
  fused.fusion = kind;
  for (const Step &part : parts) {
    fused.inputs.append(part.inputs.begin(), part.inputs.end());
    fused.outputs.append(part.outputs.begin(), part.outputs.end());
  }
  fused.parts = std::move(parts);
  return fused;
}

/// Replaces op groups that kernels::runFused computes in one pass by one
/// Fused step (see kernels::Fusion). Memory traffic, not arithmetic, bounds
/// the elementwise ops of a training step: the fused forms read and write
/// each activation once instead of once per op. A group is formed only when
/// moving its ops to the position of its last op keeps every read after the
/// matching write: the intermediate values of ReluFakeQuantGrad have no
/// other reader, and no step between a conv2d and its fake_quant reads the
/// conv2d's or the clamp's result.
void fuseSteps(std::vector<Step> &steps, unsigned numSlots) {
  std::vector<int> def(numSlots, -1), readers(numSlots, 0);
  for (auto [i, step] : llvm::enumerate(steps)) {
    for (unsigned s : step.outputs)
      def[s] = static_cast<int>(i);
    for (unsigned s : step.inputs)
      ++readers[s];
  }
  std::vector<bool> removed(steps.size(), false);
  auto usable = [&](int i) { return i >= 0 && !removed[i]; };
  for (size_t i = 0; i < steps.size(); ++i) {
    Step &step = steps[i];
    if (isKernelStep(step, "tosa.select") && step.inputs.size() == 3 &&
        step.inputs[0] != step.inputs[1]) {
      int g = def[step.inputs[0]], q = def[step.inputs[1]];
      if (usable(g) && usable(q) && isKernelStep(steps[g], "tosa.greater") &&
          isKernelStep(steps[q], "qapeft.fake_quant_grad") &&
          steps[g].inputs.size() == 2 && steps[q].inputs.size() == 4 &&
          readers[step.inputs[0]] == 1 && readers[step.inputs[1]] == 1) {
        std::vector<Step> parts{steps[g], steps[q], step};
        removed[g] = removed[q] = true;
        step = fuse(kernels::Fusion::ReluFakeQuantGrad, std::move(parts));
        continue;
      }
    }
    if (isKernelStep(step, "qapeft.fake_quant") && step.inputs.size() == 3) {
      int k = def[step.inputs[0]];
      if (!usable(k) || !isKernelStep(steps[k], "tosa.clamp") ||
          steps[k].inputs.size() != 1)
        continue;
      int c = def[steps[k].inputs[0]];
      if (!usable(c) || !isKernelStep(steps[c], "tosa.conv2d") ||
          steps[c].outputs.size() != 1)
        continue;
      unsigned convOut = steps[c].outputs[0], clampOut = steps[k].outputs[0];
      bool readInBetween = false;
      for (size_t j = c + 1; j < i && !readInBetween; ++j)
        if (static_cast<int>(j) != k && !removed[j])
          readInBetween = llvm::is_contained(steps[j].inputs, convOut) ||
                          llvm::is_contained(steps[j].inputs, clampOut);
      if (readInBetween)
        continue;
      std::vector<Step> parts{steps[c], steps[k], step};
      removed[c] = removed[k] = true;
      step = fuse(kernels::Fusion::ConvClampFakeQuant, std::move(parts));
    }
  }
  std::vector<Step> kept;
  kept.reserve(steps.size());
  for (auto [i, step] : llvm::enumerate(steps))
    if (!removed[i])
      kept.push_back(std::move(step));
  steps = std::move(kept);
}

bool isConstantOp(Operation *op) {
  StringRef name = op->getName().getStringRef();
  return name == "tosa.const" || name == "tosa.const_shape" ||
         name == "qapeft.param" || name == "arith.constant";
}

Domain classify(Operation *op) {
  auto isFloatTyped = [](Type t) {
    if (auto shaped = dyn_cast<ShapedType>(t))
      return isa<FloatType>(shaped.getElementType());
    return isa<FloatType>(t);
  };
  for (Type t : op->getOperandTypes())
    if (isFloatTyped(t))
      return Domain::Float;
  for (Type t : op->getResultTypes())
    if (isFloatTyped(t))
      return Domain::Float;
  return Domain::Integer;
}
} // namespace

struct Interpreter::FunctionPlan {
  /// The function computes convolution filter gradients: a run keeps the
  /// forward convolutions' im2col matrices for them.
  bool computesFilterGradients = false;
  unsigned numSlots = 0;
  SmallVector<unsigned> argSlots;
  std::vector<Step> steps;
};

/// Per-op wall time, collected when QAPEFT_SIM_PROFILE is set in the
/// environment and printed (to stderr) when the interpreter is destroyed:
/// a profile by op instance is what tells which kernel of a training step to
/// optimise, without an external profiler.
struct Interpreter::Profile {
  struct Entry {
    double seconds = 0.0;
    int64_t calls = 0;
  };
  /// By op and whether it ran as the last op of a fused group.
  llvm::MapVector<std::pair<Operation *, unsigned>, Entry> byOp;
};

Interpreter::Interpreter(ModuleOp module, const KernelRegistry &registry)
    : module(module), registry(registry) {
  // QAPEFT_SIM_FUSION=0 runs every op on its own (to compare, or to bisect).
  if (const char *env = std::getenv("QAPEFT_SIM_FUSION"))
    fusionEnabled = std::string(env) != "0";
  if (const char *env = std::getenv("QAPEFT_SIM_PROFILE");
      env && *env && *env != '0')
    profile = std::make_unique<Profile>();
}

Interpreter::~Interpreter() {
  if (!profile || profile->byOp.empty())
    return;
  // Totals by op name first, then the 25 most expensive op instances.
  llvm::StringMap<Profile::Entry> byName;
  double total = 0.0;
  for (auto &[key, e] : profile->byOp) {
    auto [op, fused] = key;
    std::string name = op->getName().getStringRef().str();
    if (fused)
      name = "fused group ending in " + name;
    Profile::Entry &n = byName[name];
    n.seconds += e.seconds;
    n.calls += e.calls;
    total += e.seconds;
  }
  std::vector<std::pair<std::string, Profile::Entry>> names;
  for (auto &entry : byName)
    names.emplace_back(entry.getKey().str(), entry.getValue());
  llvm::sort(names, [](const auto &a, const auto &b) {
    return a.second.seconds > b.second.seconds;
  });
  llvm::raw_ostream &os = llvm::errs();
  os << llvm::format("qapeft-sim profile: %.3f s in kernels\n", total);
  for (auto &[name, e] : names)
    os << llvm::format("  %6.2f%% %9.3f ms %7lld calls  ",
                       100 * e.seconds / total, 1e3 * e.seconds,
                       static_cast<long long>(e.calls))
       << name << "\n";
  std::vector<std::pair<std::pair<Operation *, unsigned>, Profile::Entry>> ops(
      profile->byOp.begin(), profile->byOp.end());
  llvm::sort(ops, [](const auto &a, const auto &b) {
    return a.second.seconds > b.second.seconds;
  });
  if (ops.size() > 25)
    ops.resize(25);
  os << "  most expensive ops:\n";
  for (auto &[key, e] : ops) {
    auto [op, fused] = key;
    std::string loc;
    llvm::raw_string_ostream locOs(loc);
    op->getLoc().print(locOs);
    os << llvm::format("  %6.2f%% %9.3f ms  ", 100 * e.seconds / total,
                       1e3 * e.seconds)
       << (fused ? "fused group ending in " : "")
       << op->getName().getStringRef() << " " << loc << " -> ";
    llvm::interleave(op->getResultTypes(), os, ", ");
    os << "\n";
  }
}

void Interpreter::setFusion(bool enabled) {
  fusionEnabled = enabled;
  plans.clear(); // Plans are built with or without fused steps.
}

FailureOr<unsigned> Interpreter::numFusedGroups(StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    return module.emitError() << "the module has no function @" << name;
  FailureOr<FunctionPlan *> plan = getPlan(func);
  if (failed(plan))
    return failure();
  return static_cast<unsigned>(llvm::count_if(
      (*plan)->steps, [](const Step &s) { return s.kind == StepKind::Fused; }));
}

void Interpreter::invalidateConstants() { constants.clear(); }

FailureOr<Tensor> Interpreter::constantFor(Operation *op) {
  auto it = constants.find(op);
  if (it != constants.end())
    return it->second;
  StringRef attrName = op->getName().getStringRef() == "qapeft.param" ||
                               op->getName().getStringRef() == "arith.constant"
                           ? "value"
                           : "values";
  auto attr = op->getAttrOfType<ElementsAttr>(attrName);
  if (!attr)
    return op->emitOpError() << "has no elements attribute '" << attrName
                             << "' the simulator can read";
  FailureOr<Tensor> t = Tensor::fromAttr(attr);
  if (failed(t))
    return op->emitOpError()
           << "holds a constant of type " << attr.getShapedType()
           << " that the simulator cannot represent";
  constants[op] = *t;
  return *t;
}

FailureOr<Interpreter::FunctionPlan *> Interpreter::getPlan(func::FuncOp func) {
  auto it = plans.find(func.getOperation());
  if (it != plans.end())
    return it->second.get();

  if (func.isExternal())
    return func.emitError() << "function @" << func.getSymName()
                            << " has no body to execute";
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "function @" << func.getSymName()
                            << " has control flow (several blocks), which "
                               "the simulator does not execute";

  auto plan = std::make_unique<FunctionPlan>();
  DenseMap<Value, unsigned> slotOf;
  auto slotFor = [&](Value v) {
    auto [entry, inserted] = slotOf.try_emplace(v, plan->numSlots);
    if (inserted)
      ++plan->numSlots;
    return entry->second;
  };
  for (BlockArgument arg : func.getArguments())
    plan->argSlots.push_back(slotFor(arg));

  bool ok = true;
  std::function<void(Block &, Operation *)> addBlock = [&](Block &block,
                                                           Operation *region) {
    for (Operation &opRef : block) {
      Operation *op = &opRef;
      Step step;
      step.op = op;
      StringRef name = op->getName().getStringRef();
      if (name == "qapeft.region") {
        if (op->getNumRegions() != 1 || !op->getRegion(0).hasOneBlock()) {
          op->emitOpError() << "must have one block to be executed";
          ok = false;
          continue;
        }
        addBlock(op->getRegion(0).front(), op);
        continue;
      }
      for (Value v : op->getOperands()) {
        auto found = slotOf.find(v);
        if (found == slotOf.end()) {
          op->emitOpError() << "uses a value defined outside the function";
          ok = false;
          break;
        }
        step.inputs.push_back(found->second);
      }
      if (name == "qapeft.yield") {
        step.kind = StepKind::Alias;
        for (Value v : region->getResults())
          step.outputs.push_back(slotFor(v));
        plan->steps.push_back(std::move(step));
        continue;
      }
      for (Value v : op->getResults())
        step.outputs.push_back(slotFor(v));
      if (name == "func.return") {
        step.kind = StepKind::Return;
      } else if (isConstantOp(op)) {
        step.kind = StepKind::Constant;
      } else if (auto call = dyn_cast<func::CallOp>(op)) {
        step.kind = StepKind::Call;
        step.callee =
            SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
                op, call.getCalleeAttr());
        if (!step.callee) {
          op->emitOpError() << "calls unknown function @" << call.getCallee();
          ok = false;
        }
      } else {
        step.kind = StepKind::Kernel;
        if (name == "qapeft.conv2d_backprop_filter")
          plan->computesFilterGradients = true;
        step.kernel = registry.lookup(name, classify(op));
        if (!step.kernel) {
          InFlightDiagnostic diag = op->emitError()
                                    << "qapeft-sim cannot execute '" << name
                                    << "'";
          if (registry.hasOp(name))
            diag << " on "
                 << (classify(op) == Domain::Float ? "float" : "integer")
                 << " tensors";
          diag << ": no kernel is registered for it";
          ok = false;
        }
      }
      plan->steps.push_back(std::move(step));
    }
  };
  addBlock(func.getBody().front(), nullptr);
  if (!ok)
    return failure();
  if (fusionEnabled)
    fuseSteps(plan->steps, plan->numSlots);

  // Release every slot after its last reader (or right after its definition
  // when nothing reads it). Arguments belong to the caller; dropping our
  // reference is still safe.
  std::vector<int> lastUse(plan->numSlots, -1);
  for (auto [i, step] : llvm::enumerate(plan->steps)) {
    for (unsigned s : step.outputs)
      lastUse[s] = std::max(lastUse[s], static_cast<int>(i));
    for (unsigned s : step.inputs)
      lastUse[s] = static_cast<int>(i);
  }
  for (unsigned s = 0; s < plan->numSlots; ++s)
    if (lastUse[s] >= 0 && plan->steps[lastUse[s]].kind != StepKind::Return)
      plan->steps[lastUse[s]].release.push_back(s);

  FunctionPlan *raw = plan.get();
  plans[func.getOperation()] = std::move(plan);
  return raw;
}

static LogicalResult checkArgument(func::FuncOp func, unsigned i,
                                   const Tensor &t) {
  auto type = dyn_cast<RankedTensorType>(func.getArgumentTypes()[i]);
  if (!type)
    return func.emitError() << "argument #" << i << " of @" << func.getSymName()
                            << " is not a ranked tensor";
  std::optional<DType> dtype = dtypeFromType(type.getElementType());
  bool matches = t.valid() && dtype && *dtype == t.dtype() &&
                 type.getRank() == t.rank();
  for (int64_t d = 0; matches && d < type.getRank(); ++d)
    if (!type.isDynamicDim(d) && type.getDimSize(d) != t.dim(d))
      matches = false;
  if (!matches)
    return func.emitError()
           << "argument #" << i << " of @" << func.getSymName() << " expects "
           << type << ", got "
           << (t.valid() ? t.describe() : std::string("no value"));
  return success();
}

static LogicalResult checkResult(Operation *op, unsigned i, const Tensor &t) {
  if (!t.valid())
    return op->emitOpError() << "kernel produced no value for result #" << i;
  auto type = dyn_cast<RankedTensorType>(op->getResult(i).getType());
  if (!type)
    return success(); // !tosa.shape and other non-tensor values.
  std::optional<DType> dtype = dtypeFromType(type.getElementType());
  bool matches = dtype && *dtype == t.dtype() && type.getRank() == t.rank();
  for (int64_t d = 0; matches && d < type.getRank(); ++d)
    if (!type.isDynamicDim(d) && type.getDimSize(d) != t.dim(d))
      matches = false;
  if (!matches)
    return op->emitOpError() << "result #" << i << " is " << t.describe()
                             << " at run time, but its type is " << type;
  return success();
}

FailureOr<SmallVector<Tensor>> Interpreter::execute(func::FuncOp func,
                                                    ArrayRef<Tensor> args) {
  FailureOr<FunctionPlan *> maybePlan = getPlan(func);
  if (failed(maybePlan))
    return failure();
  FunctionPlan &plan = **maybePlan;
  if (args.size() != plan.argSlots.size())
    return func.emitError() << "@" << func.getSymName() << " takes "
                            << plan.argSlots.size() << " arguments, got "
                            << args.size();
  std::vector<Tensor> slots(plan.numSlots);
  for (auto [i, arg] : llvm::enumerate(args)) {
    if (failed(checkArgument(func, i, arg)))
      return failure();
    slots[plan.argSlots[i]] = arg;
  }

  SmallVector<Tensor, 8> inputs;
  SmallVector<Tensor, 4> outputs;
  auto addTime = [&](Operation *op, std::chrono::steady_clock::time_point start,
                     bool fused) {
    Profile::Entry &e = profile->byOp[{op, fused ? 1u : 0u}];
    e.seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    ++e.calls;
  };
  auto runKernel = [&](Step &step, ArrayRef<Tensor> stepInputs) {
    outputs.assign(step.outputs.size(), Tensor());
    KernelContext ctx(step.op, stepInputs, outputs);
    std::chrono::steady_clock::time_point start;
    if (profile)
      start = std::chrono::steady_clock::now();
    if (failed((*step.kernel)(ctx)))
      return failure();
    if (profile)
      addTime(step.op, start, /*fused=*/false);
    for (unsigned i = 0; i < outputs.size(); ++i)
      if (failed(checkResult(step.op, i, outputs[i])))
        return failure();
    if (observer)
      observer(step.op, stepInputs, outputs);
    for (auto [i, s] : llvm::enumerate(step.outputs))
      slots[s] = std::move(outputs[i]);
    return success();
  };
  // Runs a Fused step as one kernel; std::nullopt when its operands do not
  // fit the fused form.
  auto runFusedStep = [&](Step &step) -> std::optional<LogicalResult> {
    size_t n = step.parts.size();
    // Values computed inside the group are null here: no slot holds them yet.
    std::vector<SmallVector<Tensor, 4>> partInputs(n), partOutputs(n);
    SmallVector<KernelContext, 3> contexts;
    for (size_t j = 0; j < n; ++j) {
      for (unsigned s : step.parts[j].inputs)
        partInputs[j].push_back(slots[s]);
      partOutputs[j].resize(step.parts[j].outputs.size());
    }
    for (size_t j = 0; j < n; ++j)
      contexts.emplace_back(step.parts[j].op, partInputs[j], partOutputs[j]);
    std::chrono::steady_clock::time_point start;
    if (profile)
      start = std::chrono::steady_clock::now();
    std::optional<LogicalResult> result =
        kernels::runFused(step.fusion, contexts);
    if (!result || failed(*result))
      return result;
    if (profile)
      addTime(step.op, start, /*fused=*/true);
    // Only the results the group exposes are set (ReluFakeQuantGrad does not
    // materialise its intermediate mask and gradient); the last op's always.
    for (size_t j = 0; j < n; ++j)
      for (auto [i, s] : llvm::enumerate(step.parts[j].outputs)) {
        Tensor &t = partOutputs[j][i];
        if (!t.valid() && j + 1 < n)
          continue;
        if (failed(checkResult(step.parts[j].op, i, t)))
          return LogicalResult(failure());
        slots[s] = std::move(t);
      }
    return LogicalResult(success());
  };
  for (Step &step : plan.steps) {
    inputs.clear();
    for (unsigned s : step.inputs)
      inputs.push_back(slots[s]);
    switch (step.kind) {
    case StepKind::Return:
      return SmallVector<Tensor>(inputs.begin(), inputs.end());
    case StepKind::Alias:
      for (auto [i, s] : llvm::enumerate(step.outputs))
        slots[s] = inputs[i];
      break;
    case StepKind::Constant: {
      FailureOr<Tensor> t = constantFor(step.op);
      if (failed(t))
        return failure();
      slots[step.outputs[0]] = *t;
      break;
    }
    case StepKind::Call: {
      FailureOr<SmallVector<Tensor>> results = execute(step.callee, inputs);
      if (failed(results))
        return step.op->emitRemark() << "in this call", failure();
      for (auto [i, s] : llvm::enumerate(step.outputs))
        slots[s] = (*results)[i];
      break;
    }
    case StepKind::Kernel:
      if (failed(runKernel(step, inputs)))
        return failure();
      break;
    case StepKind::Fused: {
      std::optional<LogicalResult> fused;
      // An observer sees every op's values: run the parts one by one then.
      if (!observer)
        fused = runFusedStep(step);
      if (fused && failed(*fused))
        return failure();
      if (!fused) {
        for (Step &part : step.parts) {
          inputs.clear();
          for (unsigned s : part.inputs)
            inputs.push_back(slots[s]);
          if (failed(runKernel(part, inputs)))
            return failure();
        }
      }
      break;
    }
    }
    for (unsigned s : step.release)
      slots[s] = Tensor();
  }
  return func.emitError() << "@" << func.getSymName()
                          << " ended without func.return";
}

FailureOr<SmallVector<Tensor>> Interpreter::run(StringRef name,
                                                ArrayRef<Tensor> args) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    return module.emitError() << "the module has no function @" << name;
  FailureOr<FunctionPlan *> plan = getPlan(func);
  if (failed(plan))
    return failure();
  // Cached im2col matrices live for this run only (tensors do not change
  // during a run; a caller may change them between runs).
  std::optional<kernels::Im2colCacheScope> im2colScope;
  if ((*plan)->computesFilterGradients)
    im2colScope.emplace();
  return execute(func, args);
}

LogicalResult Interpreter::checkSupported(StringRef name) {
  auto func = module.lookupSymbol<func::FuncOp>(name);
  if (!func)
    return module.emitError() << "the module has no function @" << name;
  SmallVector<func::FuncOp> worklist{func};
  DenseSet<Operation *> seen;
  while (!worklist.empty()) {
    func::FuncOp f = worklist.pop_back_val();
    if (!seen.insert(f).second)
      continue;
    FailureOr<FunctionPlan *> plan = getPlan(f);
    if (failed(plan))
      return failure();
    for (Step &step : (*plan)->steps)
      if (step.kind == StepKind::Call)
        worklist.push_back(step.callee);
  }
  return success();
}
