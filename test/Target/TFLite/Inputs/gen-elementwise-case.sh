#!/usr/bin/env bash
# Writes a QA-PEFT-form model (float TOSA with calibrated qapeft.fake_quant)
# of one elementwise op for the elementwise conformance matrix:
#
#   gen-elementwise-case.sh OP SHAPE1 SHAPE2 S1 Z1 S2 Z2 SO ZO ACT [BITS] > m.mlir
#
# OP add | sub | mul; SHAPEk the operand shapes without the batch, e.g.
# 4x4x3 (a dynamic batch) or 1x1x1x3 written with a leading "=" for a fully
# static shape (=1x1x1x3, broadcast over the batch); Sk/Zk the operands'
# scales and zero points, SO/ZO the output's; ACT none | relu | relu6 |
# relun1 (RELU_N1_TO_1); BITS 8 (int8, default) or 16 (int16, the zero points
# must be 0).
set -euo pipefail
op=$1 sh1=$2 sh2=$3 s1=$4 z1=$5 s2=$6 z2=$7 so=$8 zo=$9 act=${10} bits=${11:-8}
if [ "$bits" = 16 ]; then
  scheme="<bits = 16, storage = i16, symmetric = true>"
else
  scheme="<bits = 8, storage = i8>"
fi
ty() { case $1 in =*) echo "tensor<${1#=}xf32>" ;; *) echo "tensor<?x${1}xf32>" ;; esac; }
t1=$(ty "$sh1") t2=$(ty "$sh2")
# The result shape: per dimension the larger of the two (dims are 1 or equal).
d1=${sh1#=} d2=${sh2#=}
[[ $sh1 == =* ]] || d1="?x$d1"
[[ $sh2 == =* ]] || d2="?x$d2"
out=$(awk -v a="$d1" -v b="$d2" 'BEGIN {
  n = split(a, x, "x"); split(b, y, "x"); s = ""
  for (i = 1; i <= n; i++) {
    d = (x[i] == "?" || y[i] == "?") ? "?" : (x[i] + 0 > y[i] + 0 ? x[i] : y[i])
    s = s (i > 1 ? "x" : "") d }
  print "tensor<" s "xf32>" }')
cat <<MLIR
func.func @forward(%a: $t1, %b: $t2) -> $out {
  %as = "tosa.const"() {values = dense<$s1> : tensor<f32>} : () -> tensor<f32>
  %az = "tosa.const"() {values = dense<$z1> : tensor<f32>} : () -> tensor<f32>
  %aq = qapeft.fake_quant %a scale %as zero_point %az scheme $scheme : $t1, tensor<f32>
  %bs = "tosa.const"() {values = dense<$s2> : tensor<f32>} : () -> tensor<f32>
  %bz = "tosa.const"() {values = dense<$z2> : tensor<f32>} : () -> tensor<f32>
  %bq = qapeft.fake_quant %b scale %bs zero_point %bz scheme $scheme : $t2, tensor<f32>
MLIR
case $op in
  add|sub) echo "  %y = tosa.$op %aq, %bq : ($t1, $t2) -> $out loc(\"$op\")" ;;
  mul)
    echo "  %shift = \"tosa.const\"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>"
    echo "  %y = tosa.mul %aq, %bq, %shift : ($t1, $t2, tensor<1xi8>) -> $out loc(\"mul\")" ;;
  *) echo "bad OP $op" >&2; exit 1 ;;
esac
case $act in
  none) echo "  %c = tosa.clamp %y {min_val = -3.40282347E+38 : f32, max_val = 3.40282347E+38 : f32} : ($out) -> $out" ;;
  relu) echo "  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : ($out) -> $out" ;;
  relu6) echo "  %c = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : ($out) -> $out" ;;
  relun1) echo "  %c = tosa.clamp %y {min_val = -1.0 : f32, max_val = 1.0 : f32} : ($out) -> $out" ;;
  *) echo "bad ACT $act" >&2; exit 1 ;;
esac
cat <<MLIR
  %os = "tosa.const"() {values = dense<$so> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$zo> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %c scale %os zero_point %oz scheme $scheme : $out, tensor<f32>
  return %o : $out
}
MLIR
