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

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"

using namespace mlir;
using namespace mlir::qapeft::sim;

namespace {
enum class StepKind { Kernel, Constant, Call, Alias, Return };

struct Step {
  StepKind kind;
  Operation *op;
  SmallVector<unsigned, 4> inputs;
  SmallVector<unsigned, 2> outputs;
  const KernelFn *kernel = nullptr;
  func::FuncOp callee;
  SmallVector<unsigned, 4> release;
};

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
  unsigned numSlots = 0;
  SmallVector<unsigned> argSlots;
  std::vector<Step> steps;
};

Interpreter::Interpreter(ModuleOp module, const KernelRegistry &registry)
    : module(module), registry(registry) {}

Interpreter::~Interpreter() = default;

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
    case StepKind::Kernel: {
      outputs.assign(step.outputs.size(), Tensor());
      KernelContext ctx(step.op, inputs, outputs);
      if (failed((*step.kernel)(ctx)))
        return failure();
      for (unsigned i = 0; i < outputs.size(); ++i)
        if (failed(checkResult(step.op, i, outputs[i])))
          return failure();
      if (observer)
        observer(step.op, inputs, outputs);
      for (auto [i, s] : llvm::enumerate(step.outputs))
        slots[s] = std::move(outputs[i]);
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
