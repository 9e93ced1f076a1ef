//===- LowerAdapters.cpp - integer lowering of delta adapters -------------===//
//
// Part of --qapeft-lower-to-integer (see FunctionLowering.h), and
// --qapeft-export-adapter-delta.
//
// `qapeft.lora_side` and `qapeft.bottleneck` are not lowered as single ops:
// their integer form (small FULLY_CONNECTED layers and an ADD, each on its
// own quantization grid) needs fake quants inside the side path, so the
// side path must be explicit ops by the time the model is quantized.
// `--qapeft-insert-fake-quant="side-path=delta"` expands each lora_side into
// reshape -> 1x1 conv2d (A) -> reshape -> 1x1 conv2d (B, scaling folded in)
// and a tosa.add with the base output, all fake quantized; the conv and
// elementwise lowerings then emit exactly the FULLY_CONNECTED + ADD graph a
// delta-deploying device runs, with the `<layer>.lora_a` / `<layer>.lora_b`
// names on the weight constants (test/Target/TFLite/
// conformance-lora-side.test runs it on the real TFLite runtime). A relu /
// identity bottleneck expands the same way (conformance-bottleneck.test).
// An adapter that is still one op (the fused QA form) is refused here with
// that advice.
//
//===----------------------------------------------------------------------===//

#include "FunctionLowering.h"

#include "qapeft/Conversion/Passes.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace qapeft {
#define GEN_PASS_DEF_EXPORTADAPTERDELTA
#include "qapeft/Conversion/Passes.h.inc"
} // namespace qapeft
} // namespace mlir

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::lowering;

std::optional<LogicalResult> FunctionLowering::lowerAdapter(Operation *op) {
  if (!isa<LoraSideOp, BottleneckOp>(op))
    return std::nullopt;
  // The fused QA form has no fake quants inside the side path.
  InFlightDiagnostic diag = op->emitError("cannot lower to integer: ");
  diag << op->getName()
       << " needs fake quants inside its side path (the QA-PEFT form has "
          "none yet); write it as fully connected layers and a tosa.add, "
          "each fake quantized, to deploy it as a delta";
  diag << " (--qapeft-insert-fake-quant=\"side-path=delta\" does that)";
  return diag;
}

namespace {

/// The name of a NameLoc, possibly inside a FusedLoc.
StringRef locationName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().strref();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location l : fused.getLocations())
      if (StringRef n = locationName(l); !n.empty())
        return n;
  return "";
}

struct ExportAdapterDeltaPass
    : public mlir::qapeft::impl::ExportAdapterDeltaBase<
          ExportAdapterDeltaPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (file.empty()) {
      module.emitError("--qapeft-export-adapter-delta needs file=<path>");
      return signalPassFailure();
    }
    llvm::StringSet<> kinds;
    if (names.empty())
      for (StringRef k : {"lora_a", "lora_b", "down", "up", "adapter_down",
                          "adapter_down_bias", "adapter_up", "adapter_up_bias"})
        kinds.insert(k);
    for (const std::string &n : names)
      kinds.insert(n);

    llvm::json::Array tensors;
    WalkResult walk = module.walk([&](tosa::ConstOp c) -> WalkResult {
      StringRef name = locationName(c.getLoc());
      SmallVector<StringRef> parts;
      name.split(parts, '.');
      if (name.empty() ||
          llvm::none_of(parts, [&](StringRef p) { return kinds.contains(p); }))
        return WalkResult::advance();
      // Zero points and multipliers of the layer's ops share its name; the
      // tensors are the constants with a quantization (weights, biases) or
      // float ones (an error below).
      if (!c->hasAttr("qapeft.scale") &&
          !isa<FloatType>(c.getType().getElementType()))
        return WalkResult::advance();
      auto dense = dyn_cast<DenseIntElementsAttr>(c.getValues());
      auto type = dyn_cast<RankedTensorType>(c.getType());
      if (!dense || !type || !type.hasStaticShape()) {
        c.emitError("adapter tensor '")
            << name << "' is not a static integer constant; export the "
            << "delta from the integer graph (--qapeft-lower-to-integer)";
        return WalkResult::interrupt();
      }
      llvm::json::Object t;
      t["name"] = name.str();
      t["type"] = llvm::formatv("i{0}", type.getElementTypeBitWidth()).str();
      llvm::json::Array shape, values;
      for (int64_t d : type.getShape())
        shape.push_back(d);
      t["shape"] = std::move(shape);
      // The quantization, as the TFLite exporter reads it.
      for (StringRef attr : {"qapeft.scale", "qapeft.zero_point"})
        if (auto arr = c->getAttrOfType<ArrayAttr>(attr)) {
          llvm::json::Array out;
          for (Attribute a : arr) {
            if (auto f = dyn_cast<FloatAttr>(a))
              out.push_back(f.getValueAsDouble());
            else if (auto i = dyn_cast<IntegerAttr>(a))
              out.push_back(i.getInt());
          }
          t[attr.drop_front(strlen("qapeft."))] = std::move(out);
        }
      if (auto d = c->getAttrOfType<IntegerAttr>("qapeft.quantized_dimension"))
        t["quantized_dimension"] = d.getInt();
      for (const APInt &v : dense.getValues<APInt>())
        values.push_back(v.getSExtValue());
      t["values"] = std::move(values);
      tensors.push_back(std::move(t));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    if (tensors.empty()) {
      module.emitError("no adapter tensor to export: no tosa.const has a "
                       "name with a component in {")
          << llvm::join(llvm::map_range(
                            kinds, [](const auto &e) { return e.getKey(); }),
                        ", ")
          << "}";
      return signalPassFailure();
    }
    llvm::json::Object root;
    root["format"] = "qapeft-adapter-delta";
    root["version"] = 1;
    root["tensors"] = std::move(tensors);

    std::string text =
        llvm::formatv("{0:2}", llvm::json::Value(std::move(root))).str() + "\n";
    // A destination that is not a regular file (/dev/null, a FIFO) is
    // written directly: renaming over it would replace it.
    if (llvm::sys::fs::exists(file) && !llvm::sys::fs::is_regular_file(file)) {
      std::error_code ec;
      llvm::raw_fd_ostream os(file, ec);
      if (!ec) {
        os << text;
        os.close();
      }
      if (ec || os.has_error()) {
        os.clear_error();
        module.emitError("cannot write '") << file << "'";
        return signalPassFailure();
      }
      return;
    }
    // Written to a temporary next to the target and renamed: never partial.
    int fd;
    SmallString<128> tmp;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueFile(file + "-%%%%%%.tmp", fd, tmp)) {
      module.emitError("cannot create a file next to '")
          << file << "': " << ec.message();
      return signalPassFailure();
    }
    {
      llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
      os << text;
      os.close();
      if (os.has_error()) {
        llvm::sys::fs::remove(tmp);
        module.emitError("cannot write '") << file << "'";
        return signalPassFailure();
      }
    }
    if (std::error_code ec = llvm::sys::fs::rename(tmp, file)) {
      llvm::sys::fs::remove(tmp);
      module.emitError("cannot write '") << file << "': " << ec.message();
      return signalPassFailure();
    }
  }
};

} // namespace
