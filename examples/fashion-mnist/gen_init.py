#!/usr/bin/env python3
"""Writes the seeded random initial weights of the example CNN, the starting
point of examples/fashion-mnist/pretrain.sh.

Pure Python 3 (no numpy). The architecture is examples/cnn's (conv1 3x3
1->16, conv2 3x3 s2 16->32, conv3 3x3 s2 32->32, fc1 1568->64, fc2 64->10),
and the output is the weights folder format examples/cnn/gen_base.py reads
(manifest.json + one little-endian float32 .npy per tensor, PyTorch layouts:
OIHW conv weights, (out, in) fully connected weights), so the same generator
turns it into TOSA MLIR.

Initialization is PyTorch's default for Conv2d and Linear:
  weight ~ kaiming_uniform(a = sqrt(5)) = U(-b, b) with
           b = gain * sqrt(3 / fan_in), gain = sqrt(2 / (1 + a^2)),
           which is b = 1 / sqrt(fan_in);
  bias   ~ U(-1 / sqrt(fan_in), 1 / sqrt(fan_in)),
with fan_in = in_channels * kh * kw. The draws come from Python's
random.Random(seed) (Mersenne Twister, whose random() sequence is the same
on every Python 3), weights then bias, layer by layer, each tensor in its
row-major PyTorch order; values are rounded once to float32. A seed gives
the same bytes everywhere; they are not PyTorch's numbers (a different
generator), only the same distribution.

Usage: gen_init.py [--seed S] -o DIR
DIR is created if missing; files are written to temporaries and renamed.
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import tempfile

# (name, kind, in, out, kernel, stride, pad, relu): the examples/cnn model.
LAYERS = [
    ("conv1", "conv", 1, 16, 3, 1, 1, True),
    ("conv2", "conv", 16, 32, 3, 2, 1, True),
    ("conv3", "conv", 32, 32, 3, 2, 1, True),
    ("fc1", "fc", 32 * 7 * 7, 64, 1, 1, 0, True),
    ("fc2", "fc", 64, 10, 1, 1, 0, False),
]


def npy_bytes(shape, vals):
    """A version 1.0 .npy file of little-endian float32 values."""
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    # Pad so that the data starts on a 64-byte boundary, ending in '\n'.
    total = 10 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    return (b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) +
            header.encode("latin1") + struct.pack(f"<{len(vals)}f", *vals))


def uniform(rng, bound, count):
    # U(-bound, bound) as torch.nn.init.uniform_ computes it: a + (b - a) * u.
    return [-bound + 2.0 * bound * rng.random() for _ in range(count)]


def generate(seed):
    """Returns {file name: bytes} of the weights folder for `seed`."""
    rng = random.Random(seed)
    files = {}
    tensors = {}
    layers = []
    for name, kind, cin, cout, k, stride, pad, relu in LAYERS:
        fan_in = cin * k * k
        bound = 1.0 / math.sqrt(fan_in)
        wshape = (cout, cin, k, k) if kind == "conv" else (cout, cin)
        count = 1
        for d in wshape:
            count *= d
        weight = uniform(rng, bound, count)
        bias = uniform(rng, bound, cout)
        for suffix, shape, vals in ((".weight", wshape, weight),
                                    (".bias", (cout,), bias)):
            fname = name + suffix + ".npy"
            files[fname] = npy_bytes(shape, vals)
            tensors[name + suffix] = {"file": fname, "shape": list(shape)}
        layer = {"name": name, "kind": kind, "relu": relu}
        if kind == "conv":
            layer.update({"cin": cin, "cout": cout, "k": k, "stride": stride,
                          "pad": pad})
        layers.append(layer)
    manifest = {
        "description": f"seeded random initial weights (gen_init.py --seed {seed}), "
                       "PyTorch-default-like init, PyTorch layouts",
        "layers": layers,
        "tensors": tensors,
    }
    files["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True) +
                              "\n").encode()
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("-o", "--output", required=True, help="weights folder")
    args = ap.parse_args()
    if args.seed < 0:
        print("gen_init.py: error: --seed must be non-negative", file=sys.stderr)
        return 1
    files = generate(args.seed)
    try:
        os.makedirs(args.output, exist_ok=True)
        for fname, data in files.items():
            fd, tmp = tempfile.mkstemp(dir=args.output, prefix=".tmp.")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.chmod(tmp, 0o644)
                os.replace(tmp, os.path.join(args.output, fname))
            except OSError:
                os.unlink(tmp)
                raise
    except OSError as e:
        print(f"gen_init.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
