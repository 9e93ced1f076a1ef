// The passes and the pipeline are listed with their options.
// RUN: qapeft-opt --help | FileCheck %s
// RUN: qapeft-opt --help | FileCheck %s --check-prefix=PIPE

// CHECK: --qapeft-assign-precision
// CHECK-NEXT: --overrides=<string>
// CHECK: --qapeft-insert-adapters
// CHECK-DAG: --activation=<string>
// CHECK-DAG: --adapter=<string>
// CHECK-DAG: --alpha=<number>
// CHECK-DAG: --bottleneck=<long>
// CHECK-DAG: --placement=<string>
// CHECK-DAG: --prompt-length=<long>
// CHECK-DAG: --names=<string>
// CHECK-DAG: --ops=<string>
// CHECK-DAG: --rank=<long>
// CHECK-DAG: --seed=<ulong>
// CHECK: --qapeft-insert-fake-quant
// CHECK-DAG: --mode=<string>
// CHECK: --qapeft-mark-trainable
// CHECK: --qapeft-training-graph
// CHECK-DAG: --beta1=<number>
// CHECK-DAG: --loss=<string>
// CHECK-DAG: --momentum=<number>
// CHECK-DAG: --optimizer=<string>

// PIPE: --qapeft-prepare
// PIPE-NEXT: --activation=<string>
// PIPE-NEXT: --adapter=<string>
// PIPE-NEXT: --alpha=<number>
// PIPE-NEXT: --bottleneck=<long>
// PIPE-NEXT: --lsq=<string>
// PIPE-NEXT: --mode=<string>
// PIPE-NEXT: --names=<string>
// PIPE-NEXT: --ops=<string>
// PIPE-NEXT: --overrides=<string>
// PIPE-NEXT: --placement=<string>
// PIPE-NEXT: --prompt-length=<long>
// PIPE-NEXT: --rank=<long>
// PIPE-NEXT: --seed=<ulong>
// PIPE-NEXT: --side-path=<string>
// PIPE-NEXT: --target=<string>
