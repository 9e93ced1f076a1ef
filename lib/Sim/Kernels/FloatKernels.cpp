//===- FloatKernels.cpp - float TOSA kernels and layout ops ---------------===//
//
// Float arithmetic kernels are registered for Domain::Float (the integer
// kernels of the same op names live in IntegerKernels.cpp). Layout and
// selection ops (reshape, transpose, slice, pad, concat, select, cast,
// comparisons, reduce_max, argmax, maximum/minimum) move or compare values of
// any dtype and are registered for Domain::Any.
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "qapeft/Sim/Kernel.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::qapeft::sim;
using namespace mlir::qapeft::sim::detail;

namespace {

/// Elementwise loops below this many elements stay on one thread (starting a
/// thread costs about as much as 64K float operations).
constexpr int64_t kGrain = 1 << 16;

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult expectFloat(KernelContext &ctx, unsigned i) {
  if (ctx.in(i).dtype() != DType::F32)
    return ctx.emitError() << "operand #" << i << " must be f32, got "
                           << ctx.in(i).describe();
  return success();
}

template <typename Fn>
LogicalResult floatBinary(KernelContext &ctx, Fn fn) {
  if (failed(expectFloat(ctx, 0)) || failed(expectFloat(ctx, 1)))
    return failure();
  const Tensor &a = ctx.in(0), &b = ctx.in(1);
  FailureOr<Shape> shape = broadcastShapes(a.shape(), b.shape());
  if (failed(shape))
    return ctx.emitError() << "cannot broadcast " << a.describe() << " and "
                           << b.describe();
  Tensor out = Tensor::empty(DType::F32, *shape);
  const float *pa = a.data<float>(), *pb = b.data<float>();
  float *po = out.data<float>();
  int64_t n = out.numel();
  if (a.numel() == n && b.numel() == n) {
    parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        po[i] = fn(pa[i], pb[i]);
    });
  } else if (b.numel() == 1 && a.numel() == n) {
    float s = pb[0];
    parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        po[i] = fn(pa[i], s);
    });
  } else if (a.numel() == 1 && b.numel() == n) {
    float s = pa[0];
    parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        po[i] = fn(s, pb[i]);
    });
  } else {
    std::array<Shape, 2> strides = {broadcastStrides(a.shape(), *shape),
                                    broadcastStrides(b.shape(), *shape)};
    forEachBroadcast<2>(*shape, strides,
                        [&](int64_t o, const std::array<int64_t, 2> &off) {
                          po[o] = fn(pa[off[0]], pb[off[1]]);
                        });
  }
  ctx.setResult(0, std::move(out));
  return success();
}

template <typename Fn>
LogicalResult floatUnary(KernelContext &ctx, Fn fn) {
  if (failed(expectFloat(ctx, 0)))
    return failure();
  const Tensor &a = ctx.in(0);
  Tensor out = Tensor::empty(DType::F32, a.shape());
  const float *pa = a.data<float>();
  float *po = out.data<float>();
  parallelRange(a.numel(), kGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i)
      po[i] = fn(pa[i]);
  });
  ctx.setResult(0, std::move(out));
  return success();
}

/// Comparisons and min/max on any dtype: values compared as double (exact
/// for every dtype we hold except i64 beyond 2^53, which no graph uses).
template <typename Fn>
LogicalResult anyBinary(KernelContext &ctx, DType outType, Fn fn) {
  const Tensor &a = ctx.in(0), &b = ctx.in(1);
  if (a.dtype() != b.dtype())
    return ctx.emitError() << "operands differ in element type: "
                           << a.describe() << " vs " << b.describe();
  FailureOr<Shape> shape = broadcastShapes(a.shape(), b.shape());
  if (failed(shape))
    return ctx.emitError() << "cannot broadcast " << a.describe() << " and "
                           << b.describe();
  Tensor out = Tensor::empty(outType, *shape);
  std::array<Shape, 2> strides = {broadcastStrides(a.shape(), *shape),
                                  broadcastStrides(b.shape(), *shape)};
  if (a.dtype() == DType::F32 && outType == DType::I1) {
    const float *pa = a.data<float>(), *pb = b.data<float>();
    uint8_t *po = out.data<uint8_t>();
    int64_t n = out.numel();
    if (a.numel() == n && b.numel() == 1) {
      // The ReLU gradient's mask (x > 0): one parallel pass.
      // Widening to double changes no comparison between two floats, so
      // compare the floats themselves: the loop vectorizes.
      float other = pb[0];
      parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
        const float *__restrict x = pa;
        uint8_t *__restrict res = po;
        for (int64_t i = begin; i < end; ++i)
          res[i] = fn(x[i], other) ? 1 : 0;
      });
      ctx.setResult(0, std::move(out));
      return success();
    }
    forEachBroadcast<2>(*shape, strides,
                        [&](int64_t o, const std::array<int64_t, 2> &off) {
                          po[o] = fn(double(pa[off[0]]), double(pb[off[1]]))
                                      ? 1
                                      : 0;
                        });
  } else if (a.dtype() == DType::F32 && outType == DType::F32) {
    const float *pa = a.data<float>(), *pb = b.data<float>();
    float *po = out.data<float>();
    forEachBroadcast<2>(*shape, strides,
                        [&](int64_t o, const std::array<int64_t, 2> &off) {
                          po[o] = static_cast<float>(
                              fn(double(pa[off[0]]), double(pb[off[1]])));
                        });
  } else {
    forEachBroadcast<2>(*shape, strides,
                        [&](int64_t o, const std::array<int64_t, 2> &off) {
                          out.setDouble(o, fn(a.getDouble(off[0]),
                                              b.getDouble(off[1])));
                        });
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult selectKernel(KernelContext &ctx) {
  const Tensor &p = ctx.in(0), &a = ctx.in(1), &b = ctx.in(2);
  if (p.dtype() != DType::I1)
    return ctx.emitError() << "predicate must be i1, got " << p.describe();
  if (a.dtype() != b.dtype())
    return ctx.emitError() << "value operands differ in element type";
  FailureOr<Shape> s1 = broadcastShapes(p.shape(), a.shape());
  FailureOr<Shape> shape =
      succeeded(s1) ? broadcastShapes(*s1, b.shape()) : FailureOr<Shape>();
  if (failed(shape))
    return ctx.emitError() << "cannot broadcast " << p.describe() << ", "
                           << a.describe() << " and " << b.describe();
  Tensor out = Tensor::empty(a.dtype(), *shape);
  std::array<Shape, 3> strides = {broadcastStrides(p.shape(), *shape),
                                  broadcastStrides(a.shape(), *shape),
                                  broadcastStrides(b.shape(), *shape)};
  const uint8_t *pp = p.data<uint8_t>();
  if (a.dtype() == DType::F32) {
    const float *pa = a.data<float>(), *pb = b.data<float>();
    float *po = out.data<float>();
    int64_t n = out.numel();
    if (p.numel() == n && a.numel() == n && b.numel() == n) {
      parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
        const uint8_t *__restrict m = pp;
        const float *__restrict x = pa, *__restrict y = pb;
        float *__restrict res = po;
        for (int64_t i = begin; i < end; ++i)
          res[i] = m[i] ? x[i] : y[i];
      });
      ctx.setResult(0, std::move(out));
      return success();
    }
    if (p.numel() == n && a.numel() == n && b.numel() == 1) {
      // The ReLU gradient (select(x > 0, dy, 0)): restrict pointers and a
      // branch-free body, so the loop vectorizes; one parallel pass.
      float other = pb[0];
      parallelRange(n, kGrain, [&](int64_t begin, int64_t end) {
        const uint8_t *__restrict m = pp;
        const float *__restrict x = pa;
        float *__restrict res = po;
        for (int64_t i = begin; i < end; ++i)
          res[i] = m[i] ? x[i] : other;
      });
      ctx.setResult(0, std::move(out));
      return success();
    }
    forEachBroadcast<3>(*shape, strides,
                        [&](int64_t o, const std::array<int64_t, 3> &off) {
                          po[o] = pp[off[0]] ? pa[off[1]] : pb[off[2]];
                        });
    ctx.setResult(0, std::move(out));
    return success();
  }
  size_t es = dtypeSize(a.dtype());
  const char *pa = static_cast<const char *>(a.raw());
  const char *pb = static_cast<const char *>(b.raw());
  char *po = static_cast<char *>(out.raw());
  forEachBroadcast<3>(*shape, strides,
                      [&](int64_t o, const std::array<int64_t, 3> &off) {
                        const char *src = pp[off[0]] ? pa + off[1] * es
                                                     : pb + off[2] * es;
                        std::memcpy(po + o * es, src, es);
                      });
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult clampKernel(KernelContext &ctx) {
  std::optional<double> lo = ctx.f64("min_val"), hi = ctx.f64("max_val");
  if (!lo || !hi)
    return ctx.emitError() << "needs 'min_val' and 'max_val' attributes";
  const Tensor &a = ctx.in(0);
  if (a.dtype() == DType::F32) {
    float l = *lo, h = *hi;
    return floatUnary(ctx, [&](float x) {
      // NaN propagates (nan_mode PROPAGATE, the default).
      return std::isnan(x) ? x : std::min(std::max(x, l), h);
    });
  }
  Tensor out = Tensor::empty(a.dtype(), a.shape());
  int64_t l = static_cast<int64_t>(*lo), h = static_cast<int64_t>(*hi);
  for (int64_t i = 0; i < a.numel(); ++i)
    out.setInt(i, std::min(std::max(a.getInt(i), l), h));
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult castKernel(KernelContext &ctx) {
  std::optional<DType> to = ctx.resultDType(0);
  if (!to)
    return ctx.emitError() << "casts to an element type the simulator cannot "
                              "represent";
  const Tensor &a = ctx.in(0);
  Tensor out = Tensor::empty(*to, a.shape());
  int64_t n = a.numel();
  if (a.dtype() == DType::F32 && *to == DType::F32) {
    std::memcpy(out.raw(), a.raw(), a.byteSize());
  } else if (a.dtype() == DType::F32) {
    // TOSA float-to-int: round half to even, saturate; bool: x != 0.
    Type elementType =
        cast<ShapedType>(ctx.op->getResult(0).getType()).getElementType();
    const float *pa = a.data<float>();
    if (*to == DType::I1) {
      for (int64_t i = 0; i < n; ++i)
        out.setInt(i, pa[i] != 0.0f);
    } else {
      unsigned width = elementType.getIntOrFloatBitWidth();
      bool isUnsigned = elementType.isUnsignedInteger();
      double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, width - 1);
      double hi = isUnsigned ? std::ldexp(1.0, width) - 1
                             : std::ldexp(1.0, width - 1) - 1;
      for (int64_t i = 0; i < n; ++i) {
        double r = std::nearbyint(static_cast<double>(pa[i]));
        if (std::isnan(r))
          r = 0;
        out.setInt(i, static_cast<int64_t>(std::min(std::max(r, lo), hi)));
      }
    }
  } else if (*to == DType::F32) {
    float *po = out.data<float>();
    for (int64_t i = 0; i < n; ++i)
      po[i] = static_cast<float>(a.getInt(i));
  } else {
    for (int64_t i = 0; i < n; ++i)
      out.setInt(i, a.getInt(i)); // Integer narrowing wraps, like TOSA.
  }
  ctx.setResult(0, std::move(out));
  return success();
}

//===----------------------------------------------------------------------===//
// Layout ops (any dtype)
//===----------------------------------------------------------------------===//

/// The values of a shape operand (a `!tosa.shape` or an integer tensor).
SmallVector<int64_t> shapeValues(const Tensor &t) {
  SmallVector<int64_t> v(t.numel());
  for (int64_t i = 0; i < t.numel(); ++i)
    v[i] = t.getInt(i);
  return v;
}

LogicalResult reshapeKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  SmallVector<int64_t> target;
  if (ctx.numInputs() > 1) {
    target = shapeValues(ctx.in(1));
  } else if (auto s = ctx.i64Array("new_shape")) {
    target = *s;
  } else {
    return ctx.emitError() << "needs a shape operand";
  }
  // A static result type fixes dims; -1 (or a dynamic result dim) is inferred.
  std::optional<Shape> resultShape = ctx.resultShape(0);
  if (resultShape && resultShape->size() == target.size())
    for (size_t i = 0; i < target.size(); ++i)
      if (target[i] == -1 && !ShapedType::isDynamic((*resultShape)[i]))
        target[i] = (*resultShape)[i];
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target)) {
    if (d == -1 || ShapedType::isDynamic(d)) {
      if (inferred >= 0)
        return ctx.emitError() << "more than one inferred dimension in "
                                  "the target shape";
      inferred = i;
    } else {
      known *= d;
    }
  }
  if (inferred >= 0) {
    if (known == 0 || a.numel() % known != 0)
      return ctx.emitError() << "cannot reshape " << a.describe() << " to "
                             << shapeToString(target);
    target[inferred] = a.numel() / known;
  }
  if (numElements(target) != a.numel())
    return ctx.emitError() << "cannot reshape " << a.describe() << " to "
                           << shapeToString(target);
  ctx.setResult(0, a.reshaped(target));
  return success();
}

LogicalResult transposeKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  auto perms = ctx.i64Array("perms");
  if (!perms || static_cast<int64_t>(perms->size()) != a.rank())
    return ctx.emitError() << "needs 'perms' with one entry per dimension";
  int64_t rank = a.rank();
  Shape outShape(rank);
  SmallVector<bool> seen(rank, false);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t p = (*perms)[i];
    if (p < 0 || p >= rank || seen[p])
      return ctx.emitError() << "'perms' is not a permutation";
    seen[p] = true;
    outShape[i] = a.dim(p);
  }
  Tensor out = Tensor::empty(a.dtype(), outShape);
  Shape inStrides = stridesOf(a.shape());
  // Output element o reads input at sum(index_o[i] * inStrides[perms[i]]).
  Shape strides(rank);
  for (int64_t i = 0; i < rank; ++i)
    strides[i] = inStrides[(*perms)[i]];
  size_t es = dtypeSize(a.dtype());
  const char *src = static_cast<const char *>(a.raw());
  char *dst = static_cast<char *>(out.raw());
  std::array<Shape, 1> s = {strides};
  if (es == 4) {
    const float *fs = reinterpret_cast<const float *>(src);
    float *fd = reinterpret_cast<float *>(dst);
    forEachBroadcast<1>(outShape, s,
                        [&](int64_t o, const std::array<int64_t, 1> &off) {
                          fd[o] = fs[off[0]];
                        });
  } else {
    forEachBroadcast<1>(outShape, s,
                        [&](int64_t o, const std::array<int64_t, 1> &off) {
                          std::memcpy(dst + o * es, src + off[0] * es, es);
                        });
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult concatKernel(KernelContext &ctx) {
  if (ctx.numInputs() == 0)
    return ctx.emitError() << "needs at least one operand";
  const Tensor &first = ctx.in(0);
  int64_t axis = normAxis(ctx.i64("axis").value_or(0), first.rank());
  if (axis < 0)
    return ctx.emitError() << "'axis' is out of range";
  Shape outShape(first.shape());
  outShape[axis] = 0;
  for (const Tensor &t : ctx.inputs) {
    bool ok = t.rank() == first.rank() && t.dtype() == first.dtype();
    for (int64_t d = 0; ok && d < t.rank(); ++d)
      if (d != axis && t.dim(d) != first.dim(d))
        ok = false;
    if (!ok)
      return ctx.emitError() << "cannot concatenate " << first.describe()
                             << " and " << t.describe() << " along axis "
                             << axis;
    outShape[axis] += t.dim(axis);
  }
  Tensor out = Tensor::empty(first.dtype(), outShape);
  size_t es = dtypeSize(first.dtype());
  AxisSplit outSplit = splitAt(outShape, axis);
  char *dst = static_cast<char *>(out.raw());
  int64_t offset = 0;
  for (const Tensor &t : ctx.inputs) {
    int64_t chunk = t.dim(axis) * outSplit.inner * es;
    const char *src = static_cast<const char *>(t.raw());
    for (int64_t o = 0; o < outSplit.outer; ++o)
      std::memcpy(dst + (o * outSplit.dim * outSplit.inner +
                         offset * outSplit.inner) *
                            es,
                  src + o * chunk, chunk);
    offset += t.dim(axis);
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult sliceKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  if (ctx.numInputs() < 3)
    return ctx.emitError() << "needs start and size operands";
  SmallVector<int64_t> start = shapeValues(ctx.in(1));
  SmallVector<int64_t> size = shapeValues(ctx.in(2));
  if (static_cast<int64_t>(start.size()) != a.rank() ||
      static_cast<int64_t>(size.size()) != a.rank())
    return ctx.emitError() << "start and size need one entry per dimension";
  Shape outShape(a.rank());
  for (int64_t d = 0; d < a.rank(); ++d) {
    int64_t s = size[d] == -1 ? a.dim(d) - start[d] : size[d];
    if (start[d] < 0 || s < 0 || start[d] + s > a.dim(d))
      return ctx.emitError() << "slice [" << start[d] << ", +" << s
                             << ") is out of bounds of dimension " << d
                             << " (size " << a.dim(d) << ")";
    outShape[d] = s;
  }
  Tensor out = Tensor::empty(a.dtype(), outShape);
  Shape inStrides = stridesOf(a.shape());
  int64_t base = 0;
  for (int64_t d = 0; d < a.rank(); ++d)
    base += start[d] * inStrides[d];
  size_t es = dtypeSize(a.dtype());
  const char *src = static_cast<const char *>(a.raw()) + base * es;
  char *dst = static_cast<char *>(out.raw());
  std::array<Shape, 1> s = {inStrides};
  forEachBroadcast<1>(outShape, s,
                      [&](int64_t o, const std::array<int64_t, 1> &off) {
                        std::memcpy(dst + o * es, src + off[0] * es, es);
                      });
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult padKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  SmallVector<int64_t> padding;
  if (ctx.numInputs() > 1)
    padding = shapeValues(ctx.in(1));
  if (static_cast<int64_t>(padding.size()) != 2 * a.rank())
    return ctx.emitError() << "padding needs two entries per dimension";
  Shape outShape(a.rank());
  for (int64_t d = 0; d < a.rank(); ++d) {
    if (padding[2 * d] < 0 || padding[2 * d + 1] < 0)
      return ctx.emitError() << "negative padding is not supported";
    outShape[d] = a.dim(d) + padding[2 * d] + padding[2 * d + 1];
  }
  Tensor out = Tensor::empty(a.dtype(), outShape);
  double padValue = 0.0;
  if (ctx.numInputs() > 2 && ctx.in(2).numel() > 0)
    padValue = ctx.in(2).getDouble(0);
  else if (auto v = ctx.f64("pad_const"))
    padValue = *v;
  if (a.dtype() == DType::F32)
    std::fill(out.data<float>(), out.data<float>() + out.numel(),
              static_cast<float>(padValue));
  else
    for (int64_t i = 0; i < out.numel(); ++i)
      out.setDouble(i, padValue);
  Shape outStrides = stridesOf(outShape);
  int64_t base = 0;
  for (int64_t d = 0; d < a.rank(); ++d)
    base += padding[2 * d] * outStrides[d];
  size_t es = dtypeSize(a.dtype());
  const char *src = static_cast<const char *>(a.raw());
  char *dst = static_cast<char *>(out.raw()) + base * es;
  // Walk the input; the output offset uses the output's strides.
  std::array<Shape, 1> s = {outStrides};
  forEachBroadcast<1>(a.shape(), s,
                      [&](int64_t i, const std::array<int64_t, 1> &off) {
                        std::memcpy(dst + off[0] * es, src + i * es, es);
                      });
  ctx.setResult(0, std::move(out));
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult reduceKernel(KernelContext &ctx, bool isMax) {
  const Tensor &a = ctx.in(0);
  int64_t axis = normAxis(ctx.i64("axis").value_or(0), a.rank());
  if (axis < 0)
    return ctx.emitError() << "'axis' is out of range for " << a.describe();
  if (!isMax && a.dtype() != DType::F32)
    return ctx.emitError() << "float kernel got " << a.describe();
  AxisSplit s = splitAt(a.shape(), axis);
  Shape outShape(a.shape());
  outShape[axis] = 1;
  Tensor out = Tensor::empty(a.dtype(), outShape);
  if (a.dtype() == DType::F32) {
    const float *pa = a.data<float>();
    float *po = out.data<float>();
    for (int64_t o = 0; o < s.outer; ++o) {
      float *row = po + o * s.inner;
      const float *src = pa + o * s.dim * s.inner;
      if (s.dim == 0) {
        std::fill(row, row + s.inner,
                  isMax ? -std::numeric_limits<float>::infinity() : 0.0f);
        continue;
      }
      std::memcpy(row, src, s.inner * sizeof(float));
      for (int64_t k = 1; k < s.dim; ++k) {
        const float *r = src + k * s.inner;
        if (isMax)
          for (int64_t i = 0; i < s.inner; ++i)
            row[i] = std::isnan(r[i]) ? r[i] : std::max(row[i], r[i]);
        else
          for (int64_t i = 0; i < s.inner; ++i)
            row[i] += r[i];
      }
    }
  } else {
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < s.inner; ++i) {
        int64_t best = std::numeric_limits<int64_t>::min();
        for (int64_t k = 0; k < s.dim; ++k)
          best = std::max(best, a.getInt((o * s.dim + k) * s.inner + i));
        out.setInt(o * s.inner + i, best);
      }
  }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult argmaxKernel(KernelContext &ctx) {
  const Tensor &a = ctx.in(0);
  int64_t axis = normAxis(ctx.i64("axis").value_or(0), a.rank());
  if (axis < 0)
    return ctx.emitError() << "'axis' is out of range for " << a.describe();
  std::optional<DType> outType = ctx.resultDType(0);
  if (!outType || isFloat(*outType))
    return ctx.emitError() << "needs an integer result type";
  AxisSplit s = splitAt(a.shape(), axis);
  Shape outShape;
  for (int64_t d = 0; d < a.rank(); ++d)
    if (d != axis)
      outShape.push_back(a.dim(d));
  Tensor out = Tensor::empty(*outType, outShape);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      int64_t best = 0;
      double bestValue = -std::numeric_limits<double>::infinity();
      for (int64_t k = 0; k < s.dim; ++k) {
        double v = a.getDouble((o * s.dim + k) * s.inner + i);
        if (std::isnan(v)) { // PROPAGATE: the first NaN wins.
          best = k;
          break;
        }
        if (k == 0 || v > bestValue) {
          bestValue = v;
          best = k;
        }
      }
      out.setInt(o * s.inner + i, best);
    }
  ctx.setResult(0, std::move(out));
  return success();
}

//===----------------------------------------------------------------------===//
// Convolutions, matmul, pooling
//===----------------------------------------------------------------------===//

/// Fills each row of `out` ([rows, channels]) with the bias (1 or channels
/// values).
void fillBias(float *out, int64_t rows, int64_t channels, const Tensor &bias) {
  const float *b = bias.data<float>();
  bool scalar = bias.numel() == 1;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < channels; ++c)
      out[r * channels + c] = scalar ? b[0] : b[c];
}

} // namespace

LogicalResult mlir::qapeft::sim::detail::conv2dWithEpilogue(
    KernelContext &ctx,
    llvm::function_ref<void(float *, int64_t, int64_t)> epilogue,
    llvm::function_ref<void(ArrayRef<int64_t>)> onOutputShape) {
  for (unsigned i = 0; i < 3; ++i)
    if (failed(expectFloat(ctx, i)))
      return failure();
  const Tensor &x = ctx.in(0), &w = ctx.in(1), &bias = ctx.in(2);
  if (w.rank() != 4)
    return ctx.emitError() << "expects an OHWI weight, got " << w.describe();
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, x.shape(), w.dim(1), w.dim(2), g)))
    return failure();
  int64_t oc = w.dim(0);
  if (w.dim(3) != g.c)
    return ctx.emitError() << "weight " << w.describe()
                           << " does not match the input channels of "
                           << x.describe();
  if (bias.numel() != oc && bias.numel() != 1)
    return ctx.emitError() << "bias " << bias.describe() << " does not match "
                           << oc << " output channels";
  Tensor out = Tensor::empty(DType::F32, {g.n, g.oh, g.ow, oc});
  float *po = out.data<float>();
  if (onOutputShape)
    onOutputShape(out.shape());
  int64_t k = g.kh * g.kw * g.c, rowsPerImage = g.oh * g.ow;
  const float *px = x.data<float>(), *pw = w.data<float>();
  if (isPointwise(g)) {
    fillBias(po, g.n * rowsPerImage, oc, bias);
    gemm(false, true, g.n * rowsPerImage, oc, k, 1.0f, px, k, pw, k, 1.0f, po,
         oc);
    if (epilogue)
      parallelRange(out.numel(), kGrain, [&](int64_t begin, int64_t end) {
        epilogue(po, begin, end);
      });
    ctx.setResult(0, std::move(out));
    return success();
  }
  // Images are independent: tasks of a few images each run im2col and a
  // single-threaded GEMM into their own rows of the output. When the filter
  // gradient of this convolution follows in the same run, the whole im2col
  // matrix is kept for it (see Im2colCacheScope).
  int64_t perTask = imagesPerTask(g);
  int64_t tasks = (g.n + perTask - 1) / perTask;
  int64_t colBytes = g.n * rowsPerImage * k * int64_t(sizeof(float));
  Tensor whole;
  if (im2colCacheAccepts(colBytes))
    whole = Tensor::empty(DType::F32, {g.n * rowsPerImage, k});
  parallelTasks(tasks, [&](int64_t t) {
    int64_t first = t * perTask, count = std::min(perTask, g.n - first);
    float *dst = po + first * rowsPerImage * oc;
    fillBias(dst, count * rowsPerImage, oc, bias);
    Tensor scratch;
    float *col;
    if (whole) {
      col = whole.data<float>() + first * rowsPerImage * k;
    } else {
      scratch = Tensor::empty(DType::F32, {count * rowsPerImage, k});
      col = scratch.data<float>();
    }
    im2col(px, g, first, count, col);
    gemm(false, true, count * rowsPerImage, oc, k, 1.0f, col, k, pw, k, 1.0f,
         dst, oc);
    if (epilogue)
      epilogue(po, first * rowsPerImage * oc,
               (first + count) * rowsPerImage * oc);
  });
  if (whole)
    storeIm2col(x, g, std::move(whole));
  ctx.setResult(0, std::move(out));
  return success();
}

namespace {

LogicalResult conv2dKernel(KernelContext &ctx) {
  return conv2dWithEpilogue(ctx, nullptr);
}

LogicalResult depthwiseConv2dKernel(KernelContext &ctx) {
  for (unsigned i = 0; i < 3; ++i)
    if (failed(expectFloat(ctx, i)))
      return failure();
  const Tensor &x = ctx.in(0), &w = ctx.in(1), &bias = ctx.in(2);
  if (w.rank() != 4)
    return ctx.emitError() << "expects a [KH, KW, C, M] weight, got "
                           << w.describe();
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, x.shape(), w.dim(0), w.dim(1), g)))
    return failure();
  if (w.dim(2) != g.c)
    return ctx.emitError() << "weight " << w.describe()
                           << " does not match the input channels of "
                           << x.describe();
  int64_t m = w.dim(3), oc = g.c * m;
  if (bias.numel() != oc && bias.numel() != 1)
    return ctx.emitError() << "bias " << bias.describe() << " does not match "
                           << oc << " output channels";
  Tensor out = Tensor::empty(DType::F32, {g.n, g.oh, g.ow, oc});
  float *po = out.data<float>();
  fillBias(po, g.n * g.oh * g.ow, oc, bias);
  const float *px = x.data<float>(), *pw = w.data<float>();
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        float *dst = po + ((n * g.oh + oy) * g.ow + ox) * oc;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky * g.dilY;
          if (iy < 0 || iy >= g.ih)
            continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.strideX - g.padLeft + kx * g.dilX;
            if (ix < 0 || ix >= g.iw)
              continue;
            const float *src = px + ((n * g.ih + iy) * g.iw + ix) * g.c;
            const float *wk = pw + (ky * g.kw + kx) * oc;
            for (int64_t c = 0; c < g.c; ++c)
              for (int64_t j = 0; j < m; ++j)
                dst[c * m + j] += src[c] * wk[c * m + j];
          }
        }
      }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult matmulKernel(KernelContext &ctx) {
  if (failed(expectFloat(ctx, 0)) || failed(expectFloat(ctx, 1)))
    return failure();
  const Tensor &a = ctx.in(0), &b = ctx.in(1);
  if (a.rank() != 3 || b.rank() != 3 || a.dim(2) != b.dim(1) ||
      (a.dim(0) != b.dim(0) && b.dim(0) != 1 && a.dim(0) != 1))
    return ctx.emitError() << "cannot multiply " << a.describe() << " by "
                           << b.describe();
  int64_t batch = std::max(a.dim(0), b.dim(0));
  int64_t h = a.dim(1), c = a.dim(2), w = b.dim(2);
  Tensor out = Tensor::empty(DType::F32, {batch, h, w});
  for (int64_t i = 0; i < batch; ++i)
    gemm(false, false, h, w, c, 1.0f,
         a.data<float>() + (a.dim(0) == 1 ? 0 : i) * h * c, c,
         b.data<float>() + (b.dim(0) == 1 ? 0 : i) * c * w, w, 0.0f,
         out.data<float>() + i * h * w, w);
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult poolKernel(KernelContext &ctx, bool isMax) {
  if (failed(expectFloat(ctx, 0)))
    return failure();
  const Tensor &x = ctx.in(0);
  auto kernel = ctx.i64Array("kernel");
  if (!kernel || kernel->size() != 2)
    return ctx.emitError() << "needs a 'kernel' attribute of 2 integers";
  ConvGeometry g;
  if (failed(readConvGeometry(ctx, x.shape(), (*kernel)[0], (*kernel)[1], g,
                              /*hasDilation=*/false)))
    return failure();
  Tensor out = Tensor::empty(DType::F32, {g.n, g.oh, g.ow, g.c});
  const float *px = x.data<float>();
  float *po = out.data<float>();
  SmallVector<float> acc(g.c);
  for (int64_t n = 0; n < g.n; ++n)
    for (int64_t oy = 0; oy < g.oh; ++oy)
      for (int64_t ox = 0; ox < g.ow; ++ox) {
        std::fill(acc.begin(), acc.end(),
                  isMax ? -std::numeric_limits<float>::infinity() : 0.0f);
        int64_t count = 0;
        for (int64_t ky = 0; ky < g.kh; ++ky) {
          int64_t iy = oy * g.strideY - g.padTop + ky;
          if (iy < 0 || iy >= g.ih)
            continue;
          for (int64_t kx = 0; kx < g.kw; ++kx) {
            int64_t ix = ox * g.strideX - g.padLeft + kx;
            if (ix < 0 || ix >= g.iw)
              continue;
            ++count;
            const float *src = px + ((n * g.ih + iy) * g.iw + ix) * g.c;
            if (isMax)
              for (int64_t c = 0; c < g.c; ++c)
                acc[c] = std::max(acc[c], src[c]);
            else
              for (int64_t c = 0; c < g.c; ++c)
                acc[c] += src[c];
          }
        }
        float *dst = po + ((n * g.oh + oy) * g.ow + ox) * g.c;
        // avg_pool2d divides by the taps inside the image (TOSA excludes
        // padding from the count).
        float scale = isMax || count == 0 ? 1.0f : 1.0f / count;
        for (int64_t c = 0; c < g.c; ++c)
          dst[c] = isMax ? acc[c] : acc[c] * scale;
      }
  ctx.setResult(0, std::move(out));
  return success();
}

LogicalResult identityKernel(KernelContext &ctx) {
  for (unsigned i = 0; i < ctx.results.size() && i < ctx.numInputs(); ++i)
    ctx.setResult(i, ctx.in(i));
  return success();
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

} // namespace

void mlir::qapeft::sim::registerFloatKernels(KernelRegistry &r) {
  const Domain F = Domain::Float;
  r.add("tosa.add",
        [](KernelContext &c) {
          return floatBinary(c, [](float a, float b) { return a + b; });
        },
        F);
  r.add("tosa.sub",
        [](KernelContext &c) {
          return floatBinary(c, [](float a, float b) { return a - b; });
        },
        F);
  r.add("tosa.mul",
        [](KernelContext &c) {
          return floatBinary(c, [](float a, float b) { return a * b; });
        },
        F);
  r.add("tosa.pow",
        [](KernelContext &c) {
          return floatBinary(c,
                             [](float a, float b) { return std::pow(a, b); });
        },
        F);
  r.add("tosa.negate",
        [](KernelContext &c) { return floatUnary(c, [](float a) { return -a; }); },
        F);
  r.add("tosa.reciprocal",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return 1.0f / a; });
        },
        F);
  r.add("tosa.rsqrt",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return 1.0f / std::sqrt(a); });
        },
        F);
  r.add("tosa.exp",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::exp(a); });
        },
        F);
  r.add("tosa.log",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::log(a); });
        },
        F);
  r.add("tosa.abs",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::fabs(a); });
        },
        F);
  r.add("tosa.floor",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::floor(a); });
        },
        F);
  r.add("tosa.ceil",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::ceil(a); });
        },
        F);
  r.add("tosa.tanh",
        [](KernelContext &c) {
          return floatUnary(c, [](float a) { return std::tanh(a); });
        },
        F);
  r.add("tosa.sigmoid",
        [](KernelContext &c) { return floatUnary(c, sigmoid); }, F);
  r.add("tosa.reduce_sum",
        [](KernelContext &c) { return reduceKernel(c, /*isMax=*/false); }, F);
  r.add("tosa.conv2d", conv2dKernel, F);
  r.add("tosa.depthwise_conv2d", depthwiseConv2dKernel, F);
  r.add("tosa.matmul", matmulKernel, F);
  r.add("tosa.avg_pool2d",
        [](KernelContext &c) { return poolKernel(c, /*isMax=*/false); }, F);
  r.add("tosa.max_pool2d",
        [](KernelContext &c) { return poolKernel(c, /*isMax=*/true); }, F);

  // Any dtype.
  r.add("tosa.maximum", [](KernelContext &c) {
    return anyBinary(c, c.in(0).dtype(), [](double a, double b) {
      return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
    });
  });
  r.add("tosa.minimum", [](KernelContext &c) {
    return anyBinary(c, c.in(0).dtype(), [](double a, double b) {
      return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
    });
  });
  r.add("tosa.greater", [](KernelContext &c) {
    return anyBinary(c, DType::I1, [](auto a, auto b) { return a > b; });
  });
  r.add("tosa.greater_equal", [](KernelContext &c) {
    return anyBinary(c, DType::I1, [](auto a, auto b) { return a >= b; });
  });
  r.add("tosa.equal", [](KernelContext &c) {
    return anyBinary(c, DType::I1, [](auto a, auto b) { return a == b; });
  });
  r.add("tosa.select", selectKernel);
  r.add("tosa.clamp", clampKernel);
  r.add("tosa.cast", castKernel);
  r.add("tosa.reshape", reshapeKernel);
  r.add("tosa.transpose", transposeKernel);
  r.add("tosa.concat", concatKernel);
  r.add("tosa.slice", sliceKernel);
  r.add("tosa.pad", padKernel);
  r.add("tosa.reduce_max",
        [](KernelContext &c) { return reduceKernel(c, /*isMax=*/true); });
  r.add("tosa.argmax", argmaxKernel);
  r.add("tosa.identity", identityKernel);
  r.add("tensor.cast", identityKernel);
}
