#!/usr/bin/env bash
# Writes a QA-PEFT-form model of an int16 softmax over the last axis (the
# float softmax as TOSA spells it: reduce_max, sub, exp, reduce_sum,
# reciprocal, mul) between a symmetric int16 input fake quant and the output
# fake quant on TFLite's fixed int16 SOFTMAX grid (1/32768, 0):
#
#   gen-softmax16-case.sh COLS IN_SCALE [OUT_SCALE OUT_ZP [ROWS]] > model.mlir
#
# ROWS (default ?, the batch) makes the input [ROWS, COLS].
set -euo pipefail
c=$1 sin=$2 sout=${3:-3.0517578125e-05} zout=${4:-0.0} rows=${5:-?}
t="tensor<${rows}x${c}xf32>"
r="tensor<${rows}x1xf32>"
s="scheme <bits = 16, storage = i16, symmetric = true>"
cat <<MLIR
func.func @forward(%x: $t) -> $t {
  %xs = "tosa.const"() {values = dense<$sin> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz $s : $t, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : ($t) -> $r
  %d = tosa.sub %xq, %m : ($t, $r) -> $t
  %e = tosa.exp %d : ($t) -> $t
  %s = tosa.reduce_sum %e {axis = 1 : i32} : ($t) -> $r
  %i = tosa.reciprocal %s : ($r) -> $r
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : ($t, $r, tensor<1xi8>) -> $t loc("softmax")
  %os = "tosa.const"() {values = dense<$sout> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$zout> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz $s : $t, tensor<f32> loc("softmax.q")
  return %o : $t
}
MLIR
