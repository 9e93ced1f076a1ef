#!/usr/bin/env bash
# Writes a QA-PEFT-form model (float TOSA with calibrated qapeft.fake_quant)
# of one activation on a ?x16x16x1 int8 input, for the activation
# conformance tests:
#
#   gen-activation-case.sh KIND IN_SCALE IN_ZP [OUT_SCALE OUT_ZP] > model.mlir
#
# KIND sigmoid | tanh. The output quantizer defaults to TFLite's fixed
# output quantization (sigmoid: 1/256 and -128, tanh: 1/128 and 0).
set -euo pipefail
kind=$1 sin=$2 zin=$3
case $kind in
  sigmoid) sout=${4:-0.00390625} zout=${5:--128.0} ;;
  tanh) sout=${4:-0.0078125} zout=${5:-0.0} ;;
  *) echo "bad KIND $kind" >&2; exit 1 ;;
esac
t="tensor<?x16x16x1xf32>"
cat <<MLIR
func.func @forward(%x: $t) -> $t {
  %xs = "tosa.const"() {values = dense<$sin> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<$zin> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : $t, tensor<f32>
  %y = tosa.$kind %xq : ($t) -> $t
  %os = "tosa.const"() {values = dense<$sout> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$zout> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : $t, tensor<f32>
  return %o : $t
}
MLIR
