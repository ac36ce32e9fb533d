#!/usr/bin/env python3
"""Do Sinter's TPE and Optuna 3.1's TPE propose from the same distribution, given the same finished trials?

For each (function, seed, n) a history is made by running Optuna's TPESampler(seed) for n trials; then DRAWS next
proposals are drawn from each side given exactly that history: Optuna's by TPESampler.sample_independent on a study
holding the history (its real code path: split, Parzen estimators, 24 candidates, argmax), each call with its own
random stream; Sinter's by org.sinter.automl.bench.TunerProposals (a fresh TpeTuner per proposal, restored with the
history). Printed per history: two-sample Kolmogorov-Smirnov p-values of each coordinate and of the function's value
at the proposal, and the share of proposals that improve on the history's best, with its standard error.

Optuna's truncated-normal sampler inverts the CDF by 100 bisection steps per draw in Python (0.4 ms each); with
FAST_TRUNCNORM=1 (the default) it is replaced by exact rejection sampling in numpy, after the script checks on a few
(a, b) that the two draw the same distribution. FAST_TRUNCNORM=0 keeps Optuna's own sampler (slow).

Usage (after building sinter-automl):
  bench/tpe_kernel_compare.py [DRAWS] [FUNCTION] [SEEDS] [N,N,...]
e.g. bench/tpe_kernel_compare.py 10000 BRANIN 0,1 10,11,15,30,60,99
"""
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import optuna
from optuna.distributions import FloatDistribution
from optuna.samplers._tpe import _truncnorm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpo_vs_optuna import FUNCTIONS, ROOT, sinter_classpath  # noqa: E402

DRAWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
FUNCTION = sys.argv[2] if len(sys.argv) > 2 else "BRANIN"
SEEDS = [int(s) for s in (sys.argv[3] if len(sys.argv) > 3 else "0,1").split(",")]
NS = [int(n) for n in (sys.argv[4] if len(sys.argv) > 4 else "10,11,15,30,60,99").split(",")]


def rejection_rvs(a, b, loc=0, scale=1, size=1, random_state=None):
    """Exact truncated standard normal on [a, b] by rejection, scaled: the distribution Optuna's rvs draws."""
    rng = random_state or np.random.RandomState()
    a, b, loc, scale = (np.broadcast_to(np.asarray(v, dtype=float), (size,)) for v in (a, b, loc, scale))
    out = np.empty(size)
    todo = np.arange(size)
    while todo.size:
        z = rng.standard_normal(todo.size)
        ok = (z >= a[todo]) & (z <= b[todo])
        out[todo[ok]] = z[ok]
        todo = todo[~ok]
    return out * scale + loc


def ks_pvalue(x, y):
    """Two-sample Kolmogorov-Smirnov statistic and its asymptotic p-value."""
    x, y = np.sort(x), np.sort(y)
    grid = np.concatenate([x, y])
    d = np.max(np.abs(np.searchsorted(x, grid, side="right") / x.size - np.searchsorted(y, grid, side="right") / y.size))
    lam = (math.sqrt(x.size * y.size / (x.size + y.size)) + 0.12 + 0.11 / math.sqrt(x.size * y.size / (x.size + y.size))) * d
    p = 2 * sum((-1) ** (k - 1) * math.exp(-2 * k * k * lam * lam) for k in range(1, 101))
    return d, min(max(p, 0.0), 1.0)


def check_fast_sampler():
    rng = np.random.RandomState(7)
    worst = 1.0
    for a, b in ((-1.0, 1.0), (0.0, 3.0), (-0.2, 40.0), (-30.0, -0.5)):
        n = 4000
        exact = _truncnorm.rvs(np.full(n, a), np.full(n, b), size=n, random_state=rng)
        fast = rejection_rvs(a, b, size=n, random_state=rng)
        worst = min(worst, ks_pvalue(exact, fast)[1])
    print(f"truncnorm check (Optuna's rvs vs rejection, 4 intervals x 4 000): smallest KS p = {worst:.3f}")


def optuna_history(f, lows, highs, seed, n):
    sampler = optuna.samplers.TPESampler(seed=seed)
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: f([t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(zip(lows, highs))]), n_trials=n)
    return [[t.params[f"x{i}"] for i in range(len(lows))] + [t.value] for t in study.trials]


def optuna_proposals(history, lows, highs, draws):
    dists = {f"x{i}": FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(zip(lows, highs))}
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=12345))
    for row in history:
        study.add_trial(optuna.trial.create_trial(params={f"x{i}": v for i, v in enumerate(row[:-1])},
                                                  distributions=dists, value=row[-1]))
    trial = study.ask()
    sampler = study.sampler
    out = np.empty((draws, len(lows)))
    for k in range(draws):
        for i, (name, dist) in enumerate(dists.items()):
            out[k, i] = sampler.sample_independent(study, trial._cached_frozen_trial, name, dist)
    return out


def sinter_proposals(history, draws, seed):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as h:
        for row in history:
            h.write(" ".join(repr(v) for v in row) + "\n")
    try:
        java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
        run = subprocess.run([java, "-cp", sinter_classpath(), "org.sinter.automl.bench.TunerProposals", "tpe", FUNCTION,
                              h.name, str(draws), str(seed)], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"TunerProposals failed ({run.returncode}): {run.stderr.strip()}")
        out = run.stdout
    finally:
        os.unlink(h.name)
    return np.array([[float(v) for v in line.split()] for line in out.splitlines()])


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    if os.environ.get("FAST_TRUNCNORM", "1") != "0":
        check_fast_sampler()
        _truncnorm.rvs = rejection_rvs  # parzen_estimator calls truncnorm.rvs through the module
    f, lows, highs, _minimum = FUNCTIONS[FUNCTION]
    print(f"{FUNCTION}, {DRAWS} proposals per side per history; KS p-values (small: the distributions differ)")
    print("| seed | n | best | " + " | ".join(f"p(x{i})" for i in range(len(lows)))
          + " | p(f) | P(improve) Optuna | P(improve) Sinter | difference / s.e. |")
    print("|---" * (len(lows) + 7) + "|")
    for seed in SEEDS:
        full = optuna_history(f, lows, highs, seed, max(NS))
        for n in NS:
            history = full[:n]
            best = min(row[-1] for row in history)
            a = optuna_proposals(history, lows, highs, DRAWS)
            b = sinter_proposals(history, DRAWS, 1_000_000 * (seed + 1) + n)
            fa, fb = np.array([f(x) for x in a]), np.array([f(x) for x in b])
            pa, pb = np.mean(fa < best), np.mean(fb < best)
            se = math.sqrt(pa * (1 - pa) / DRAWS + pb * (1 - pb) / DRAWS) or 1e-300
            cols = [f"{ks_pvalue(a[:, i], b[:, i])[1]:.3f}" for i in range(len(lows))]
            print(f"| {seed} | {n} | {best:.4g} | " + " | ".join(cols) + f" | {ks_pvalue(fa, fb)[1]:.3f} | {pa:.4f} | {pb:.4f} | {(pb - pa) / se:+.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
