"""Fits the rational R(z) ~ erfc(z)*exp(z^2) on [0, Z] that sinter-core's Gelu uses (float32 GELU as x*Phi(x),
Phi(-|x|) = exp(-z^2)*R(z)/2): relative minimax by Lawson-reweighted linearised least squares, then the
coefficients rounded to float32 one at a time with a refit of the rest. Needs numpy and scipy.

    python3 tools/fits/gelu_rational.py 9.25 5 5    # Z, P coefficients, Q coefficients beyond 1
"""
import math, sys
import numpy as np
from scipy.special import erfcx
Z = float(sys.argv[1]); NP = int(sys.argv[2]); NQ = int(sys.argv[3])
x = np.unique(np.concatenate([np.linspace(0, Z, 8000), Z * (0.5 - 0.5*np.cos(np.linspace(0, math.pi, 4000)))]))
f = erfcx(x)
A = np.stack([x**j for j in range(NP)] + [-f * x**k for k in range(1, NQ + 1)], 1)
def solve(fixed):
    w = np.ones_like(x); c = None
    for it in range(150):
        q = np.ones_like(x) if c is None else 1 + sum(c[NP + k - 1] * x**k for k in range(1, NQ + 1))
        sw = np.sqrt(w) / (q * f)
        free = [i for i in range(NP + NQ) if i not in fixed]
        rhs = f - (sum(A[:, i] * v for i, v in fixed.items()) if fixed else 0)
        cf, *_ = np.linalg.lstsq(A[:, free] * sw[:, None], rhs * sw, rcond=None)
        c = np.zeros(NP + NQ)
        for i, v in fixed.items(): c[i] = v
        c[free] = cf
        P = sum(c[j] * x**j for j in range(NP)); Q = 1 + sum(c[NP + k - 1] * x**k for k in range(1, NQ + 1))
        err = np.abs(P / Q / f - 1)
        w = w * (err + 1e-3 * err.max()); w /= w.sum()
    return c, err.max()
fixed = {}
c, e0 = solve(fixed)
for i in range(NP + NQ):
    fixed[i] = float(np.float32(c[i]))
    if len(fixed) < NP + NQ: c, e = solve(fixed)
coef = np.array([fixed[i] for i in range(NP + NQ)], dtype=np.float32)
f64 = np.float64; f32 = np.float32
zz = np.linspace(0, Z, 1_000_001).astype(f32)
p = coef[NP - 1] * np.ones_like(zz)
for j in range(NP - 2, -1, -1): p = (f64(p) * zz + f64(coef[j])).astype(f32)
q = coef[NP + NQ - 1] * np.ones_like(zz)
for k in range(NQ - 2, -1, -1): q = (f64(q) * zz + f64(coef[NP + k])).astype(f32)
q = (f64(q) * zz + 1.0).astype(f32)
r = (p / q).astype(f32)
rel = np.abs(r / erfcx(zz.astype(f64)) - 1)
print("Z %g NP %d NQ %d: fit f64 rel %.3g; float32 eval rel %.3g (%.1f ulp-ish)" % (Z, NP, NQ, e0, rel.max(), rel.max() / 5.96e-8))
print("P", [float(v) for v in coef[:NP]]); print("Q", [float(v) for v in coef[NP:]])

