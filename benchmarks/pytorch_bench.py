"""PyTorch side of dlkit's training-speed benchmark (Debian python3-torch, OpenBLAS).

Trains the same models as the dlkit side on the same MNIST IDX files, batch size, optimizer (Adam
1e-3) and thread count, and prints one JSON object per measurement:
  {"framework": "pytorch", "model": "mlp", "batch": 128, "images_per_s": ...}
Models: mlp (784-128-10, ReLU), cnn (the seed-000 MNIST CNN with a 490-unit feature layer);
tasks: train (images/s over `--batches` minibatches after a warm-up) and eval (10k test images).
"""
import argparse
import gzip
import json
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


MODELS = {"mlp": mlp, "cnn": cnn}


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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="folder with the MNIST IDX files (raw or .gz)")
    p.add_argument("--model", choices=MODELS, required=True)
    p.add_argument("--task", choices=["train", "eval"], default="train")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--batches", type=int, default=200)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
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
                      "task": a.task, "batch": a.batch, "threads": a.threads,
                      "images_per_s": round(rate, 1),
                      **({"images_per_cpu_s": round(cpu_rate, 1)} if cpu_rate else {})}))


if __name__ == "__main__":
    sys.exit(main())
