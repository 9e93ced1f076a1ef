// An unknown op kind in ops= is an error at the module.
// RUN: qapeft-opt %s -verify-diagnostics --qapeft-insert-adapters="adapter=lora ops=conv2d,conv3d"

// expected-error @+1 {{unknown op kind 'conv3d' in ops=; expected conv2d, depthwise_conv2d or matmul}}
module {
  func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
    return %x : tensor<?x4xf32>
  }
}
