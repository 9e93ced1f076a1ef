// RUN: rm -rf %t && mkdir -p %t
// Column 0 spans [-2, 3], column 1 [0.5, 5].
// RUN: qapeft-sim make-npy --shape 4x2 --values -2,0.5,3,5,1,1,0,2 -o %t/calib.npy
// RUN: qapeft-sim calibrate %s --data %t/calib.npy --batch 3 -o %t/cal.mlir | FileCheck %s --check-prefix=REPORT
// RUN: FileCheck %s < %t/cal.mlir

// REPORT: x.scale: range [-2, 5] scale 0.0274{{[0-9]*}} zero_point -55
// REPORT: y.scale: 2 channels along axis 1

// Asymmetric per tensor: s = 7/255, z = rhe(-128 + 2/s) = -55.
// CHECK: qapeft.param "x.scale" dense<0.0274{{[0-9]*}}> : tensor<f32>
// CHECK: qapeft.param "x.zero_point" dense<-5.500000e+01> : tensor<f32>
// Symmetric per channel: max|x| / 127 = 3/127, 5/127; zero points 0.
// CHECK: qapeft.param "y.scale" dense<[0.0236{{[0-9]*}}, 0.0393{{[0-9]*}}]> : tensor<2xf32>
// CHECK: qapeft.param "y.zero_point" dense<0.000000e+00> : tensor<2xf32>
// Trainable (learnable) ranges are left alone.
// CHECK: qapeft.param "t.scale" trainable dense<1.000000e+00> : tensor<f32>

// The percentile observer clips the single outlier of column 0: with 75%
// kept, 12.5% is cut at each end, so the range ends at the bin (1000/2048
// wide) holding 0.6: max = 2 * 1000/2048, scale = max / 127.
// RUN: qapeft-sim make-npy --shape 8x2 --values 1000,1,0,1,0.1,1,0.2,1,0.3,1,0.4,1,0.5,1,0.6,1 -o %t/outlier.npy
// RUN: qapeft-sim calibrate %s --data %t/outlier.npy --observer minmax -o %t/mm.mlir
// RUN: qapeft-sim calibrate %s --data %t/outlier.npy --observer percentile=75 -o %t/pc.mlir
// RUN: FileCheck %s --check-prefix=MINMAX < %t/mm.mlir
// RUN: FileCheck %s --check-prefix=PCT < %t/pc.mlir
// MINMAX: qapeft.param "y.scale" dense<[7.87{{[0-9]*}}, 0.00787{{[0-9]*}}]>
// PCT: qapeft.param "y.scale" dense<[0.00768{{[0-9]*}}, 0.00787{{[0-9]*}}]>
// RUN: qapeft-sim calibrate %s --data %t/outlier.npy --observer ema -o %t/ema.mlir
// RUN: qapeft-sim calibrate %s --data %t/outlier.npy --observer entropy -o %t/kl.mlir
// RUN: FileCheck %s --check-prefix=MODULE < %t/kl.mlir
// MODULE: qapeft.param "y.scale" dense<[{{.*}}]> : tensor<2xf32>

// Errors.
// RUN: not qapeft-sim calibrate %s --data %t/calib.npy --observer kl -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=OBSERVER
// OBSERVER: error: unknown observer 'kl' (expected minmax, ema, percentile=P or entropy)
// RUN: not qapeft-sim calibrate %s --data %t/calib.npy --observer percentile=101 -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=PERCENT
// PERCENT: error: the percentile must be a number in (0, 100], got '101'
// RUN: qapeft-sim make-npy --shape 4x3 --values 1 -o %t/wide.npy
// RUN: not qapeft-sim calibrate %s --data %t/wide.npy -o %t/bad.mlir 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: error: argument #0 of @forward expects 'tensor<?x2xf32>', got tensor<4x3xf32>
// RUN: not test -e %t/bad.mlir

func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %s = qapeft.param "x.scale" dense<1.0> : tensor<f32>
  %z = qapeft.param "x.zero_point" dense<0.0> : tensor<f32>
  %y = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  %cs = qapeft.param "y.scale" dense<1.0> : tensor<2xf32>
  %cz = qapeft.param "y.zero_point" dense<0.0> : tensor<2xf32>
  %y2 = qapeft.fake_quant %y scale %cs zero_point %cz scheme <bits = 8, storage = i8, symmetric = true, granularity = per_channel, axis = 1> : tensor<?x2xf32>, tensor<2xf32>
  %ts = qapeft.param "t.scale" trainable dense<1.0> : tensor<f32>
  %tz = qapeft.param "t.zero_point" trainable dense<0.0> : tensor<f32>
  %y3 = qapeft.fake_quant %y2 scale %ts zero_point %tz scheme <bits = 8, storage = i8> : tensor<?x2xf32>, tensor<f32>
  return %y3 : tensor<?x2xf32>
}
