"""Python side of benchmarks/from-scratch-speed.sh: updates per second at batch 1 on seed 003's
784-128-10 sigmoid network (no biases) and the first 1,000 MNIST training images, with the seed's
two ways of writing it: PyTorch's training loop (autograd, SGD, sigmoid cross-entropy summed over
the outputs) and the hand-written NumPy loop (d2 = a2 - y). Prints one JSON line per timed run.

  from_scratch_speed.py --impl pytorch|numpy --data DIR/mnist [--epochs 5] [--threads 1]
"""
import argparse
import json
import time

import numpy as np

from pytorch_bench import read_idx


def images(data):
    x = read_idx(f"{data}/train-images-idx3-ubyte")[:1000].reshape(1000, 784).astype(np.float32) / 255
    labels = read_idx(f"{data}/train-labels-idx1-ubyte")[:1000].astype(np.int64)
    return x, np.eye(10, dtype=np.float32)[labels]


def pytorch(x, y, epochs, threads):
    import torch
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(3)
    net = nn.Sequential(nn.Linear(784, 128, bias=False), nn.Sigmoid(), nn.Linear(128, 10, bias=False))
    optimizer = torch.optim.SGD(net.parameters(), lr=0.005)
    loss_fn = nn.BCEWithLogitsLoss(reduction="sum")
    xs, ys = torch.from_numpy(x), torch.from_numpy(y)

    def epoch(e):
        order = torch.randperm(len(xs), generator=torch.Generator().manual_seed(42 + e))
        for i in order.tolist():
            optimizer.zero_grad()
            loss = loss_fn(net(xs[i:i + 1]), ys[i:i + 1])
            loss.backward()
            optimizer.step()
    epoch(0)  # warm-up
    start = time.perf_counter()
    for e in range(1, epochs + 1):
        epoch(e)
    return time.perf_counter() - start, f"torch {torch.__version__}, {torch.get_num_threads()} threads"


def numpy(x, y, epochs, threads):
    rng = np.random.default_rng(3)
    w1 = rng.standard_normal((784, 128)).astype(np.float32) * 0.01
    w2 = rng.standard_normal((128, 10)).astype(np.float32) * 0.01

    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def epoch(e):
        nonlocal w1, w2
        for i in np.random.default_rng(42 + e).permutation(len(x)):
            xi, yi = x[i:i + 1], y[i:i + 1]
            a1 = sigmoid(xi @ w1)
            a2 = sigmoid(a1 @ w2)
            d2 = a2 - yi
            d1 = (d2 @ w2.T) * a1 * (1 - a1)
            w1 = w1 - 0.005 * (xi.T @ d1)
            w2 = w2 - 0.005 * (a1.T @ d2)
    epoch(0)
    start = time.perf_counter()
    for e in range(1, epochs + 1):
        epoch(e)
    return time.perf_counter() - start, f"numpy {np.__version__}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--impl", choices=["pytorch", "numpy"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    x, y = images(args.data)
    seconds, version = (pytorch if args.impl == "pytorch" else numpy)(x, y, args.epochs, args.threads)
    # which BLAS the process loaded: PyTorch's and NumPy's speed depend on it
    blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower()})
    version += ", BLAS " + (" ".join(blas) or "none found")
    print(json.dumps({"impl": args.impl, "epochs": args.epochs, "updates": args.epochs * 1000,
                      "seconds": round(seconds, 3), "updates_per_s": round(args.epochs * 1000 / seconds, 1),
                      "version": version}))


if __name__ == "__main__":
    main()
