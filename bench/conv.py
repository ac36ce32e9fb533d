#!/usr/bin/python3
"""PyTorch side of bench/conv.sh: the shapes of ConvBench, forward and forward+backward.

Prints one JSON object per (shape, benchmark): {"shape", "bench", "median_ms", "p10_ms", "p90_ms", "runs"}.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F

# batch, in, out, size, kernel, padding, input needs grad (as in ConvBench.spec)
SPECS = {
    "lab1_conv1": (64, 1, 32, 28, 3, 0, False),
    "lab1_conv2": (64, 32, 64, 26, 3, 0, True),
    "lenet_conv1": (64, 1, 6, 28, 5, 2, False),
    "lenet_conv2": (64, 6, 16, 14, 5, 0, True),
}


def timed(fn, seconds, warmup_seconds):
    end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < end:
        fn()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 5:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return {"median_ms": statistics.median(times), "p10_ms": times[len(times) // 10], "p90_ms": times[(len(times) * 9) // 10],
            "runs": len(times)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--warmup", type=float, default=3)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    for name, (n, cin, cout, size, k, pad, xgrad) in SPECS.items():
        x = torch.randn(n, cin, size, size, requires_grad=xgrad)
        w = torch.randn(cout, cin, k, k, requires_grad=True)
        b = torch.randn(cout, requires_grad=True)
        out = size + 2 * pad - k + 1
        gy = torch.randn(n, cout, out, out)
        wrt = [x, w, b] if xgrad else [w, b]

        def fwd():
            with torch.no_grad():
                return F.conv2d(x, w, b, 1, pad)

        def fwdbwd():
            y = F.conv2d(x, w, b, 1, pad)
            return torch.autograd.grad([y], wrt, [gy])

        for bench, fn in (("forward", fwd), ("forwardBackward", fwdbwd)):
            r = {"shape": name, "bench": bench}
            r.update(timed(fn, args.seconds, args.warmup))
            print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
