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
      at step 0. `placement` is recorded on the op; which layers get one
      (Houlsby: attention and feed-forward outputs, Pfeiffer: feed-forward
      only) is chosen with `ops` / `names`.
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
           "bottleneck placement recorded on the op: houlsby | pfeiffer">,
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
  }];
  let options = [
    Option<"mode", "mode", "std::string", "\"full\"",
           "where to quantize: full | adapter">,
    Option<"weightBits", "weight-bits", "unsigned", "8",
           "weight bits when no target is attached">,
    Option<"activationBits", "activation-bits", "unsigned", "8",
           "activation bits when no target is attached">,
    Option<"perChannel", "per-channel", "bool", "true",
           "per-channel weights when no target is attached">
  ];
  let dependentDialects = ["::mlir::qapeft::QAPeftDialect"];
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
    `int16x8`, `int4x8`, `f16` or `f32`) wraps the op whose name location is
    `<name>` into `qapeft.region <precision>`; the integer lowering inserts
    the requantize boundaries there. When a `qapeft.target` is attached, the
    precision must be one of its `precisions`, else it is an error at the op.
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
    qapeft.ia3, qapeft.bottleneck (relu, identity), qapeft.prompt; qapeft.weight_range passes none.
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
    Option<"momentum", "momentum", "double", "0.0", "SGD momentum">
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
    each `tosa.matmul`, and `qapeft.exact_requant` after each
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
    mode. (IA)^3 scales inside a quantized layer and mixed-precision
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
