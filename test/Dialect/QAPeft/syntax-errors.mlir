// Malformed qapeft syntax gives a located diagnostic, never a crash.
// RUN: qapeft-opt %s -split-input-file -verify-diagnostics


// A scheme without its storage type
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{struct is missing required parameter: storage}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown granularity
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected one of [per_tensor, per_channel, per_group] for how many scales a quantized tensor has, got: per_row}}
  // expected-error @+1 {{failed to parse QAPeft_QuantSchemeAttr parameter 'granularity'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, granularity = per_row> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown scheme parameter
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{duplicate or unknown struct parameter name: foo}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, foo = 1> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// A float storage type
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{invalid kind of type specified: expected builtin.integer, but found 'f32'}}
  // expected-error @+1 {{failed to parse QAPeft_QuantSchemeAttr parameter 'storage'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = f32> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// A missing keyword
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected 'zero_point'}}
  %0 = qapeft.fake_quant %x scale %s %s scheme <bits = 8, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// A repeated scheme parameter
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{duplicate or unknown struct parameter name: bits}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, bits = 4, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// A negative bit width
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{bits must be in [2, 16], got -3}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = -3, storage = i8> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown rounding mode
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected one of [single, double, fp32_half_even, half_away] for requantization rounding of the target's integer kernels, got: nearest}}
  // expected-error @+1 {{failed to parse QAPeft_QuantSchemeAttr parameter 'rounding'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, rounding = nearest> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown range source
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected one of [calibrated, observer, learnable, weight] for where the scale and zero point of a fake quant come from, got: minmax}}
  // expected-error @+1 {{failed to parse QAPeft_QuantSchemeAttr parameter 'range'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, range = minmax> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// A non-boolean flag
func.func @a(%x: tensor<4xf32>, %s: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected integer value}}
  // expected-error @+1 {{failed to parse QAPeft_QuantSchemeAttr parameter 'symmetric'}}
  %0 = qapeft.fake_quant %x scale %s zero_point %s scheme <bits = 8, storage = i8, symmetric = yes> : tensor<4xf32>, tensor<f32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown precision
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{expected ::mlir::qapeft::Precision to be one of: int8, int16x8, int4x8, f16, f32}}
  // expected-error @+1 {{failed to parse QAPeft_PrecisionAttr parameter 'value'}}
  %0 = qapeft.region int12 {
    qapeft.yield %x : tensor<4xf32>
  } : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown bottleneck activation
func.func @a(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+2 {{expected ::mlir::qapeft::BottleneckActivation to be one of: relu, gelu, identity}}
  // expected-error @+1 {{failed to parse QAPeft_BottleneckActivationAttr}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub swish houlsby : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// An unknown bottleneck placement
func.func @a(%x: tensor<?x64xf32>, %dw: tensor<8x64xf32>, %db: tensor<8xf32>, %uw: tensor<64x8xf32>, %ub: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error @+2 {{expected ::mlir::qapeft::BottleneckPlacement to be one of: houlsby, pfeiffer}}
  // expected-error @+1 {{failed to parse QAPeft_BottleneckPlacementAttr}}
  %0 = qapeft.bottleneck %x, %dw, %db, %uw, %ub relu parallel : tensor<?x64xf32>, tensor<8x64xf32>, tensor<8xf32>, tensor<64x8xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// A parameter without its value
func.func @a() -> tensor<4xf32> {
  // expected-error @+1 {{expected attribute value}}
  %0 = qapeft.param "w" trainable : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A parameter name that is not a string
func.func @a() -> tensor<4xf32> {
  // expected-error @+1 {{expected attribute value}}
  %0 = qapeft.param w dense<1.0> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A missing required attribute
func.func @a(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{'qapeft.lora_delta' op requires attribute 'alpha'}}
  %0 = qapeft.lora_delta %w, %a, %b {rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

// An attribute of the wrong kind
func.func @a(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>, %b: tensor<16x4xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{attribute 'alpha' failed to satisfy constraint: 32-bit float attribute}}
  %0 = qapeft.lora_delta %w, %a, %b {alpha = 8 : i64, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>, tensor<16x4xf32>
  return %0 : tensor<16x9xf32>
}

// -----

// A missing operand
func.func @a(%w: tensor<16x9xf32>, %a: tensor<4x9xf32>) -> tensor<16x9xf32> {
  // expected-error @+1 {{expected ','}}
  %0 = qapeft.lora_delta %w, %a {alpha = 8.0 : f32, rank = 4 : i64} : tensor<16x9xf32>, tensor<4x9xf32>
  return %0 : tensor<16x9xf32>
}

// -----

// An unknown precision in the generic form
func.func @a(%x: tensor<4xf32>) {
  // expected-error @+2 {{expected ::mlir::qapeft::Precision to be one of: int8, int16x8, int4x8, f16, f32}}
  // expected-error @+1 {{failed to parse QAPeft_PrecisionAttr parameter 'value'}}
  %0 = "qapeft.region"() <{precision = #qapeft<precision int3>}> ({
    "qapeft.yield"() : () -> ()
  }) : () -> ()
  return
}

// -----

// A missing operand type
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected ','}}
  %0 = qapeft.ia3 %x, %x {axis = 0 : i64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// The full #qapeft.scheme spelling, whose parser takes the op's ': types' as the attribute's type
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected ':'}}
  %0 = qapeft.fake_quant %x scale %x zero_point %x scheme #qapeft.scheme<bits = 8, storage = i8> : tensor<4xf32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An unknown attribute
// expected-error @+1 {{unknown attribute `schema` in dialect `qapeft`}}
#bad = #qapeft.schema<bits = 8>
