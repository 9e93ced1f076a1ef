//===- qapeft-data.cpp - build the example data sets as .npy files --------===//
//
// Reads Fashion-MNIST from Debian's dataset-fashion-mnist package, applies
// the example task's transforms (rotation, inversion, a row subset) and
// writes images and labels as .npy files for qapeft-sim.
//
//===----------------------------------------------------------------------===//

#include "qapeft/Data/ImageTransforms.h"
#include "qapeft/Sim/Data.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace mlir::qapeft;
using sim::DType;
using sim::Tensor;

static cl::OptionCategory category("qapeft-data options");
static cl::opt<std::string> dataset(cl::Positional, cl::Required,
                                    cl::desc("<dataset: fashion-mnist>"),
                                    cl::cat(category));
static cl::opt<std::string> splitOpt("split", cl::desc("train or test"),
                                  cl::init("train"), cl::cat(category));
static cl::opt<std::string>
    dir("dir", cl::desc("folder of the IDX files"),
        cl::init("/usr/share/datasets/fashion-mnist"), cl::cat(category));
static cl::opt<double> rotate("rotate",
                              cl::desc("rotate every image by this many "
                                       "degrees (nearest neighbour, fill 0)"),
                              cl::init(0.0), cl::cat(category));
static cl::opt<bool> invertOpt("invert", cl::desc("invert pixels: 255 - x"),
                               cl::cat(category));
static cl::opt<std::string>
    indicesPath("indices",
                cl::desc(".npy of int64 row indices selecting (and ordering) "
                         "a subset"),
                cl::cat(category));
static cl::opt<int64_t> first("first",
                              cl::desc("keep only the first N rows (after "
                                       "--indices)"),
                              cl::init(-1), cl::cat(category));
static cl::opt<std::string> imagesOut("images-out",
                                      cl::desc("write the images here (.npy)"),
                                      cl::cat(category));
static cl::opt<std::string> labelsOut("labels-out",
                                      cl::desc("write the labels here (.npy, "
                                               "int32)"),
                                      cl::cat(category));
static cl::opt<std::string>
    formatOpt("format",
           cl::desc("f32: [N,28,28,1] float32 pixels / 255 (default); "
                    "u8: [N,28,28] raw pixels"),
           cl::init("f32"), cl::cat(category));
static cl::opt<bool> printSha("sha256",
                              cl::desc("print the sha256 of the u8 pixels"),
                              cl::cat(category));

static int fail(const Twine &message) {
  WithColor::error(errs(), "qapeft-data") << message << "\n";
  return 1;
}

static std::string sha256Hex(const Tensor &t) {
  SHA256 hash;
  hash.update(ArrayRef<uint8_t>(static_cast<const uint8_t *>(t.raw()),
                                t.byteSize()));
  return toHex(hash.final(), /*LowerCase=*/true);
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "qapeft-data: example data sets as .npy\n");
  if (dataset != "fashion-mnist")
    return fail("unknown dataset '" + dataset + "' (known: fashion-mnist)");
  if (splitOpt != "train" && splitOpt != "test")
    return fail("--split must be train or test, got '" + splitOpt + "'");
  if (formatOpt != "f32" && formatOpt != "u8")
    return fail("--format must be f32 or u8, got '" + formatOpt + "'");

  std::string prefix = splitOpt == "train" ? "train" : "t10k";
  Expected<Tensor> images =
      sim::readIdx(dir + "/" + prefix + "-images-idx3-ubyte.gz");
  if (!images)
    return fail(toString(images.takeError()));
  Expected<Tensor> labels =
      sim::readIdx(dir + "/" + prefix + "-labels-idx1-ubyte.gz");
  if (!labels)
    return fail(toString(labels.takeError()));

  Tensor x = *images, y = *labels;
  if (!indicesPath.empty()) {
    Expected<Tensor> idx = sim::readNpy(indicesPath);
    if (!idx)
      return fail(toString(idx.takeError()));
    if (idx->rank() != 1 || sim::isFloat(idx->dtype()))
      return fail(indicesPath + ": indices must be a 1-D integer array, got " +
                  idx->describe());
    SmallVector<int64_t> rows;
    for (int64_t i = 0; i < idx->numel(); ++i) {
      int64_t r = idx->getInt(i);
      if (r < 0 || r >= x.dim(0))
        return fail(indicesPath + ": index " + Twine(r) + " at position " +
                    Twine(i) + " is out of range [0, " + Twine(x.dim(0)) +
                    ")");
      rows.push_back(r);
    }
    x = data::selectRows(x, rows);
    y = data::selectRows(y, rows);
  }
  if (first >= 0 && first < x.dim(0)) {
    SmallVector<int64_t> rows;
    for (int64_t i = 0; i < first; ++i)
      rows.push_back(i);
    x = data::selectRows(x, rows);
    y = data::selectRows(y, rows);
  }
  if (rotate != 0.0)
    x = data::rotateNearest(x, rotate);
  if (invertOpt)
    x = data::invert(x);
  if (printSha)
    outs() << "sha256(u8 images " << sim::shapeToString(x.shape())
           << ") = " << sha256Hex(x) << "\n";

  Tensor labels32 = Tensor::empty(DType::I32, {y.dim(0)});
  for (int64_t i = 0; i < y.numel(); ++i)
    labels32.data<int32_t>()[i] = static_cast<int32_t>(y.getInt(i));

  if (!imagesOut.empty())
    if (Error e = sim::writeNpy(formatOpt == "u8" ? x : data::toUnitFloatNHWC(x),
                                imagesOut))
      return fail(toString(std::move(e)));
  if (!labelsOut.empty())
    if (Error e = sim::writeNpy(labels32, labelsOut))
      return fail(toString(std::move(e)));
  return 0;
}
