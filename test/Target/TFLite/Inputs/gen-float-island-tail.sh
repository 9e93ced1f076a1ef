#!/usr/bin/env bash
# Writes an integer TOSA model with an f32 tail (the form the integer
# lowering gives an f32 region at the end of the model): an int8 input
# (scale 0.05, zero point -3), DEQUANTIZE, a float FULLY_CONNECTED (reshape
# [N,1,1,K] -> 1x1 conv2d -> reshape [N,M], fused RELU when asked), then
# SOFTMAX over the classes as TOSA spells it (reduce_max, sub, exp,
# reduce_sum, reciprocal, mul); the output is f32. With TAIL = int8 the
# island ends in the lowering's QUANTIZE of the logits instead (scale 0.037,
# zero point 5): an f32 island in the middle of an int8 model.
#
#   gen-float-island-tail.sh K M [relu|none] [softmax|int8] > model.mlir
#
# Weights and biases are a fixed pseudo-random pattern in [-0.5, 0.5).
set -euo pipefail
k=$1 m=$2 relu=${3:-none} tail=${4:-softmax}
[ "$relu" = none ] && relu=""
weights=$(awk -v k="$k" -v m="$m" 'BEGIN { s = 12345; for (i = 0; i < m; ++i) {
  printf "%s[[[", (i ? ", " : ""); for (j = 0; j < k; ++j) {
  s = (s * 1103515245 + 12345) % 2147483648; printf "%s%.6f", (j ? ", " : ""), s / 2147483648 - 0.5 }
  printf "]]]" } }')
bias=$(awk -v n="$m" 'BEGIN { for (i = 0; i < n; ++i) printf "%s%.3f", (i ? ", " : ""), (i % 5) * 0.25 - 0.5 }')
if [ "$tail" = int8 ]; then
  result="tensor<?x${m}xi8> {qapeft.scale = [0.037 : f32], qapeft.zero_point = [5]}"
else
  result="tensor<?x${m}xf32>"
fi
cat <<MLIR
func.func @forward(%x: tensor<?x${k}xi8> {qapeft.scale = [0.05 : f32], qapeft.zero_point = [-3]}) -> ($result) {
  %f = tosa.cast %x : (tensor<?x${k}xi8>) -> tensor<?x${k}xf32>
  %zp = "tosa.const"() <{values = dense<-3.0> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %c = tosa.sub %f, %zp : (tensor<?x${k}xf32>, tensor<1x1xf32>) -> tensor<?x${k}xf32>
  %s = "tosa.const"() <{values = dense<0.05> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = tosa.mul %c, %s, %sh : (tensor<?x${k}xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x${k}xf32> loc("dequantized")
  %shape4 = tosa.const_shape {values = dense<[-1, 1, 1, ${k}]> : tensor<4xindex>} : () -> !tosa.shape<4>
  %d4 = tosa.reshape %d, %shape4 : (tensor<?x${k}xf32>, !tosa.shape<4>) -> tensor<?x1x1x${k}xf32>
  %w4 = "tosa.const"() <{values = dense<[${weights}]> : tensor<${m}x1x1x${k}xf32>}> : () -> tensor<${m}x1x1x${k}xf32> loc("fc.weight")
  %b = "tosa.const"() <{values = dense<[${bias}]> : tensor<${m}xf32>}> : () -> tensor<${m}xf32> loc("fc.bias")
  %z = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.conv2d %d4, %w4, %b, %z, %z {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x${k}xf32>, tensor<${m}x1x1x${k}xf32>, tensor<${m}xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x${m}xf32> loc("fc")
MLIR
yv=%y
if [ -n "$relu" ]; then
  echo "  %yr = tosa.clamp %y {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<?x1x1x${m}xf32>) -> tensor<?x1x1x${m}xf32>"
  yv=%yr
fi
cat <<MLIR
  %shape2 = tosa.const_shape {values = dense<[-1, ${m}]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %l = tosa.reshape $yv, %shape2 : (tensor<?x1x1x${m}xf32>, !tosa.shape<2>) -> tensor<?x${m}xf32> loc("logits")
MLIR
if [ "$tail" = int8 ]; then
  # The lowering's quantize: x * float(1 / s), clamp to [qmin - zp, qmax - zp],
  # round to nearest even (cast), + zp.
  cat <<MLIR
  %inv = "tosa.const"() <{values = dense<$(awk 'BEGIN { printf "%.9g", 1 / 0.037 }')> : tensor<1x1xf32>}> : () -> tensor<1x1xf32>
  %ls = tosa.mul %l, %inv, %sh : (tensor<?x${m}xf32>, tensor<1x1xf32>, tensor<1xi8>) -> tensor<?x${m}xf32>
  %lc = tosa.clamp %ls {min_val = -133.0 : f32, max_val = 122.0 : f32} : (tensor<?x${m}xf32>) -> tensor<?x${m}xf32>
  %li = tosa.cast %lc : (tensor<?x${m}xf32>) -> tensor<?x${m}xi32>
  %qz = "tosa.const"() <{values = dense<5> : tensor<1x1xi32>}> : () -> tensor<1x1xi32>
  %la = tosa.add %li, %qz : (tensor<?x${m}xi32>, tensor<1x1xi32>) -> tensor<?x${m}xi32>
  %q = tosa.cast %la {qapeft.scale = [0.037 : f32], qapeft.zero_point = [5]} : (tensor<?x${m}xi32>) -> tensor<?x${m}xi8> loc("quantized")
  return %q : tensor<?x${m}xi8>
}
MLIR
  exit 0
fi
cat <<MLIR
  %mx = tosa.reduce_max %l {axis = 1 : i32} : (tensor<?x${m}xf32>) -> tensor<?x1xf32>
  %e0 = tosa.sub %l, %mx : (tensor<?x${m}xf32>, tensor<?x1xf32>) -> tensor<?x${m}xf32>
  %e = tosa.exp %e0 : (tensor<?x${m}xf32>) -> tensor<?x${m}xf32>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x${m}xf32>) -> tensor<?x1xf32>
  %r = tosa.reciprocal %sum : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %p = tosa.mul %e, %r, %sh : (tensor<?x${m}xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x${m}xf32> loc("probs")
  return %p : tensor<?x${m}xf32>
}
MLIR
