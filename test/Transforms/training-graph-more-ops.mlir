// The backward rules of depthwise_conv2d, concat, slice, reduce_sum,
// reduce_max and reciprocal (their numerics: unittests/Transforms/GradientCheckTest.cpp).
// RUN: qapeft-opt %s --qapeft-training-graph="loss=mse optimizer=sgd" | FileCheck %s

// CHECK-LABEL: func.func @train_step
// CHECK-SAME: %[[W:[a-z0-9]+]]: tensor<3x3x2x2xf32> {qapeft.param = "dw.weight"}
// CHECK-SAME: %[[Q:[a-z0-9]+]]: tensor<2x1xf32> {qapeft.param = "q"}

// Backward, from the loss: the concatenation's gradient is split into the
// slices of its inputs ([0, 4) of axis 1 for the softmax part, [4, 5) for
// the max); -1 keeps the other dimensions whole.
// CHECK: %{{.*}}, %[[DO:.*]] = qapeft.mse
// CHECK: %[[Z0:.*]] = tosa.const_shape {values = dense<[-1, 4]> : tensor<2xindex>}
// CHECK: %[[S0:.*]] = tosa.const_shape {values = dense<0> : tensor<2xindex>}
// CHECK: %[[DP:.*]] = tosa.slice %[[DO]], %[[S0]], %[[Z0]] : (tensor<2x5xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x4xf32>
// CHECK: %[[Z1:.*]] = tosa.const_shape {values = dense<[-1, 1]> : tensor<2xindex>}
// CHECK: %[[S1:.*]] = tosa.const_shape {values = dense<[0, 4]> : tensor<2xindex>}
// CHECK: %[[DM:.*]] = tosa.slice %[[DO]], %[[S1]], %[[Z1]] : (tensor<2x5xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x1xf32>
// reciprocal: dx = -(dy * y^2).
// CHECK: %[[Y2:.*]] = tosa.mul %[[R:.*]], %[[R]]
// CHECK: tosa.mul %{{.*}}, %[[Y2]]
// CHECK: "tosa.const"() <{values = dense<-1.000000e+00>
// reduce_sum: dy copied back over the 4 reduced positions.
// CHECK: %[[DS:.*]] = tosa.mul
// CHECK: tosa.concat %[[DS]], %[[DS]], %[[DS]], %[[DS]] {axis = 1 : i32} : (tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// reduce_max: the copies of dy masked with x == max.
// CHECK: %[[DMS:.*]] = tosa.concat %[[DM]], %[[DM]], %[[DM]], %[[DM]] {axis = 1 : i32}
// CHECK: %[[MS:.*]] = tosa.concat %[[MAX:.*]], %[[MAX]], %[[MAX]], %[[MAX]] {axis = 1 : i32}
// CHECK: %[[EQ:.*]] = tosa.equal %[[L:.*]], %[[MS]]
// CHECK: tosa.select %[[EQ]], %[[DMS]], %{{.*}} : (tensor<2x4xi1>, tensor<2x4xf32>, tensor<1x1xf32>) -> tensor<2x4xf32>
// slice: dy zero-padded back to [2, 17] (13 columns after).
// CHECK: tosa.const_shape {values = dense<[0, 0, 0, 13]> : tensor<4xindex>}
// CHECK: %[[DC:.*]] = tosa.pad {{.*}} -> tensor<2x17xf32>
// The forward concat: the reshaped depthwise output and q get their slices.
// CHECK: tosa.slice %[[DC]], {{.*}} -> tensor<2x16xf32>
// CHECK: %[[DQ:.*]] = tosa.slice %[[DC]], {{.*}} -> tensor<2x1xf32>
// The depthwise weight gradient (the input is not trainable: no backprop
// input).
// CHECK-NOT: qapeft.depthwise_conv2d_backprop_input
// CHECK: %[[DW:.*]] = qapeft.depthwise_conv2d_backprop_filter %{{.*}}, %{{.*}} {dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<2x4x4x2xf32>, tensor<2x2x2x4xf32>) -> tensor<3x3x2x2xf32>
// CHECK: qapeft.sgd %[[W]], %[[DW]]
// CHECK: qapeft.sgd %[[Q]], %[[DQ]]
func.func @forward(%x: tensor<2x4x4x2xf32>) -> tensor<2x5xf32> {
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %shift = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %w = qapeft.param "dw.weight" trainable dense<0.1> : tensor<3x3x2x2xf32>
  %b = "tosa.const"() {values = dense<0.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %d = tosa.depthwise_conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<2x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<2x2x2x4xf32>
  %s = tosa.const_shape {values = dense<[2, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %f = tosa.reshape %d, %s : (tensor<2x2x2x4xf32>, !tosa.shape<2>) -> tensor<2x16xf32>
  %q = qapeft.param "q" trainable dense<0.2> : tensor<2x1xf32>
  %c = tosa.concat %f, %q {axis = 1 : i32} : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x17xf32>
  %s4 = tosa.const_shape {values = dense<[0, 0]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %z4 = tosa.const_shape {values = dense<[2, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %l = tosa.slice %c, %s4, %z4 : (tensor<2x17xf32>, !tosa.shape<2>, !tosa.shape<2>) -> tensor<2x4xf32>
  %m = tosa.reduce_max %l {axis = 1 : i32} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %e = tosa.exp %l : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<2x4xf32>) -> tensor<2x1xf32>
  %r = tosa.reciprocal %sum : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %p = tosa.mul %e, %r, %shift : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<1xi8>) -> tensor<2x4xf32>
  %o = tosa.concat %p, %m {axis = 1 : i32} : (tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
  return %o : tensor<2x5xf32>
}
