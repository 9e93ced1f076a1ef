// The integer form of compare-qa.mlir: a SINGLE_ROUND rescale by 0.5
// (multiplier 2^30, shift 31) rounds ties up where the fake quant rounds
// them to even.
func.func @forward(%x: tensor<?x6xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [0]})
    -> (tensor<?x6xi8> {qapeft.scale = [1.0 : f32], qapeft.zero_point = [0]}) {
  %m = "tosa.const"() <{values = dense<1073741824> : tensor<1xi32>}> : () -> tensor<1xi32>
  %sh = "tosa.const"() <{values = dense<31> : tensor<1xi8>}> : () -> tensor<1xi8>
  %izp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %ozp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %r = tosa.rescale %x, %m, %sh, %izp, %ozp {input_unsigned = false, output_unsigned = false, per_channel = false, qapeft.scale = [1.0 : f32], qapeft.tensor = "a", qapeft.zero_point = [0], rounding_mode = SINGLE_ROUND, scale32 = true} : (tensor<?x6xi8>, tensor<1xi32>, tensor<1xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<?x6xi8>
  return %r : tensor<?x6xi8>
}
