// int8 sigmoid and tanh become a 256-entry tosa.table on TFLite's fixed
// output grid (sigmoid: scale 1/256, zero point -128; tanh: 1/128, 0).
// RUN: qapeft-opt %s --qapeft-lower-to-integer=function= -o %t.mlir 2>/dev/null
// RUN: FileCheck %s --input-file %t.mlir
// RUN: qapeft-opt %t.mlir --tosa-attach-target="profiles=pro_int level=none" --tosa-validate -o /dev/null
//
// Executed in the simulator on hand-picked codes. Expected values from the
// real math (sigmoid(x) * 256 and tanh(x) * 128, rounded, plus the zero
// point), input scale 0.5 (sigmoid) and 0.25 (tanh), zero point 0:
//   sigmoid: q -4 -> x -2 -> 30.52 -> 31 - 128 = -97; q 3 -> x 1.5 -> 209.30
//   -> 81; q 127 -> 256 saturates to 127; q -128 -> 0 - 128.
//   tanh: q -4 -> x -1 -> -97.48 -> -97; q 8 -> x 2 -> 123.40 -> 123; q 127
//   -> 128 saturates to 127.
// The third function quantizes the sigmoid at scale 1/128, zero point -128:
// the table's codes t are requantized, (t + 128) / 2 rounded half up - 128.
// RUN: qapeft-sim make-npy --dtype i8 --shape 1x8 --values "-128,-4,-1,0,1,3,8,127" -o %t.x.npy
// RUN: qapeft-sim run %t.mlir --function sigmoid --input %t.x.npy -o %t.s.npy
// RUN: qapeft-sim show-npy %t.s.npy | FileCheck %s --check-prefix=SIG
// RUN: qapeft-sim run %t.mlir --function tanh --input %t.x.npy -o %t.t.npy
// RUN: qapeft-sim show-npy %t.t.npy | FileCheck %s --check-prefix=TANH
// RUN: qapeft-sim run %t.mlir --function requant --input %t.x.npy -o %t.r.npy
// RUN: qapeft-sim show-npy %t.r.npy | FileCheck %s --check-prefix=REQ
// SIG: tensor<1x8xi8>
// SIG-NEXT: -128 -97 -31 0 31 81 123 127
// TANH: tensor<1x8xi8>
// TANH-NEXT: -128 -97 -31 0 31 81 123 127
// REQ: tensor<1x8xi8>
// REQ-NEXT: -128 -112 -79 -64 -48 -23 -2 0

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: -> (tensor<?x8xi8> {qapeft.scale = [3.906250e-03 : f32], qapeft.zero_point = [-128]})
// CHECK: %[[T:.*]] = "tosa.const"() <{values = dense<{{.*}}> : tensor<256xi8>}>
// CHECK: %[[L:.*]] = tosa.table %arg0, %[[T]] {qapeft.activation = "sigmoid", qapeft.scale = [3.906250e-03 : f32], qapeft.tensor = "sig", qapeft.zero_point = [-128]}
// CHECK-NOT: tosa.sigmoid
// CHECK: return %[[L]]
func.func @sigmoid(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "sig.scale" dense<0.00390625> : tensor<f32>
  %oz = qapeft.param "sig.zero_point" dense<-128.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @tanh
// CHECK-SAME: -> (tensor<?x8xi8> {qapeft.scale = [7.812500e-03 : f32], qapeft.zero_point = [0]})
// CHECK: tosa.table %arg0, %{{.*}} {qapeft.activation = "tanh", qapeft.scale = [7.812500e-03 : f32], {{.*}}qapeft.zero_point = [0]}
func.func @tanh(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.25> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.tanh %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "th.scale" dense<0.0078125> : tensor<f32>
  %oz = qapeft.param "th.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// A calibrated output scale other than TFLite's: the table, then a rescale.
// CHECK-LABEL: func.func @requant
// CHECK: %[[L:.*]] = tosa.table %arg0, %{{.*}} {qapeft.activation = "sigmoid", qapeft.scale = [3.906250e-03 : f32], qapeft.zero_point = [-128]}
// CHECK: %[[R:.*]] = tosa.rescale %[[L]], {{.*}}qapeft.scale = [7.812500e-03 : f32], qapeft.tensor = "req", qapeft.zero_point = [-128]
// CHECK: return %[[R]]
func.func @requant(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.5> : tensor<f32>
  %xz = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %xz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "req.scale" dense<0.0078125> : tensor<f32>
  %oz = qapeft.param "req.zero_point" dense<-128.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 8, storage = i8> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}
