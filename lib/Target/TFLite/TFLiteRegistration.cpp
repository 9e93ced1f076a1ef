//===- TFLiteRegistration.cpp - mlir-translate registrations -------------===//

#include "qapeft/Target/TFLite.h"
#include "qapeft/Dialect/QAPeft/IR/QAPeft.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/Translation.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;

void mlir::qapeft::registerTFLiteTranslations() {
  static llvm::cl::opt<int64_t> batch(
      "batch",
      llvm::cl::desc("Batch size written for a dynamic leading dimension "
                     "(--qapeft-to-tflite)"),
      llvm::cl::init(1));
  static llvm::cl::opt<std::string> targetName(
      "tflite-target-name",
      llvm::cl::desc("Target named in the model description (default: the "
                     "module's qapeft.target attribute, else 'generic')"),
      llvm::cl::init(""));

  TranslateFromMLIRRegistration exportReg(
      "qapeft-to-tflite", "Export the integer TOSA graph as a TFLite model",
      [](Operation *op, llvm::raw_ostream &os) -> LogicalResult {
        auto module = dyn_cast<ModuleOp>(op);
        if (!module)
          return op->emitError("TFLite export expects a builtin.module");
        TFLiteExportOptions options;
        options.batch = batch;
        options.targetName = targetName;
        return exportToTFLite(module, os, options);
      },
      [](DialectRegistry &registry) {
        // The qapeft dialect: modules carry qapeft.target and may still
        // hold qapeft attributes.
        registry.insert<qapeft::QAPeftDialect, tosa::TosaDialect,
                        func::FuncDialect, arith::ArithDialect,
                        tensor::TensorDialect>();
      });

  TranslateToMLIRRegistration importReg(
      "tflite-to-mlir", "Import a TFLite model as an integer TOSA graph",
      TranslateStringRefToMLIRFunction(
          [](llvm::StringRef bytes,
             MLIRContext *context) -> OwningOpRef<Operation *> {
            OwningOpRef<ModuleOp> module = qapeft::importFromTFLite(
                bytes, context, FileLineColLoc::get(context, "<tflite>", 0, 0));
            if (!module)
              return nullptr;
            return OwningOpRef<Operation *>(module.release());
          }),
      [](DialectRegistry &registry) {
        registry.insert<tosa::TosaDialect, func::FuncDialect>();
      },
      // The flatbuffer verifier checks the alignment of every field.
      llvm::Align(16));
}
