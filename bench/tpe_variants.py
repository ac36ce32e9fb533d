#!/usr/bin/env python3
"""One Sinter tuner against another on the same seeds, to choose a rule on tuning seeds before checking it against
Optuna on fresh ones (bench/tpe_curves.py). Both run through org.sinter.automl.bench.TunerCurves; with the same seed
they share their random start-up trials, so seeds pair and the ratios come with a paired bootstrap interval.

Usage (after building sinter-automl):
  bench/tpe_variants.py VARIANT BASE FIRST_SEED SEEDS [FUNCTION,...]
e.g. bench/tpe_variants.py tpe-candidates-24 tpe 0 1000 (any TunerCurves name). Prints per function both medians of
the final regret and, at 30, 50 and 100 trials, median(VARIANT) / median(BASE) and the geometric mean of the
per-seed ratios, each with its 90% interval (1 000 resamples of the seeds, fixed seed).
"""
import math
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpo_vs_optuna import sinter_curves  # noqa: E402

ALL = ["BRANIN", "HARTMANN6", "ROSENBROCK4", "STYBLINSKI_TANG5"]


def paired(variant, base, resamples=1000):
    """(median ratio, its 90% interval, geometric-mean ratio, its 90% interval), seeds resampled in pairs."""
    logs = [math.log(max(a, 1e-12)) - math.log(max(b, 1e-12)) for a, b in zip(variant, base)]
    rng = random.Random(1)
    medians, geos = [], []
    for _ in range(resamples):
        k = rng.choices(range(len(variant)), k=len(variant))
        medians.append(statistics.median(variant[i] for i in k) / statistics.median(base[i] for i in k))
        geos.append(math.exp(statistics.fmean(logs[i] for i in k)))
    medians.sort()
    geos.sort()
    lo, hi = int(0.05 * resamples), int(0.95 * resamples) - 1
    return (statistics.median(variant) / statistics.median(base), medians[lo], medians[hi],
            math.exp(statistics.fmean(logs)), geos[lo], geos[hi])


def main():
    variant, base, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    functions = sys.argv[5].split(",") if len(sys.argv) > 5 else ALL
    seeds = list(range(first, first + count))
    print(f"{variant} against {base}, seeds {first}-{first + count - 1}, 100 trials")
    print("| function | median final regret, variant / base | t = 30 | t = 50 | t = 100 (median [90%], geometric [90%]) |")
    print("| --- | --- | --- | --- | --- |")
    for function in functions:
        a, b = sinter_curves(variant, function, seeds, 100), sinter_curves(base, function, seeds, 100)
        cells = []
        for t in (30, 50, 100):
            m, mlo, mhi, g, glo, ghi = paired([a[s][t - 1] for s in seeds], [b[s][t - 1] for s in seeds])
            cells.append(f"{m:.3f} [{mlo:.2f}, {mhi:.2f}], {g:.3f} [{glo:.2f}, {ghi:.2f}]")
        print(f"| {function} | {statistics.median(a[s][99] for s in seeds):.4g} / {statistics.median(b[s][99] for s in seeds):.4g} | "
              + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
