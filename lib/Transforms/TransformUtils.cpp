//===- TransformUtils.cpp - helpers shared by the QA-PEFT passes ----------===//

#include "qapeft/Transforms/TransformUtils.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

using namespace mlir;
using namespace mlir::qapeft;

uint64_t mlir::qapeft::stableHash(llvm::StringRef s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string mlir::qapeft::locationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    for (Location inner : fused.getLocations()) {
      std::string n = locationName(inner);
      if (!n.empty())
        return n;
    }
    return "";
  }
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return locationName(call.getCallee());
  return "";
}

QuantSchemeAttr TargetSchemes::schemeFor(llvm::StringRef opName,
                                         llvm::StringRef role) const {
  if (ops)
    if (auto entry = ops.getAs<DictionaryAttr>(opName))
      if (auto s = entry.getAs<QuantSchemeAttr>(role))
        return s;
  return role == "weight" ? weight : activation;
}

FailureOr<std::optional<TargetSchemes>>
mlir::qapeft::readTargetSchemes(ModuleOp module) {
  Attribute raw = module->getAttr("qapeft.target");
  if (!raw)
    return std::optional<TargetSchemes>();
  auto dict = dyn_cast<DictionaryAttr>(raw);
  if (!dict)
    return emitError(module.getLoc(),
                     "qapeft.target must be a dictionary, got ")
           << raw;
  TargetSchemes t;
  if (auto name = dict.getAs<StringAttr>("name"))
    t.name = name.str();
  t.activation = dict.getAs<QuantSchemeAttr>("activation");
  t.weight = dict.getAs<QuantSchemeAttr>("weight");
  if (!t.activation || !t.weight)
    return emitError(module.getLoc(),
                     "qapeft.target needs #qapeft.scheme entries "
                     "'activation' and 'weight'");
  t.input = dict.getAs<QuantSchemeAttr>("input");
  if (!t.input)
    t.input = t.activation;
  if (Attribute ops = dict.get("ops")) {
    t.ops = dyn_cast<DictionaryAttr>(ops);
    if (!t.ops)
      return emitError(module.getLoc(),
                       "qapeft.target 'ops' must be a dictionary");
    for (NamedAttribute entry : t.ops) {
      auto per = dyn_cast<DictionaryAttr>(entry.getValue());
      if (!per)
        return emitError(module.getLoc(), "qapeft.target ops entry '")
               << entry.getName().getValue() << "' must be a dictionary";
      for (NamedAttribute role : per)
        if ((role.getName() == "weight" || role.getName() == "activation") &&
            !isa<QuantSchemeAttr>(role.getValue()))
          return emitError(module.getLoc(), "qapeft.target ops entry '")
                 << entry.getName().getValue() << "' has a non-scheme '"
                 << role.getName().getValue() << "'";
    }
  }
  return std::optional<TargetSchemes>(std::move(t));
}

QuantSchemeAttr mlir::qapeft::withAxisAndRange(QuantSchemeAttr s, int64_t axis,
                                               RangeSource range) {
  Granularity g = axis >= 0 ? Granularity::PerChannel : Granularity::PerTensor;
  return QuantSchemeAttr::get(s.getContext(), s.getBits(), s.getStorage(),
                              s.getIsSigned(), s.getSymmetric(), s.getNarrow(),
                              g, axis >= 0 ? axis : -1, /*groupSize=*/0,
                              s.getRounding(), range);
}

ParamOp mlir::qapeft::createParam(OpBuilder &b, Location loc,
                                  llvm::StringRef name, ElementsAttr value,
                                  bool trainable) {
  auto op = ParamOp::create(b, loc, value.getType(), b.getStringAttr(name),
                            trainable ? b.getUnitAttr() : UnitAttr(), value);
  return op;
}
