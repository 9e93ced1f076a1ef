//===- ImageTransforms.cpp - deterministic image transforms ---------------===//

#include "qapeft/Data/ImageTransforms.h"

#include <cmath>
#include <cstring>

using namespace mlir::qapeft;
using sim::DType;
using sim::Tensor;

Tensor data::rotateNearest(const Tensor &images, double degrees) {
  int64_t n = images.dim(0), h = images.dim(1), w = images.dim(2);
  Tensor out = Tensor::zeros(DType::U8, images.shape());
  // numpy's deg2rad multiplies by pi/180; doing the same keeps t bit-equal.
  double t = degrees * (M_PI / 180.0);
  double c = std::cos(t), s = std::sin(t);
  double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
  const uint8_t *src = images.data<uint8_t>();
  uint8_t *dst = out.data<uint8_t>();
  for (int64_t i = 0; i < h; ++i) {
    for (int64_t j = 0; j < w; ++j) {
      double dy = i - cy, dx = j - cx;
      double sx = c * dx + s * dy + cx;
      double sy = -s * dx + c * dy + cy;
      int64_t yi = static_cast<int64_t>(std::floor(sy + 0.5));
      int64_t xi = static_cast<int64_t>(std::floor(sx + 0.5));
      if (yi < 0 || yi >= h || xi < 0 || xi >= w)
        continue;
      for (int64_t k = 0; k < n; ++k)
        dst[(k * h + i) * w + j] = src[(k * h + yi) * w + xi];
    }
  }
  return out;
}

Tensor data::invert(const Tensor &images) {
  Tensor out = Tensor::empty(DType::U8, images.shape());
  const uint8_t *src = images.data<uint8_t>();
  uint8_t *dst = out.data<uint8_t>();
  for (int64_t i = 0, e = images.numel(); i < e; ++i)
    dst[i] = 255 - src[i];
  return out;
}

Tensor data::selectRows(const Tensor &t, llvm::ArrayRef<int64_t> indices) {
  sim::Shape shape(t.shape().begin(), t.shape().end());
  shape[0] = static_cast<int64_t>(indices.size());
  Tensor out = Tensor::empty(t.dtype(), shape);
  size_t rowBytes = t.byteSize() / t.dim(0);
  auto *src = static_cast<const char *>(t.raw());
  auto *dst = static_cast<char *>(out.raw());
  for (size_t r = 0; r < indices.size(); ++r)
    std::memcpy(dst + r * rowBytes, src + indices[r] * rowBytes, rowBytes);
  return out;
}

Tensor data::toUnitFloatNHWC(const Tensor &images) {
  Tensor out = Tensor::empty(
      DType::F32, {images.dim(0), images.dim(1), images.dim(2), 1});
  const uint8_t *src = images.data<uint8_t>();
  float *dst = out.data<float>();
  // float32 division, as `torch.tensor(x, dtype=float32) / 255` computes it.
  for (int64_t i = 0, e = images.numel(); i < e; ++i)
    dst[i] = static_cast<float>(src[i]) / 255.0f;
  return out;
}
