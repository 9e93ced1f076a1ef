//===- Data.h - .npy and IDX files for qapeft-sim ----------------*- C++ -*-===//
//
// NumPy `.npy` (format 1.0-3.0, C order; float32, int8, int16, int32, int64,
// uint8, bool) and the gzip-compressed IDX files of the Fashion-MNIST data
// set. Readers return errors with the file name and what is wrong; writers
// write a temporary file and rename it, so a failed write leaves no output.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_SIM_DATA_H
#define QAPEFT_SIM_DATA_H

#include "qapeft/Sim/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::qapeft::sim {

/// Parses a `.npy` file held in memory; `name` is used in error messages.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes, llvm::StringRef name);
/// Reads a `.npy` file.
llvm::Expected<Tensor> readNpy(llvm::StringRef path);
/// The bytes of a `.npy` (version 1.0) file holding `t`.
std::string serializeNpy(const Tensor &t);
/// Writes `t` to `path` atomically (temporary file + rename).
llvm::Error writeNpy(const Tensor &t, llvm::StringRef path);

/// Reads an IDX file (plain or gzip-compressed). ubyte data becomes U8,
/// byte/short/int/float I8/I16/I32/F32. A positive `limit` reads only the
/// first `limit` entries of the first axis.
llvm::Expected<Tensor> readIdx(llvm::StringRef path, int64_t limit = 0);

/// Fashion-MNIST from the Debian package dataset-fashion-mnist
/// (`dir`/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz): images as
/// f32 NHWC [N, 28, 28, 1] scaled to [0, 1], labels as I32 [N]. A positive
/// `limit` keeps only the first `limit` samples (converted, the rest not).
struct LabelledData {
  Tensor images;
  Tensor labels;
};
llvm::Expected<LabelledData>
readFashionMnist(llvm::StringRef split, int64_t limit = 0,
                 llvm::StringRef dir = "/usr/share/datasets/fashion-mnist");

/// Writes `contents` to `path` atomically (temporary file in the same
/// directory, then rename).
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef contents);

} // namespace mlir::qapeft::sim

#endif // QAPEFT_SIM_DATA_H
