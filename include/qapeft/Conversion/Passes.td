//===- Passes.td - qapeft deployment conversions -----------*- tablegen -*-===//
//
// The passes that turn a trained QA-PEFT module into what the device runs:
// adapter merging and the lowering to an integer-only TOSA graph.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_CONVERSION_PASSES_TD
#define QAPEFT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def MergeAdapters : Pass<"qapeft-merge-adapters", "ModuleOp"> {
  let summary = "Merge LoRA deltas and (IA)^3 scales into the weights";
  let description = [{
    - `qapeft.lora_delta %w, %a, %b` whose three operands are compile-time
      tensors (`tosa.const`, `arith.constant` or `qapeft.param`) becomes one
      `tosa.const` holding `W + (alpha / rank) * (B @ A)`, named like the
      weight (`loc("<layer>.weight")`). The float32 arithmetic is the
      training forward's, in this order (so merging changes no bit):
      `d[i][j] = sum over k = 0 .. r-1 of B[i][k] * A[k][j]` accumulated in
      float32 starting from 0 (no fused multiply-add); `s = alpha / rank`
      divided in double and rounded once to float32; `W_eff = W + s * d`
      (one float32 multiply, then one float32 add), with `d` reshaped to
      the weight layout along `out_axis`. This is
      `qapeft::numerics::mergeLora` (include/qapeft/Numerics/Weights.h),
      which the simulator's forward must use too for a bit-exact merge. The weight's fake quant (and its `qapeft.weight_range`)
      then quantizes exactly the tensor the training forward quantized.
    - `qapeft.ia3 %y, %l` on the channel (last) axis of a `tosa.conv2d` or
      `tosa.depthwise_conv2d` result with compile-time `l`, weight and bias,
      where the weight is *not* fake quantized, scales the weight's output
      channels and the bias by `l` (`(W * l[c]) x + b * l[c]`). When the
      weight is fake quantized the scale is kept: `--qapeft-lower-to-integer`
      folds it into the per-channel requantization scale instead, which is
      exact, while changing the weight would change its quantization grid.
    - `qapeft.lora_side` and `qapeft.bottleneck` stay (delta deployment):
      they are not mergeable into the base weights.
    Trainable tensors are frozen by merging: the merged constant is no
    longer a `qapeft.param`.
  }];
  let dependentDialects = ["::mlir::tosa::TosaDialect"];
}

def LowerToInteger : Pass<"qapeft-lower-to-integer", "ModuleOp"> {
  let summary = "Lower the calibrated QA-PEFT form to an integer-only TOSA graph";
  let description = [{
    Rewrites every function whose input is fake quantized: activations
    become integer tensors (the storage type of their `qapeft.fake_quant`
    scheme), each `tosa.conv2d` (and the fully connected reshape + 1x1
    conv2d form) becomes

      conv2d(i8 x i8 -> i32 or i16 x i8 -> i48, input_zp, weight_zp)
      -> tosa.rescale (per-channel multiplier/shift, output zero point)
      -> [tosa.reshape] -> [tosa.clamp for the fused activation]

    with weights quantized by their scheme (per channel along the output
    axis, scales from `qapeft.weight_range` evaluated here in float32 or
    from constant scale operands) and biases quantized to the accumulator
    type at `s_in * s_w` (round half to even; overflow is an error).
    `tosa.depthwise_conv2d` is lowered the same way (HWCM weights, output
    channel c * M + m), and `tosa.matmul` with a fake-quantized constant
    right operand `[N, C, W]` (per channel on axis 2) becomes an integer
    matmul plus rescale. `tosa.reshape` and `tosa.max_pool2d` of integer
    tensors are kept; a quantizer on an integer tensor with other
    parameters becomes an integer-to-integer rescale; `qapeft.ia3` between
    the conv and its output quantizer is folded into the per-channel scale.
    Not lowered yet (an error at the op): `qapeft.lora_side`,
    `qapeft.bottleneck` (a side path written as explicit fully connected
    layers and a `tosa.add`, each fake quantized, lowers). `tosa.add`,
    `tosa.sub` and `tosa.mul` lower to TFLite's ADD / SUB / MUL arithmetic
    (lib/Conversion/LowerElementwise.cpp).
    A `qapeft.region` is lowered in place: an integer region's body like
    the rest (its quantizers, re-schemed by --qapeft-assign-precision, set
    the widths: i16 activations accumulate in i48), its entry and exit
    quantizers becoming i8 <-> i16 rescales; an f32 island dequantizes its
    inputs, keeps its float ops, and its result's quantizer quantizes.

    Multipliers are computed from the float32 scales in double, as TFLite
    does from the flatbuffer: `M = s_in * s_w[c] / s_out`, then TFLite's
    QuantizeMultiplier, converted to TOSA's shift convention. Rounding:
    - `single`: `rounding_mode = SINGLE_ROUND` (multiplier clamped as
      TFLITE_SINGLE_ROUNDING does).
    - `double`: `rounding_mode = DOUBLE_ROUND` (bit-identical to gemmlowp's
      SaturatingRoundingDoublingHighMul + RoundingDivideByPOT).
    - `fp32-half-even` and `half-away` have no TOSA rounding mode: the
      rescale gets `rounding_mode = INEXACT_ROUND` (TOSA: result within one
      of exact), the 32-bit multiplier/shift of the scale, and the
      discardable attribute `qapeft.rounding` (`"fp32_half_even"` or
      `"half_away"`) that `qapeft-sim` executes exactly; for
      `fp32_half_even` also `qapeft.fp32_scale`, XNNPACK's float32
      per-channel scales `(s_in * s_w[c]) / s_out`.
    Rounding comes from the `rounding` option, else the `rounding` entry
    of the module's `qapeft.target`, else the output quantizer's scheme.

    Every integer tensor keeps its float quantization as attributes
    (docs/CONVENTIONS.md): `qapeft.scale`, `qapeft.zero_point`,
    `qapeft.quantized_dimension` on the ops and as function arg/result
    attributes. The function signature becomes integer at both ends (the
    caller quantizes the input and dequantizes the output with those
    attributes).

    Errors (with the op's location): a bias that does not fit the bias
    type, an accumulator that can overflow in the worst case
    (`K * max|x - zp_x| * max|w - zp_w| + max|bias|` over the channel's
    reduction size K), a multiplier/shift TOSA cannot express, an op on an
    integer path that has no integer lowering, a conv without an output
    quantizer.
  }];
  let options = [
    Option<"function", "function", "std::string", "\"forward\"",
           "the function to lower (empty: every function whose input is "
           "fake quantized); others, e.g. @train_step, are left alone">,
    Option<"floatIO", "float-io", "bool", "false",
           "keep f32 at the function's edges: quantize the input (x * (1/s), "
           "round half to even, + zp, clamp, cast) and dequantize the results "
           "with TOSA float ops (needs the pro_fp profile); default: integer "
           "input and results">,
    Option<"rounding", "rounding", "std::string", "\"\"",
           "requantization rounding: single | double | fp32-half-even | "
           "half-away (default: the target's, else the output scheme's)">,
    Option<"biasBits", "bias-bits", "unsigned", "0",
           "signed bits a quantized bias must fit (0: the target's "
           "bias_bits, else 32 for 8-bit and 48 for 16-bit activations)">,
    Option<"accumulatorBits", "accumulator-bits", "unsigned", "0",
           "accumulator width for the overflow bound (0: the target's "
           "accumulator_bits, else 32 for 8-bit and 48 for 16-bit "
           "activations)">
  ];
  let dependentDialects = ["::mlir::tosa::TosaDialect",
                           "::mlir::func::FuncDialect"];
}

def StripTrainingGraph : Pass<"qapeft-strip-training-graph", "ModuleOp"> {
  let summary = "Erase the training graph so only the deployable model remains";
  let description = [{
    Erases every function emitted by `--qapeft-training-graph` (it carries
    the `qapeft.optimizer` attribute, e.g. `@train_step`). The trained
    values live in the model's `qapeft.param` ops, so nothing the device
    needs is lost; the step function would otherwise keep its adapters
    unmerged and its float ops in the deployed module. `--qapeft-deploy`
    runs it first.
  }];
}

def ExportAdapterDelta : Pass<"qapeft-export-adapter-delta", "ModuleOp"> {
  let summary = "Write an integer model's adapter tensors for an over-the-air update";
  let description = [{
    On the integer graph (after `--qapeft-lower-to-integer`), writes the
    quantized constants of the delta-deployed adapters -- the `tosa.const`
    ops with `qapeft.scale` whose name location has a dot-separated
    component in `names` (e.g. `fc1.lora_a`, `lora_b.weight`,
    `block1.down.bias`) -- to `file` as JSON: per tensor its name, element
    type, shape, `scale`, `zero_point`, `quantized_dimension` and the stored
    integer values, in graph order. A device holding the base model applies
    the update by replacing those tensors; the base weights are not in the
    file. The module is not changed. No matching tensor is an error, and the
    file is written to a temporary and renamed, so it is never partial.
  }];
  let options = [
    Option<"file", "file", "std::string", "\"\"",
           "Output JSON file (required)">,
    ListOption<"names", "names", "std::string",
               "Adapter tensor kinds (default: lora_a, lora_b, down, up, adapter_down, adapter_down_bias, adapter_up, adapter_up_bias)">,
  ];
}

#endif // QAPEFT_CONVERSION_PASSES_TD
