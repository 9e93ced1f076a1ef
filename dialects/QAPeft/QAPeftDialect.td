//===- QAPeftDialect.td - the qapeft dialect ---------------*- tablegen -*-===//
//
// The qapeft dialect models what quantization-aware parameter-efficient
// fine-tuning adds to a TOSA model: fake quantization with the target's
// scheme, adapters with their trainable tensors, named parameters, and
// mixed-precision regions.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_DIALECT_TD
#define QAPEFT_DIALECT_TD

include "mlir/IR/OpBase.td"

def QAPeft_Dialect : Dialect {
  let name = "qapeft";
  let cppNamespace = "::mlir::qapeft";
  let summary = "Quantization-aware parameter-efficient fine-tuning";
  let description = [{
    Ops and attributes that sit between a float TOSA model and the integer
    graph a target runs: `qapeft.fake_quant` simulates the target's
    quantization grid in float, the adapter ops (`lora_delta`, `lora_side`,
    `ia3`, `bottleneck`, `prompt`) hold trainable tensors, `qapeft.param`
    names every value training or calibration may change, and
    `qapeft.region` marks ops computed at another precision.

    Discardable attributes (docs/CONVENTIONS.md), verified where they appear:

    - on ops, function arguments and results of the integer graph:
      `qapeft.scale` (non-empty array of floats), `qapeft.zero_point` (array
      of integers: empty, one, or one per scale) and
      `qapeft.quantized_dimension` (an integer axis of the tensor; with
      several scales, their count must equal that axis' size);
    - on the arguments of `@train_step`: `qapeft.param` and
      `qapeft.opt_state` (non-empty names), `qapeft.step`, `qapeft.lr`,
      `qapeft.input`, `qapeft.labels` (unit attributes).

    Other `qapeft.*` names (for example the module's `qapeft.target`) are
    left to their owners.
  }];
  let useDefaultAttributePrinterParser = 1;
  // The discardable `qapeft.*` attributes of docs/CONVENTIONS.md (integer
  // graph quantization parameters, @train_step argument roles) are checked
  // wherever they appear.
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class QAPeft_Op<string mnemonic, list<Trait> traits = []>
    : Op<QAPeft_Dialect, mnemonic, traits>;

#endif // QAPEFT_DIALECT_TD
