//===- QAPeftIntegerOps.td - integer ops TOSA cannot express -*- tablegen -*-===//
//
// Ops of the integer graph (after --qapeft-lower-to-integer) whose device
// arithmetic has no TOSA spelling. Each states the exact arithmetic of the
// TFLite kernel it stands for, so the simulator and the exporter agree with
// the runtime bit for bit.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_INTEGER_OPS_TD
#define QAPEFT_INTEGER_OPS_TD

include "QAPeftDialect.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def QAPeft_TFLiteSoftmaxOp : QAPeft_Op<"tflite_softmax", [Pure,
    SameOperandsAndResultType]> {
  let summary = "int8 softmax over the last axis, as TFLite's builtin SOFTMAX";
  let description = [{
    TFLite's builtin int8 SOFTMAX (activations.cc, SoftmaxPrepare and
    `optimized_ops::Softmax`, the float lookup-table path every non-aarch64
    build takes; checked bit for bit against the runtime by
    test/Target/TFLite/conformance-softmax.test). The output is always on
    TFLite's fixed grid: scale 1/256, zero point -128. The input zero point
    does not matter (softmax is shift invariant). All arithmetic is float32:

    ```
    table[255 - v] = expf((-input_scale * beta) * v)     for v in 0 .. 255
    per row (the last axis) of codes q:
      m     = max_j q[j]
      e[j]  = table[255 - m + q[j]]          // = exp(beta * s_in * (q[j] - m))
      sum   = e[0] + e[1] + ... (in order, float32)
      inv   = 1 / (sum * (1/256))
      out[j] = clamp(std::round(e[j] * inv) - 128, -128, 127)
    ```

    `std::round` rounds ties away from zero.

    Example:

    ```mlir
    %y = qapeft.tflite_softmax %x {input_scale = 0.1 : f32, beta = 1.0 : f32}
        : tensor<4x10xi8>
    ```
  }];
  let arguments = (ins TensorOf<[I8]>:$input, F32Attr:$input_scale,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta);
  let results = (outs TensorOf<[I8]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QAPEFT_INTEGER_OPS_TD
