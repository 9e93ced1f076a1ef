#!/usr/bin/env python3
"""Writes examples/cnn/base.mlir, the float TOSA base model, from the PyTorch
weights in examples/cnn/weights/ (numpy .npy files).

Pure Python 3 (no numpy): the .npy header is parsed by hand and the float32
data is handled with `struct`.

The PyTorch model (weights/manifest.json) is NCHW with OIHW conv weights and
flattens conv3's output in (C, H, W) order before fc1. The MLIR model follows
docs/CONVENTIONS.md instead: NHWC activations, OHWI weights, and fully
connected layers as reshape + 1x1 tosa.conv2d + reshape. To compute the same
function the generator
  - transposes every conv weight OIHW -> OHWI, and
  - permutes fc1's input columns from PyTorch's (C, H, W) flatten order to
    the (H, W, C) order a reshape of an NHWC tensor produces.

Usage: gen_base.py [--weights DIR] [-o OUT]   (defaults: the files next to
this script). The output is written to a temporary file and renamed, so a
failed run never leaves a half-written model behind.
"""

import argparse
import ast
import json
import os
import struct
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE = (28, 28, 1)  # H, W, C of the input images
F32_MAX = "3.40282347E+38"


class NpyError(Exception):
    pass


def read_npy_f32(path):
    """Returns (shape, flat list of floats) of a little-endian float32 C-order
    .npy file (format version 1.x or 2.x)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"\x93NUMPY":
        raise NpyError(f"{path}: not a .npy file")
    major = data[6]
    if major == 1:
        (hlen,) = struct.unpack_from("<H", data, 8)
        start = 10
    elif major in (2, 3):
        (hlen,) = struct.unpack_from("<I", data, 8)
        start = 12
    else:
        raise NpyError(f"{path}: unsupported .npy version {major}")
    try:
        header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    except (ValueError, SyntaxError) as e:
        raise NpyError(f"{path}: bad header: {e}")
    if header.get("descr") != "<f4":
        raise NpyError(f"{path}: expected dtype '<f4', got {header.get('descr')!r}")
    if header.get("fortran_order"):
        raise NpyError(f"{path}: Fortran-order arrays are not supported")
    shape = tuple(header["shape"])
    count = 1
    for d in shape:
        count *= d
    body = data[start + hlen:]
    if len(body) != 4 * count:
        raise NpyError(f"{path}: expected {4 * count} data bytes for shape "
                       f"{shape}, found {len(body)}")
    return shape, list(struct.unpack(f"<{count}f", body))


def oihw_to_ohwi(shape, vals):
    o, i, h, w = shape
    out = [0.0] * len(vals)
    for oc in range(o):
        for ic in range(i):
            for y in range(h):
                for x in range(w):
                    out[((oc * h + y) * w + x) * i + ic] = \
                        vals[((oc * i + ic) * h + y) * w + x]
    return (o, h, w, i), out


def fc_chw_to_hwc(shape, vals, c, h, w):
    """Reorders the input columns of an (out, C*H*W) matrix to (H, W, C)."""
    o, k = shape
    assert k == c * h * w
    out = [0.0] * len(vals)
    for oc in range(o):
        row = oc * k
        for ch in range(c):
            for y in range(h):
                for x in range(w):
                    out[row + (y * w + x) * c + ch] = \
                        vals[row + (ch * h + y) * w + x]
    return out


def hex_f32(vals):
    # MLIR's hex form of a dense attribute is the raw little-endian buffer.
    return "0x" + struct.pack(f"<{len(vals)}f", *vals).hex().upper()


def ttype(shape):
    return "tensor<" + "x".join("?" if d < 0 else str(d) for d in shape) + "xf32>"


class Writer:
    def __init__(self):
        self.lines = []

    def emit(self, s):
        self.lines.append("    " + s)

    def const(self, name, shape, vals, loc):
        t = ttype(shape)
        self.emit(f'%{name} = "tosa.const"() {{values = dense<"{hex_f32(vals)}"> : {t}}} '
                  f': () -> {t} loc("{loc}")')

    def zero(self, name, loc):
        t = ttype((1,))
        self.emit(f'%{name} = "tosa.const"() {{values = dense<0.000000e+00> : {t}}} '
                  f': () -> {t} loc("{loc}")')

    def conv(self, layer, x, xshape, wshape, bias_name, stride, pad, oshape):
        self.zero(f"{layer}_izp", f"{layer}.input_zp")
        self.zero(f"{layer}_wzp", f"{layer}.weight_zp")
        z = ttype((1,))
        self.emit(
            f"%{layer} = tosa.conv2d %{x}, %{layer}_w, %{bias_name}, %{layer}_izp, %{layer}_wzp "
            f"{{acc_type = f32, dilation = array<i64: 1, 1>, "
            f"pad = array<i64: {', '.join(map(str, pad))}>, "
            f"stride = array<i64: {stride}, {stride}>}} : "
            f"({ttype(xshape)}, {ttype(wshape)}, {ttype((wshape[0],))}, {z}, {z}) "
            f"-> {ttype(oshape)} loc(\"{layer}\")")

    def relu(self, layer, x, shape):
        t = ttype(shape)
        self.emit(f"%{layer}_relu = tosa.clamp %{x} {{min_val = 0.000000e+00 : f32, "
                  f"max_val = {F32_MAX} : f32}} : ({t}) -> {t} loc(\"{layer}.relu\")")

    def reshape(self, name, x, xshape, oshape, loc):
        dims = ", ".join(str(d) for d in oshape)
        n = len(oshape)
        self.emit(f"%{name}_shape = tosa.const_shape {{values = dense<[{dims}]> : "
                  f"tensor<{n}xindex>}} : () -> !tosa.shape<{n}> loc(\"{loc}.shape\")")
        self.emit(f"%{name} = tosa.reshape %{x}, %{name}_shape : ({ttype(xshape)}, "
                  f"!tosa.shape<{n}>) -> {ttype(oshape)} loc(\"{loc}\")")


def conv_out(size, k, stride, pad_lo, pad_hi):
    span = size - 1 + pad_lo + pad_hi - (k - 1)
    assert span % stride == 0, "TOSA 1.0 needs an exact division"
    return span // stride + 1


def generate(weights_dir):
    with open(os.path.join(weights_dir, "manifest.json")) as f:
        manifest = json.load(f)
    tensors = {}
    for name, info in manifest["tensors"].items():
        shape, vals = read_npy_f32(os.path.join(weights_dir, info["file"]))
        if list(shape) != list(info["shape"]):
            raise NpyError(f"{info['file']}: shape {shape} differs from the "
                           f"manifest's {info['shape']}")
        tensors[name] = (shape, vals)

    w = Writer()
    h, wd, c = IMAGE
    cur, cur_shape = "x", (-1, h, wd, c)
    layers = manifest["layers"]
    for idx, layer in enumerate(layers):
        name = layer["name"]
        wshape, wvals = tensors[name + ".weight"]
        bshape, bvals = tensors[name + ".bias"]
        last = idx == len(layers) - 1
        if layer["kind"] == "conv":
            k, s, p = layer["k"], layer["stride"], layer["pad"]
            if cur_shape[3] != layer["cin"]:
                raise NpyError(f"{name}: expects {layer['cin']} input channels, "
                               f"gets {cur_shape[3]}")
            ohwi_shape, ohwi = oihw_to_ohwi(wshape, wvals)
            # PyTorch pads both sides by `pad`. With stride 2 on an even size
            # the last padded row/column is never read, and TOSA 1.0 wants the
            # output size to divide exactly, so drop the unread bottom/right
            # padding; the result is the same.
            extra_h = (h - 1 + 2 * p - (k - 1)) % s
            extra_w = (wd - 1 + 2 * p - (k - 1)) % s
            if extra_h > p or extra_w > p:
                raise NpyError(f"{name}: padding {p} cannot be trimmed to an "
                               f"exact TOSA output size")
            pad = [p, p - extra_h, p, p - extra_w]
            oh = conv_out(h, k, s, pad[0], pad[1])
            ow = conv_out(wd, k, s, pad[2], pad[3])
            oshape = (-1, oh, ow, layer["cout"])
            w.const(f"{name}_w", ohwi_shape, ohwi, f"{name}.weight")
            w.const(f"{name}_b", bshape, bvals, f"{name}.bias")
            w.conv(name, cur, cur_shape, ohwi_shape, f"{name}_b", s, pad, oshape)
            cur, cur_shape, h, wd, c = name, oshape, oh, ow, layer["cout"]
        else:
            m, kin = wshape
            if len(cur_shape) == 4:
                # Flatten an NHWC activation: fc1's columns are in PyTorch's
                # (C, H, W) order and must follow NHWC's (H, W, C) instead.
                if h * wd * c != kin:
                    raise NpyError(f"{name}: expects {kin} inputs, gets {h * wd * c}")
                wvals = fc_chw_to_hwc(wshape, wvals, c, h, wd)
            elif cur_shape[1] != kin:
                raise NpyError(f"{name}: expects {kin} inputs, gets {cur_shape[1]}")
            in4 = (-1, 1, 1, kin)
            w.reshape(f"{name}_in", cur, cur_shape, in4, f"{name}.flatten")
            w.const(f"{name}_w", (m, 1, 1, kin), wvals, f"{name}.weight")
            w.const(f"{name}_b", bshape, bvals, f"{name}.bias")
            w.conv(name, f"{name}_in", in4, (m, 1, 1, kin), f"{name}_b", 1,
                   [0, 0, 0, 0], (-1, 1, 1, m))
            w.reshape(f"{name}_out", name, (-1, 1, 1, m), (-1, m), f"{name}.unflatten")
            cur, cur_shape = f"{name}_out", (-1, m)
        if layer.get("relu"):
            w.relu(name, cur, cur_shape)
            cur = f"{name}_relu"
        if last and layer.get("relu"):
            raise NpyError("the last layer must produce logits, not a ReLU output")

    out = ttype(cur_shape)
    header = [
        "// The example base model: a small float CNN for 28x28x1 Fashion-MNIST",
        "// images (pixel / 255), NHWC with a dynamic batch, OHWI weights.",
        "// GENERATED by examples/cnn/gen_base.py from examples/cnn/weights/; do",
        "// not edit by hand (see examples/cnn/README.md).",
        "module {",
        f"  func.func @forward(%x: {ttype((-1,) + IMAGE)} loc(\"input\")) -> {out} {{",
    ]
    footer = [f"    return %{cur} : {out}", "  }", "}", ""]
    return "\n".join(header + w.lines + footer)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--weights", default=os.path.join(HERE, "weights"))
    ap.add_argument("-o", "--output", default=os.path.join(HERE, "base.mlir"))
    args = ap.parse_args()
    try:
        text = generate(args.weights)
    except (OSError, NpyError, KeyError, ValueError) as e:
        print(f"gen_base.py: error: {e}", file=sys.stderr)
        return 1
    out_dir = os.path.dirname(os.path.abspath(args.output))
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".base.", suffix=".mlir")
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text)
        # mkstemp creates the file as 0600; give it the usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, args.output)
    except OSError as e:
        os.unlink(tmp)
        print(f"gen_base.py: error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
