//===- ImageTransforms.h - deterministic image transforms -------*- C++ -*-===//
//
// The transforms that build the example adaptation task ("a new sensor"):
// Fashion-MNIST images rotated about their centre with nearest-neighbour
// sampling, then inverted. The arithmetic is specified exactly (float64
// coordinates, floor(x + 0.5) rounding) so the data set is the same bytes on
// every machine and matches the PyTorch reference run.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_DATA_IMAGETRANSFORMS_H
#define QAPEFT_DATA_IMAGETRANSFORMS_H

#include "qapeft/Sim/Tensor.h"

namespace mlir::qapeft::data {

/// Rotates every image of a u8 [N, H, W] tensor by `degrees` about its centre
/// ((H-1)/2, (W-1)/2): output pixel (i, j) reads source pixel
/// (floor(sy + 0.5), floor(sx + 0.5)) with sx = cos(t) dx + sin(t) dy + cx,
/// sy = -sin(t) dx + cos(t) dy + cy, dy = i - cy, dx = j - cx, or 0 when that
/// is outside the image.
sim::Tensor rotateNearest(const sim::Tensor &images, double degrees);

/// 255 - x for every element of a u8 tensor.
sim::Tensor invert(const sim::Tensor &images);

/// Rows `indices` of `t` (along axis 0), in that order. Indices must be in
/// range (checked by the caller).
sim::Tensor selectRows(const sim::Tensor &t, llvm::ArrayRef<int64_t> indices);

/// u8 [N, H, W] pixels as f32 [N, H, W, 1] NHWC images scaled by 1/255.
sim::Tensor toUnitFloatNHWC(const sim::Tensor &images);

} // namespace mlir::qapeft::data

#endif // QAPEFT_DATA_IMAGETRANSFORMS_H
