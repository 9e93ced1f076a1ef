#!/usr/bin/env bash
# Writes a QA-PEFT-form model (float TOSA with calibrated qapeft.fake_quant)
# of one convolution for the generated conformance matrix:
#
#   gen-conv-case.sh KIND K STRIDE PAD CIN COUT ACT [BITS] > model.mlir
#
# KIND conv | depthwise (COUT = CIN, multiplier 1); K the square kernel size;
# PAD valid | same (TFLite SAME) | torch (pad 1 before only, PyTorch-style
# stride 2); ACT none | relu | relu6; BITS 8 (int8, default) or 16 (int16x8:
# int16 activations with zero point 0, int8 weights). The input is ?x6x6xCIN. Weight values,
# per-channel weight scales and biases are fixed arithmetic sequences, so the
# same arguments always give the same model.
set -euo pipefail
kind=$1 k=$2 stride=$3 pad=$4 cin=$5 cout=$6 act=$7 bits=${8:-8}
if [ "$bits" = 16 ]; then
  ascheme="<bits = 16, storage = i16, symmetric = true>" xscale=0.0002 xzp=0.0 oscale=0.00015 ozp=0.0
else
  ascheme="<bits = 8, storage = i8>" xscale=0.05 xzp=-3.0 oscale=0.04 ozp=5.0
fi
h=6
case $pad in
  valid) pt=0 pb=0 ;;
  same)
    out=$(( (h + stride - 1) / stride ))
    total=$(( (out - 1) * stride + k - h )); [ $total -lt 0 ] && total=0
    pt=$(( total / 2 )) pb=$(( total - total / 2 )) ;;
  torch) pt=1 pb=0 ;;
  *) echo "bad PAD $pad" >&2; exit 1 ;;
esac
oh=$(( (h + pt + pb - k) / stride + 1 ))
[ "$kind" = depthwise ] && cout=$cin

# Weight layout: conv OHWI [cout, k, k, cin]; depthwise HWCM [k, k, cin, 1].
if [ "$kind" = conv ]; then wshape="${cout}x${k}x${k}x${cin}" axis=0
else wshape="${k}x${k}x${cin}x1" axis=2; fi
# Nested 4-D literal of w[i] = ((i * 37 mod 29) - 14) * 0.013 in row-major order.
wvals=$(echo "$wshape" | awk -F x '{
  i = 0; s = ""
  for (a = 0; a < $1; a++) { s = s (a ? ", " : "") "["
    for (b = 0; b < $2; b++) { s = s (b ? ", " : "") "["
      for (c = 0; c < $3; c++) { s = s (c ? ", " : "") "["
        for (d = 0; d < $4; d++) { s = s sprintf("%s%.4f", (d ? ", " : ""), ((i * 37 % 29) - 14) * 0.013); i++ }
        s = s "]" }
      s = s "]" }
    s = s "]" }
  print s }')
svals=$(awk -v n=$cout 'BEGIN { for (c = 0; c < n; c++) printf "%s%.6f", (c ? ", " : ""), 0.0025 * (1 + c % 3) }')
bvals=$(awk -v n=$cout 'BEGIN { for (c = 0; c < n; c++) printf "%s%.4f", (c ? ", " : ""), ((c * 7 % 5) - 2) * 0.05 }')
zvals=$(awk -v n=$cout 'BEGIN { for (c = 0; c < n; c++) printf "%s0.0", (c ? ", " : "") }')

in="tensor<?x${h}x${h}x${cin}xf32>"
out="tensor<?x${oh}x${oh}x${cout}xf32>"
op=tosa.conv2d
[ "$kind" = depthwise ] && op=tosa.depthwise_conv2d
cat <<MLIR
func.func @forward(%x: $in) -> $out {
  %xs = "tosa.const"() {values = dense<$xscale> : tensor<f32>} : () -> tensor<f32>
  %xz = "tosa.const"() {values = dense<$xzp> : tensor<f32>} : () -> tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme $ascheme : $in, tensor<f32>
  %w4 = "tosa.const"() {values = dense<[$wvals]> : tensor<${wshape}xf32>} : () -> tensor<${wshape}xf32>
  %ws = "tosa.const"() {values = dense<[$svals]> : tensor<${cout}xf32>} : () -> tensor<${cout}xf32>
  %wz = "tosa.const"() {values = dense<[$zvals]> : tensor<${cout}xf32>} : () -> tensor<${cout}xf32>
  %wq = qapeft.fake_quant %w4 scale %ws zero_point %wz scheme <bits = 8, storage = i8, symmetric = true, narrow = true, granularity = per_channel, axis = $axis> : tensor<${wshape}xf32>, tensor<${cout}xf32>
  %b = "tosa.const"() {values = dense<[$bvals]> : tensor<${cout}xf32>} : () -> tensor<${cout}xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = $op %xq, %wq, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: $pt, $pb, $pt, $pb>, stride = array<i64: $stride, $stride>} : ($in, tensor<${wshape}xf32>, tensor<${cout}xf32>, tensor<1xf32>, tensor<1xf32>) -> $out
MLIR
case $act in
  none) echo "  %a = tosa.clamp %y {min_val = -3.40282347E+38 : f32, max_val = 3.40282347E+38 : f32} : ($out) -> $out" ;;
  relu) echo "  %a = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : ($out) -> $out" ;;
  relu6) echo "  %a = tosa.clamp %y {min_val = 0.0 : f32, max_val = 6.0 : f32} : ($out) -> $out" ;;
esac
cat <<MLIR
  %os = "tosa.const"() {values = dense<$oscale> : tensor<f32>} : () -> tensor<f32>
  %oz = "tosa.const"() {values = dense<$ozp> : tensor<f32>} : () -> tensor<f32>
  %o = qapeft.fake_quant %a scale %os zero_point %oz scheme $ascheme : $out, tensor<f32>
  return %o : $out
}
MLIR
