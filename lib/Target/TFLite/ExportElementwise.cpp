//===- ExportElementwise.cpp - TFLite export of ADD, SUB and MUL ------------===//
//
// Part of the TFLite exporter (see Exporter.h).
//
// Matches the integer patterns --qapeft-lower-to-integer emits for ADD, SUB
// and MUL (lib/Conversion/LowerElementwise.cpp has the arithmetic; "pre" is
// the exact identity rescale x - z to i32, "rq" a DOUBLE_ROUND rescale):
//
//   ADD  rq(pre(x1) * 2^L) + rq(pre(x2) * 2^L)    -> rq [-> clamp]
//   SUB  rq(pre(x1) * 2^L) + rq(pre(x2) * -2^L)   -> rq [-> clamp]
//   MUL  pre(x1) * pre(x2)                        -> rq [-> clamp]
//
// and writes one TFLite operator with the fused activation, after checking
// that every multiplier and shift is the one TFLite derives from the stored
// scales (otherwise the runtime would compute something else).
//
//===----------------------------------------------------------------------===//

#include "Exporter.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::qapeft;
using namespace mlir::qapeft::tfl;

ElementwiseRescales mlir::qapeft::tfl::elementwiseRescales(
    tflite::BuiltinOperator code, float s1, float s2, float so, bool int16) {
  ElementwiseRescales r;
  if (code == tflite::BuiltinOperator::MUL) {
    // mul.cc: one multiplier for s1 * s2 / so, evaluated in float32 on the
    // tensors' scales. The inputs only lose their zero points (identity
    // rescales).
    r.leftShift = 0;
    r.inMult[0] = r.inMult[1] = r.inShift[0] = r.inShift[1] = 0;
    float real = s1 * s2 / so;
    auto [m, s] = quantizeMultiplier(double(real));
    r.outMult = m;
    r.outShift = 31 - s;
    return r;
  }
  // add.cc / sub.cc: left_shift 20 (int8) or 15 (int16); inputs scaled to
  // 2 * max(s1, s2) (a float product), the output by that over
  // (1 << left_shift) * so (a float product), all divisions in double.
  int leftShift = int16 ? 15 : 20;
  r.leftShift = leftShift;
  double twiceMax = 2 * std::max(s1, s2);
  float in[2] = {s1, s2};
  for (int k = 0; k < 2; ++k) {
    auto [m, s] = quantizeMultiplier(double(in[k]) / twiceMax);
    r.inMult[k] = m;
    r.inShift[k] = 31 - s;
  }
  auto [m, s] =
      quantizeMultiplier(twiceMax / double(float(1 << leftShift) * so));
  r.outMult = m;
  r.outShift = 31 - s;
  return r;
}

namespace {

/// The ops of one elementwise pattern.
struct ElementwisePattern {
  Operation *arith = nullptr; // tosa.add or tosa.mul on i32
  tflite::BuiltinOperator code = tflite::BuiltinOperator::ADD;
  Value x[2];                 // the quantized operands
  tosa::RescaleOp pre[2];     // x - z to i32
  tosa::MulOp lshift[2];      // ADD/SUB: * 2^L (* -2^L: SUB's second)
  tosa::RescaleOp rq[2];      // ADD/SUB: the inputs' requantizations
  bool xnnpack = false;       // ADD/SUB in XNNPACK's fixed point (no rq)
  tosa::RescaleOp out;        // requantization to the output type
  tosa::ClampOp clamp;        // fused activation, if any
  Value result;
  Operation *last = nullptr;

  bool contains(Operation *op) const {
    return op == arith || op == pre[0] || op == pre[1] || op == rq[0] ||
           op == rq[1] || op == lshift[0] || op == lshift[1] || op == out ||
           op == clamp;
  }
};

bool isI32(Value v) {
  auto t = dyn_cast<ShapedType>(v.getType());
  return t && t.getElementType().isInteger(32);
}

bool isActivationType(Type t) {
  auto s = dyn_cast<ShapedType>(t);
  return s && (s.getElementType().isInteger(8) ||
               s.getElementType().isInteger(16));
}

/// Matches the pattern around the i32 arithmetic op `arith`.
std::optional<ElementwisePattern> matchFrom(Operation *arith) {
  if (!isa<tosa::AddOp, tosa::MulOp>(arith) || !isI32(arith->getResult(0)))
    return std::nullopt;
  ElementwisePattern p;
  p.arith = arith;
  bool isMul = isa<tosa::MulOp>(arith);
  p.code = isMul ? tflite::BuiltinOperator::MUL : tflite::BuiltinOperator::ADD;
  for (unsigned k = 0; k < 2; ++k) {
    Value v = arith->getOperand(k);
    if (!isMul) {
      // Builtin form: rq(pre * 2^L); XNNPACK form: pre * multiplier.
      auto rq = v.getDefiningOp<tosa::RescaleOp>();
      if (k == 0)
        p.xnnpack = !rq;
      if (p.xnnpack != !rq)
        return std::nullopt;
      if (rq) {
        if (!rq.getResult().hasOneUse() || !isI32(rq.getInput()))
          return std::nullopt;
        p.rq[k] = rq;
        v = rq.getInput();
      }
      auto mul = v.getDefiningOp<tosa::MulOp>();
      if (!mul || !mul.getResult().hasOneUse())
        return std::nullopt;
      auto f = constInts(mul.getInput2());
      if (!f || f->empty() || llvm::any_of(*f, [&](int64_t x) {
            return x != (*f)[0];
          }))
        return std::nullopt;
      if (k == 1 && (*f)[0] < 0)
        p.code = tflite::BuiltinOperator::SUB;
      p.lshift[k] = mul;
      v = mul.getInput1();
    }
    auto pre = v.getDefiningOp<tosa::RescaleOp>();
    if (!pre || !pre.getResult().hasOneUse() ||
        !isActivationType(pre.getInput().getType()))
      return std::nullopt;
    p.pre[k] = pre;
    p.x[k] = pre.getInput();
  }
  Value v = arith->getResult(0);
  if (!v.hasOneUse())
    return std::nullopt;
  p.out = dyn_cast<tosa::RescaleOp>(*v.getUsers().begin());
  if (!p.out || !isActivationType(p.out.getType()))
    return std::nullopt;
  p.result = p.out.getResult();
  p.last = p.out;
  if (p.result.hasOneUse())
    if (auto c = dyn_cast<tosa::ClampOp>(*p.result.getUsers().begin())) {
      p.clamp = c;
      p.result = c.getResult();
      p.last = c;
    }
  return p;
}

/// The arithmetic op whose pattern `op` (an input-side op) belongs to.
Operation *arithFor(Operation *op) {
  for (int hops = 0; hops < 4 && op->getNumResults() == 1; ++hops) {
    Value v = op->getResult(0);
    if (!v.hasOneUse() || !isI32(v))
      return nullptr;
    op = *v.getUsers().begin();
    if (isa<tosa::AddOp, tosa::MulOp>(op) && matchFrom(op))
      return op;
  }
  return nullptr;
}

} // namespace

std::optional<LogicalResult> Exporter::exportElementwise(Operation *op) {
  if (op->getNumResults() != 1 || !isI32(op->getResult(0)))
    return std::nullopt;
  std::optional<ElementwisePattern> pOr;
  if (isa<tosa::AddOp, tosa::MulOp>(op))
    pOr = matchFrom(op);
  if (!pOr) {
    // Input-side ops of a pattern are written with its arithmetic op; other
    // i32 arithmetic (e.g. the float-io quantization of another family) is
    // left to the other exporters, and the driver reports what nobody maps.
    if (isa<tosa::RescaleOp, tosa::MulOp>(op))
      if (Operation *arith = arithFor(op))
        if (matchFrom(arith)->contains(op))
          return success();
    return std::nullopt;
  }
  ElementwisePattern p = *pOr;
  StringRef name = builtinName(p.code);

  // --- types and quantization
  Type et = cast<ShapedType>(p.x[0].getType()).getElementType();
  Type outET = cast<ShapedType>(p.result.getType()).getElementType();
  if (cast<ShapedType>(p.x[1].getType()).getElementType() != et ||
      outET != et)
    return op->emitError("TFLite export: unsupported quantization scheme for ")
           << name << ": operands " << p.x[0].getType() << " and "
           << p.x[1].getType() << ", result " << p.result.getType()
           << " (TFLite needs one int8 or int16 type)";
  bool int16 = et.isInteger(16);
  std::optional<QParams> q[2] = {qparamsOf(p.x[0]), qparamsOf(p.x[1])};
  std::optional<QParams> qOut = qparamsOf(p.out.getResult());
  if (!q[0] || !q[1] || !qOut)
    return op->emitError("TFLite export: missing qapeft.scale on the ")
           << (!q[0] ? "first operand" : !q[1] ? "second operand" : "output")
           << " of " << name;
  if (!q[0]->perTensor() || !q[1]->perTensor() || !qOut->perTensor())
    return op->emitError("TFLite export: ")
           << name << " needs per-tensor quantization";
  if (int16 && (q[0]->zeroPoint[0] != 0 || q[1]->zeroPoint[0] != 0 ||
                qOut->zeroPoint[0] != 0))
    return op->emitError("TFLite export: int16 activations must be "
                         "symmetric (zero point 0)");

  // --- the rescales must be TFLite's
  ElementwiseRescales expect = elementwiseRescales(
      p.code, q[0]->scale[0], q[1]->scale[0], qOut->scale[0], int16);
  auto checkRescale = [&](tosa::RescaleOp r, int64_t m, int64_t s,
                          int64_t izp, int64_t ozp, tosa::RoundingMode mode,
                          StringRef role) -> LogicalResult {
    auto mult = constInts(r.getMultiplier()), shift = constInts(r.getShift());
    auto rIzp = constInts(r.getInputZp()), rOzp = constInts(r.getOutputZp());
    if (!mult || !shift || !rIzp || !rOzp || mult->size() != 1 ||
        shift->size() != 1 || rIzp->empty() || rOzp->empty())
      return r.emitError("TFLite export: the ")
             << role << " rescale of " << name
             << " needs constant per-tensor operands";
    if (!r.getScale32() || r.getPerChannel() || r.getRoundingMode() != mode ||
        r->hasAttr("qapeft.rounding"))
      return r.emitError("TFLite export: the ")
             << role << " rescale of " << name
             << " must be a per-tensor 32-bit "
             << tosa::stringifyRoundingMode(mode)
             << " rescale, the arithmetic of TFLite's builtin kernel";
    if ((*rIzp)[0] != izp || (*rOzp)[0] != ozp)
      return r.emitError("TFLite export: the ")
             << role << " rescale of " << name << " has zero points ("
             << (*rIzp)[0] << ", " << (*rOzp)[0] << "), expected (" << izp
             << ", " << ozp << ")";
    if ((*mult)[0] != m || (*shift)[0] != s)
      return r.emitError("TFLite export: the ")
             << role << " rescale of " << name << " has multiplier "
             << (*mult)[0] << " shift " << (*shift)[0]
             << ", but TFLite derives multiplier " << m << " shift " << s
             << " from the scales (" << q[0]->scale[0] << ", "
             << q[1]->scale[0] << " -> " << qOut->scale[0]
             << "); the runtime would compute different values";
    return success();
  };
  using RM = tosa::RoundingMode;
  // XNNPACK's qs8 add/subtract parameters from the float32 ratios s_i / s_o
  // (the subtrahend's negated): shift = 20 - exponent of the larger ratio,
  // multipliers lrintf(ratio * 2^shift).
  struct {
    int64_t mult[2] = {0, 0};
    int shift = 0;
  } xnn;
  if (p.xnnpack) {
    float ratio[2] = {q[0]->scale[0] / qOut->scale[0],
                      q[1]->scale[0] / qOut->scale[0]};
    xnn.shift = 20 - std::ilogb(std::max(ratio[0], ratio[1]));
    if (xnn.shift < 12 || xnn.shift > 30 || ratio[0] < 0x1.0p-10f ||
        ratio[1] < 0x1.0p-10f)
      return op->emitError("TFLite export: XNNPACK takes ")
             << name << " only with input-to-output scale ratios in "
             << "[2^-10, 2^8)";
    for (int k = 0; k < 2; ++k)
      xnn.mult[k] = std::lrintf(std::ldexp(ratio[k], xnn.shift));
    if (p.code == tflite::BuiltinOperator::SUB)
      xnn.mult[1] = -xnn.mult[1];
  }
  for (unsigned k = 0; k < 2; ++k) {
    StringRef role = k == 0 ? "first operand's" : "second operand's";
    if (failed(checkRescale(p.pre[k], int64_t(1) << 30, 30,
                            q[k]->zeroPoint[0], 0, RM::SINGLE_ROUND, role)))
      return failure();
    if (p.lshift[k]) {
      int64_t factor = p.xnnpack ? xnn.mult[k] : int64_t(1) << expect.leftShift;
      if (!p.xnnpack && p.code == tflite::BuiltinOperator::SUB && k == 1)
        factor = -factor;
      auto f = constInts(p.lshift[k].getInput2());
      auto sh = constInts(p.lshift[k].getShift());
      if ((*f)[0] != factor || !sh || sh->empty() || (*sh)[0] != 0)
        return p.lshift[k].emitError("TFLite export: ")
               << name << " scales its " << role << " input by "
               << (*f)[0] << ", but TFLite's kernel shifts it by " << factor;
    }
    if (p.rq[k] && failed(checkRescale(p.rq[k], expect.inMult[k],
                                       expect.inShift[k], 0, 0,
                                       RM::DOUBLE_ROUND, role)))
      return failure();
  }
  auto rounding = p.out->getAttrOfType<StringAttr>("qapeft.rounding");
  if (p.xnnpack) {
    // (acc + 2^(shift-1)) >> shift as an exact rescale.
    if (failed(checkRescale(p.out, int64_t(1) << 30, xnn.shift + 30, 0,
                            qOut->zeroPoint[0], RM::SINGLE_ROUND, "output")))
      return failure();
  } else if (p.code == tflite::BuiltinOperator::MUL && rounding &&
      rounding.getValue() == "fp32_half_even") {
    // A MUL lowered for XNNPACK: float(acc) * scale with ties to even, where
    // the delegate derives scale = float(s1 * s2) / so from the file.
    float expected = (q[0]->scale[0] * q[1]->scale[0]) / qOut->scale[0];
    auto fp32 = p.out->getAttrOfType<ArrayAttr>("qapeft.fp32_scale");
    auto got = fp32 && fp32.size() == 1 ? dyn_cast<FloatAttr>(fp32[0])
                                        : FloatAttr();
    auto ozp = constInts(p.out.getOutputZp());
    if (!got || static_cast<float>(got.getValueAsDouble()) != expected)
      return p.out.emitError("TFLite export: qapeft.fp32_scale of MUL differs "
                             "from the float32 scale XNNPACK derives from the "
                             "file's scales (")
             << expected << ")";
    if (!ozp || ozp->empty() || (*ozp)[0] != qOut->zeroPoint[0] ||
        p.out.getPerChannel())
      return p.out.emitError("TFLite export: the output rescale of MUL must "
                             "be per tensor with the output's zero point");
  } else if (failed(checkRescale(p.out, expect.outMult, expect.outShift, 0,
                                 qOut->zeroPoint[0], RM::DOUBLE_ROUND,
                                 "output"))) {
    return failure();
  }

  // --- broadcasting: TFLite's quantized kernels broadcast up to 4-D; the
  // int16 SUB broadcast kernel is another code path, not matched here.
  auto s0 = cast<ShapedType>(p.x[0].getType()).getShape();
  auto s1 = cast<ShapedType>(p.x[1].getType()).getShape();
  bool broadcast = s0 != s1;
  if (broadcast && s0.size() > 4)
    return op->emitError("TFLite export: ")
           << name << " broadcasts only up to 4-D tensors";
  if (broadcast && int16 && p.code == tflite::BuiltinOperator::SUB)
    return op->emitError("TFLite export: int16 SUB with broadcasting runs "
                         "another TFLite kernel than the one this graph "
                         "computes; broadcast the operand first");

  // --- fused activation
  tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE;
  if (p.clamp) {
    auto minA = dyn_cast<IntegerAttr>(p.clamp.getMinVal());
    auto maxA = dyn_cast<IntegerAttr>(p.clamp.getMaxVal());
    if (!minA || !maxA)
      return p.clamp.emitError("TFLite export: clamp bounds must be integers");
    bool found = false;
    for (auto a : {tflite::ActivationFunctionType::NONE,
                   tflite::ActivationFunctionType::RELU,
                   tflite::ActivationFunctionType::RELU6,
                   tflite::ActivationFunctionType::RELU_N1_TO_1}) {
      auto [lo, hi] = quantizedActivationRange(
          static_cast<int>(a), qOut->scale[0], qOut->zeroPoint[0], qmin(et),
          qmax(et));
      if (lo == minA.getInt() && hi == maxA.getInt()) {
        act = a;
        found = true;
        break;
      }
    }
    if (!found)
      return p.clamp.emitError("TFLite export: clamp [")
             << minA.getInt() << ", " << maxA.getInt()
             << "] is not the quantized range of RELU, RELU6 or RELU_N1_TO_1 "
                "for the output scale "
             << qOut->scale[0] << " and zero point " << qOut->zeroPoint[0];
    fused.insert(p.clamp);
  }
  fused.insert(p.out);

  // --- tensors and the operator (op_version.cc: the minimal versions)
  auto in0 = tensorFor(op, p.x[0]);
  if (failed(in0))
    return failure();
  auto in1 = tensorFor(op, p.x[1]);
  if (failed(in1))
    return failure();
  auto outT = tensorFor(p.last, p.result);
  if (failed(outT))
    return failure();
  switch (p.code) {
  case tflite::BuiltinOperator::ADD: {
    // pot_scale_int16 = false selects the general int16 kernel (version 3).
    auto opts = tflite::CreateAddOptions(fbb, act, /*pot_scale_int16=*/!int16);
    addOperator(p.code, int16 ? 3 : 2, {*in0, *in1}, {*outT},
                tflite::BuiltinOptions::AddOptions, opts.Union());
    break;
  }
  case tflite::BuiltinOperator::SUB: {
    auto opts = tflite::CreateSubOptions(fbb, act, /*pot_scale_int16=*/!int16);
    addOperator(p.code, int16 ? 5 : 2, {*in0, *in1}, {*outT},
                tflite::BuiltinOptions::SubOptions, opts.Union());
    break;
  }
  default: {
    // Version 3 for a rescale >= 1, computed as op_version.cc does (float).
    int version = int16 ? 4
                  : q[0]->scale[0] * q[1]->scale[0] / qOut->scale[0] >= 1.0f
                      ? 3
                      : 2;
    auto opts = tflite::CreateMulOptions(fbb, act);
    addOperator(p.code, version, {*in0, *in1}, {*outT},
                tflite::BuiltinOptions::MulOptions, opts.Union());
    break;
  }
  }
  return success();
}
