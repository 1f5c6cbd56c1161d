"""PyTorch side of dlkit's training-speed benchmark (Debian python3-torch, OpenBLAS).

Trains the same models as the dlkit side on the same MNIST IDX files, batch size, optimizer (Adam
1e-3) and thread count, and prints one JSON object per measurement:
  {"framework": "pytorch", "model": "mlp", "batch": 128, "images_per_s": ...}
Models: mlp (784-128-10, ReLU), cnn (the seed-000 MNIST CNN with a 490-unit feature layer), and
the CIFAR-10 models of dlkit.models: cifar-cnn (CifarCnn) and resnet20 (ResNet20, option-A
shortcuts; --depth for 32/44/56); tasks: train (images/s over `--batches` minibatches after a
warm-up) and eval (10k test images). The CIFAR models train on random 3x32x32 inputs unless --data
names a CIFAR-10 binary folder: throughput does not depend on pixel values.
"""
import argparse
import gzip
import json
import os
import pathlib
import struct
import sys
import time

import numpy as np
import torch
from torch import nn


def read_idx(path):
    path = pathlib.Path(path)
    if not path.exists() and path.with_name(path.name + ".gz").exists():
        path = path.with_name(path.name + ".gz")
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(6272, 490), nn.ReLU(), nn.Dropout(0.5), nn.Linear(490, 10))


def conv_bn_relu(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]


def cifar_cnn():
    """dlkit.models.CifarCnn: 3 blocks of 2x(conv-BN-ReLU), max-pool, dropout; dense 128; 10."""
    layers, cin = [], 3
    for width, rate in ((32, 0.2), (64, 0.3), (128, 0.4)):
        layers += conv_bn_relu(cin, width) + conv_bn_relu(width, width) + [nn.MaxPool2d(2), nn.Dropout(rate)]
        cin = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(2048, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


class BasicBlock(nn.Module):
    """dlkit.models.ResNet20's block: conv-BN-ReLU-conv-BN + shortcut (option A when downsampling), ReLU."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))
        self.pad = (cout - cin) // 2 if stride != 1 else None

    def forward(self, x):
        shortcut = x
        if self.pad is not None:
            shortcut = nn.functional.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))
        return torch.relu(self.main(x) + shortcut)


def resnet(depth=20):
    n = (depth - 2) // 6
    layers, cin = [nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU()], 16
    for stage, width in enumerate((16, 32, 64)):
        for i in range(n):
            layers.append(BasicBlock(cin, width, 2 if stage > 0 and i == 0 else 1))
            cin = width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


MODELS = {"mlp": mlp, "cnn": cnn, "cifar-cnn": cifar_cnn, "resnet20": resnet}
CIFAR_MODELS = {"cifar-cnn", "resnet20"}


def cifar_inputs(folder, task, count):
    """Normalised CIFAR-10 images from the binary batches, or random ones when no folder is given."""
    if folder is None:
        return torch.randn(count, 3, 32, 32), torch.randint(0, 10, (count,))
    names = ["test_batch.bin"] if task == "eval" else [f"data_batch_{k}.bin" for k in range(1, 6)]
    raw = np.concatenate([np.fromfile(pathlib.Path(folder) / n, dtype=np.uint8).reshape(-1, 3073) for n in names])
    x = torch.from_numpy(raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0)
    mean = torch.tensor([0.4914, 0.4822, 0.4465]).view(1, 3, 1, 1)
    std = torch.tensor([0.2470, 0.2435, 0.2616]).view(1, 3, 1, 1)
    return ((x - mean) / std).contiguous(), torch.from_numpy(raw[:, 0].astype(np.int64))


def train_throughput(model, x, y, batch, batches, warmup):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    n = x.shape[0]
    perm = torch.randperm(n)
    def step(i):
        idx = perm[(i * batch) % (n - batch):][:batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
    for i in range(warmup):
        step(i)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(batches):
        step(warmup + i)
    # process CPU time (all threads): less disturbed than wall time when the machine is loaded
    return batches * batch / (time.perf_counter() - start), batches * batch / (time.process_time() - cpu)


def eval_throughput(model, x, batch=1000):
    model.eval()
    start = time.perf_counter()
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            model(x[i:i + batch]).argmax(1)
    return x.shape[0] / (time.perf_counter() - start)


def loaded_blas():
    """The BLAS/LAPACK libraries this process actually mapped (Debian's alternatives decide which)."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            if any(k in path.lower() for k in ("blas", "lapack", "mkl", "libgomp")):
                found.add(os.path.realpath(path))
    return sorted(found)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", help="folder with the MNIST IDX files (raw or .gz), or CIFAR-10's"
                   " cifar-10-batches-bin for the CIFAR models (optional for them: random inputs)")
    p.add_argument("--model", choices=MODELS, required=True)
    p.add_argument("--task", choices=["train", "eval"], default="train")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--batches", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--depth", type=int, default=20, help="resnet20 only: 6n+2 layers")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    if a.model in CIFAR_MODELS:
        x, y = cifar_inputs(a.data, a.task, 10_000)
        model = resnet(a.depth) if a.model == "resnet20" else cifar_cnn()
    else:
        if a.data is None:
            p.error("--data is required for the MNIST models")
        mean, std = 0.1307, 0.3081
        prefix = "train" if a.task == "train" else "t10k"
        x = torch.from_numpy(read_idx(pathlib.Path(a.data) / f"{prefix}-images-idx3-ubyte").astype(np.float32) / 255.0)
        x = ((x - mean) / std).unsqueeze(1).contiguous()
        y = torch.from_numpy(read_idx(pathlib.Path(a.data) / f"{prefix}-labels-idx1-ubyte").astype(np.int64))
        model = MODELS[a.model]()
    cpu_rate = None
    if a.task == "train":
        rate, cpu_rate = train_throughput(model, x, y, a.batch, a.batches, a.warmup)
    else:
        rate = eval_throughput(model, x)
    print(json.dumps({"framework": "pytorch", "version": torch.__version__, "model": a.model,
                      "task": a.task, "batch": a.batch, "depth": a.depth if a.model == "resnet20" else None, "threads": a.threads,
                      "images_per_s": round(rate, 1), "blas": loaded_blas(),
                      **({"images_per_cpu_s": round(cpu_rate, 1)} if cpu_rate else {})}))


if __name__ == "__main__":
    sys.exit(main())
