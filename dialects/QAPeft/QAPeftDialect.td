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
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class QAPeft_Op<string mnemonic, list<Trait> traits = []>
    : Op<QAPeft_Dialect, mnemonic, traits>;

#endif // QAPEFT_DIALECT_TD
