#!/usr/bin/python3
"""The Lab 1 CNN recipe in PyTorch, as the peer of `./sinter train`'s accuracy bar.

PyTorch's MNIST example (the course's Lab 1): Conv(1->32,3)-ReLU-Conv(32->64,3)-ReLU-MaxPool2-
Dropout(0.25)-Linear(9216->128)-ReLU-Dropout(0.5)-Linear(128->10)-LogSoftmax, NLL loss, Adadelta
lr 1.0, StepLR gamma 0.7, batch 64 (test batch 1000), inputs normalized with (0.1307, 0.3081),
shuffled every epoch. Reads the MNIST files Sinter ships, so both sides see the same data.
Prints one JSON line per epoch: {"seed", "epoch", "test_accuracy", "test_loss", "seconds"}.

Usage: bench/lab1_pytorch.py [--seeds 1,2,3] [--epochs 3] [--threads 2]
"""
import argparse
import gzip
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sinter-data", "src", "main", "resources",
                    "org", "sinter", "data", "mnist")


def idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def images(name):
    x = torch.from_numpy(idx(name).astype(np.float32) / 255.0).unsqueeze(1)
    return (x - 0.1307) / 0.3081


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return F.log_softmax(self.fc2(self.dropout2(x)), dim=1)


def run(seed, epochs, train_x, train_y, test_x, test_y):
    torch.manual_seed(seed)
    model = Net()
    opt = torch.optim.Adadelta(model.parameters(), lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(1, epochs + 1):
        t0 = time.time()
        model.train()
        for batch in torch.randperm(len(train_x), generator=gen).split(64):
            opt.zero_grad()
            F.nll_loss(model(train_x[batch]), train_y[batch]).backward()
            opt.step()
        sched.step()
        model.eval()
        correct, loss = 0, 0.0
        with torch.no_grad():
            for i in range(0, len(test_x), 1000):
                out = model(test_x[i:i + 1000])
                loss += F.nll_loss(out, test_y[i:i + 1000], reduction="sum").item()
                correct += (out.argmax(1) == test_y[i:i + 1000]).sum().item()
        print(json.dumps({"seed": seed, "epoch": epoch, "test_accuracy": 100.0 * correct / len(test_x),
                          "test_loss": loss / len(test_x), "seconds": round(time.time() - t0, 1)}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    train_x, test_x = images("train-images-idx3-ubyte.gz"), images("t10k-images-idx3-ubyte.gz")
    train_y = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_y = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))
    for seed in a.seeds.split(","):
        run(int(seed), a.epochs, train_x, train_y, test_x, test_y)


if __name__ == "__main__":
    main()
