//===- Passes.td - qapeft transformation passes ------------*- tablegen -*-===//
//
// Every qapeft pass, one per file under lib/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_TRANSFORMS_PASSES_TD
#define QAPEFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// QA-PEFT preparation and the training graph (issue 4)
//===----------------------------------------------------------------------===//

def InsertAdapters : Pass<"qapeft-insert-adapters", "ModuleOp"> {
  let summary = "Add PEFT adapters (LoRA, LoRA side path, (IA)^3, bottleneck, prompt) to chosen layers";
  let description = [{
    Selects the `tosa.conv2d`, `tosa.depthwise_conv2d` and `tosa.matmul` ops
    of the kinds in `ops` whose name location matches the regex `names`
    (like PEFT's `target_modules`) and adds an adapter to each:

    - `lora`: the weight becomes `qapeft.lora_delta` of the frozen
      `qapeft.param "<layer>.weight"`, `"<layer>.lora_a"` (trainable,
      uniform in +-1/sqrt(fan_in) from a seeded splitmix64 generator) and
      `"<layer>.lora_b"` (trainable zeros), so the prepared model computes
      exactly the base model at step 0.
    - `lora-side`: `qapeft.lora_side` on the output of 1x1 convolutions
      (the fully connected form) and matmuls, A random and B zero as above.
    - `ia3`: `qapeft.ia3` on the output channels with a trainable
      `"<layer>.ia3"` vector of ones.
    - `adapter`: a `qapeft.bottleneck` of hidden size `bottleneck` on the
      layer's output channels, after its fused activation (a single-use
      `tosa.clamp`), i.e. after the sublayer as in Houlsby et al.
      `"<layer>.adapter_down"` is uniform in +-1/sqrt(d) (seeded),
      `"<layer>.adapter_down_bias"`, `"<layer>.adapter_up"` and
      `"<layer>.adapter_up_bias"` are zeros, so the adapter is the identity
      at step 0. `placement` chooses which selected layers get one:
      `houlsby` (Houlsby et al. 2019: after every sublayer, e.g. attention
      and feed-forward) puts one after each; `pfeiffer` (Pfeiffer et al.
      2021: after the feed-forward sublayer only) puts one after the last
      selected layer of each block, in program order. A block is the part
      of the layer name before its last `.` (`enc0.attn` and `enc0.ffn`
      form block `enc0`); names without a `.` form one block, the model.
      `activation` is relu, identity, or the exact
      `gelu(u) = 0.5 u (1 + erf(u / sqrt 2))`.
    - `prompt`: `qapeft.prompt` with `prompt-length` trainable rows
      `"prompt"` (uniform in +-0.5, seeded) in front of every `@forward`
      argument of shape `[N, S, D]`; `S` must be dynamic since the prompt
      lengthens the sequence. `ops` and `names` do not apply.

    Weights and biases of the chosen layers become `qapeft.param` ops named
    `<layer>.weight` / `<layer>.bias` so that training can write them back.
  }];
  let options = [
    Option<"adapter", "adapter", "std::string", "\"lora\"",
           "adapter kind: lora | lora-side | ia3 | adapter | prompt">,
    Option<"rank", "rank", "int64_t", "4", "LoRA rank r">,
    Option<"alpha", "alpha", "double", "8.0",
           "LoRA alpha; the delta is scaled by alpha / rank">,
    ListOption<"opKinds", "ops", "std::string",
               "op kinds to adapt: conv2d, depthwise_conv2d, matmul "
               "(default conv2d,matmul)">,
    Option<"names", "names", "std::string", "\"\"",
           "regex a layer's name location must match (empty: every layer)">,
    Option<"seed", "seed", "uint64_t", "0",
           "seed of the generator initialising LoRA A, the adapter down "
           "projection and prompt rows">,
    Option<"bottleneckSize", "bottleneck", "int64_t", "8",
           "hidden size h of bottleneck adapters (adapter=adapter)">,
    Option<"activation", "activation", "std::string", "\"relu\"",
           "bottleneck nonlinearity: relu | gelu | identity">,
    Option<"placement", "placement", "std::string", "\"houlsby\"",
           "bottleneck placement: houlsby (after every selected layer) | "
           "pfeiffer (after the last selected layer of each block)">,
    Option<"promptLength", "prompt-length", "int64_t", "4",
           "number of trainable prompt rows (adapter=prompt)">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect",
                           "::mlir::tosa::TosaDialect"];
}

def InsertFakeQuant : Pass<"qapeft-insert-fake-quant", "ModuleOp"> {
  let summary = "Insert fake quantization where the target's integer kernels quantize";
  let description = [{
    In `@forward`, inserts `qapeft.fake_quant` on the model input, on every
    activation an integer op produces (after the fused ReLU clamp of a conv
    or matmul, also when single-use reshapes sit in between as in the fully
    connected form reshape -> conv2d -> reshape -> clamp), and on the weight operand of every conv, depthwise conv and
    matmul (after the adapter delta: `fake_quant(W + s B@A)`), per channel
    on the op's output-channel axis (OHWI conv: 0, HWCM depthwise: 2 (3 if
    C = 1), matmul B: 2). Weight ranges come from `qapeft.weight_range` each
    step; activation ranges are the frozen `qapeft.param`
    `"<tensor>.scale"` / `"<tensor>.zero_point"` that calibration fills.
    Biases are left to the integer lowering.

    The schemes come from the module's `qapeft.target` attribute (default
    `activation` / `weight` schemes and per-op `ops` overrides) when present,
    otherwise from the options. `mode=adapter` only quantizes the weights and
    outputs of adapted layers; `mode=full` quantizes everywhere (QAFT).

    `lsq` makes scales learnable (LSQ, Esser et al. 2020; range
    `learnable`): activation scales become trainable `"<tensor>.scale"`
    params starting at `2 / sqrt(qmax)`, weight scales trainable
    `"<layer>.weight.scale"` params (per channel as above, zero point a
    frozen 0) starting at LSQ's `2 mean|w| / sqrt(qmax)` instead of a
    `qapeft.weight_range`. Run on an already quantized (and calibrated)
    model, the pass turns the existing calibrated activation scales and
    weight ranges into learnable ones, keeping calibrated values as the
    start. `--qapeft-training-graph` then emits `qapeft.lsq_scale_grad`
    and the optimizer keeps every learned scale >= 1e-8.

    A float constant operand of tosa.add / sub / mul gets a per-tensor
    activation fake quant (TFLite stores it as a quantized tensor with its
    own scale and zero point), starting at the constant's own range.
    int8 sigmoid / tanh outputs get TFLite's fixed grid (1/256, -128 and
    1/128, 0) as tosa.const scale and zero point, which calibration leaves
    alone. `side-path=delta` expands each `qapeft.lora_side` into
    reshape -> 1x1 conv2d (A) -> reshape -> 1x1 conv2d (B, with the scaling
    alpha / rank folded into its values) -> reshape and a tosa.add with the
    base output, so A and B are quantized as weights and x A^T, the side
    output, the base output and the sum as activations: what a device that
    keeps the adapter as a delta computes. The `<layer>.lora_a` /
    `<layer>.lora_b` params keep their names, in the conv weight layout. A
    relu / identity `qapeft.bottleneck` likewise becomes a down and an up
    fully connected layer (with their biases, the ReLU fused into the down
    layer) and a tosa.add of the residual; outputs
    `<layer>.adapter_hidden`, `<layer>.adapter_out`, `<layer>.adapter`.
  }];
  let options = [
    Option<"mode", "mode", "std::string", "\"full\"",
           "where to quantize: full | adapter">,
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "weight bits when no target is attached">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "activation bits when no target is attached">,
    Option<"perChannel", "per-channel", "bool", "true",
           "per-channel weights when no target is attached">,
    Option<"lsq", "lsq", "std::string", "\"none\"",
           "learned step size (LSQ) scales: none | activation | weight | all">,
    Option<"sidePath", "side-path", "std::string", "\"fused\"",
           "qapeft.lora_side: fused (one kernel with the base op) | delta "
           "(expanded into fully connected layers and an add, each quantized "
           "as a delta-deploying device runs it); the same for "
           "qapeft.bottleneck (relu / identity)">
  ];
  // TOSA: the delta form, the fixed sigmoid / tanh grids.
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect",
                           "::mlir::tosa::TosaDialect"];
}

def MarkTrainable : Pass<"qapeft-mark-trainable", "ModuleOp"> {
  let summary = "Mark chosen parameters trainable (QAFT: base weights)";
  let description = [{
    Every `qapeft.param` whose name matches `names` becomes trainable; a
    named `tosa.const` (`loc("conv1.weight")`) that matches becomes a
    trainable `qapeft.param` of that name. With `freeze`, matching params
    become non-trainable instead.
  }];
  let options = [
    Option<"names", "names", "std::string", "\"\"",
           "regex a parameter name must match (required)">,
    Option<"freeze", "freeze", "bool", "false",
           "make matching parameters non-trainable instead">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
}

def AssignPrecision : Pass<"qapeft-assign-precision", "ModuleOp"> {
  let summary = "Wrap named ops into mixed-precision regions";
  let description = [{
    Every `overrides` entry `<name>:<precision>` (precision `int8`,
    `int16x8`, `int4x8`, `f16` or `f32`) wraps the kernel of the op whose
    name location is `<name>` (its weight quantizer, the op, the fused
    reshape/clamp/(IA)^3 chain and its output quantizer) into
    `qapeft.region <precision>`. Integer precisions re-scheme those fake
    quants from the target's grids at that precision (`modes.<p>`; without
    a target: 16-bit symmetric activations for int16x8, 4-bit weights for
    int4x8) and, when the activation grid differs from the surrounding one,
    add the requantize boundaries: an entry fake quant `<name>.in` on the
    region's grid and an exit fake quant `<name>.out` on the surrounding
    grid (calibration fills them). f32/f16 islands drop their quantizers;
    the layer's output quantizer follows the region. When a `qapeft.target`
    is attached, the precision must be one of its `precisions`, else it is
    an error at the op.
  }];
  let options = [
    ListOption<"overrides", "overrides", "std::string",
               "op name and precision pairs, e.g. fc_out:int16x8,softmax:f32">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
}

def TrainingGraph : Pass<"qapeft-training-graph", "ModuleOp"> {
  let summary = "Emit @train_step: forward, reverse-mode backward, optimizer";
  let description = [{
    Differentiates `@forward` with respect to its trainable `qapeft.param`
    values and emits `@train_step` as docs/CONVENTIONS.md describes:
    arguments (trainable params, optimizer state, step, lr, input batch,
    labels) and results (new params, new state, mean loss, correct count).
    Fake quant gets the straight-through estimator, convolutions and pools
    the qapeft gradient ops, everything else plain TOSA. An op without a
    gradient rule on a differentiated path is an error at that op.

    Gradients: tosa.conv2d, tosa.depthwise_conv2d, tosa.matmul, tosa.clamp,
    tosa.reduce_sum, tosa.reduce_max, tosa.concat, tosa.slice, tosa.reciprocal, tosa.reshape,
    tosa.transpose, tosa.add, tosa.sub, tosa.mul, tosa.exp, tosa.sigmoid,
    tosa.tanh, tosa.max_pool2d, tosa.avg_pool2d, qapeft.fake_quant, qapeft.lora_delta, qapeft.lora_side,
    qapeft.ia3, qapeft.bottleneck (relu, gelu, identity), qapeft.prompt; qapeft.weight_range passes none.
    A trainable fake-quant scale (LSQ) gets `qapeft.lsq_scale_grad`, is
    updated with `lr * lsq-lr-factor`, and its update is clamped to
    >= 1e-8.
  }];
  let options = [
    Option<"loss", "loss", "std::string", "\"softmax-cross-entropy\"",
           "loss: softmax-cross-entropy | mse">,
    Option<"optimizer", "optimizer", "std::string", "\"adam\"",
           "optimizer: adam | sgd">,
    Option<"lr", "lr", "double", "1e-3",
           "default learning rate (recorded as qapeft.default_lr)">,
    Option<"beta1", "beta1", "double", "0.9", "Adam beta1">,
    Option<"beta2", "beta2", "double", "0.999", "Adam beta2">,
    Option<"eps", "eps", "double", "1e-8", "Adam epsilon">,
    Option<"momentum", "momentum", "double", "0.0", "SGD momentum">,
    Option<"lsqLrFactor", "lsq-lr-factor", "double", "0.01",
           "learning-rate multiplier of learned (LSQ) fake-quant scales">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect",
                           "::mlir::tosa::TosaDialect",
                           "::mlir::func::FuncDialect"];
}

def HardwareExact : Pass<"qapeft-hardware-exact", "ModuleOp"> {
  let summary = "Make @forward compute the integer graph's arithmetic bit for bit";
  let description = [{
    The hardware-exact training forward (DESIGN.md section 3). Shadows
    every quantized layer of `@forward` with the integer computation
    `--qapeft-lower-to-integer` deploys for it: `qapeft.exact_conv` after
    the output fake quant of each `tosa.conv2d` / `tosa.depthwise_conv2d`
    (fully connected layers included), `qapeft.exact_matmul` after that of
    each `tosa.matmul`, `qapeft.exact_elementwise` after that of each
    `tosa.add` / `tosa.sub` / `tosa.mul` of quantized values,
    `qapeft.exact_unary` after that of each int8 / int16 `tosa.sigmoid` /
    `tosa.tanh`, global `tosa.avg_pool2d` (TFLite MEAN) and softmax, and
    `qapeft.exact_requant` after each
    fake quant of an already-quantized value. Later ops read the exact
    op's dequantized result, so `@forward` (and the `@train_step` cloned
    from it) equals the integer graph's output dequantized, for the same
    rounding, multipliers, bias quantization and clamps. The backward is
    the straight-through estimator of the float graph (the exact ops pass
    their gradient to the fake quant they shadow).

    Run it before `--qapeft-training-graph`, before or after calibration
    (`qapeft-sim calibrate` observes the float graph either way: the exact
    ops yield the value they shadow while it observes); `--qapeft-deploy` accepts
    the result and lowers it to the same integer graph as without the
    mode. (IA)^3 scales inside a quantized layer, mixed-precision
    regions are not supported yet (an error at the op).
  }];
  let options = [
    Option<"rounding", "rounding", "std::string", "\"\"",
           "requantization rounding: single | double | fp32-half-even | "
           "half-away (default: the target's, else the scheme's); must "
           "match the --qapeft-deploy rounding">,
    Option<"biasBits", "bias-bits", "unsigned", "0",
           "bias width limit (0: the target's bias_bits, else the "
           "accumulator width); must match --qapeft-deploy">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
}

def AttachTarget : Pass<"qapeft-attach-target", "ModuleOp"> {
  let summary = "Attach a target description to the module (qapeft.target)";
  let description = [{
    Reads a target description (targets/README.md) and stores it on the
    module as the `qapeft.target` dictionary attribute, so every later pass
    reads the target from the IR without the file. `target` is a path to a
    YAML file or a name looked up as `<name>.yaml` in each `target-dir` and
    then in the project's targets/ folder. A missing or malformed file is an
    error naming file:line:col; the pass then fails.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"\"",
           "target name (e.g. tflite-int8) or path to a target YAML file">,
    ListOption<"targetDirs", "target-dir", "std::string",
               "extra folders searched for <name>.yaml before targets/">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
}

def CheckTarget : Pass<"qapeft-check-target", "ModuleOp"> {
  let summary = "Report every op and precision the attached target cannot run";
  let description = [{
    Walks the module and reports, at each op's location, why the target in
    `qapeft.target` cannot run it: op not in the target's op list or marked
    unsupported, precision not supported (from an enclosing `qapeft.region`
    or the op's integer types), stride, dilation, kernel, channel, rank,
    batch or weight-sum limits, and activation clamps the op cannot fuse.
    With `unsupported_ops: error` these are errors and the pass fails; with
    `keep-float` they are warnings (the op will stay in float).
  }];
  let options = [
    Option<"warnOnly", "warn-only", "bool", "false",
           "report problems as warnings and never fail">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
}

#endif // QAPEFT_TRANSFORMS_PASSES_TD
