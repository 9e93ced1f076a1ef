// The int16x8 forms of the layout and pooling operators: MAX_POOL_2D,
// AVERAGE_POOL_2D and CONCATENATION on int16 tensors need version 3 (TFLite's
// op_version: int16 inputs); RESHAPE stays version 1. int16 activations are
// symmetric, so every zero point is 0. Round trip here; the same file runs on
// the real interpreter in conformance-models.test.
// RUN: qapeft-translate --qapeft-to-tflite %s -o %t.tflite
// RUN: qapeft-translate --tflite-to-mlir %t.tflite | FileCheck %s
// RUN: qapeft-translate --tflite-to-mlir %t.tflite --mlir-print-debuginfo -o %t.mlir
// RUN: qapeft-translate --qapeft-to-tflite %t.mlir -o %t.again.tflite
// RUN: cmp %t.tflite %t.again.tflite

// CHECK: tflite.metadata = {min_runtime_version = "2.3.0"
// CHECK: func.func @forward(%[[X:.*]]: tensor<1x4x4x2xi16>
// CHECK: %[[MAX:.*]] = tosa.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>
// CHECK-SAME: stride = array<i64: 2, 2>, tflite.builtin = "MAX_POOL_2D", tflite.version = 3 : i32}
// CHECK-SAME: -> tensor<1x2x2x2xi16>
// CHECK: %[[AVG:.*]] = tosa.avg_pool2d %[[X]], %{{.*}}, %{{.*}} {acc_type = i32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>
// CHECK-SAME: stride = array<i64: 2, 2>, tflite.builtin = "AVERAGE_POOL_2D", tflite.version = 3 : i32}
// CHECK-SAME: -> tensor<1x2x2x2xi16>
// CHECK: %[[CAT:.*]] = tosa.concat %[[MAX]], %[[AVG]] {axis = 3 : i32
// CHECK-SAME: tflite.builtin = "CONCATENATION", tflite.version = 3 : i32}
// CHECK: %[[Y:.*]] = tosa.reshape %[[CAT]], %{{.*}} {{{.*}}tflite.builtin = "RESHAPE", tflite.version = 1 : i32} : (tensor<1x2x2x4xi16>, !tosa.shape<2>) -> tensor<1x16xi16>
// CHECK: return %[[Y]]

func.func @forward(%x: tensor<?x4x4x2xi16> {qapeft.scale = [0.0005 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x16xi16> {qapeft.scale = [0.0005 : f32], qapeft.zero_point = [0]}) {
  %max = tosa.max_pool2d %x {kernel = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 2, 2>,
                              qapeft.scale = [0.0005 : f32], qapeft.zero_point = [0]} : (tensor<?x4x4x2xi16>) -> tensor<?x2x2x2xi16> loc("pool.max")
  %zp = "tosa.const"() {values = dense<0> : tensor<1xi16>} : () -> tensor<1xi16>
  // A 3x3 window with stride 2 on a 4x4 input: TFLite's SAME pads one row and
  // one column, after, so the windows average 9, 6, 6 and 4 values (the
  // even counts exercise the rounding of ties).
  %avg = tosa.avg_pool2d %x, %zp, %zp {acc_type = i32, kernel = array<i64: 3, 3>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>,
                                        qapeft.scale = [0.0005 : f32], qapeft.zero_point = [0]}
      : (tensor<?x4x4x2xi16>, tensor<1xi16>, tensor<1xi16>) -> tensor<?x2x2x2xi16> loc("pool.avg")
  %cat = tosa.concat %max, %avg {axis = 3 : i32, qapeft.scale = [0.0005 : f32], qapeft.zero_point = [0]}
      : (tensor<?x2x2x2xi16>, tensor<?x2x2x2xi16>) -> tensor<?x2x2x4xi16> loc("cat")
  %shape = tosa.const_shape {values = dense<[-1, 16]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %y = tosa.reshape %cat, %shape : (tensor<?x2x2x4xi16>, !tosa.shape<2>) -> tensor<?x16xi16> loc("flatten")
  return %y : tensor<?x16xi16>
}
