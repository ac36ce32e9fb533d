"""NumPy side of bench/elementwise.sh: the same ops and sizes as ElementwiseBench, median ms.

Usage: elementwise_numpy.py REPS [OP ...]. Prints one line per op: name, median ms with
preallocated out= arrays, median ms allocating.
"""
import sys
import time

import numpy as np

N, ROWS, COLS = 1 << 24, 4096, 4096
REPS = int(sys.argv[1]) if len(sys.argv) > 1 else 15

rng = np.random.default_rng(42)
a = rng.standard_normal(N, dtype=np.float32)
b = rng.standard_normal(N, dtype=np.float32)
y = np.empty_like(a)
a2, y2 = a.reshape(ROWS, COLS), y.reshape(ROWS, COLS)
m = np.empty((ROWS, 1), np.float32)
s = np.empty((ROWS, 1), np.float32)


def sigmoid_out():
    np.negative(a, out=y)
    np.exp(y, out=y)
    np.add(y, 1, out=y)
    np.reciprocal(y, out=y)


def softmax_out():
    np.max(a2, axis=1, keepdims=True, out=m)
    np.subtract(a2, m, out=y2)
    np.exp(y2, out=y2)
    np.sum(y2, axis=1, keepdims=True, out=s)
    np.divide(y2, s, out=y2)


def softmax_alloc():
    e = np.exp(a2 - a2.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


OPS = [
    ("add", lambda: np.add(a, b, out=y), lambda: a + b),
    ("mul", lambda: np.multiply(a, b, out=y), lambda: a * b),
    ("exp", lambda: np.exp(a, out=y), lambda: np.exp(a)),
    ("tanh", lambda: np.tanh(a, out=y), lambda: np.tanh(a)),
    ("relu", lambda: np.maximum(a, 0, out=y), lambda: np.maximum(a, 0)),
    ("sigmoid", sigmoid_out, lambda: 1 / (1 + np.exp(-a))),
    ("sum", lambda: a.sum(), lambda: a.sum()),
    ("max", lambda: a.max(), lambda: a.max()),
    ("softmax", softmax_out, softmax_alloc),
]


def median_ms(f):
    for _ in range(3):
        f()
    ts = []
    for _ in range(REPS):
        t0 = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t0)
    return float(np.median(ts)) * 1e3


WANTED = set(sys.argv[2:])
print("# numpy", np.__version__)
for name, out_form, alloc_form in OPS:
    if not WANTED or name in WANTED:
        print(name, "%.3f" % median_ms(out_form), "%.3f" % median_ms(alloc_form), flush=True)
