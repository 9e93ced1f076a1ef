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
  let summary = "int8 or int16 softmax over the last axis, as TFLite's "
                "builtin SOFTMAX";
  let description = [{
    TFLite's builtin quantized SOFTMAX with the output type equal to the
    input type, int8 or int16. Its arithmetic (fixed by the runtime, not by
    TOSA) is stated below; test/Target/TFLite/conformance-softmax.test and
    conformance-softmax-int16.test check it bit for bit against the runtime.

    **int8** (activations.cc, SoftmaxPrepare and `optimized_ops::Softmax`,
    the float lookup-table path every non-aarch64 build takes). The output
    is always on TFLite's fixed grid: scale 1/256, zero point -128. The
    input zero point does not matter (softmax is shift invariant). All
    arithmetic is float32:

    ```
    table[255 - v] = expf((-input_scale * beta) * v)     for v in 0 .. 255
    per row (the last axis) of codes q:
      m     = max_j q[j]
      e[j]  = table[255 - m + q[j]]          // = exp(beta * s_in * (q[j] - m))
      sum   = e[0] + e[1] + ... (in order, float32)
      inv   = 1 / (sum * (1/256))
      out[j] = clamp(std::round(e[j] * inv) - 128, -128, 127)
    ```

    `std::round` rounds ties away from zero. `input_multiplier` and
    `input_shift` must be absent.

    **int16** (SoftmaxPrepare for int16 input and
    `reference_ops::SoftmaxInt16`, the only int16 kernel). TFLite requires
    input zero point 0 and writes the fixed grid scale 1/32768, zero point
    0 (outputs in [0, 32767]). Prepare derives one multiplier,
    `input_multiplier * 2^(input_shift - 31)` =
    QuantizeMultiplier(float(input_scale * beta) / (10 / 65535)), which the
    op carries as attributes (the TFLite exporter checks them against what
    the runtime derives from the written scale and beta), and two fixed
    513-entry int16 tables built in double precision by gen_lut:
    `exp_lut` over exp on [-10, 0] and `recip_lut` over 1 / (1 + x) on
    [0, 1] (lib/Numerics/SoftmaxInt16.cpp). All arithmetic is integer:

    ```
    lookup(v, lut) = lut[i] + (((lut[i+1] - lut[i]) * (v & 127) + 64) >> 7),
                     i = 256 + (v >> 7)
    per row of n <= 65536 codes q:
      m    = max_j q[j]
      d[j] = MultiplyByQuantizedMultiplier(q[j] - m, input_multiplier,
                                           input_shift)  // double rounding
      e[j] = lookup(sat16(d[j] + 32767), exp_lut)                // Q0.15
      sum  = e[0] + e[1] + ... (int32);  h = clz32(sum)
      r    = lookup(sat16((((sum << (h - 1)) + 2^13) >> 14) - 98304),
                    recip_lut)                                   // Q0.15
      out[j] = clamp((e[j] * r + 2^(30 - h)) >> (31 - h), 0, 32767)
    ```

    Example:

    ```mlir
    %y = qapeft.tflite_softmax %x {input_scale = 0.1 : f32, beta = 1.0 : f32}
        : tensor<4x10xi8>
    // 0.001 / (10 / 65535) = 6.5535 = (1759191844 / 2^31) * 2^3
    %z = qapeft.tflite_softmax %w {input_scale = 0.001 : f32,
        input_multiplier = 1759191844 : i32, input_shift = 3 : i32}
        : tensor<4x10xi16>
    ```
  }];
  let arguments = (ins TensorOf<[I8, I16]>:$input, F32Attr:$input_scale,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       OptionalAttr<I32Attr>:$input_multiplier,
                       OptionalAttr<I32Attr>:$input_shift);
  let results = (outs TensorOf<[I8, I16]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

#endif // QAPEFT_INTEGER_OPS_TD
