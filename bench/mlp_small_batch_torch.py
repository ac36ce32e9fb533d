"""The MLP 784-512-512-10 forward and its three products on one thread in PyTorch and NumPy, by batch.

Per sample microseconds (thread CPU time, median of rounds) and GFLOP/s, the reference for
Sinter's small-batch GEMM (issue 12): python3 bench/mlp_small_batch_torch.py [rounds=5]
"""
import sys, time
import numpy as np
import torch

torch.set_num_threads(1)
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
torch.manual_seed(0)
mlp = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 512), torch.nn.ReLU(),
                          torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).eval()
W = [l.weight.detach() for l in mlp if isinstance(l, torch.nn.Linear)]


def per_call(fn, seconds=0.3):
    fn()
    t0 = time.thread_time_ns(); n = 0
    while time.thread_time_ns() - t0 < seconds * 1e9:
        fn(); n += 1
    return (time.thread_time_ns() - t0) / n / 1e3  # us


print(f"torch {torch.__version__} threads {torch.get_num_threads()}, numpy {np.__version__}")
print("batch | torch MLP us/sample | torch GEMMs 784x512 512x512 512x10 (GFLOP/s) | numpy GEMMs (GFLOP/s)")
with torch.no_grad():
    for b in (1, 8, 16, 24, 32):
        x = torch.rand(b, 1, 28, 28)
        xs = [torch.rand(b, 784), torch.rand(b, 512), torch.rand(b, 512)]
        xn = [t.numpy() for t in xs]
        wn = [np.ascontiguousarray(w.numpy()) for w in W]
        res = {"mlp": [], "t": [[], [], []], "n": [[], [], []]}
        for r in range(rounds):
            res["mlp"].append(per_call(lambda: mlp(x)) / b)
            for i in range(3):
                res["t"][i].append(per_call(lambda: torch.nn.functional.linear(xs[i], W[i])))
                res["n"][i].append(per_call(lambda: xn[i] @ wn[i].T))
        med = lambda v: sorted(v)[len(v) // 2]
        fl = [2 * b * W[i].shape[0] * W[i].shape[1] for i in range(3)]
        tg = " ".join(f"{med(res['t'][i]):.1f}us({fl[i] / med(res['t'][i]) / 1e3:.0f})" for i in range(3))
        ng = " ".join(f"{med(res['n'][i]):.1f}us({fl[i] / med(res['n'][i]) / 1e3:.0f})" for i in range(3))
        print(f"{b} | {med(res['mlp']):.1f} | {tg} | {ng}")
