// max_pool2d, avg_pool2d, concat and reshape map one-to-one to MAX_POOL_2D,
// AVERAGE_POOL_2D, CONCATENATION (all version 2: int8) and RESHAPE (version
// 1, with its shape as an int32 tensor).
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: func.func @forward(%[[X:.*]]: tensor<1x4x4x2xi8>
// CHECK: %[[MAX:.*]] = tosa.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>
// CHECK-SAME: stride = array<i64: 2, 2>, tflite.builtin = "MAX_POOL_2D", tflite.version = 2 : i32}
// CHECK: %[[AVG:.*]] = tosa.avg_pool2d %[[X]], %{{.*}}, %{{.*}} {acc_type = i32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>
// CHECK-SAME: stride = array<i64: 2, 2>, tflite.builtin = "AVERAGE_POOL_2D", tflite.version = 2 : i32}
// CHECK: %[[CAT:.*]] = tosa.concat %[[MAX]], %[[AVG]] {axis = 3 : i32
// CHECK-SAME: tflite.builtin = "CONCATENATION", tflite.version = 2 : i32}
// CHECK: %[[Y:.*]] = tosa.reshape %[[CAT]], %{{.*}} {{{.*}}tflite.builtin = "RESHAPE", tflite.version = 1 : i32} : (tensor<1x2x2x4xi8>, !tosa.shape<2>) -> tensor<1x16xi8>
// CHECK: return %[[Y]]

func.func @forward(%x: tensor<?x4x4x2xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [3]})
    -> (tensor<?x16xi8> {qapeft.scale = [0.1 : f32], qapeft.zero_point = [3]}) {
  %max = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>,
                              qapeft.scale = [0.1 : f32], qapeft.zero_point = [3]} : (tensor<?x4x4x2xi8>) -> tensor<?x2x2x2xi8> loc("pool.max")
  %zp = "tosa.const"() {values = dense<3> : tensor<1xi8>} : () -> tensor<1xi8>
  // A 3x3 window with stride 2 on a 4x4 input: TFLite's SAME pads one row and
  // one column, after.
  %avg = tosa.avg_pool2d %x, %zp, %zp {acc_type = i32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>,
                                        qapeft.scale = [0.1 : f32], qapeft.zero_point = [3]}
      : (tensor<?x4x4x2xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x2x2x2xi8> loc("pool.avg")
  %cat = tosa.concat %max, %avg {axis = 3 : i32, qapeft.scale = [0.1 : f32], qapeft.zero_point = [3]}
      : (tensor<?x2x2x2xi8>, tensor<?x2x2x2xi8>) -> tensor<?x2x2x4xi8> loc("cat")
  %shape = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %cat, %shape : (tensor<?x2x2x4xi8>, !tosa.shape<2>) -> tensor<?x16xi8> loc("flatten")
  return %y : tensor<?x16xi8>
}
