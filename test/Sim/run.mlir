// RUN: qapeft-sim make-npy --shape 2x3x3x1 --values iota -o %t.x.npy
// RUN: qapeft-sim run %s --input %t.x.npy -o %t.y.npy
// RUN: qapeft-sim show-npy %t.y.npy | FileCheck %s
// Dynamic batch: the same model on one sample.
// RUN: qapeft-sim make-npy --shape 1x3x3x1 --values 1 -o %t.x1.npy
// RUN: qapeft-sim run %s --input %t.x1.npy -o %t.y1.npy
// RUN: qapeft-sim show-npy %t.y1.npy | FileCheck %s --check-prefix=ONE
// A function other than @forward, with two arguments and two results.
// RUN: qapeft-sim make-npy --shape 2 --dtype i32 --values 3,-4 -o %t.i.npy
// RUN: qapeft-sim run %s --function pair --input %t.i.npy --input %t.i.npy -o %t.p0.npy -o %t.p1.npy
// RUN: qapeft-sim show-npy %t.p0.npy | FileCheck %s --check-prefix=PAIR0
// RUN: qapeft-sim show-npy %t.p1.npy | FileCheck %s --check-prefix=PAIR1

// 2x2 all-ones conv (valid) summing each 2x2 window, + bias 0.5, clamp to
// [0, 30],
// then flatten to [N, 4].
// x[0] = 0..8 as a 3x3 image: windows sum to 8, 12, 20, 24; x[1] = 9..17
// sums to at least 44 and clamps.
// CHECK: tensor<2x4xf32>
// CHECK-NEXT: 8.5 12.5 20.5 24.5
// CHECK-NEXT: 30 30 30 30
// ONE: tensor<1x4xf32>
// ONE-NEXT: 4.5 4.5 4.5 4.5
// PAIR0: tensor<2xi1>
// PAIR0-NEXT: 1 0
// PAIR1: tensor<2xf32>
// PAIR1-NEXT: 3 -4
func.func @forward(%x: tensor<?x3x3x1xf32>) -> tensor<?x4xf32> {
  %w = "tosa.const"() {values = dense<1.0> : tensor<1x2x2x1xf32>} : () -> tensor<1x2x2x1xf32>
  %b = "tosa.const"() {values = dense<0.5> : tensor<1xf32>} : () -> tensor<1xf32>
  %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>, dilation = array<i64: 1, 1>} : (tensor<?x3x3x1xf32>, tensor<1x2x2x1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x2x2x1xf32>
  %r = tosa.clamp %y {min_val = 0.0 : f32, max_val = 30.0 : f32} : (tensor<?x2x2x1xf32>) -> tensor<?x2x2x1xf32>
  %s = tosa.const_shape {values = dense<[-1, 4]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %f = tosa.reshape %r, %s : (tensor<?x2x2x1xf32>, !tosa.shape<2>) -> tensor<?x4xf32>
  return %f : tensor<?x4xf32>
}

func.func @pair(%a: tensor<2xi32>, %b: tensor<2xi32>) -> (tensor<2xi1>, tensor<2xf32>) {
  %g = tosa.greater_equal %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi1>
  %z = "tosa.const"() {values = dense<0> : tensor<2xi32>} : () -> tensor<2xi32>
  %gt = tosa.greater %a, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi1>
  %c = tosa.cast %a : (tensor<2xi32>) -> tensor<2xf32>
  return %gt, %c : tensor<2xi1>, tensor<2xf32>
}
