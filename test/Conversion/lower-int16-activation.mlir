// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= | FileCheck %s
// Every op of the chain is in TOSA 1.0's integer profile with the int16
// extension.
// RUN: qapeft-opt %s --split-input-file --qapeft-lower-to-integer=function= | qapeft-opt --split-input-file --tosa-attach-target="profiles=pro_int extensions=int16 level=none" --tosa-validate -o /dev/null

// An int16 sigmoid becomes the TOSA form of TFLite's int16 LOGISTIC kernel
// (Int16ActivationChain.h) with the multiplier and shift TFLite's Prepare
// derives from the input scale: 0.0005 * 12288 = 6.144, doubled 12 times to
// 25165.8 -> M 25165, shift 12. Interpolation on 9 fractional bits, the
// rounding offsets +512 and 2^25 + 511, the final shift 10.

// CHECK-LABEL: func.func @sigmoid
// CHECK-SAME: -> (tensor<?x8xi16> {qapeft.scale = [3.05175781E-5 : f32], qapeft.zero_point = [0]})
// CHECK: %[[XW:.*]] = tosa.cast %arg0 {qapeft.activation = "sigmoid"} : (tensor<?x8xi16>) -> tensor<?x8xi32>
// CHECK: %[[M:.*]] = "tosa.const"() <{values = dense<25165> : tensor<1x1xi32>}>
// CHECK: %[[S:.*]] = "tosa.const"() <{values = dense<12> : tensor<1xi8>}>
// CHECK: %[[D:.*]] = tosa.mul %[[XW]], %[[M]], %[[S]]
// CHECK: %[[A:.*]] = tosa.abs %[[D]]
// CHECK: %[[F:.*]] = "tosa.const"() <{values = dense<9> : tensor<1x1xi32>}>
// CHECK: %[[UH:.*]] = tosa.arithmetic_right_shift %[[A]], %[[F]] {round = false}
// CHECK: %[[MASK:.*]] = "tosa.const"() <{values = dense<511> : tensor<1x1xi32>}>
// CHECK: %[[UT:.*]] = tosa.bitwise_and %[[A]], %[[MASK]]
// CHECK: %[[C254:.*]] = "tosa.const"() <{values = dense<254> : tensor<1x1xi32>}>
// CHECK: %[[UHC:.*]] = tosa.minimum %[[UH]], %[[C254]]
// The first entries of TF's sigmoid_table_uint16 (32768, 33451, ...) as i32.
// CHECK: %[[T:.*]] = "tosa.const"() <{values = dense<"0x00800000AB820000{{.*}}"> : tensor<1x256x1xi32>}>
// CHECK: %[[I0:.*]] = tosa.reshape %[[UHC]], %{{.*}} : (tensor<?x8xi32>, !tosa.shape<2>) -> tensor<1x?xi32>
// CHECK: %[[I1:.*]] = tosa.add %[[I0]], %{{.*}} : (tensor<1x?xi32>, tensor<1x1xi32>) -> tensor<1x?xi32>
// CHECK: %[[GA:.*]] = tosa.gather %[[T]], %[[I0]] : (tensor<1x256x1xi32>, tensor<1x?xi32>) -> tensor<1x?x1xi32>
// CHECK: %[[UA:.*]] = tosa.reshape %[[GA]]
// CHECK: %[[GB:.*]] = tosa.gather %[[T]], %[[I1]]
// CHECK: %[[UB:.*]] = tosa.reshape %[[GB]]
// CHECK: %[[C512:.*]] = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}>
// CHECK: %[[BASE:.*]] = tosa.mul %[[UA]], %[[C512]]
// CHECK: %[[SLOPE:.*]] = tosa.sub %[[UB]], %[[UA]]
// CHECK: %[[STEP:.*]] = tosa.mul %[[UT]], %[[SLOPE]]
// CHECK: %[[R:.*]] = tosa.add %[[BASE]], %[[STEP]]
// CHECK: %[[C255:.*]] = "tosa.const"() <{values = dense<255> : tensor<1x1xi32>}>
// CHECK: %[[SAT:.*]] = tosa.greater_equal %[[UH]], %[[C255]]
// 0x7FFF << 10
// CHECK: %[[MAX:.*]] = "tosa.const"() <{values = dense<33553408> : tensor<1x1xi32>}>
// CHECK: %[[RS:.*]] = tosa.select %[[SAT]], %[[MAX]], %[[R]]
// CHECK: %[[NN:.*]] = tosa.greater_equal %[[D]], %{{.*}}
// CHECK: %[[PLUS:.*]] = "tosa.const"() <{values = dense<512> : tensor<1x1xi32>}>
// CHECK: %[[POS:.*]] = tosa.add %[[RS]], %[[PLUS]]
// 2^25 + 511
// CHECK: %[[Q:.*]] = "tosa.const"() <{values = dense<33554943> : tensor<1x1xi32>}>
// CHECK: %[[NEG:.*]] = tosa.sub %[[Q]], %[[RS]]
// CHECK: %[[SEL:.*]] = tosa.select %[[NN]], %[[POS]], %[[NEG]]
// CHECK: %[[C10:.*]] = "tosa.const"() <{values = dense<10> : tensor<1x1xi32>}>
// CHECK: %[[Y:.*]] = tosa.arithmetic_right_shift %[[SEL]], %[[C10]] {round = false}
// CHECK: %[[OUT:.*]] = tosa.cast %[[Y]] {qapeft.activation = "sigmoid", qapeft.scale = [3.05175781E-5 : f32], qapeft.tensor = "s", qapeft.zero_point = [0]} : (tensor<?x8xi32>) -> tensor<?x8xi16>
// CHECK: return %[[OUT]]
func.func @sigmoid(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %xs = qapeft.param "input.scale" dense<0.0005> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  %y = tosa.sigmoid %xq : (tensor<?x8xf32>) -> tensor<?x8xf32>
  %os = qapeft.param "s.scale" dense<3.0517578125e-05> : tensor<f32>
  %oz = qapeft.param "s.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<?x8xf32>, tensor<f32>
  return %o : tensor<?x8xf32>
}

// -----

// TANH: 1/6144 * 12288 = 2, doubled 13 times -> M 16384, shift 13; 8
// fractional bits, saturation 0xFFFF << 8, offsets 128 - 2^23 and
// 2^23 + 127, final shift 8. A static shape gathers [1, 24].

// CHECK-LABEL: func.func @tanh
// CHECK: tosa.cast %arg0 {qapeft.activation = "tanh"} : (tensor<2x3x4xi16>) -> tensor<2x3x4xi32>
// CHECK: "tosa.const"() <{values = dense<16384> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<13> : tensor<1xi8>}>
// CHECK: "tosa.const"() <{values = dense<8> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<255> : tensor<1x1x1xi32>}>
// CHECK: tosa.const_shape {values = dense<[1, 24]> : tensor<2xindex>}
// CHECK: tosa.gather {{.*}} -> tensor<1x24x1xi32>
// CHECK: tosa.const_shape {values = dense<[2, 3, 4]> : tensor<3xindex>}
// CHECK: "tosa.const"() <{values = dense<256> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<16776960> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<-8388480> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<8388735> : tensor<1x1x1xi32>}>
// CHECK: "tosa.const"() <{values = dense<8> : tensor<1x1x1xi32>}>
// CHECK: tosa.cast %{{.*}} {qapeft.activation = "tanh", qapeft.scale = [3.05175781E-5 : f32]{{.*}}} : (tensor<2x3x4xi32>) -> tensor<2x3x4xi16>
func.func @tanh(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %xs = qapeft.param "input.scale" dense<0.000162760416667> : tensor<f32>
  %z = qapeft.param "input.zero_point" dense<0.0> : tensor<f32>
  %xq = qapeft.fake_quant %x scale %xs zero_point %z scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x3x4xf32>, tensor<f32>
  %y = tosa.tanh %xq : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %os = qapeft.param "t.scale" dense<3.0517578125e-05> : tensor<f32>
  %oz = qapeft.param "t.zero_point" dense<0.0> : tensor<f32>
  %o = qapeft.fake_quant %y scale %os zero_point %oz scheme <bits = 16, storage = i16, symmetric = true> : tensor<2x3x4xf32>, tensor<f32>
  return %o : tensor<2x3x4xf32>
}
