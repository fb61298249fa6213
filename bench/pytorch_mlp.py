#!/usr/bin/env python3
"""The paper's MLP (784-100-100-10, sigmoid, softmax + cross-entropy, Adam 0.001, batch 100) in PyTorch,
on the same MNIST files, for side-by-side timing with the tfjs engine. Prints one JSON document.
Usage: /usr/bin/python3 bench/pytorch_mlp.py MNIST_DIR [EPOCHS] [SEED]"""
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, dtype, rank = struct.unpack('>HBB', data[:4])
    if zero != 0 or dtype != 8:
        raise ValueError(f'{path}: not an unsigned-byte IDX file')
    dims = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def gemm_gflops(n=512):
    """One-thread-per-setting matrix-product rate (n×n by n×n), GFLOP/s: the arithmetic ceiling."""
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    torch.mm(a, b)
    best = float('inf')
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(5):
            torch.mm(a, b)
        best = min(best, (time.perf_counter() - start) / 5)
    return 2 * n ** 3 / best / 1e9


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    if os.environ.get('TORCH_THREADS'):
        torch.set_num_threads(int(os.environ['TORCH_THREADS']))
    torch.manual_seed(seed)
    x_train = torch.tensor(read_idx(os.path.join(folder, 'train-images-idx3-ubyte.gz')).reshape(-1, 784), dtype=torch.float32) / 255
    y_train = torch.tensor(read_idx(os.path.join(folder, 'train-labels-idx1-ubyte.gz')), dtype=torch.long)
    x_test = torch.tensor(read_idx(os.path.join(folder, 't10k-images-idx3-ubyte.gz')).reshape(-1, 784), dtype=torch.float32) / 255
    y_test = torch.tensor(read_idx(os.path.join(folder, 't10k-labels-idx1-ubyte.gz')), dtype=torch.long)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 100), torch.nn.Sigmoid(),
        torch.nn.Linear(100, 100), torch.nn.Sigmoid(),
        torch.nn.Linear(100, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x_train.shape[0]
    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, 100):
            idx = perm[i:i + 100]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        epoch_seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'epochs': epochs,
        'epochSeconds': epoch_seconds,
        'secondsPerEpoch': min(epoch_seconds),
        'samplesPerSecond': n / min(epoch_seconds),
        'testAccuracy': accuracy,
        'gemmGflops': gemm_gflops(),
    }))


if __name__ == '__main__':
    main()
