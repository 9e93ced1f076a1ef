//===- qapeft-target.cpp - validate and print target descriptions ---------===//
//
//   qapeft-target <name|path>... [--target-dir=DIR]... [--emit=summary|attr]
//
// Loads each target (a path, or <name>.yaml in the --target-dir folders and
// then the project's targets/), reports every problem as file:line:col with
// the offending line, and prints the resolved description: a readable
// summary, or the `qapeft.target` attribute --qapeft-attach-target would
// attach. Exit status 1 if any target is invalid.
//
//===----------------------------------------------------------------------===//

#include "qapeft/TargetDesc/TargetDesc.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::qapeft;

namespace {
enum class EmitKind { Summary, Attr };

llvm::cl::list<std::string> targets(llvm::cl::Positional,
                                    llvm::cl::desc("<target name or path>"),
                                    llvm::cl::OneOrMore);
llvm::cl::list<std::string>
    targetDirs("target-dir",
               llvm::cl::desc("folder searched for <name>.yaml (repeatable; "
                              "searched before the built-in targets/)"),
               llvm::cl::value_desc("dir"));
llvm::cl::opt<EmitKind> emit(
    "emit", llvm::cl::desc("what to print for a valid target"),
    llvm::cl::values(clEnumValN(EmitKind::Summary, "summary",
                                "readable summary (default)"),
                     clEnumValN(EmitKind::Attr, "attr",
                                "the qapeft.target attribute, in MLIR syntax")),
    llvm::cl::init(EmitKind::Summary));
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "qapeft-target: validate and print qapeft target descriptions\n");
  MLIRContext ctx;
  bool ok = true;
  for (const std::string &nameOrPath : targets) {
    std::string error;
    FailureOr<std::string> path = findTargetFile(nameOrPath, targetDirs, error);
    if (failed(path)) {
      llvm::WithColor::error(llvm::errs(), "qapeft-target") << error << "\n";
      ok = false;
      continue;
    }
    llvm::SmallVector<TargetDiagnostic> diags;
    FailureOr<TargetDesc> desc = TargetDesc::loadFile(*path, diags);
    if (failed(desc)) {
      for (const TargetDiagnostic &d : diags)
        llvm::errs() << d.rendered;
      llvm::errs() << *path << ": " << diags.size() << " error"
                   << (diags.size() == 1 ? "" : "s") << "\n";
      ok = false;
      continue;
    }
    if (emit == EmitKind::Attr) {
      desc->toAttr(&ctx).print(llvm::outs());
      llvm::outs() << "\n";
    } else {
      llvm::outs() << *path << ": valid\n";
      desc->print(llvm::outs());
    }
  }
  return ok ? 0 : 1;
}
