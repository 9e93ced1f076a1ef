// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=half-away function=" -verify-diagnostics -o /dev/null

// An int16 global average pool always runs on TFLite's builtin int16 MEAN,
// but a target rounding half-away (Arm NN CpuRef) is not TFLite: refused as
// for int8.
func.func @half_away(%x: tensor<?x2x2x1xf32>) -> tensor<?x1x1x1xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x2x2x1xf32>, tensor<f32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  // expected-error @+1 {{cannot lower to integer: a global average pool (TFLite MEAN) is lowered for TFLite's builtin kernel (rounding single or double) or XNNPACK (fp32-half-even), not for rounding half-away}}
  %p = tosa.avg_pool2d %xq, %zp, %zp {acc_type = f32, kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x1xf32>
  %os = qapeft.param "gap.scale" dense<0.25> : tensor<f32>
  %oz = qapeft.param "gap.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %p scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x1x1x1xf32>, tensor<f32>
  return %o : tensor<?x1x1x1xf32>
}
