#!/usr/bin/env python3
"""The CNN of src/core/model/cnn.ts in PyTorch, on the same MNIST files, for side-by-side timing with the tfjs
engine: 28x28x1 -> conv 5x5x32 (valid, ReLU) -> max-pool 2 -> conv 5x5x64 (valid, ReLU) -> max-pool 2 ->
dense 256 (ReLU) -> dense 10; softmax + cross-entropy, Adam 0.001, batch 100, no augmentation.
Prints one JSON document.
Usage: /usr/bin/python3 bench/pytorch_cnn.py MNIST_DIR [EPOCHS] [SEED] [FRACTION]"""
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_mlp import read_idx  # noqa: E402  (the same IDX reader)


def main():
    folder = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 42
    fraction = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
    if os.environ.get('TORCH_THREADS'):
        torch.set_num_threads(int(os.environ['TORCH_THREADS']))
    torch.manual_seed(seed)
    x_train = torch.tensor(read_idx(os.path.join(folder, 'train-images-idx3-ubyte.gz')), dtype=torch.float32).unsqueeze(1) / 255
    y_train = torch.tensor(read_idx(os.path.join(folder, 'train-labels-idx1-ubyte.gz')), dtype=torch.long)
    x_test = torch.tensor(read_idx(os.path.join(folder, 't10k-images-idx3-ubyte.gz')), dtype=torch.float32).unsqueeze(1) / 255
    y_test = torch.tensor(read_idx(os.path.join(folder, 't10k-labels-idx1-ubyte.gz')), dtype=torch.long)
    count = max(100, int(x_train.shape[0] * fraction))
    x_train, y_train = x_train[:count], y_train[:count]
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 64, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(1024, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = torch.nn.CrossEntropyLoss()
    epoch_seconds = []
    for _ in range(epochs):
        start = time.perf_counter()
        perm = torch.randperm(count)
        for i in range(0, count, 100):
            idx = perm[i:i + 100]
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        epoch_seconds.append((time.perf_counter() - start) * (60000 / count))
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'architecture': 'cnn',
        'fractionTimed': count / 60000,
        'epochSecondsExtrapolated': epoch_seconds,
        'secondsPerEpoch': min(epoch_seconds[1:]) if len(epoch_seconds) > 1 else epoch_seconds[0],
        'testAccuracy': accuracy,
    }))


if __name__ == '__main__':
    main()
