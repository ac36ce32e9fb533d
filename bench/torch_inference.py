"""PyTorch 1.13 eager inference latency of the compiler comparison's models (the same definitions
bench/onnx_export.py exports: MLP b128, LeNet-5 b64, Lab 1 CNN b64, ResNet-18 b1/b16, the zoo's GPT
b1/b16), in eval mode under torch.no_grad(), at a given intra-op thread count. Each round times
ITERS forwards after a warm-up and keeps the median; prints one line per round and the median of
the rounds, in milliseconds, as OnnxRuntimeBench does for Sinter and ONNX Runtime.

    OMP_NUM_THREADS=T /usr/bin/python3 bench/torch_inference.py --threads T [--iters 50] [--rounds 3] [--models resnet18_b1,...]
"""
import argparse
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
from onnx_export import GPT_SIZES, resnet18  # noqa: E402  (the exported architectures, layer for layer)
from train_step import MODELS  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools", "fixtures"))
from torch_gpt import GPT  # noqa: E402


def cases():
    out = {name: (make, (batch, 1, 28, 28), 0) for name, (make, batch) in MODELS.items()}
    out["resnet18_b1"] = (resnet18, (1, 3, 224, 224), 0)
    out["resnet18_b16"] = (resnet18, (16, 3, 224, 224), 0)
    for b in (1, 16):
        out["gpt_b%d" % b] = (lambda: GPT(*GPT_SIZES), (b, GPT_SIZES[1]), GPT_SIZES[0])
    return out


def median_ms(model, x, warm, warm_seconds, iters):
    start = time.perf_counter()
    done = 0
    while done < warm or time.perf_counter() - start < warm_seconds:
        model(x)
        done += 1
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up before the first round")
    p.add_argument("--models", default="mlp,lenet5,lab1cnn,resnet18_b1,resnet18_b16,gpt_b1,gpt_b16")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    known = cases()
    print("%-14s %5s %12s" % ("model", "round", "pytorch ms"))
    for name in a.models.split(","):
        if name not in known:
            sys.exit("torch_inference.py: unknown model %r (known: %s)" % (name, ",".join(known)))
        make, shape, vocab = known[name]
        torch.manual_seed(0)
        model = make().eval()
        x = torch.randint(0, vocab, shape) if vocab else torch.randn(shape)
        rounds = []
        with torch.no_grad():
            for r in range(a.rounds):
                ms = median_ms(model, x, max(5, a.iters // 5), a.warmup if r == 0 else 0, a.iters)
                rounds.append(ms)
                print("%-14s %5d %12.3f" % (name, r + 1, ms), flush=True)
        print("%-14s %5s %12.3f" % (name, "med", statistics.median(rounds)), flush=True)


if __name__ == "__main__":
    main()
