// Every class of target-file error fails --qapeft-attach-target with the
// YAML file:line:col of the offending key or value in the message (matched
// as a substring: the path before Inputs/ depends on the checkout). Each case
// is its own module (split-file) because the target is a pass option.
//
// RUN: rm -rf %t && split-file %s %t
// RUN: qapeft-opt %t/syntax.mlir --qapeft-attach-target=target=%S/Inputs/bad-syntax.yaml -verify-diagnostics
// RUN: qapeft-opt %t/unknown-key.mlir --qapeft-attach-target=target=%S/Inputs/bad-unknown-key.yaml -verify-diagnostics
// RUN: qapeft-opt %t/duplicate-key.mlir --qapeft-attach-target=target=%S/Inputs/bad-duplicate-key.yaml -verify-diagnostics
// RUN: qapeft-opt %t/wrong-type.mlir --qapeft-attach-target=target=%S/Inputs/bad-wrong-type.yaml -verify-diagnostics
// RUN: qapeft-opt %t/not-sequence.mlir --qapeft-attach-target=target=%S/Inputs/bad-not-sequence.yaml -verify-diagnostics
// RUN: qapeft-opt %t/not-mapping.mlir --qapeft-attach-target=target=%S/Inputs/bad-not-mapping.yaml -verify-diagnostics
// RUN: qapeft-opt %t/missing-name.mlir --qapeft-attach-target=target=%S/Inputs/bad-missing-name.yaml -verify-diagnostics
// RUN: qapeft-opt %t/missing-bits.mlir --qapeft-attach-target=target=%S/Inputs/bad-missing-bits.yaml -verify-diagnostics
// RUN: qapeft-opt %t/unknown-enum.mlir --qapeft-attach-target=target=%S/Inputs/bad-unknown-enum.yaml -verify-diagnostics
// RUN: qapeft-opt %t/out-of-range.mlir --qapeft-attach-target=target=%S/Inputs/bad-out-of-range.yaml -verify-diagnostics
// RUN: qapeft-opt %t/limit.mlir --qapeft-attach-target=target=%S/Inputs/bad-limit.yaml -verify-diagnostics
// RUN: qapeft-opt %t/format-version.mlir --qapeft-attach-target=target=%S/Inputs/bad-format-version.yaml -verify-diagnostics
// RUN: qapeft-opt %t/op-name.mlir --qapeft-attach-target=target=%S/Inputs/bad-op-name.yaml -verify-diagnostics
// RUN: qapeft-opt %t/symmetric-zp.mlir --qapeft-attach-target=target=%S/Inputs/bad-symmetric-zp.yaml -verify-diagnostics
// RUN: qapeft-opt %t/zp-range.mlir --qapeft-attach-target=target=%S/Inputs/bad-zp-range.yaml -verify-diagnostics
// RUN: qapeft-opt %t/bits-storage.mlir --qapeft-attach-target=target=%S/Inputs/bad-bits-storage.yaml -verify-diagnostics
// RUN: qapeft-opt %t/narrow-unsigned.mlir --qapeft-attach-target=target=%S/Inputs/bad-narrow-unsigned.yaml -verify-diagnostics
// RUN: qapeft-opt %t/per-group.mlir --qapeft-attach-target=target=%S/Inputs/bad-per-group.yaml -verify-diagnostics
// RUN: qapeft-opt %t/per-tensor-axis.mlir --qapeft-attach-target=target=%S/Inputs/bad-per-tensor-axis.yaml -verify-diagnostics
// RUN: qapeft-opt %t/power-of-two.mlir --qapeft-attach-target=target=%S/Inputs/bad-power-of-two.yaml -verify-diagnostics
// RUN: qapeft-opt %t/bias-accumulator.mlir --qapeft-attach-target=target=%S/Inputs/bad-bias-accumulator.yaml -verify-diagnostics
// RUN: qapeft-opt %t/precision-width.mlir --qapeft-attach-target=target=%S/Inputs/bad-precision-width.yaml -verify-diagnostics
// RUN: qapeft-opt %t/default-precision.mlir --qapeft-attach-target=target=%S/Inputs/bad-default-precision.yaml -verify-diagnostics
// RUN: qapeft-opt %t/missing-mode.mlir --qapeft-attach-target=target=%S/Inputs/bad-missing-mode.yaml -verify-diagnostics
// RUN: qapeft-opt %t/op-precision.mlir --qapeft-attach-target=target=%S/Inputs/bad-op-precision.yaml -verify-diagnostics
// RUN: qapeft-opt %t/unsupported-extra.mlir --qapeft-attach-target=target=%S/Inputs/bad-unsupported-extra.yaml -verify-diagnostics
// RUN: qapeft-opt %t/per-group-axis.mlir --qapeft-attach-target=target=%S/Inputs/bad-per-group-axis.yaml -verify-diagnostics
// RUN: qapeft-opt %t/empty.mlir --qapeft-attach-target=target=%S/Inputs/bad-empty.yaml -verify-diagnostics
// RUN: qapeft-opt %t/two-documents.mlir --qapeft-attach-target=target=%S/Inputs/bad-two-documents.yaml -verify-diagnostics
// RUN: qapeft-opt %t/directory.mlir --qapeft-attach-target=target=%S/Inputs/ -verify-diagnostics
// RUN: qapeft-opt %t/multiple.mlir --qapeft-attach-target=target=%S/Inputs/bad-multiple.yaml -verify-diagnostics
// RUN: qapeft-opt %t/missing-file.mlir --qapeft-attach-target=target=%S/Inputs/no-such-file.yaml -verify-diagnostics
// RUN: qapeft-opt %t/unknown-name.mlir --qapeft-attach-target="target=no-such-target target-dir=%S/Inputs" -verify-diagnostics
// RUN: qapeft-opt %t/no-target.mlir --qapeft-attach-target -verify-diagnostics
//
// Without -verify-diagnostics the failure is a non-zero exit with the
// position on stderr, and no output file is written.
// RUN: not qapeft-opt %t/exit-status.mlir --qapeft-attach-target=target=%S/Inputs/bad-unknown-key.yaml -o %t/out.mlir 2>&1 | FileCheck %s --check-prefix=EXIT
// RUN: not test -e %t/out.mlir
// EXIT: exit-status.mlir:1:1: error: invalid target description: {{.*}}Inputs/bad-unknown-key.yaml:5:3: unknown key 'bitz'

//--- syntax.mlir
// expected-error @below {{Inputs/bad-syntax.yaml:4:1: Expected , between entries!}}
module {
}

//--- unknown-key.mlir
// expected-error @below {{Inputs/bad-unknown-key.yaml:5:3: unknown key 'bitz'}}
module {
}

//--- duplicate-key.mlir
// expected-error @below {{Inputs/bad-duplicate-key.yaml:4:1: duplicated mapping key 'activation'}}
module {
}

//--- wrong-type.mlir
// expected-error @below {{Inputs/bad-wrong-type.yaml:3:9: invalid number}}
module {
}

//--- not-sequence.mlir
// expected-error @below {{Inputs/bad-not-sequence.yaml:2:13: not a sequence}}
module {
}

//--- not-mapping.mlir
// expected-error @below {{Inputs/bad-not-mapping.yaml:1:1: not a mapping}}
module {
}

//--- missing-name.mlir
// expected-error @below {{Inputs/bad-missing-name.yaml:1:1: missing required key 'name'}}
module {
}

//--- missing-bits.mlir
// expected-error @below {{Inputs/bad-missing-bits.yaml:3:10: the weight role needs 'bits' (no default for it)}}
module {
}

//--- unknown-enum.mlir
// expected-error @below {{Inputs/bad-unknown-enum.yaml:2:11: unknown rounding mode; expected single, double, fp32-half-even or half-away}}
module {
}

//--- out-of-range.mlir
// expected-error @below {{Inputs/bad-out-of-range.yaml:3:9: activation bits must be in [2, 16], got 17}}
module {
}

//--- limit.mlir
// expected-error @below {{Inputs/bad-limit.yaml:6:17: max_stride must be >= 1, got 0}}
module {
}

//--- format-version.mlir
// expected-error @below {{Inputs/bad-format-version.yaml:1:17: unsupported format_version 2; this qapeft reads format_version 1}}
module {
}

//--- op-name.mlir
// expected-error @below {{Inputs/bad-op-name.yaml:5:3: 'conv2d' is not an op name; expected <dialect>.<op>, e.g. tosa.conv2d}}
module {
}

//--- symmetric-zp.mlir
// expected-error @below {{Inputs/bad-symmetric-zp.yaml:5:15: symmetric quantization fixes the zero point at 0, but zero_point is -128}}
module {
}

//--- zp-range.mlir
// expected-error @below {{Inputs/bad-zp-range.yaml:6:49: zero_point 200 is outside the grid [-128, 127]}}
module {
}

//--- bits-storage.mlir
// expected-error @below {{Inputs/bad-bits-storage.yaml:5:12: 16 bits do not fit storage type i8}}
module {
}

//--- narrow-unsigned.mlir
// expected-error @below {{Inputs/bad-narrow-unsigned.yaml:6:17: narrow_range needs a signed grid (it drops the most negative code)}}
module {
}

//--- per-group.mlir
// expected-error @below {{Inputs/bad-per-group.yaml:5:16: a per-group grid needs group_size}}
module {
}

//--- per-tensor-axis.mlir
// expected-error @below {{Inputs/bad-per-tensor-axis.yaml:6:9: a per-tensor grid takes no axis}}
module {
}

//--- power-of-two.mlir
// expected-error @below {{Inputs/bad-power-of-two.yaml:5:10: fixed scale 0.3 is not a power of two, but power_of_two_scale is set}}
module {
}

//--- bias-accumulator.mlir
// expected-error @below {{Inputs/bad-bias-accumulator.yaml:4:14: bias values of 64 bits do not fit the 32-bit accumulator they are added to}}
module {
}

//--- precision-width.mlir
// expected-error @below {{Inputs/bad-precision-width.yaml:3:20: precision int16x8 needs 16-bit activations, but bits is 8}}
module {
}

//--- default-precision.mlir
// expected-error @below {{Inputs/bad-default-precision.yaml:3:20: default_precision int16x8 is not in precisions}}
module {
}

//--- missing-mode.mlir
// expected-error @below {{Inputs/bad-missing-mode.yaml:2:14: precision int16x8 is not the default, so it needs a 'modes: {int16x8: ...}' entry with its grids}}
module {
}

//--- op-precision.mlir
// expected-error @below {{Inputs/bad-op-precision.yaml:7:18: op precision int16x8 is not in the target's precisions}}
module {
}

//--- unsupported-extra.mlir
// expected-error @below {{Inputs/bad-unsupported-extra.yaml:6:16: an op with 'supported: false' takes only 'reason'; remove its other keys}}
module {
}

//--- per-group-axis.mlir
// expected-error @below {{Inputs/bad-per-group-axis.yaml:5:16: a per-group grid needs an explicit axis}}
module {
}

//--- empty.mlir
// expected-error @below {{Inputs/bad-empty.yaml:1:1: not a target description (expected a YAML mapping)}}
module {
}

//--- two-documents.mlir
// expected-error @below {{Inputs/bad-two-documents.yaml:4:1: a target file holds one YAML document; remove the second}}
module {
}

//--- directory.mlir
// expected-error @below {{Inputs/' is not a file}}
module {
}

//--- multiple.mlir
// Every problem of a file is reported, not just the first.
// expected-error @below {{bad-multiple.yaml:5:15: symmetric quantization fixes the zero point at 0, but zero_point is 3}}
// expected-error @below {{bad-multiple.yaml:9:17: narrow_range needs a signed grid}}
module {
}

//--- missing-file.mlir
// expected-error @below {{no-such-file.yaml' does not exist}}
module {
}

//--- unknown-name.mlir
// expected-error @below {{unknown target 'no-such-target': no no-such-target.yaml in }}
module {
}

//--- no-target.mlir
// expected-error @below {{no target given (option target=<name|path>)}}
module {
}

//--- exit-status.mlir
module {
}
