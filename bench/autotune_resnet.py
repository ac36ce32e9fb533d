#!/usr/bin/python3
"""PyTorch side of bench/autotune_resnet.sh: ResNet-18's 12 distinct convolutions (batch 1, 224x224,
with bias), F.conv2d (oneDNN on x86) at the given thread count. One JSON line per layer:
{"layer", "median_ms", "gflops"} (median of 15 samples, each the mean of enough calls to last
50 ms, after 1 s of warm-up -- the same protocol as the Java side)."""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

LAYERS = {  # size, in, out, kernel, stride ("same" padding)
    "C1": (224, 3, 64, 7, 2), "C2": (56, 64, 64, 3, 1), "C3": (56, 64, 64, 1, 1), "C4": (56, 64, 128, 3, 2),
    "C5": (56, 64, 128, 1, 2), "C6": (28, 128, 128, 3, 1), "C7": (28, 128, 256, 3, 2), "C8": (28, 128, 256, 1, 2),
    "C9": (14, 256, 256, 3, 1), "C10": (14, 256, 512, 3, 2), "C11": (14, 256, 512, 1, 2), "C12": (7, 512, 512, 3, 1),
}


def median_ms(fn):
    end = time.perf_counter() + 1.0
    calls = 0
    while time.perf_counter() < end or calls < 3:
        fn()
        calls += 1
    number = max(1, int(0.05 / (1.0 / calls)))
    samples = []
    for _ in range(15):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - t0) * 1e3 / number)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--layers", default=",".join(LAYERS))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with torch.no_grad():
        for name in args.layers.split(","):
            size, cin, cout, k, stride = LAYERS[name]
            x, w, b = torch.randn(1, cin, size, size), torch.randn(cout, cin, k, k), torch.randn(cout)
            pad = (k - 1) // 2
            ms = median_ms(lambda: F.conv2d(x, w, b, stride=stride, padding=pad))
            out = (size + 2 * pad - k) // stride + 1
            flops = 2 * cout * cin * k * k * out * out
            print(json.dumps({"layer": name, "median_ms": ms, "gflops": flops / ms / 1e6}), flush=True)


if __name__ == "__main__":
    main()
