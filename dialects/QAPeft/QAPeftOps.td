//===- QAPeftOps.td - qapeft operations --------------------*- tablegen -*-===//

#ifndef QAPEFT_OPS_TD
#define QAPEFT_OPS_TD

include "QAPeftDialect.td"
include "QAPeftAttrs.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def QAPeft_FloatTensor : TensorOf<[AnyFloat]>;

// Several folders below remove an adapter whose trainable tensor is known to
// be neutral. They only look at *frozen* values: constants (`tosa.const`,
// `arith.constant`) and `qapeft.param` ops without `trainable`. A trainable
// parameter may start at zero (LoRA's B, for example) but is never folded,
// because training is about to change it.

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def QAPeft_ParamOp : QAPeft_Op<"param", [Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "a named tensor that training or calibration may change";
  let description = [{
    Every value the tools read or write by name: base weights, adapter
    tensors, fake-quant scales and zero points. `trainable` marks the ones
    the training graph differentiates and the optimizer updates; the others
    are frozen (or filled by calibration). The name is the key under which
    `qapeft-sim train` writes trained values back.

    ```mlir
    %a = qapeft.param "conv1.lora_a" trainable dense<0.1> : tensor<4x9xf32>
    %s = qapeft.param "conv1.input.scale" dense<0.02> : tensor<f32>
    ```

    The value is any elements attribute: `dense<...>` or, for large
    tensors, `dense_resource<...>`. The verifier checks that the name is not
    empty and that a trainable parameter has float elements (integer
    tensors have no gradient).
  }];
  let arguments = (ins StrAttr:$name, UnitAttr:$trainable,
                       ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $name (`trainable` $trainable^)? attr-dict $value
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fake quantization
//===----------------------------------------------------------------------===//

def QAPeft_FakeQuantOp : QAPeft_Op<"fake_quant", [Pure,
    AllTypesMatch<["input", "output"]>,
    AllTypesMatch<["scale", "zero_point"]>]> {
  let summary = "quantize-dequantize in float on the target's grid";
  let description = [{
    Computes `(clamp(round(x / s) + z, qmin, qmax) - z) * s` elementwise,
    with `s` and `z` broadcast according to the scheme's granularity: one
    value (`per_tensor`, shape `[]` or `[1]`), one per index of `axis`
    (`per_channel`, shape `[dim(axis)]`), or one per group of `group_size`
    consecutive elements along `axis` (`per_group`, the input shape with
    `dim(axis)` divided by `group_size`). Rounding is half to even, as the
    targets' float-to-int conversions do. The backward pass is the
    straight-through estimator, clipped to the grid.

    `scale` and `zero_point` have the same type. The zero point is a float
    holding an integer code; a symmetric scheme needs it to be 0. When they
    are constants (or `qapeft.param` initial values) the verifier also
    checks that every scale is finite and > 0 and every zero point is an
    integer in `[qmin, qmax]`.

    Folds: fake quantizing the output of another `qapeft.fake_quant` with
    the same scale and zero point (the same SSA values, or equal constants)
    and the same granularity changes nothing when this op's code range
    contains the inner one's, so the op folds to its input. The grid points
    must be exact in the element type for this, which holds when it has at
    least `bits + 2` bits of precision (f32: every scheme; f16: up to 9
    bits; bf16: up to 6); otherwise the op stays.

    ```mlir
    %y = qapeft.fake_quant %x scale %s zero_point %z
           scheme <bits = 8, storage = i8>
           : tensor<?x28x28x1xf32>, tensor<f32>
    %w8 = qapeft.fake_quant %w scale %ws zero_point %wz
           scheme <bits = 8, storage = i8, symmetric = true, narrow = true,
                   granularity = per_channel, axis = 0>
           : tensor<16x3x3x1xf32>, tensor<16xf32>
    ```

    The scheme is written without its `#qapeft.scheme` prefix: the full
    attribute would take the op's trailing `: types` as its own type (the
    generic form, `<{scheme = #qapeft.scheme<...>}>`, spells it out).
  }];
  let arguments = (ins QAPeft_FloatTensor:$input,
                       QAPeft_FloatTensor:$scale,
                       QAPeft_FloatTensor:$zero_point,
                       QAPeft_QuantSchemeAttr:$scheme);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $input `scale` $scale `zero_point` $zero_point `scheme` $scheme attr-dict
    `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Adapters
//===----------------------------------------------------------------------===//

def QAPeft_LoraDeltaOp : QAPeft_Op<"lora_delta", [Pure,
    AllTypesMatch<["weight", "output"]>]> {
  let summary = "LoRA on a weight: W + (alpha / rank) * B @ A";
  let description = [{
    The mergeable LoRA form. The weight is seen as a matrix with the
    output-channel axis `out_axis` as rows and all other axes, in order, as
    columns: `B` is `[dim(out_axis), rank]`, `A` is
    `[rank, numel / dim(out_axis)]`, and the product is reshaped back to the
    weight's layout (OHWI conv weights use `out_axis = 0`). `rank` must
    equal `dim(A, 0)` and `dim(B, 1)`; `alpha` must be > 0 unless the rank
    is 0. A, B and the weight share their element type.

    Folds to the weight when the rank is 0 or when A or B is a frozen
    all-zero tensor (the delta is then exactly 0).

    ```mlir
    %w2 = qapeft.lora_delta %w, %a, %b {alpha = 8.0 : f32, rank = 4 : i64}
            : tensor<16x3x3x1xf32>, tensor<4x9xf32>, tensor<16x4xf32>
    ```
  }];
  let arguments = (ins QAPeft_FloatTensor:$weight, QAPeft_FloatTensor:$a,
                       QAPeft_FloatTensor:$b, F32Attr:$alpha,
                       I64Attr:$rank,
                       DefaultValuedAttr<I64Attr, "0">:$out_axis);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $weight `,` $a `,` $b attr-dict `:` type($weight) `,` type($a) `,` type($b)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The factor alpha / rank applied to B @ A.
    float getScaling() {
      return getRank() == 0 ? 0.0f
                            : getAlpha().convertToFloat() / getRank();
    }
  }];
}

def QAPeft_LoraSideOp : QAPeft_Op<"lora_side", [Pure,
    AllTypesMatch<["base", "output"]>]> {
  let summary = "LoRA as an activation side path: y + s * (x A^T) B^T";
  let description = [{
    The delta-deployment form: the base op's output `base` (last axis of
    size `dim_out`) gets `(alpha / rank) * (x A^T) B^T` added, where `x` is
    the base op's input with the same leading axes and a last axis of size
    `dim_in`; `A` is `[rank, dim_in]` and `B` is `[dim_out, rank]`. The base
    weights stay untouched on the device. Folds to `base` when the rank is
    0 or when A or B is a frozen all-zero tensor.

    ```mlir
    %y2 = qapeft.lora_side %x, %y, %a, %b {alpha = 16.0 : f32, rank = 8 : i64}
            : tensor<?x64xf32>, tensor<?x10xf32>, tensor<8x64xf32>,
              tensor<10x8xf32>
    ```
  }];
  let arguments = (ins QAPeft_FloatTensor:$input, QAPeft_FloatTensor:$base,
                       QAPeft_FloatTensor:$a, QAPeft_FloatTensor:$b,
                       F32Attr:$alpha, I64Attr:$rank);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $base `,` $a `,` $b attr-dict `:` type($input) `,` type($base)
    `,` type($a) `,` type($b)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QAPeft_IA3Op : QAPeft_Op<"ia3", [Pure,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "(IA)^3: a learned per-channel scale on activations or weights";
  let description = [{
    Multiplies `input` by `scale` broadcast along `axis` (a 1-D tensor of
    `dim(axis)` values, initialised to ones). Merging folds it into the
    per-channel weights and scales of the producing layer. Folds to its
    input when `scale` is a frozen all-ones tensor.

    ```mlir
    %y = qapeft.ia3 %x, %l {axis = 3 : i64}
           : tensor<?x14x14x32xf32>, tensor<32xf32>
    ```
  }];
  let arguments = (ins QAPeft_FloatTensor:$input, QAPeft_FloatTensor:$scale,
                       I64Attr:$axis);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale attr-dict `:` type($input) `,` type($scale)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QAPeft_BottleneckActivation : I32EnumAttr<"BottleneckActivation",
    "nonlinearity between the down and up projections", [
      I32EnumAttrCase<"Relu", 0, "relu">,
      I32EnumAttrCase<"Gelu", 1, "gelu">,
      I32EnumAttrCase<"Identity", 2, "identity">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_BottleneckActivationAttr : EnumAttr<QAPeft_Dialect,
    QAPeft_BottleneckActivation, "activation"> {
  let assemblyFormat = "$value";
}

def QAPeft_BottleneckPlacement : I32EnumAttr<"BottleneckPlacement",
    "where a bottleneck adapter sits", [
      I32EnumAttrCase<"Houlsby", 0, "houlsby">,
      I32EnumAttrCase<"Pfeiffer", 1, "pfeiffer">]> {
  let cppNamespace = "::mlir::qapeft";
  let genSpecializedAttr = 0;
}
def QAPeft_BottleneckPlacementAttr : EnumAttr<QAPeft_Dialect,
    QAPeft_BottleneckPlacement, "placement"> {
  let assemblyFormat = "$value";
}

def QAPeft_BottleneckOp : QAPeft_Op<"bottleneck", [Pure,
    AllTypesMatch<["input", "output"]>]> {
  let summary = "bottleneck adapter: x + up(act(down(x)))";
  let description = [{
    Houlsby/Pfeiffer adapter on the last axis (size `d`) of `input`:
    `down` is `[h, d]` with bias `[h]`, `up` is `[d, h]` with bias `[d]`;
    the output is `x + up_bias + up @ act(down_bias + down @ x)`.
    `placement` records where the adapter sits (Houlsby: after both
    sublayers, Pfeiffer: after the feed-forward one only); the computation
    is the same. Not mergeable: the integer lowering emits it as its own
    ops. Folds to its input when the up projection adds nothing: `up` is
    empty (`h = 0`) or a frozen all-zero tensor, and `up_bias` is frozen
    all-zero.

    ```mlir
    %y = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu houlsby
           : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>,
             tensor<64x8xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins QAPeft_FloatTensor:$input,
                       QAPeft_FloatTensor:$down, QAPeft_FloatTensor:$down_bias,
                       QAPeft_FloatTensor:$up, QAPeft_FloatTensor:$up_bias,
                       QAPeft_BottleneckActivationAttr:$activation,
                       QAPeft_BottleneckPlacementAttr:$placement);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $down `,` $down_bias `,` $up `,` $up_bias
    $activation $placement attr-dict `:` type($input) `,` type($down) `,`
    type($down_bias) `,` type($up) `,` type($up_bias)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def QAPeft_PromptOp : QAPeft_Op<"prompt", [Pure]> {
  let summary = "prompt tuning: trainable rows before a sequence";
  let description = [{
    Concatenates the trainable `[P, D]` rows in front of every sequence of
    `input` (`[N, S, D]`), giving `[N, P + S, D]`. An empty prompt
    (`P = 0`) folds to the input.

    ```mlir
    %y = qapeft.prompt %x, %p
           : (tensor<?x16x32xf32>, tensor<4x32xf32>) -> tensor<?x20x32xf32>
    ```
  }];
  let arguments = (ins QAPeft_FloatTensor:$input, QAPeft_FloatTensor:$rows);
  let results = (outs QAPeft_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $rows attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Mixed precision
//===----------------------------------------------------------------------===//

def QAPeft_RegionOp : QAPeft_Op<"region", [SingleBlock,
    RecursiveMemoryEffects]> {
  let summary = "ops computed at another precision";
  let description = [{
    The ops in the body run at `precision` on the device (for example
    int16x8 activations, or an f32 island). The region's results are its
    boundary: the integer lowering requantizes or dequantizes there. The
    body may use values from outside; it ends with `qapeft.yield` of values
    with the region's result types. A region whose body holds nothing but
    the yield is replaced by the yielded values.

    ```mlir
    %r = qapeft.region int16x8 {
      %y = tosa.conv2d ...
      qapeft.yield %y : tensor<?x14x14x32xf32>
    } : tensor<?x14x14x32xf32>
    ```
  }];
  let arguments = (ins QAPeft_PrecisionAttr:$precision);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $precision attr-dict-with-keyword $body (`:` type($results)^)?
  }];
  let hasRegionVerifier = 1;
  let hasCanonicalizer = 1;
}

def QAPeft_YieldOp : QAPeft_Op<"yield", [Pure, Terminator,
    HasParent<"RegionOp">, ReturnLike]> {
  let summary = "results of a qapeft.region";
  let description = [{
    Ends the body of a `qapeft.region`; its operands become the region's
    results.
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

include "QAPeftGradOps.td"
include "QAPeftHardwareExactOps.td"
include "QAPeftIntegerOps.td"

#endif // QAPEFT_OPS_TD
