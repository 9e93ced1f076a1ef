#!/usr/bin/env bash
# Writes a QA-PEFT-form model (float TOSA with calibrated qapeft.fake_quant)
# of one int16 activation on a ?x256x256x1 input, for the int16 LOGISTIC /
# TANH conformance test:
#
#   gen-int16-activation-case.sh KIND IN_SCALE > model.mlir
#
# KIND sigmoid | tanh. Symmetric int16 quantizers (zero point 0, as TFLite's
# int16 kernels require); the output is on TFLite's fixed grid 1/32768.
set -euo pipefail
kind=$1 sin=$2
case $kind in
  sigmoid|tanh) ;;
  *) echo "bad KIND $kind" >&2; exit 1 ;;
esac
t="tensor<?x256x256x1xf32>"
q="scheme <bits = 16, storage = i16, symmetric = true>"
cat <<MLIR
func.func @forward(%x: $t) -> $t {
  %xs = "tosa.const"() {values = dense<$sin> : tensor<f32>} : () -> tensor<f32>
  %z = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z $q : $t, tensor<f32>
  %y = tosa.$kind %xq : ($t) -> $t
  %os = "tosa.const"() {values = dense<3.0517578125e-05> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %z $q : $t, tensor<f32>
  return %o : $t
}
MLIR
