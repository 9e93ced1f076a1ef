#!/usr/bin/env python3
"""The PyTorch peer of bench/train-bench.sh: the example CNN
(examples/cnn/README.md) with LoRA (rank 4, alpha 8) on every layer, weights
fake-quantized per channel (symmetric, narrow, ranges from the weights each
step), activations fake-quantized per tensor (fixed asymmetric int8 ranges),
the same placement as `qapeft-opt --qapeft-insert-adapters="rank=4"
--qapeft-insert-fake-quant`. Trains the adapters with Adam on Fashion-MNIST
batches and prints steps/s and the peak RSS.

Needs Debian's python3-torch. Usage: torch_cnn.py STEPS BATCH
"""
import gzip
import resource
import struct
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(1)
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 100
BATCH = int(sys.argv[2]) if len(sys.argv) > 2 else 64
DATA = "/usr/share/datasets/fashion-mnist/"


def idx(path, count):
    with gzip.open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    per = 1
    for d in dims[1:]:
        per *= d
    start = 4 + 4 * rank
    return torch.frombuffer(bytearray(data[start:start + count * per]),
                            dtype=torch.uint8).reshape((count,) + dims[1:])


N = STEPS * BATCH
images = idx(DATA + "train-images-idx3-ubyte.gz", N).float().div_(255.0)
images = images.unsqueeze(1).contiguous()  # NCHW, PyTorch's fast layout.
labels = idx(DATA + "train-labels-idx1-ubyte.gz", N).long()


def fq_act(x, scale, zp):
    return torch.fake_quantize_per_tensor_affine(x, scale, zp, -128, 127)


class LoRA(torch.nn.Module):
    def __init__(self, out_ch, fan_in, shape, rank=4, alpha=8.0):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(shape) * 0.1,
                                         requires_grad=False)
        self.bias = torch.nn.Parameter(torch.zeros(out_ch),
                                       requires_grad=False)
        self.a = torch.nn.Parameter(torch.randn(rank, fan_in) / fan_in**0.5)
        self.b = torch.nn.Parameter(torch.zeros(out_ch, rank))
        self.scaling = alpha / rank

    def effective_weight(self):
        w = self.weight + self.scaling * (self.b @ self.a).view_as(self.weight)
        scale = w.detach().abs().flatten(1).amax(1).clamp_min(1e-8) / 127.0
        zp = torch.zeros(w.shape[0], dtype=torch.int32)
        return torch.fake_quantize_per_channel_affine(w, scale, zp, 0, -127,
                                                      127)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = LoRA(16, 9, (16, 1, 3, 3))
        self.conv2 = LoRA(32, 144, (32, 16, 3, 3))
        self.conv3 = LoRA(32, 288, (32, 32, 3, 3))
        self.fc1 = LoRA(64, 1568, (64, 1568))
        self.fc2 = LoRA(10, 64, (10, 64))

    def forward(self, x):
        x = fq_act(x, 1 / 255.0, -128)
        x = F.relu(F.conv2d(x, self.conv1.effective_weight(), self.conv1.bias,
                            padding=1))
        x = fq_act(x, 0.01, -128)
        x = F.relu(F.conv2d(x, self.conv2.effective_weight(), self.conv2.bias,
                            stride=2, padding=1))
        x = fq_act(x, 0.02, -128)
        x = F.relu(F.conv2d(x, self.conv3.effective_weight(), self.conv3.bias,
                            stride=2, padding=1))
        x = fq_act(x, 0.05, -128)
        x = F.linear(x.flatten(1), self.fc1.effective_weight(), self.fc1.bias)
        x = fq_act(x, 0.3, 0)
        x = fq_act(F.relu(x), 0.15, -128)
        x = F.linear(x, self.fc2.effective_weight(), self.fc2.bias)
        return fq_act(x, 0.15, 0)


net = Net()
params = [p for p in net.parameters() if p.requires_grad]
opt = torch.optim.Adam(params, lr=1e-3)


def step(i):
    x = images[i * BATCH:(i + 1) * BATCH]
    y = labels[i * BATCH:(i + 1) * BATCH]
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()


step(0)  # Warm-up, like qapeft-sim's first step filling its buffer pool.
start = time.perf_counter()
for i in range(1, STEPS):
    step(i)
elapsed = time.perf_counter() - start
rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"steps_per_s {(STEPS - 1) / elapsed:.3f} peak_rss_kb {rss_kb}")
