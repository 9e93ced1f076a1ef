//===- DataTest.cpp - .npy and IDX readers/writers ------------------------===//

#include "qapeft/Sim/Data.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mlir;
using namespace mlir::qapeft::sim;

namespace {

std::string errorOf(llvm::Expected<Tensor> t) {
  if (t)
    return "";
  return llvm::toString(t.takeError());
}

TEST(NpyTest, RoundTripsEveryDType) {
  for (DType d : {DType::F32, DType::I1, DType::I8, DType::U8, DType::I16,
                  DType::I32, DType::I64}) {
    Tensor t = Tensor::empty(d, {2, 3});
    for (int64_t i = 0; i < 6; ++i)
      t.setInt(i, d == DType::I1 ? i % 2 : (d == DType::U8 ? i * 40 : i - 3));
    std::string bytes = serializeNpy(t);
    // The data starts 64-byte aligned, as NumPy writes it.
    EXPECT_EQ((bytes.size() - t.byteSize()) % 64, 0u);
    auto back = parseNpy(bytes, "x.npy");
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->dtype(), d);
    EXPECT_EQ(back->shape(), t.shape());
    for (int64_t i = 0; i < 6; ++i)
      EXPECT_EQ(back->getInt(i), t.getInt(i)) << dtypeName(d).str();
  }
}

TEST(NpyTest, ScalarAndOneDimShapes) {
  Tensor s = Tensor::scalar(2.5f);
  auto back = parseNpy(serializeNpy(s), "s.npy");
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->rank(), 0);
  EXPECT_EQ(back->data<float>()[0], 2.5f);
  EXPECT_NE(serializeNpy(s).find("'shape': ()"), std::string::npos);
  Tensor v = Tensor::zeros(DType::I32, {5});
  EXPECT_NE(serializeNpy(v).find("'shape': (5,)"), std::string::npos);
}

TEST(NpyTest, ReadsNumPyWrittenHeader) {
  // A header exactly as numpy.save writes it (version 1.0, padded).
  std::string header = "{'descr': '<i8', 'fortran_order': False, 'shape': "
                       "(3,), }";
  header.append(128 - 10 - header.size() - 1, ' ');
  header += '\n';
  std::string bytes = std::string("\x93NUMPY\x01\x00", 8);
  bytes += static_cast<char>(header.size());
  bytes += '\0';
  bytes += header;
  int64_t values[3] = {7, -1, 1LL << 40};
  bytes.append(reinterpret_cast<const char *>(values), sizeof(values));
  auto t = parseNpy(bytes, "n.npy");
  ASSERT_TRUE(static_cast<bool>(t));
  EXPECT_EQ(t->dtype(), DType::I64);
  EXPECT_EQ(t->getInt(2), 1LL << 40);
}

TEST(NpyTest, RejectsBadFiles) {
  Tensor t = Tensor::zeros(DType::F32, {4, 4});
  std::string good = serializeNpy(t);
  EXPECT_NE(errorOf(parseNpy(good.substr(0, good.size() - 3), "t.npy"))
                .find("truncated .npy data"),
            std::string::npos);
  EXPECT_NE(errorOf(parseNpy(good.substr(0, 20), "t.npy"))
                .find("truncated .npy header"),
            std::string::npos);
  EXPECT_NE(errorOf(parseNpy("hello world, not npy", "t.npy"))
                .find("bad magic"),
            std::string::npos);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  EXPECT_NE(errorOf(parseNpy(fortran, "t.npy")).find("Fortran-order"),
            std::string::npos);
  std::string f64 = good;
  f64.replace(f64.find("<f4"), 3, "<f8");
  EXPECT_NE(errorOf(parseNpy(f64, "t.npy")).find("unsupported dtype '<f8'"),
            std::string::npos);
  std::string bigEndian = good;
  bigEndian.replace(bigEndian.find("<f4"), 3, ">f4");
  EXPECT_NE(errorOf(parseNpy(bigEndian, "t.npy")).find("unsupported dtype"),
            std::string::npos);
  // Every message names the file.
  EXPECT_EQ(errorOf(parseNpy("x", "named.npy")).rfind("named.npy", 0), 0u);
}

TEST(NpyTest, WriteIsAtomicAndReadable) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("qapeft-sim-npy", dir));
  llvm::SmallString<128> path(dir);
  llvm::sys::path::append(path, "a.npy");
  Tensor t = Tensor::fromFloats({3}, {1.0f, -2.0f, 0.5f});
  ASSERT_FALSE(static_cast<bool>(writeNpy(t, path)));
  auto back = readNpy(path);
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->data<float>()[1], -2.0f);
  // Writing into a missing directory fails and leaves nothing behind.
  llvm::SmallString<128> bad(dir);
  llvm::sys::path::append(bad, "missing", "b.npy");
  llvm::Error e = writeNpy(t, bad);
  EXPECT_TRUE(static_cast<bool>(e));
  llvm::consumeError(std::move(e));
  EXPECT_FALSE(llvm::sys::fs::exists(bad));
  llvm::sys::fs::remove(path);
  llvm::sys::fs::remove(dir);
}

TEST(IdxTest, ReadsFashionMnistWhenInstalled) {
  if (!llvm::sys::fs::exists(
          "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto data = readFashionMnist("test");
  ASSERT_TRUE(static_cast<bool>(data)) << llvm::toString(data.takeError());
  EXPECT_EQ(data->images.shape(), llvm::ArrayRef<int64_t>({10000, 28, 28, 1}));
  EXPECT_EQ(data->labels.shape(), llvm::ArrayRef<int64_t>({10000}));
  // Pixels are scaled to [0, 1]; labels are the 10 classes, 1000 each.
  int counts[10] = {};
  for (int64_t i = 0; i < 10000; ++i) {
    int32_t l = data->labels.data<int32_t>()[i];
    ASSERT_GE(l, 0);
    ASSERT_LT(l, 10);
    ++counts[l];
  }
  for (int c : counts)
    EXPECT_EQ(c, 1000);
  // A limit keeps the first samples.
  auto head = readFashionMnist("test", 5);
  ASSERT_TRUE(static_cast<bool>(head));
  EXPECT_EQ(head->images.shape(), llvm::ArrayRef<int64_t>({5, 28, 28, 1}));
  for (int64_t i = 0; i < 5; ++i)
    EXPECT_EQ(head->labels.data<int32_t>()[i], data->labels.data<int32_t>()[i]);
  for (int64_t i = 0; i < head->images.numel(); ++i)
    ASSERT_EQ(head->images.data<float>()[i], data->images.data<float>()[i]);
  float maxPixel = 0;
  for (int64_t i = 0; i < data->images.numel(); ++i)
    maxPixel = std::max(maxPixel, data->images.data<float>()[i]);
  EXPECT_FLOAT_EQ(maxPixel, 1.0f);
}

TEST(IdxTest, RejectsTruncatedIdx) {
  llvm::SmallString<128> path;
  int fd;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("idx", "bin", fd, path));
  {
    llvm::raw_fd_ostream os(fd, true);
    // ubyte, rank 1, 10 elements, but only 3 present.
    os << std::string("\0\0\x08\x01\0\0\0\x0a", 8) << "abc";
  }
  auto t = readIdx(path);
  EXPECT_FALSE(static_cast<bool>(t));
  EXPECT_NE(errorOf(std::move(t)).find("truncated IDX data"),
            std::string::npos);
  llvm::sys::fs::remove(path);
}

} // namespace
