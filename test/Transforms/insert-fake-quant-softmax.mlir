// An int8 softmax (reduce_max, sub, exp, reduce_sum, reciprocal, mul) is one
// TFLite SOFTMAX kernel: no quantizer inside it, and its output on TFLite's
// fixed grid 1/256, -128 (tosa.const, so calibration leaves it alone).
// RUN: qapeft-opt %s --qapeft-insert-fake-quant | FileCheck %s
// Twice is the same as once.
// RUN: qapeft-opt %s --qapeft-insert-fake-quant --qapeft-insert-fake-quant | FileCheck %s
// The quantized model lowers to one qapeft.tflite_softmax with no
// requantization after it (the input param is uncalibrated: scale 1).
// RUN: qapeft-opt %s --qapeft-insert-fake-quant --qapeft-lower-to-integer | FileCheck %s --check-prefix=INT
// INT: %[[S:.*]] = qapeft.tflite_softmax %arg0 {input_scale = 1.000000e+00 : f32, qapeft.scale = [3.906250e-03 : f32]
// INT-NOT: tosa.rescale
// INT: return %[[S]]
// Other than int8 the grid is not fixed and every op keeps its own quantizer.
// RUN: qapeft-opt %s --qapeft-insert-fake-quant="activation-bits=16" | FileCheck %s --check-prefix=WIDE

// CHECK-LABEL: func.func @forward
// CHECK: %[[XQ:.*]] = qapeft.fake_quant %arg0
// CHECK: %[[M:.*]] = tosa.reduce_max %[[XQ]]
// CHECK-NEXT: %[[D:.*]] = tosa.sub %[[XQ]], %[[M]]
// CHECK-NEXT: %[[E:.*]] = tosa.exp %[[D]]
// CHECK-NEXT: %[[S:.*]] = tosa.reduce_sum %[[E]]
// CHECK-NEXT: %[[I:.*]] = tosa.reciprocal %[[S]]
// CHECK-NEXT: %[[SH:.*]] = "tosa.const"
// CHECK-NEXT: %[[P:.*]] = tosa.mul %[[E]], %[[I]], %[[SH]]
// CHECK-NEXT: %[[OS:.*]] = "tosa.const"() <{values = dense<3.906250e-03> : tensor<f32>}>
// CHECK-NEXT: %[[OZ:.*]] = "tosa.const"() <{values = dense<-1.280000e+02> : tensor<f32>}>
// CHECK-NEXT: %[[O:.*]] = qapeft.fake_quant %[[P]] scale %[[OS]] zero_point %[[OZ]] scheme <bits = 8, storage = i8>
// CHECK-NOT: qapeft.fake_quant
// CHECK: return %[[O]]

// WIDE-LABEL: func.func @forward
// WIDE: tosa.sub
// WIDE-NEXT: qapeft.param "softmax_sub.scale"
// WIDE: tosa.exp
// WIDE-NEXT: qapeft.param "softmax_exp.scale"
// WIDE: tosa.mul
// WIDE-NEXT: qapeft.param "softmax.scale"
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %m = tosa.reduce_max %x {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %d = tosa.sub %x, %m : (tensor<?x4xf32>, tensor<?x1xf32>) -> tensor<?x4xf32> loc("softmax_sub")
  %e = tosa.exp %d : (tensor<?x4xf32>) -> tensor<?x4xf32> loc("softmax_exp")
  %s = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  %i = tosa.reciprocal %s : (tensor<?x1xf32>) -> tensor<?x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %p = tosa.mul %e, %i, %sh : (tensor<?x4xf32>, tensor<?x1xf32>, tensor<1xi8>) -> tensor<?x4xf32> loc("softmax")
  return %p : tensor<?x4xf32>
}
