//===- Passes.td - qapeft transformation passes ------------*- tablegen -*-===//
//
// Every qapeft pass, one per file under lib/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef QAPEFT_TRANSFORMS_PASSES_TD
#define QAPEFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

#endif // QAPEFT_TRANSFORMS_PASSES_TD
