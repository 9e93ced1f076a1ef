//===- qapeft-translate.cpp - the qapeft translation driver ---------------===//
//
// mlir-translate with qapeft's translations:
//   --qapeft-to-tflite   integer TOSA graph -> .tflite
//   --tflite-to-mlir     .tflite -> integer TOSA graph
//
// Output files are written to a temporary file next to the destination and
// renamed into place only when the translation succeeds, so a failed export
// never leaves a partial (or stale-but-truncated) model behind. Destinations
// that are not regular files (/dev/null) are written directly.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Target/TFLite.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

int main(int argc, char **argv) {
  mlir::qapeft::registerTFLiteTranslations();

  // Find the output file ("-o F", "-o=F", "--o=F") and substitute a
  // temporary name for it.
  std::vector<std::string> args(argv, argv + argc);
  std::string finalPath;
  size_t valueIndex = 0;
  std::string prefix;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string &a = args[i];
    if ((a == "-o" || a == "--o") && i + 1 < args.size()) {
      finalPath = args[i + 1];
      valueIndex = i + 1;
      prefix.clear();
    } else if (a.rfind("-o=", 0) == 0 || a.rfind("--o=", 0) == 0) {
      prefix = a.substr(0, a.find('=') + 1);
      finalPath = a.substr(prefix.size());
      valueIndex = i;
    }
  }
  // A destination that exists and is not a regular file (/dev/null, a
  // FIFO) is written directly: renaming over it would replace the device.
  std::string tmpPath;
  if (!finalPath.empty() && finalPath != "-" &&
      (!llvm::sys::fs::exists(finalPath) ||
       llvm::sys::fs::is_regular_file(finalPath))) {
    tmpPath = finalPath + ".tmp-" +
              std::to_string(llvm::sys::Process::getProcessId());
    args[valueIndex] = prefix + tmpPath;
  }
  std::vector<char *> newArgv;
  for (std::string &a : args)
    newArgv.push_back(a.data());
  newArgv.push_back(nullptr);

  mlir::LogicalResult result = mlir::mlirTranslateMain(
      static_cast<int>(args.size()), newArgv.data(),
      "qapeft translation driver\n");
  if (!tmpPath.empty()) {
    if (mlir::succeeded(result)) {
      if (std::error_code ec = llvm::sys::fs::rename(tmpPath, finalPath)) {
        llvm::errs() << "qapeft-translate: cannot write " << finalPath << ": "
                     << ec.message() << "\n";
        llvm::sys::fs::remove(tmpPath);
        return 1;
      }
    } else {
      llvm::sys::fs::remove(tmpPath);
    }
  }
  return mlir::succeeded(result) ? 0 : 1;
}
