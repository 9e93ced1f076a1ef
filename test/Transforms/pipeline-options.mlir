// --qapeft-prepare passes lsq= and side-path= to --qapeft-insert-fake-quant: the
// pipeline equals the passes run one by one, and the scales are trainable.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="rank=2 seed=3 lsq=all" > %t.pipeline
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="rank=2 seed=3" --qapeft-insert-fake-quant="lsq=all" > %t.passes
// RUN: diff %t.pipeline %t.passes
// RUN: FileCheck %s < %t.pipeline
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="rank=2 lsq=activation" | FileCheck %s --check-prefix=ACT
// RUN: not qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="lsq=bogus" -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: qapeft.param "conv1.weight.scale" trainable
// CHECK: qapeft.fake_quant {{.*}} granularity = per_channel, axis = 0, range = learnable>
// ACT-NOT: weight.scale
// ACT: range = learnable
// BAD: error: unknown lsq 'bogus'; expected none, activation, weight or all

// side-path= reaches --qapeft-insert-fake-quant too.
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-prepare="adapter=lora-side rank=2 seed=3 names=fc side-path=delta" > %t.side.pipeline
// RUN: qapeft-opt %S/Inputs/cnn.mlir --qapeft-insert-adapters="adapter=lora-side rank=2 seed=3 names=fc" --qapeft-insert-fake-quant="side-path=delta" > %t.side.passes
// RUN: diff %t.side.pipeline %t.side.passes
// RUN: FileCheck %s --check-prefix=SIDE < %t.side.pipeline
// SIDE-NOT: qapeft.lora_side
// SIDE: qapeft.param "fc.lora_a" trainable
