//===- QAPeftHardwareExactOps.td - hardware-exact forward ops -*- tablegen -*-===//
//
// The ops `--qapeft-hardware-exact` inserts so that the training forward
// computes, bit for bit, what the integer graph of `--qapeft-deploy`
// computes (DESIGN.md section 3, "hardware-exact" mode).
//
// Each op *shadows* a float fake-quant value: operand `shadow` is the
// output of the `qapeft.fake_quant` that ends a quantized layer in the float
// graph, and the op's result (same type) replaces it for every later use.
// The forward value is recomputed from integer codes with the target's
// integer arithmetic and dequantized; the backward is the straight-through
// estimator of the float graph: the gradient of the result goes to `shadow`
// unchanged, and from there through the float layer (fake-quant STE, clamp
// mask, conv gradients) as without the mode. No other operand gets a
// gradient.
//
// Every scale and zero point is an operand (a `qapeft.param` that
// calibration fills, or a `qapeft.weight_range` result), read when the op
// runs, so the op stays valid when calibration or training changes them.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_HARDWARE_EXACT_OPS_TD
#define QAPEFT_HARDWARE_EXACT_OPS_TD

include "QAPeftDialect.td"
include "QAPeftAttrs.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QAPeft_ExactFloatTensor : TensorOf<[F32]>;

def QAPeft_ExactConvOp : QAPeft_Op<"exact_conv", [Pure,
    AllTypesMatch<["shadow", "output"]>]> {
  let summary = "a quantized conv layer recomputed with the device's integers";
  let description = [{
    Recomputes the layer `fake_quant(clamp*(conv(x, fake_quant(w)) + b))`
    whose float output is `shadow`, as the integer lowering deploys it
    (lib/Conversion/LowerToInteger.cpp, with the same numerics functions):

    1. input codes `qx = quantize(x, input_scale, input_zero_point)` on
       `input_scheme` (`x` is the dequantized output of an earlier quantizer,
       possibly reshaped, max-pooled or clamped: quantizing it again gives
       exactly the codes the integer graph holds);
    2. weight codes `qw = quantize(weight, weight_scale, weight_zero_point)`
       per output channel on `weight_scheme` (`weight` is the input of the
       weight's fake quant, e.g. the LoRA-merged weight);
    3. bias `qb = round_half_even(b / (s_in * s_w[c]))` in double, which
       must fit `bias_bits` signed bits;
    4. `acc = qb + sum (qx - zp_in) * (qw - zp_w)` exactly, as
       `tosa.conv2d` (`depthwise` unset, OHWI weight) or
       `tosa.depthwise_conv2d` (`depthwise` set, HWCM weight) with `pad`,
       `stride`, `dilation`; it must fit the accumulator (i32, or i48 for
       16-bit inputs);
    5. requantization by `s_in * s_w[c] / s_out` with `rounding`, exactly as
       `tosa.rescale` with the lowering's multiplier and shift, plus the
       output zero point, saturated to the output storage type;
    6. each `[lo, hi]` pair of `clamps` (the fused activations, in order)
       as an integer clamp at the quantized bounds;
    7. dequantized: `(q - zp_out) * s_out`.

    The result has `shadow`'s shape: the conv output in row-major order,
    reshaped as the float chain reshapes it.

    ```mlir
    %y = qapeft.exact_conv %yfq from %x(%xs, %xz) weight %w(%ws, %wz)
           bias %b output(%ys, %yz) {...} : (...) -> tensor<?x28x28x16xf32>
    ```
  }];
  let arguments = (ins QAPeft_ExactFloatTensor:$shadow,
                       QAPeft_ExactFloatTensor:$input,
                       QAPeft_ExactFloatTensor:$input_scale,
                       QAPeft_ExactFloatTensor:$input_zero_point,
                       QAPeft_ExactFloatTensor:$weight,
                       QAPeft_ExactFloatTensor:$weight_scale,
                       QAPeft_ExactFloatTensor:$weight_zero_point,
                       QAPeft_ExactFloatTensor:$bias,
                       QAPeft_ExactFloatTensor:$output_scale,
                       QAPeft_ExactFloatTensor:$output_zero_point,
                       DenseI64ArrayAttr:$pad,
                       DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$dilation,
                       UnitAttr:$depthwise,
                       QAPeft_QuantSchemeAttr:$input_scheme,
                       QAPeft_QuantSchemeAttr:$weight_scheme,
                       QAPeft_QuantSchemeAttr:$output_scheme,
                       QAPeft_RoundingModeAttr:$rounding,
                       I64Attr:$bias_bits,
                       DefaultValuedAttr<F32ArrayAttr, "{}">:$clamps);
  let results = (outs QAPeft_ExactFloatTensor:$output);
  let assemblyFormat = [{
    $shadow `from` $input `(` $input_scale `,` $input_zero_point `)`
    `weight` $weight `(` $weight_scale `,` $weight_zero_point `)`
    `bias` $bias `output` `(` $output_scale `,` $output_zero_point `)`
    attr-dict `:` functional-type(operands, results)
  }];
}

def QAPeft_ExactMatmulOp : QAPeft_Op<"exact_matmul", [Pure,
    AllTypesMatch<["shadow", "output"]>]> {
  let summary = "a quantized matmul layer recomputed with the device's integers";
  let description = [{
    As `qapeft.exact_conv` for `fake_quant(clamp*(matmul(a, fake_quant(b))))`
    with `a` `[N, H, C]` on the grid of an earlier quantizer and the weight
    `b` `[N, C, W]` quantized per tensor or per output channel (axis 2) with
    one zero point: `acc = sum (qa - zp_a) * (qb - zp_b)` (no bias; i32, or
    i48 for 16-bit `a`), requantized by `s_a * s_b[c] / s_out` with
    `rounding`, clamped by `clamps`, dequantized; the result has `shadow`'s
    shape.
  }];
  let arguments = (ins QAPeft_ExactFloatTensor:$shadow,
                       QAPeft_ExactFloatTensor:$input,
                       QAPeft_ExactFloatTensor:$input_scale,
                       QAPeft_ExactFloatTensor:$input_zero_point,
                       QAPeft_ExactFloatTensor:$weight,
                       QAPeft_ExactFloatTensor:$weight_scale,
                       QAPeft_ExactFloatTensor:$weight_zero_point,
                       QAPeft_ExactFloatTensor:$output_scale,
                       QAPeft_ExactFloatTensor:$output_zero_point,
                       QAPeft_QuantSchemeAttr:$input_scheme,
                       QAPeft_QuantSchemeAttr:$weight_scheme,
                       QAPeft_QuantSchemeAttr:$output_scheme,
                       QAPeft_RoundingModeAttr:$rounding,
                       DefaultValuedAttr<F32ArrayAttr, "{}">:$clamps);
  let results = (outs QAPeft_ExactFloatTensor:$output);
  let assemblyFormat = [{
    $shadow `from` $input `(` $input_scale `,` $input_zero_point `)`
    `weight` $weight `(` $weight_scale `,` $weight_zero_point `)`
    `output` `(` $output_scale `,` $output_zero_point `)`
    attr-dict `:` functional-type(operands, results)
  }];
}

def QAPeft_ExactRequantOp : QAPeft_Op<"exact_requant", [Pure,
    AllTypesMatch<["shadow", "output"]>]> {
  let summary = "an activation requantization recomputed with the device's integers";
  let description = [{
    Recomputes `fake_quant(x)` whose float output is `shadow`, where `x` is
    already on the grid of an earlier quantizer (`input_scale`,
    `input_zero_point`, `input_scheme`; possibly reshaped, max-pooled or
    clamped), as the integer lowering deploys it: the input codes
    `qx = quantize(x)`; if both grids are equal, `qx` itself; otherwise a
    `tosa.rescale` of `qx - zp_in` by `s_in / s_out` with `rounding`, plus
    the output zero point, saturated to the output storage type. The result
    is dequantized: `(q - zp_out) * s_out`.
  }];
  let arguments = (ins QAPeft_ExactFloatTensor:$shadow,
                       QAPeft_ExactFloatTensor:$input,
                       QAPeft_ExactFloatTensor:$input_scale,
                       QAPeft_ExactFloatTensor:$input_zero_point,
                       QAPeft_ExactFloatTensor:$output_scale,
                       QAPeft_ExactFloatTensor:$output_zero_point,
                       QAPeft_QuantSchemeAttr:$input_scheme,
                       QAPeft_QuantSchemeAttr:$output_scheme,
                       QAPeft_RoundingModeAttr:$rounding);
  let results = (outs QAPeft_ExactFloatTensor:$output);
  let assemblyFormat = [{
    $shadow `from` $input `(` $input_scale `,` $input_zero_point `)`
    `output` `(` $output_scale `,` $output_zero_point `)`
    attr-dict `:` functional-type(operands, results)
  }];
}

// The `kind` of the exact ops: a string attribute restricted to the kinds
// the kernel and the lowering know.
class QAPeft_ExactKindAttr<list<string> kinds> : ConfinedAttr<StrAttr, [
    AttrConstraint<CPred<"(" # !interleave(!foreach(k, kinds,
        "::llvm::cast<::mlir::StringAttr>($_self).getValue() == \"" # k # "\""),
        " || ") # ")">,
                   "one of " # !interleave(kinds, ", ")>]>;

def QAPeft_ExactElementwiseOp : QAPeft_Op<"exact_elementwise", [Pure,
    AllTypesMatch<["shadow", "output"]>]> {
  let summary = "a quantized add/sub/mul recomputed with the device's integers";
  let description = [{
    Recomputes `fake_quant(clamp*(lhs <kind> rhs))` whose float output is
    `shadow`, where `lhs` and `rhs` are on the grids of earlier quantizers
    (possibly reshaped, max-pooled or clamped), as the integer lowering
    deploys a `tosa.add` / `tosa.sub` / `tosa.mul` (`kind` = "add", "sub",
    "mul"; lib/Conversion/LowerElementwise.cpp documents the arithmetic):

    - rounding single or double (TFLite's builtin kernels), and every int16
      op: ADD/SUB bring both codes `c_i = q_i - zp_i` to a common grid,
      `MBQM(+-c_i << L, s_i / (2 max s))` with L = 20 (int8) or 15 (int16),
      add them and requantize by `2 max s / (2^L s_out)`; MUL requantizes
      `c_1 c_2` by `float(s_1 s_2 / s_out)`; every MBQM is TOSA's
      DOUBLE_ROUND with TFLite's QuantizeMultiplier (numerics functions);
    - rounding fp32-half-even on int8 (XNNPACK): ADD/SUB
      `(sum c_i lrintf(s_i / s_out 2^shift) + 2^(shift-1)) >> shift`, MUL
      the fp32 requantization of `c_1 c_2` by `float(s_1 s_2) / s_out`;

    then the output zero point, saturation to the storage type, each
    `[lo, hi]` pair of `clamps` at its quantized bounds, and dequantization
    `(q - zp_out) * s_out`. `lhs` and `rhs` broadcast as TOSA broadcasts
    (equal rank, size-1 dimensions); the result has `shadow`'s shape.
  }];
  let arguments = (ins QAPeft_ExactFloatTensor:$shadow,
                       QAPeft_ExactFloatTensor:$lhs,
                       QAPeft_ExactFloatTensor:$lhs_scale,
                       QAPeft_ExactFloatTensor:$lhs_zero_point,
                       QAPeft_ExactFloatTensor:$rhs,
                       QAPeft_ExactFloatTensor:$rhs_scale,
                       QAPeft_ExactFloatTensor:$rhs_zero_point,
                       QAPeft_ExactFloatTensor:$output_scale,
                       QAPeft_ExactFloatTensor:$output_zero_point,
                       QAPeft_ExactKindAttr<["add", "sub", "mul"]>:$kind,
                       QAPeft_QuantSchemeAttr:$lhs_scheme,
                       QAPeft_QuantSchemeAttr:$rhs_scheme,
                       QAPeft_QuantSchemeAttr:$output_scheme,
                       QAPeft_RoundingModeAttr:$rounding,
                       DefaultValuedAttr<F32ArrayAttr, "{}">:$clamps);
  let results = (outs QAPeft_ExactFloatTensor:$output);
  let assemblyFormat = [{
    $kind $shadow `from` $lhs `(` $lhs_scale `,` $lhs_zero_point `)`
    `and` $rhs `(` $rhs_scale `,` $rhs_zero_point `)`
    `output` `(` $output_scale `,` $output_zero_point `)`
    attr-dict `:` functional-type(operands, results)
  }];
}

def QAPeft_ExactUnaryOp : QAPeft_Op<"exact_unary", [Pure,
    AllTypesMatch<["shadow", "output"]>]> {
  let summary = "a sigmoid, tanh, global average pool or softmax "
                "recomputed with the device's integers";
  let description = [{
    Recomputes `fake_quant(f(x))` whose float output is `shadow`, where `x`
    is on the grid of an earlier int8 or int16 quantizer (possibly reshaped,
    max-pooled or clamped) and the output has the same storage type, as the
    integer lowering deploys it (lib/Conversion/LowerActivations.cpp,
    LowerInt16Activations.cpp, LowerMeanInt16.cpp), by `kind`:

    - "sigmoid", "tanh": int8: TFLite's 256-entry LOGISTIC / TANH table
      (numerics::tfliteActivationTable) onto the fixed output grid (1/256,
      -128 or 1/128, 0); int16 (zero points 0): TFLite's int16 kernels
      (numerics::tfliteInt16Logistic / Tanh) onto 1/32768, 0; then, if
      the output quantizer's grid differs, a requantization to it with
      `rounding` as the lowering's activation requantization (a TFLite
      QUANTIZE);
    - "mean": a global average pool over H and W of an NHWC `x` (TFLite
      MEAN, keep_dims): the sum of the codes requantized as TFLite's builtin
      kernel does (float32 multiplier `s_in / (H W s_out)`, DOUBLE_ROUND,
      the separately rounded zero-point bias) for rounding single or
      double, or as XNNPACK does (`(sum - H W zp_in)` requantized in fp32)
      for fp32-half-even; int16 (zero points 0): TFLite's int16 MEAN
      (numerics/MeanInt16.h: the truncated integer mean for equal scales,
      else the float32 mean scaled and rounded half away);
    - "softmax": TFLite's SOFTMAX (beta 1) over the last axis of `x`, as
      `qapeft.tflite_softmax` computes it (int8: the float exp table and
      float32 normalization onto 1/256, -128; int16: numerics::
      softmaxInt16Row onto 1/32768, 0), then, if the output quantizer's
      grid differs, the activation requantization as for "sigmoid".

    The result is dequantized `(q - zp_out) * s_out` and has `shadow`'s
    shape.
  }];
  let arguments = (ins QAPeft_ExactFloatTensor:$shadow,
                       QAPeft_ExactFloatTensor:$input,
                       QAPeft_ExactFloatTensor:$input_scale,
                       QAPeft_ExactFloatTensor:$input_zero_point,
                       QAPeft_ExactFloatTensor:$output_scale,
                       QAPeft_ExactFloatTensor:$output_zero_point,
                       QAPeft_ExactKindAttr<["sigmoid", "tanh", "mean", "softmax"]>:$kind,
                       QAPeft_QuantSchemeAttr:$input_scheme,
                       QAPeft_QuantSchemeAttr:$output_scheme,
                       QAPeft_RoundingModeAttr:$rounding);
  let results = (outs QAPeft_ExactFloatTensor:$output);
  let assemblyFormat = [{
    $kind $shadow `from` $input `(` $input_scale `,` $input_zero_point `)`
    `output` `(` $output_scale `,` $output_zero_point `)`
    attr-dict `:` functional-type(operands, results)
  }];
}

#endif // QAPEFT_HARDWARE_EXACT_OPS_TD
