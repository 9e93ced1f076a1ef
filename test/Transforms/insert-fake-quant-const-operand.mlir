// A float constant operand of tosa.add / sub / mul is fake quantized per
// tensor on the activation scheme (TFLite stores it as a quantized tensor
// with its own scale and zero point), starting at its own range, so the
// integer lowering turns it into an integer constant on that grid.
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant | FileCheck %s
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant --qapeft-insert-fake-quant | FileCheck %s --check-prefix=TWICE
// RUN: qapeft-opt %s -split-input-file --qapeft-insert-fake-quant --canonicalize --qapeft-lower-to-integer | FileCheck %s --check-prefix=INT

// Range [-0.5, 1.0] (it includes 0): scale 1.5 / 255, zero point
// nearbyint(-128 + 0.5 / scale) = -43.
// CHECK-LABEL: func.func @forward
// CHECK: %[[X:.*]] = qapeft.fake_quant %arg0
// CHECK: %[[C:.*]] = "tosa.const"() <{values = dense<{{\[\[}}-5.000000e-01, 1.000000e+00]]> : tensor<1x2xf32>}>
// CHECK: %[[CS:.*]] = qapeft.param "shift.const1.scale" dense<0.00588235306> : tensor<f32>
// CHECK: %[[CZ:.*]] = qapeft.param "shift.const1.zero_point" dense<-4.300000e+01> : tensor<f32>
// CHECK: %[[CQ:.*]] = qapeft.fake_quant %[[C]] scale %[[CS]] zero_point %[[CZ]] scheme <bits = 8, storage = i8> : tensor<1x2xf32>, tensor<f32>
// CHECK: %[[A:.*]] = tosa.add %[[X]], %[[CQ]]
// CHECK: qapeft.param "shift.scale"
// CHECK: qapeft.fake_quant %[[A]]
// A constant first operand of a mul: all-positive range [0, 2] (with 0),
// zero point -128.
// CHECK: qapeft.param "scale.const0.scale" dense<0.00784313772> : tensor<f32>
// CHECK: qapeft.param "scale.const0.zero_point" dense<-1.280000e+02> : tensor<f32>
// CHECK: tosa.mul %{{.*}}, %{{.*}}, %{{.*}} : (tensor<1x2xf32>, tensor<?x2xf32>, tensor<1xi8>)
// TWICE-LABEL: func.func @forward
// TWICE-COUNT-5: qapeft.fake_quant
// TWICE-NOT: qapeft.fake_quant
// TWICE-LABEL: func.func @forward
// The constants become int8 constants on their own grid: -0.5 -> -128,
// 1.0 -> 127; 2.0 -> 127.
// INT-LABEL: func.func @forward
// INT: "tosa.const"() <{values = dense<{{\[\[}}-128, 127]]> : tensor<1x2xi8>}> {qapeft.scale = [0.00588235306 : f32], qapeft.zero_point = [-43]}
// INT: "tosa.const"() <{values = dense<127> : tensor<1x2xi8>}> {qapeft.scale = [0.00784313772 : f32], qapeft.zero_point = [-128]}
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c = "tosa.const"() {values = dense<[[-0.5, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %a = tosa.add %x, %c : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32> loc("shift")
  %d = "tosa.const"() {values = dense<2.0> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %sh = "tosa.const"() {values = dense<0> : tensor<1xi8>} : () -> tensor<1xi8>
  %m = tosa.mul %d, %a, %sh : (tensor<1x2xf32>, tensor<?x2xf32>, tensor<1xi8>) -> tensor<?x2xf32> loc("scale")
  return %m : tensor<?x2xf32>
}

// -----

// An op on constants only is folded by the compiler, no kernel runs it:
// neither its operands nor its output are quantized.
// CHECK-LABEL: func.func @forward
// CHECK: %[[S:.*]] = tosa.add %{{.*}}, %{{.*}} : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK-NOT: qapeft.fake_quant %[[S]]
// CHECK: qapeft.param "sum.const1.scale"
// CHECK: tosa.add %{{.*}}, %{{.*}} : (tensor<?x2xf32>, tensor<1x2xf32>)
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c = "tosa.const"() {values = dense<[[-0.5, 1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %d = "tosa.const"() {values = dense<0.25> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %s = tosa.add %c, %d : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32> loc("fold")
  %y = tosa.add %x, %c : (tensor<?x2xf32>, tensor<1x2xf32>) -> tensor<?x2xf32> loc("sum")
  return %y : tensor<?x2xf32>
}
