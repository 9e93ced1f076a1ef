// lsq=weight initialises the learned scale from a dense_resource weight too
// (large models store weights as blobs): per output channel 2 mean|w| /
// sqrt(127): channel 0 [0.5, -0.25] -> 0.0665517, channel 1 [1.0, 0.0] ->
// 0.088736.
// RUN: qapeft-opt %s --qapeft-insert-fake-quant="lsq=weight mode=full" | FileCheck %s

// CHECK: qapeft.param "fc.weight.scale" trainable dense<[0.0665517375, 0.0887356474]> : tensor<2xf32>
// CHECK: qapeft.fake_quant %{{.*}} scale %{{.*}} zero_point %{{.*}} scheme <{{.*}}per_channel, axis = 0, range = learnable> : tensor<2x1x1x2xf32>, tensor<2xf32>
func.func @forward(%x: tensor<?x1x1x2xf32>) -> tensor<?x1x1x2xf32> {
  %w = qapeft.param "fc.weight" dense_resource<fcw> : tensor<2x1x1x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %c = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<?x1x1x2xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x1x1x2xf32> loc("fc")
  return %c : tensor<?x1x1x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      fcw: "0x040000000000003F000080BE0000803F00000000"
    }
  }
#-}
