// An integer "classifier" that returns its quantized input as logits
// (int-eval.test): the input and the output are i8 with scale 0.5 and zero
// point 3, so eval's quantization and argmax can be checked by hand.
func.func @forward(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [3]})
    -> (tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [3]}) {
  return %x : tensor<?x4xi8>
}

// The same without the output's quantization: no loss.
func.func @noscale(%x: tensor<?x4xi8> {qapeft.scale = [0.5 : f32], qapeft.zero_point = [3]})
    -> tensor<?x4xi8> {
  return %x : tensor<?x4xi8>
}
