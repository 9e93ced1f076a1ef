// A failed export writes nothing: an existing output file keeps its old
// contents and no new or temporary file appears.
// RUN: rm -rf %t.d && mkdir -p %t.d
// RUN: echo previous > %t.d/old.tflite
// RUN: not qapeft-translate --qapeft-to-tflite %s -o %t.d/old.tflite 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=KEPT < %t.d/old.tflite
// RUN: not qapeft-translate --qapeft-to-tflite %s -o %t.d/new.tflite
// RUN: ls %t.d | count 1
// RUN: not qapeft-translate --qapeft-to-tflite --batch=0 %S/conv2d.mlir -o %t.d/batch.tflite 2>&1 | FileCheck %s --check-prefix=BATCH
// RUN: ls %t.d | count 1
// A destination that is not a regular file is written, not replaced: a
// successful export to /dev/null leaves the device in place (a rename over
// it would turn it into a regular file).
// RUN: qapeft-translate --qapeft-to-tflite %S/conv2d.mlir -o /dev/null
// RUN: test -c /dev/null
// RUN: qapeft-sim make-npy --values 1 -o /dev/null
// RUN: test -c /dev/null

// CHECK: error: TFLite export: 'tosa.sub' has no TFLite operator mapping
// KEPT: previous
// BATCH: error: TFLite export: --batch must be at least 1

func.func @forward(%x: tensor<1x2xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]}) -> tensor<1x2xi8> {
  %y = tosa.sub %x, %x : (tensor<1x2xi8>, tensor<1x2xi8>) -> tensor<1x2xi8>
  return %y : tensor<1x2xi8>
}
