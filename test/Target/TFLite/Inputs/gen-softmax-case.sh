#!/usr/bin/env bash
# Writes a QA-PEFT-form model of an int8 softmax over the last axis (the
# float softmax as TOSA spells it: reduce_max, sub, exp, reduce_sum,
# reciprocal, mul) between an input fake quant and the output fake quant on
# TFLite's fixed SOFTMAX grid (1/256, -128), as --qapeft-insert-fake-quant
# places them:
#
#   gen-softmax-case.sh COLS IN_SCALE IN_ZP [OUT_SCALE OUT_ZP] > model.mlir
set -euo pipefail
c=$1 sin=$2 zin=$3 sout=${4:-0.00390625} zout=${5:--128.0}
t="tensor<?x${c}xf32>"
r="tensor<?x1xf32>"
cat <<MLIR
func.func @forward(%x: $t) -> $t {
  %xs = "tosa.const"() {values = dense<$sin> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<$zin> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : $t, tensor<f32>
  %m = tosa.reduce_max %xq {axis = 1 : i32} : ($t) -> $r
  %d = tosa.sub %xq, %m : ($t, $r) -> $t
  %e = tosa.exp %d : ($t) -> $t
  %s = tosa.reduce_sum %e {axis = 1 : i32} : ($t) -> $r
  %i = tosa.reciprocal %s : ($r) -> $r
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : ($t, $r, tensor<1xi8>) -> $t loc("softmax")
  %os = "tosa.const"() {values = dense<$sout> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$zout> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 8, storage = i8> : $t, tensor<f32> loc("softmax.q")
  return %o : $t
}
MLIR
