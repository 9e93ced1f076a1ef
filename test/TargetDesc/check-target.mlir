// --qapeft-check-target reports, at each op, what the attached target cannot
// run and why. tflite-int8 and int4w-int8a say `unsupported_ops: error`
// (errors, the pass fails); ethos-u55 says `keep-float` (warnings with a
// note, the pass succeeds).
//
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics \
// RUN:   --qapeft-attach-target=target=tflite-int8 --qapeft-check-target
// RUN: qapeft-opt %S/Inputs/ethos-u55-model.mlir -split-input-file \
// RUN:   -verify-diagnostics --qapeft-attach-target=target=ethos-u55 \
// RUN:   --qapeft-check-target
// RUN: qapeft-opt %S/Inputs/int4w-int8a-model.mlir -split-input-file \
// RUN:   -verify-diagnostics --qapeft-attach-target=target=int4w-int8a \
// RUN:   --qapeft-check-target
//
// A failing check is a non-zero exit; warn-only turns errors into warnings.
// RUN: not qapeft-opt %S/Inputs/unlisted-op.mlir --qapeft-attach-target=target=tflite-int8 \
// RUN:   --qapeft-check-target -o /dev/null 2>&1 | FileCheck %s --check-prefix=FAIL
// RUN: qapeft-opt %S/Inputs/unlisted-op.mlir --qapeft-attach-target=target=tflite-int8 \
// RUN:   --qapeft-check-target=warn-only=true 2>&1 | FileCheck %s --check-prefix=WARN
// FAIL: unlisted-op.mlir:5:10: error: 'tosa.erf' is not in the ops of target 'tflite-int8'
// WARN: unlisted-op.mlir:5:10: warning: 'tosa.erf' is not in the ops of target 'tflite-int8'
// WARN-NOT: error:
// WARN: module attributes {qapeft.target = {

// A model tflite-int8 runs entirely: no diagnostics.
module {
  func.func @forward(%x: tensor<1x28x28x1xf32>) -> tensor<1x28x28x16xf32> {
    %w = "tosa.const"() {values = dense<0.5> : tensor<16x3x3x1xf32>} : () -> tensor<16x3x3x1xf32>
    %b = "tosa.const"() {values = dense<0.0> : tensor<16xf32>} : () -> tensor<16xf32>
    %zp = "tosa.const"() {values = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
    %0 = tosa.conv2d %x, %w, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x28x28x1xf32>, tensor<16x3x3x1xf32>, tensor<16xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x28x28x16xf32>
    %1 = tosa.clamp %0 {min_val = 0.0 : f32, max_val = 3.40282347E+38 : f32} : (tensor<1x28x28x16xf32>) -> tensor<1x28x28x16xf32>
    return %1 : tensor<1x28x28x16xf32>
  }
}

// -----

// An op outside the target's op list.
module {
  func.func @forward(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
    // expected-error @below {{'tosa.erf' is not in the ops of target 'tflite-int8'}}
    %0 = tosa.erf %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
    return %0 : tensor<1x8xf32>
  }
}

// -----

// A precision the target does not have: an f16 island. tflite-int8 has
// int16x8 regions, but only for some ops: a 16-bit maximum is int8 only.
module {
  func.func @forward(%x: tensor<1x8xf32>, %y: tensor<1x8xi16>) -> (tensor<1x8xf32>, tensor<1x8xi16>) {
    // expected-error @below {{target 'tflite-int8' has no f16 precision (precisions: int8, int16x8)}}
    %r = qapeft.region f16 {
      %0 = tosa.add %x, %x : (tensor<1x8xf32>, tensor<1x8xf32>) -> tensor<1x8xf32>
      qapeft.yield %0 : tensor<1x8xf32>
    } : tensor<1x8xf32>
    %1 = tosa.add %y, %y : (tensor<1x8xi16>, tensor<1x8xi16>) -> tensor<1x8xi16>
    // expected-error @below {{'tosa.maximum' runs only at int8 on target 'tflite-int8', not at int16x8}}
    %2 = tosa.maximum %1, %y : (tensor<1x8xi16>, tensor<1x8xi16>) -> tensor<1x8xi16>
    return %r, %2 : tensor<1x8xf32>, tensor<1x8xi16>
  }
}

// -----

// 8-bit integer ops are int8: fine.
module {
  func.func @forward(%y: tensor<1x8xi8>) -> tensor<1x8xi8> {
    %1 = tosa.add %y, %y : (tensor<1x8xi8>, tensor<1x8xi8>) -> tensor<1x8xi8>
    return %1 : tensor<1x8xi8>
  }
}
