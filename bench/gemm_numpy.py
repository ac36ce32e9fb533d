"""NumPy float32 matmul timing, measured the way JMH measures Sinter: warm-up, then timed
iterations of about one second each (mean time per call within an iteration); prints the median.
Usage: python3 gemm_numpy.py MxKxN [warmup_iters measure_iters iter_seconds]"""
import json, sys, time
import numpy as np

shape = sys.argv[1]
warm, iters, secs = (int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) > 4 else (3, 5, 1.0)
m, k, n = (int(x) for x in shape.split("x"))
rng = np.random.default_rng(42)
a = (rng.random((m, k), dtype=np.float32) - 0.5)
b = (rng.random((k, n), dtype=np.float32) - 0.5)
out = np.empty((m, n), dtype=np.float32)

def iteration():
    calls, t0 = 0, time.perf_counter()
    while True:
        np.matmul(a, b, out=out)
        calls += 1
        t = time.perf_counter() - t0
        if t >= secs:
            return t / calls

for _ in range(warm):
    iteration()
times = sorted(iteration() for _ in range(iters))
print(json.dumps({"shape": shape, "us_per_op": times[len(times) // 2] * 1e6, "all_us": [t * 1e6 for t in times]}))
