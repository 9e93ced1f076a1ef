//===- Data.cpp - .npy and IDX files for qapeft-sim -----------------------===//

#include "qapeft/Sim/Data.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>
#include <zlib.h>

using namespace mlir;
using namespace mlir::qapeft::sim;

static llvm::Error fail(StringRef name, const Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + message);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

/// Finds `'key':` in the header dict and returns the text after it.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  for (char quote : {'\'', '"'}) {
    std::string pattern = std::string(1, quote) + key.str() + quote;
    size_t at = header.find(pattern);
    if (at == StringRef::npos)
      continue;
    StringRef rest = header.drop_front(at + pattern.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    return rest.ltrim();
  }
  return std::nullopt;
}

static std::optional<DType> dtypeFromDescr(StringRef descr) {
  // '|' means "not applicable" (one byte); '<' little endian; '=' native
  // (little endian on every machine we run on).
  if (descr.size() < 3)
    return std::nullopt;
  char order = descr[0];
  StringRef code = descr.drop_front();
  if (order != '<' && order != '|' && order != '=')
    return std::nullopt;
  if (code == "f4")
    return DType::F32;
  if (code == "i1")
    return DType::I8;
  if (code == "u1")
    return DType::U8;
  if (code == "b1")
    return DType::I1;
  if (code == "i2")
    return DType::I16;
  if (code == "i4")
    return DType::I32;
  if (code == "i8")
    return DType::I64;
  return std::nullopt;
}

static StringRef descrOf(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "<f4";
  case DType::I1:
    return "|b1";
  case DType::I8:
    return "|i1";
  case DType::U8:
    return "|u1";
  case DType::I16:
    return "<i2";
  case DType::I32:
    return "<i4";
  case DType::I64:
    return "<i8";
  }
  llvm_unreachable("unknown dtype");
}

llvm::Expected<Tensor> mlir::qapeft::sim::parseNpy(StringRef bytes,
                                                   StringRef name) {
  static const char magic[] = "\x93NUMPY";
  if (bytes.size() < 10 || !bytes.starts_with(StringRef(magic, 6)))
    return fail(name, "not a .npy file (bad magic bytes)");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, headerStart;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail(name, "truncated .npy header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i]))
                   << (8 * i);
    headerStart = 12;
  } else {
    return fail(name, "unsupported .npy format version " + Twine(major));
  }
  if (bytes.size() < headerStart + headerLen)
    return fail(name, "truncated .npy header");
  StringRef header = bytes.substr(headerStart, headerLen);

  std::optional<StringRef> descr = dictValue(header, "descr");
  std::optional<StringRef> fortran = dictValue(header, "fortran_order");
  std::optional<StringRef> shapeText = dictValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return fail(name, "malformed .npy header '" + header.trim() + "'");
  if (descr->empty() || ((*descr)[0] != '\'' && (*descr)[0] != '"'))
    return fail(name, "unsupported dtype " + descr->take_until([](char c) {
      return c == ',';
    }) + " (structured arrays are not supported)");
  StringRef descrValue = descr->drop_front().take_until(
      [](char c) { return c == '\'' || c == '"'; });
  std::optional<DType> dtype = dtypeFromDescr(descrValue);
  if (!dtype)
    return fail(name, "unsupported dtype '" + descrValue +
                          "' (expected float32, int8, int16, int32, int64, "
                          "uint8 or bool, little endian)");
  if (fortran->starts_with("True"))
    return fail(name, "Fortran-order arrays are not supported; save the "
                      "array in C order (numpy.ascontiguousarray)");
  if (!fortran->starts_with("False"))
    return fail(name, "malformed fortran_order in .npy header");
  if (!shapeText->consume_front("("))
    return fail(name, "malformed shape in .npy header");
  StringRef dimsText = shapeText->take_until([](char c) { return c == ')'; });
  Shape shape;
  SmallVector<StringRef> parts;
  dimsText.split(parts, ',');
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t d;
    if (part.getAsInteger(10, d) || d < 0)
      return fail(name, "malformed dimension '" + part + "' in .npy header");
    shape.push_back(d);
  }
  Tensor t = Tensor::empty(*dtype, shape);
  size_t dataStart = headerStart + headerLen;
  size_t available = bytes.size() - dataStart;
  if (available < t.byteSize())
    return fail(name, "truncated .npy data: the header promises " +
                          Twine(t.byteSize()) + " bytes (" +
                          t.describe() + "), the file has " +
                          Twine(available));
  std::memcpy(t.raw(), bytes.data() + dataStart, t.byteSize());
  if (*dtype == DType::I1) {
    uint8_t *p = t.data<uint8_t>();
    for (int64_t i = 0; i < t.numel(); ++i)
      p[i] = p[i] != 0;
  }
  return t;
}

llvm::Expected<Tensor> mlir::qapeft::sim::readNpy(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail(path, "cannot read: " + buffer.getError().message());
  return parseNpy((*buffer)->getBuffer(), path);
}

std::string mlir::qapeft::sim::serializeNpy(const Tensor &t) {
  std::string header = "{'descr': '" + descrOf(t.dtype()).str() +
                       "', 'fortran_order': False, 'shape': (";
  for (int64_t d : t.shape())
    header += std::to_string(d) + ", ";
  if (t.rank() >= 1)
    header.erase(header.size() - (t.rank() == 1 ? 1 : 2));
  header += "), }";
  // Pad with spaces so the data starts at a multiple of 64 bytes.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>((header.size() >> 8) & 0xff);
  out += header;
  out.append(static_cast<const char *>(t.raw()), t.byteSize());
  return out;
}

llvm::Error mlir::qapeft::sim::writeFileAtomically(StringRef path,
                                                   StringRef contents) {
  // Renaming over a destination that is not a regular file (/dev/null, a
  // FIFO) would replace it: write those directly.
  if (llvm::sys::fs::exists(path) && !llvm::sys::fs::is_regular_file(path)) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return fail(path, "cannot write: " + ec.message());
    os << contents;
    os.close();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      return fail(path, "cannot write: " + message);
    }
    return llvm::Error::success();
  }
  SmallString<256> tempPath;
  int fd;
  SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(model, fd, tempPath))
    return fail(path, "cannot create a temporary file: " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << contents;
    os.flush();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      llvm::sys::fs::remove(tempPath);
      return fail(path, "cannot write: " + message);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tempPath, path)) {
    llvm::sys::fs::remove(tempPath);
    return fail(path, "cannot write: " + ec.message());
  }
  return llvm::Error::success();
}

llvm::Error mlir::qapeft::sim::writeNpy(const Tensor &t, StringRef path) {
  return writeFileAtomically(path, serializeNpy(t));
}

//===----------------------------------------------------------------------===//
// IDX
//===----------------------------------------------------------------------===//

llvm::Expected<Tensor> mlir::qapeft::sim::readIdx(StringRef path,
                                                   int64_t limit) {
  // gzread reads plain files transparently, so one path handles both. The
  // data is decompressed straight into the tensor, and only the first
  // `limit` entries of the first axis are read.
  gzFile file = gzopen(path.str().c_str(), "rb");
  if (!file)
    return fail(path, "cannot open");
  auto readExactly = [&](void *dst, size_t bytes) -> size_t {
    size_t done = 0;
    while (done < bytes) {
      unsigned chunk =
          static_cast<unsigned>(std::min<size_t>(bytes - done, 1u << 30));
      int n = gzread(file, static_cast<char *>(dst) + done, chunk);
      if (n <= 0)
        break;
      done += n;
    }
    return done;
  };
  auto finish = [&](llvm::Error error) -> llvm::Error {
    gzclose(file);
    return error;
  };
  uint8_t magic[4];
  if (readExactly(magic, 4) != 4 || magic[0] != 0 || magic[1] != 0)
    return finish(fail(path, "not an IDX file (bad magic bytes)"));
  uint8_t typeCode = magic[2], rank = magic[3];
  DType dtype;
  size_t elementSize;
  switch (typeCode) {
  case 0x08:
    dtype = DType::U8, elementSize = 1;
    break;
  case 0x09:
    dtype = DType::I8, elementSize = 1;
    break;
  case 0x0B:
    dtype = DType::I16, elementSize = 2;
    break;
  case 0x0C:
    dtype = DType::I32, elementSize = 4;
    break;
  case 0x0D:
    dtype = DType::F32, elementSize = 4;
    break;
  default:
    return finish(fail(path, "unsupported IDX element type 0x" +
                                 llvm::utohexstr(typeCode)));
  }
  Shape shape;
  for (unsigned i = 0; i < rank; ++i) {
    uint8_t p[4];
    if (readExactly(p, 4) != 4)
      return finish(fail(path, "truncated IDX header"));
    shape.push_back((int64_t(p[0]) << 24) | (int64_t(p[1]) << 16) |
                    (int64_t(p[2]) << 8) | int64_t(p[3]));
  }
  if (rank > 0 && limit > 0 && limit < shape[0])
    shape[0] = limit;
  Tensor t = Tensor::empty(dtype, shape);
  size_t expected = t.numel() * elementSize;
  size_t got = readExactly(t.raw(), expected);
  if (got != expected)
    return finish(fail(path, "truncated IDX data: expected " +
                                 Twine(expected) + " bytes, found " +
                                 Twine(got)));
  gzclose(file);
  // IDX is big endian: swap multi-byte elements in place.
  if (elementSize > 1) {
    auto *p = static_cast<uint8_t *>(t.raw());
    for (int64_t i = 0; i < t.numel(); ++i)
      std::reverse(p + i * elementSize, p + (i + 1) * elementSize);
  }
  return t;
}

llvm::Expected<LabelledData>
mlir::qapeft::sim::readFashionMnist(StringRef split, int64_t limit,
                                    StringRef dir) {
  if (split != "train" && split != "test")
    return fail(split, "Fashion-MNIST split must be 'train' or 'test'");
  std::string prefix = split == "train" ? "train" : "t10k";
  SmallString<256> imagesPath(dir), labelsPath(dir);
  llvm::sys::path::append(imagesPath, prefix + "-images-idx3-ubyte.gz");
  llvm::sys::path::append(labelsPath, prefix + "-labels-idx1-ubyte.gz");
  llvm::Expected<Tensor> images = readIdx(imagesPath, limit);
  if (!images)
    return llvm::joinErrors(
        images.takeError(),
        fail(dir, "is Debian's dataset-fashion-mnist package installed?"));
  llvm::Expected<Tensor> labels = readIdx(labelsPath, limit);
  if (!labels)
    return labels.takeError();
  if (images->rank() != 3 || images->dtype() != DType::U8 ||
      labels->rank() != 1 || labels->dim(0) != images->dim(0))
    return fail(dir, "unexpected Fashion-MNIST shapes " + images->describe() +
                         " and " + labels->describe());
  int64_t n = images->dim(0);
  if (limit > 0 && limit < n)
    n = limit;
  LabelledData data;
  data.images =
      Tensor::empty(DType::F32, {n, images->dim(1), images->dim(2), 1});
  const uint8_t *src = images->data<uint8_t>();
  float *dst = data.images.data<float>();
  for (int64_t i = 0; i < data.images.numel(); ++i)
    dst[i] = src[i] / 255.0f;
  data.labels = Tensor::empty(DType::I32, {n});
  for (int64_t i = 0; i < n; ++i)
    data.labels.data<int32_t>()[i] = labels->data<uint8_t>()[i];
  return data;
}
