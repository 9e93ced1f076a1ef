#!/usr/bin/python3
"""The PyTorch peer of bench/train-bench.sh.

Trains the same model as the qapeft training graph bench/train-bench.sh
builds: the example CNN (examples/cnn/README.md) with LoRA (rank 4, alpha 8)
on every conv / FC layer, per-channel symmetric narrow int8 fake quant on the
effective weight W + (alpha/r) * B @ A (ranges from the weight every step),
and per-tensor int8 fake quant at the placement of `qapeft-opt
--qapeft-prepare=target=tflite-int8`: the input, every conv / FC output after
its ReLU, and fc2's output (the logits); fc1 also before its ReLU when the
module has an "fc1.relu" range (the placement before the FC ReLU fusion).
Adam on the adapters only, softmax cross-entropy, batches in file order.

Every value comes from the qapeft module itself: `qapeft-step-bench
--dump-params DIR` writes its qapeft.param values (base weights, the seeded
LoRA A, the calibrated activation scales and zero points) as .npy, and this
script converts them from the module's layout (NHWC activations, OHWI
weights, fc1 columns in (H, W, C) order) to PyTorch's NCHW / OIHW / (C, H, W).
So both sides start from the same numbers and see the same batches, and their
per-step losses can be compared.

Prints 'pytorch steps_per_s S median_ms M mean_ms A peak_rss_kb R
first_loss L last_loss K mean_loss E' (E: the mean loss of all steps; one
line per step first with --print-steps).

Needs Debian's python3-torch (which brings python3-numpy): run it with
/usr/bin/python3.

Usage: torch_cnn.py PARAM_DIR STEPS WARMUP BATCH [--print-steps]
"""
import gzip
import os
import resource
import statistics
import struct
import sys
import time

import numpy
import torch
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist/"


def fail(message):
    sys.stderr.write("torch_cnn.py: error: " + message + "\n")
    sys.exit(1)


args = [a for a in sys.argv[1:] if not a.startswith("--")]
PRINT_STEPS = "--print-steps" in sys.argv[1:]
if len(args) != 4:
    fail("usage: torch_cnn.py PARAM_DIR STEPS WARMUP BATCH [--print-steps]")
PARAMS = args[0]
STEPS, WARMUP, BATCH = (int(a) for a in args[1:])
if STEPS < 1 or WARMUP < 0 or BATCH < 1:
    fail("STEPS and BATCH must be positive, WARMUP not negative")

torch.set_num_threads(2)


def idx(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    if dims[0] < count:
        fail(f"{path} has {dims[0]} entries, {count} are needed")
    per = 1
    for d in dims[1:]:
        per *= d
    start = 4 + 4 * rank
    return torch.frombuffer(bytearray(data[start:start + count * per]),
                            dtype=torch.uint8).reshape((count,) + dims[1:])


def param(name):
    path = os.path.join(PARAMS, name + ".npy")
    if not os.path.exists(path):
        fail(f"{path} is missing (write it with qapeft-step-bench "
             "--dump-params)")
    return torch.from_numpy(numpy.load(path)).float()


def hwc_to_chw(t, h, w, c):
    """Columns of a [rows, h*w*c] matrix from (h, w, c) to (c, h, w) order."""
    return t.reshape(t.shape[0], h, w, c).permute(0, 3, 1, 2).reshape(
        t.shape[0], -1).contiguous()


def act_range(name):
    """A calibrated per-tensor (scale, zero point) pair."""
    return float(param(name + ".scale").item()), int(
        param(name + ".zero_point").item())


TOTAL = WARMUP + STEPS
# Same numbers as lib/Sim/Data.cpp: byte / 255 in float32.
images = idx(DATA + "train-images-idx3-ubyte.gz", TOTAL * BATCH).float()
images = (images / 255.0).unsqueeze(1).contiguous()  # NCHW
labels = idx(DATA + "train-labels-idx1-ubyte.gz", TOTAL * BATCH).long()


class LoRA(torch.nn.Module):
    """A frozen weight with a rank-r adapter; effective weight fake-quantized
    per output channel, symmetric, narrow (qmin = -127), scale max|w| / 127
    recomputed from the weight each step (no gradient through the scale)."""

    def __init__(self, weight, bias, a, b, alpha=8.0):
        super().__init__()
        self.weight = torch.nn.Parameter(weight, requires_grad=False)
        self.bias = torch.nn.Parameter(bias, requires_grad=False)
        self.a = torch.nn.Parameter(a)
        self.b = torch.nn.Parameter(b)
        self.scaling = alpha / a.shape[0]
        self.zp = torch.zeros(weight.shape[0], dtype=torch.int32)

    def effective_weight(self):
        w = self.weight + self.scaling * (self.b @ self.a).view_as(self.weight)
        scale = w.detach().abs().flatten(1).amax(1).clamp_min(1e-30) / 127.0
        return torch.fake_quantize_per_channel_affine(w, scale, self.zp, 0,
                                                      -127, 127)


def conv_layer(name):
    w = param(name + ".weight")  # OHWI
    o, kh, kw, i = w.shape
    return LoRA(w.permute(0, 3, 1, 2).contiguous(), param(name + ".bias"),
                hwc_to_chw(param(name + ".lora_a"), kh, kw, i),
                param(name + ".lora_b"))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = conv_layer("conv1")
        self.conv2 = conv_layer("conv2")
        self.conv3 = conv_layer("conv3")
        # fc1 reads the NHWC activation flattened as (H, W, C) = (7, 7, 32);
        # PyTorch flattens NCHW as (C, H, W): permute the columns once.
        w1 = param("fc1.weight").reshape(64, -1)
        self.fc1 = LoRA(hwc_to_chw(w1, 7, 7, 32), param("fc1.bias"),
                        hwc_to_chw(param("fc1.lora_a"), 7, 7, 32),
                        param("fc1.lora_b"))
        self.fc2 = LoRA(param("fc2.weight").reshape(10, -1),
                        param("fc2.bias"), param("fc2.lora_a"),
                        param("fc2.lora_b"))
        # Where fc1's output is quantized follows the module: after its ReLU
        # ("fc1"; the ReLU fuses into the FC kernel through the reshape), or,
        # in modules from before that fusion, before ("fc1") and after
        # ("fc1.relu") it.
        self.fc1_pre_relu = os.path.exists(
            os.path.join(PARAMS, "fc1.relu.scale.npy"))
        names = ["input", "conv1", "conv2", "conv3", "fc1", "fc2"]
        if self.fc1_pre_relu:
            names.append("fc1.relu")
        self.ranges = {n: act_range(n) for n in names}

    def fq(self, x, name):
        scale, zp = self.ranges[name]
        return torch.fake_quantize_per_tensor_affine(x, scale, zp, -128, 127)

    def forward(self, x):
        x = self.fq(x, "input")
        x = F.relu(F.conv2d(x, self.conv1.effective_weight(), self.conv1.bias,
                            padding=1))
        x = self.fq(x, "conv1")
        x = F.relu(F.conv2d(x, self.conv2.effective_weight(), self.conv2.bias,
                            stride=2, padding=1))
        x = self.fq(x, "conv2")
        x = F.relu(F.conv2d(x, self.conv3.effective_weight(), self.conv3.bias,
                            stride=2, padding=1))
        x = self.fq(x, "conv3")
        x = F.linear(x.flatten(1), self.fc1.effective_weight(), self.fc1.bias)
        if self.fc1_pre_relu:
            x = self.fq(F.relu(self.fq(x, "fc1")), "fc1.relu")
        else:
            x = self.fq(F.relu(x), "fc1")
        x = F.linear(x, self.fc2.effective_weight(), self.fc2.bias)
        return self.fq(x, "fc2")


torch.manual_seed(1)
net = Net()
params = [p for p in net.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8)


def step(i):
    x = images[i * BATCH:(i + 1) * BATCH]
    y = labels[i * BATCH:(i + 1) * BATCH]
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    return loss.item()


millis = []
losses = []
for i in range(TOTAL):
    start = time.perf_counter()
    loss = step(i)
    ms = (time.perf_counter() - start) * 1000.0
    losses.append(loss)
    if i >= WARMUP:
        millis.append(ms)
    if PRINT_STEPS:
        print(f"step {i + 1} loss {loss:.6f} ms {ms:.3f}"
              + (" (warm-up)" if i < WARMUP else ""))
median = statistics.median(millis)
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"pytorch steps_per_s {1000.0 / median:.3f} median_ms {median:.3f} "
      f"mean_ms {statistics.mean(millis):.3f} peak_rss_kb {rss_kb} "
      f"first_loss {losses[0]:.6f} last_loss {losses[-1]:.6f} "
      f"mean_loss {statistics.mean(losses):.6f}")
