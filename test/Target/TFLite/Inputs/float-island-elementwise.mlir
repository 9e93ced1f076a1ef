// An f32 island with float ADD, MUL and SUB (a broadcast constant and two
// activations) between int8 tensors, as the integer lowering writes an f32
// region.
func.func @forward(%x: tensor<?x4x4x3xi8> {qapeft.scale = [0.03 : f32], qapeft.zero_point = [-5]}) -> (tensor<?x4x4x3xi8> {qapeft.scale = [0.02 : f32], qapeft.zero_point = [3]}) {
  %f = tosa.cast %x : (tensor<?x4x4x3xi8>) -> tensor<?x4x4x3xf32>
  %zp = "tosa.const"() <{values = dense<-5.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %c = tosa.sub %f, %zp : (tensor<?x4x4x3xf32>, tensor<1x1x1x1xf32>) -> tensor<?x4x4x3xf32>
  %s = "tosa.const"() <{values = dense<0.03> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %sh = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %d = tosa.mul %c, %s, %sh : (tensor<?x4x4x3xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<?x4x4x3xf32> loc("dq")
  %k = "tosa.const"() <{values = dense<[[[[0.25, -0.5, 0.125]]]]> : tensor<1x1x1x3xf32>}> : () -> tensor<1x1x1x3xf32> loc("offset")
  %a = tosa.add %d, %k : (tensor<?x4x4x3xf32>, tensor<1x1x1x3xf32>) -> tensor<?x4x4x3xf32> loc("add")
  %m = tosa.mul %a, %d, %sh : (tensor<?x4x4x3xf32>, tensor<?x4x4x3xf32>, tensor<1xi8>) -> tensor<?x4x4x3xf32> loc("mul")
  %e = tosa.sub %m, %a : (tensor<?x4x4x3xf32>, tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32> loc("sub")
  %inv = "tosa.const"() <{values = dense<50.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %qs = tosa.mul %e, %inv, %sh : (tensor<?x4x4x3xf32>, tensor<1x1x1x1xf32>, tensor<1xi8>) -> tensor<?x4x4x3xf32>
  %qc = tosa.clamp %qs {min_val = -131.0 : f32, max_val = 124.0 : f32} : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xf32>
  %qi = tosa.cast %qc : (tensor<?x4x4x3xf32>) -> tensor<?x4x4x3xi32>
  %qz = "tosa.const"() <{values = dense<3> : tensor<1x1x1x1xi32>}> : () -> tensor<1x1x1x1xi32>
  %qa = tosa.add %qi, %qz : (tensor<?x4x4x3xi32>, tensor<1x1x1x1xi32>) -> tensor<?x4x4x3xi32>
  %q = tosa.cast %qa {qapeft.scale = [0.02 : f32], qapeft.zero_point = [3]} : (tensor<?x4x4x3xi32>) -> tensor<?x4x4x3xi8> loc("out")
  return %q : tensor<?x4x4x3xi8>
}
