#!/usr/bin/env python3
"""Checks a gen_init.py weights folder against PyTorch's default init:
every weight and bias of a layer lies in [-1/sqrt(fan_in), 1/sqrt(fan_in)]
(kaiming_uniform(a=sqrt(5)) and the bias rule give the same bound), and the
values fill that range: for a uniform draw the largest |value| of a tensor
of n values is above (1 - 5/n) of the bound with probability
1 - (1 - 5/n)^n > 0.99, and the mean is near 0. Prints one line per tensor:
"<name> n=<count> bound=<b> ok", or a reason and exits 1."""
import json
import math
import os
import struct
import sys

folder = sys.argv[1]
with open(os.path.join(folder, "manifest.json")) as f:
    manifest = json.load(f)
fan_in = {}
for layer in manifest["layers"]:
    shape = manifest["tensors"][layer["name"] + ".weight"]["shape"]
    fan_in[layer["name"]] = math.prod(shape[1:])
failed = False
for name in sorted(manifest["tensors"]):
    info = manifest["tensors"][name]
    with open(os.path.join(folder, info["file"]), "rb") as f:
        data = f.read()
    (hlen,) = struct.unpack_from("<H", data, 8)
    n = math.prod(info["shape"])
    vals = struct.unpack(f"<{n}f", data[10 + hlen:])
    bound = 1.0 / math.sqrt(fan_in[name.split(".")[0]])
    top = max(abs(v) for v in vals)
    mean = sum(vals) / n
    # The mean of n uniform values has standard deviation bound/sqrt(3n).
    reasons = []
    if top > bound * (1 + 1e-6):
        reasons.append(f"max |v| {top} above the bound")
    if top < bound * (1 - 5.0 / n):
        reasons.append(f"max |v| {top} does not reach the bound")
    if abs(mean) > 5 * bound / math.sqrt(3 * n):
        reasons.append(f"mean {mean} far from 0")
    print(f"{name} n={n} bound={bound:.6f} " + ("; ".join(reasons) or "ok"))
    failed = failed or bool(reasons)
sys.exit(1 if failed else 0)
