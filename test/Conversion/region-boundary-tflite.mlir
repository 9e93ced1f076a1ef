// The boundaries of an int16x8 region in an int8 model, lowered for a
// TFLite target (rounding single: builtin kernels; fp32-half-even: XNNPACK,
// which takes no int16 op and leaves the boundaries to the builtin
// kernels), against a fixed-point one (rounding double).
//
// Entry, i8 -> i16: TFLite writes it as DEQUANTIZE + QUANTIZE (it has no
// int8 -> int16 QUANTIZE), which rounds (q - zp) * s_in in float32, divides
// by s_out in double and rounds ties away from zero. For these scales
// (0.00533000007, zp -128 -> 2.0739617e-5: ratio 257.0) TFLite's own
// multiplier 1077919649 >> 22 misses that at code -1 (x = 127, a value
// within float32 noise of a half); 1077919614 is the exact multiplier
// closest to the ratio (unittests/MixedPrecision checks the search over all
// codes; the exporter re-checks).
// Exit, i16 -> i8 (2.0739617e-5 / 0.0172443911, shift 40): TFLite's
// QUANTIZE rounds twice, so DOUBLE_ROUND.
// With rounding double (CMSIS-NN style) both stay the fixed-point
// requantization.
//
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=single" | FileCheck %s --check-prefixes=TFL,SINGLE
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=fp32-half-even" | FileCheck %s --check-prefixes=TFL,XNN
// RUN: qapeft-opt %s --qapeft-lower-to-integer="rounding=double" | FileCheck %s --check-prefix=FIXED

// TFL: func.func @forward(%[[X:.*]]: tensor<1x8xi8>
// TFL: %[[M:.*]] = "tosa.const"() <{values = dense<1077919614> : tensor<1xi32>}>
// TFL-NEXT: %[[S:.*]] = "tosa.const"() <{values = dense<22> : tensor<1xi8>}>
// TFL-NEXT: %[[IZ:.*]] = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}>
// TFL-NEXT: %[[OZ:.*]] = "tosa.const"() <{values = dense<0> : tensor<1xi16>}>
// TFL-NEXT: %[[E:.*]] = tosa.rescale %[[X]], %[[M]], %[[S]], %[[IZ]], %[[OZ]] {{{.*}}qapeft.tensor = "r.in"{{.*}}rounding_mode = SINGLE_ROUND, scale32 = true} : {{.*}} -> tensor<1x8xi16>
// TFL: "tosa.const"() <{values = dense<1322369100> : tensor<1xi32>}>
// TFL-NEXT: "tosa.const"() <{values = dense<40> : tensor<1xi8>}>
// TFL: %[[O:.*]] = tosa.rescale %[[E]], {{.*}}qapeft.tensor = "r.out"{{.*}}rounding_mode = DOUBLE_ROUND, scale32 = true} : {{.*}} -> tensor<1x8xi8>
// SINGLE-NOT: qapeft.rounding
// XNN-NOT: qapeft.rounding
// TFL: return %[[O]]

// FIXED: "tosa.const"() <{values = dense<1077919649> : tensor<1xi32>}>
// FIXED: tosa.rescale {{.*}}qapeft.tensor = "r.in"{{.*}}rounding_mode = DOUBLE_ROUND
// FIXED: tosa.rescale {{.*}}qapeft.tensor = "r.out"{{.*}}rounding_mode = DOUBLE_ROUND

func.func @forward(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %s = qapeft.param "input.scale" dense<0.00533000007> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<-128.0> : tensor<f32>
  %q = qapeft.fake_quant %x scale %s zero_point %z scheme <bits = 8, storage = i8> : tensor<1x8xf32>, tensor<f32>
  %r = qapeft.region int16x8 {
    %s2 = qapeft.param "r.in.scale" dense<2.0739617E-5> : tensor<f32>
    %z2 = qapeft.param "r.in.zero_point" dense<0.0> : tensor<f32>
    %e = qapeft.fake_quant %q scale %s2 zero_point %z2 scheme <bits = 16, storage = i16, symmetric = true> : tensor<1x8xf32>, tensor<f32>
    qapeft.yield %e : tensor<1x8xf32>
  } : tensor<1x8xf32>
  %s3 = qapeft.param "r.out.scale" dense<0.0172443911> : tensor<f32>
  %z3 = qapeft.param "r.out.zero_point" dense<-128.0> : tensor<f32>
  %o = qapeft.fake_quant %r scale %s3 zero_point %z3 scheme <bits = 8, storage = i8> : tensor<1x8xf32>, tensor<f32>
  return %o : tensor<1x8xf32>
}
