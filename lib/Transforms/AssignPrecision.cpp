//===- AssignPrecision.cpp - mixed-precision regions by op name -----------===//
//
// Implements --qapeft-assign-precision: user overrides `name:precision` wrap
// the op with that name location into a `qapeft.region <precision>`, whose
// boundary the integer lowering turns into requantize / quantize /
// dequantize ops. A precision the attached target does not list in its
// `precisions` is an error at the op.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"
#include "qapeft/Transforms/Passes.h"
#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_ASSIGNPRECISION
#include "qapeft/Transforms/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;

namespace {
struct AssignPrecisionPass
    : public qapeft::impl::AssignPrecisionBase<AssignPrecisionPass> {
  using AssignPrecisionBase::AssignPrecisionBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // name -> precision, in the order given.
    llvm::StringMap<Precision> wanted;
    for (const std::string &entry : overrides) {
      auto [name, prec] = StringRef(entry).rsplit(':');
      std::optional<Precision> p = symbolizePrecision(prec);
      if (name.empty() || prec.empty() || !p) {
        emitError(module.getLoc(), "bad override '")
            << entry
            << "'; expected <op name>:<precision> with precision int8, "
               "int16x8, int4x8, f16 or f32";
        return signalPassFailure();
      }
      wanted[name] = *p;
    }
    if (wanted.empty())
      return;

    // The target's allowed precisions (absent: everything is allowed).
    std::string targetName;
    SmallVector<Precision> allowed;
    bool restricted = false;
    if (auto target = module->getAttrOfType<DictionaryAttr>("qapeft.target")) {
      if (auto name = target.getAs<StringAttr>("name"))
        targetName = name.str();
      if (auto list = target.getAs<ArrayAttr>("precisions")) {
        restricted = true;
        for (Attribute a : list)
          if (auto p = dyn_cast<PrecisionAttr>(a))
            allowed.push_back(p.getValue());
      }
    }

    SmallVector<std::pair<Operation *, Precision>> todo;
    llvm::StringMap<bool> found;
    module.walk([&](Operation *op) {
      if (isa<ModuleOp>(op) || op->getNumResults() == 0 ||
          op->getParentOfType<RegionOp>())
        return;
      std::string name = locationName(op->getLoc());
      auto it = wanted.find(name);
      if (it == wanted.end())
        return;
      found[name] = true;
      todo.emplace_back(op, it->second);
    });
    for (auto &entry : wanted)
      if (!found.count(entry.getKey())) {
        emitError(module.getLoc(), "no op is named '")
            << entry.getKey() << "' (from overrides=)";
        return signalPassFailure();
      }

    for (auto [op, precision] : todo) {
      if (restricted && !llvm::is_contained(allowed, precision)) {
        InFlightDiagnostic diag = op->emitError("target '")
                                  << targetName << "' does not allow precision "
                                  << stringifyPrecision(precision)
                                  << " (allowed:";
        for (Precision p : allowed)
          diag << " " << stringifyPrecision(p);
        diag << ")";
        return signalPassFailure();
      }
      OpBuilder b(op);
      auto region =
          RegionOp::create(b, op->getLoc(), op->getResultTypes(),
                           PrecisionAttr::get(&getContext(), precision));
      Block *body = new Block();
      region.getBody().push_back(body);
      op->replaceAllUsesWith(region.getResults());
      op->moveBefore(body, body->end());
      b.setInsertionPointToEnd(body);
      YieldOp::create(b, op->getLoc(), op->getResults());
    }
  }
};
} // namespace
