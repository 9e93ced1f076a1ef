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

#endif // QAPEFT_HARDWARE_EXACT_OPS_TD
