#!/usr/bin/python3
"""PyTorch side of bench/train_step.sh: median training-step time of the reference models.

Same models, batch sizes, optimizer and thread count as Sinter's TrainStepBench. Prints one JSON
object per model: {"model", "batch", "threads", "median_ms", "p10_ms", "p90_ms", "steps"}.
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def lab1cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10), nn.LogSoftmax(dim=1))


MODELS = {"mlp": (mlp, 128), "lenet5": (lenet5, 64), "lab1cnn": (lab1cnn, 64)}


def bench(name, steps, warmup):
    _, batch = MODELS[name]
    # Warm up on a throwaway model, then time the first steps of a fresh one (as the Sinter side
    # does, whose JIT needs the warm-up): both time the same steps of the same training run.
    run(name, batch, warmup)
    times = sorted(run(name, batch, steps))
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))]
    return {"model": name, "batch": batch, "threads": torch.get_num_threads(), "median_ms": statistics.median(times),
            "p10_ms": q(0.1), "p90_ms": q(0.9), "steps": steps}


def run(name, batch, steps):
    build, _ = MODELS[name]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        out = model(x)
        loss = F.nll_loss(out, y) if name == "lab1cnn" else F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", default="mlp,lenet5")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=20)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for m in a.models.split(","):
        print(json.dumps(bench(m, a.steps, a.warmup)), flush=True)


if __name__ == "__main__":
    main()
