#!/usr/bin/env python3
"""Sinter's TPE beside Optuna's TPE trial by trial: the median best-so-far regret after t trials, for both, on the
same seeds, and their ratio, to see at which phase of a run (random start-up, early model, late model) they part.

Optuna's side is the real TPESampler(seed=s) of Debian's python3-optuna (hpo_vs_optuna.optuna_run's study, every
trial's value kept); Sinter's is org.sinter.automl.bench.TunerCurves. Optuna's curves are appended to a cache file
(runs/tpe-curves/optuna-tpe-FUNCTION.txt, one line "seed r1 ... rT") as they finish, so an interrupted run resumes
and a later comparison with another Sinter variant reuses them; Sinter's are recomputed (0.05 s a run).

Usage (after building sinter-automl):
  bench/tpe_curves.py FIRST_SEED SEEDS [FUNCTION]
environment: JOBS=N Optuna processes (default 1); OPTUNA_EXACT_PPF=1: Optuna's own 100-step bisection for the
truncated normal's inverse CDF instead of bench/optuna_fast_ppf.py's Newton steps (same curves to 1.3e-14, slower); OPTUNA_EQUAL_WEIGHTS=1, OPTUNA_MULTIVARIATE=1, OPTUNA_CANDIDATES=K and OPTUNA_STARTUP_SEED=K: Optuna variants
(see below); TRIALS (default 100); SINTER_TUNER (default tpe; any name
TunerCurves accepts); JAVA_OPTS extra JVM options for Sinter's side; OPTUNA_ONLY=1 only fills the cache;
PLOT=OUT.png draws both sides' median best-so-far regret (log10) against the trial with the project's chart code
(sinter-cli's org.sinter.cli.plot.CsvPlot, compiled from source into runs/plot-classes), the CSV beside it.
Prints, for t = 10, 20, ..., TRIALS (and 11, 15), each side's median regret, the ratio Sinter / Optuna with a 90%
bootstrap interval (each side's seeds resampled independently: the two samplers' random streams differ, so seeds
do not pair), and the ratio of geometric means (less noisy than the medians', a second view of the same gap).
"""
import math
import multiprocessing
import os
import random
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hpo_vs_optuna  # noqa: E402
from hpo_vs_optuna import FUNCTIONS, ROOT  # noqa: E402

FIRST_SEED = int(sys.argv[1]) if len(sys.argv) > 1 else 0
SEEDS = int(sys.argv[2]) if len(sys.argv) > 2 else 100
FUNCTION = sys.argv[3] if len(sys.argv) > 3 else "BRANIN"
TRIALS = int(os.environ.get("TRIALS", "100"))
JOBS = int(os.environ.get("JOBS", "1"))
SINTER_TUNER = os.environ.get("SINTER_TUNER", "tpe")
# OPTUNA_STARTUP_SEED=K: Optuna's start-up RandomSampler gets seed s + K instead of s (a diagnostic: by default
# TPESampler(seed=s) seeds its own RandomState and its start-up sampler alike, so trial 10's candidates reuse the
# uniforms that placed the start-up trials); its curves go to their own cache file.
STARTUP_SEED = os.environ.get("OPTUNA_STARTUP_SEED")
# OPTUNA_EQUAL_WEIGHTS=1: Optuna's TPESampler with weights=ones (every observation weighs one, as Sinter's TPE does
# by default) in place of its default_weights; its own cache file too.
EQUAL_WEIGHTS = os.environ.get("OPTUNA_EQUAL_WEIGHTS") == "1"
# OPTUNA_MULTIVARIATE=1: TPESampler(multivariate=True), to set beside SINTER_TUNER=tpe-multivariate; its own cache file.
MULTIVARIATE = os.environ.get("OPTUNA_MULTIVARIATE") == "1"
# OPTUNA_CANDIDATES=K: TPESampler(n_ei_candidates=K) in place of its default 24 (Sinter's TPE draws 8); own cache file.
CANDIDATES = os.environ.get("OPTUNA_CANDIDATES")
CACHE = os.path.join(ROOT, "runs", "tpe-curves", f"optuna-tpe{'-multivariate' if MULTIVARIATE else ''}-{FUNCTION}-{TRIALS}"
                     + (f"-startup{STARTUP_SEED}" if STARTUP_SEED else "") + ("-equal-weights" if EQUAL_WEIGHTS else "") + (f"-candidates{CANDIDATES}" if CANDIDATES else "") + ".txt")


def equal_weights(n):
    import numpy as np
    return np.ones(n)


def optuna_curve(seed):
    import optuna
    if os.environ.get("OPTUNA_EXACT_PPF") != "1":
        import optuna_fast_ppf  # same curves to 1.3e-14, faster (see that file)
        optuna_fast_ppf.install()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    f, lows, highs, minimum = FUNCTIONS[FUNCTION]
    import warnings
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # multivariate=True
    options = {"weights": equal_weights} if EQUAL_WEIGHTS else {}
    if CANDIDATES:
        options["n_ei_candidates"] = int(CANDIDATES)
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=MULTIVARIATE, **options)
    if STARTUP_SEED:
        sampler._random_sampler = optuna.samplers.RandomSampler(seed=seed + int(STARTUP_SEED))
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: f([t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(zip(lows, highs))]),
                   n_trials=TRIALS)
    best, curve = math.inf, []
    for trial in sorted(study.trials, key=lambda t: t.number):
        best = min(best, trial.value)
        curve.append(best - minimum)
    return seed, curve


def read_curves(path):
    curves = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == TRIALS + 1:  # a line cut short by an interrupted run is ignored
                    curves[int(parts[0])] = [float(v) for v in parts[1:]]
    return curves


def optuna_curves(seeds):
    os.makedirs(os.path.dirname(CACHE), exist_ok=True)
    curves = read_curves(CACHE)
    todo = [s for s in seeds if s not in curves]
    if todo:
        with multiprocessing.Pool(JOBS) as pool, open(CACHE, "a") as out:
            for seed, curve in pool.imap_unordered(optuna_curve, todo):
                out.write(f"{seed} " + " ".join(repr(r) for r in curve) + "\n")
                out.flush()
                curves[seed] = curve
    return {s: curves[s] for s in seeds}


def sinter_curves(seeds):
    return hpo_vs_optuna.sinter_curves(SINTER_TUNER, FUNCTION, seeds, TRIALS, os.environ.get("JAVA_OPTS", "").split())


def main():
    seeds = list(range(FIRST_SEED, FIRST_SEED + SEEDS))
    optuna = optuna_curves(seeds)
    if os.environ.get("OPTUNA_ONLY") == "1":
        return
    sinter = sinter_curves(seeds)
    print(f"{FUNCTION}, seeds {seeds[0]}-{seeds[-1]} ({len(seeds)}), {TRIALS} trials; Optuna TPESampler vs Sinter {SINTER_TUNER}"
          + (f" ({os.environ['JAVA_OPTS']})" if os.environ.get("JAVA_OPTS") else ""))
    print("| trials | Optuna median | Sinter median | Sinter / Optuna [90% bootstrap] | geometric-mean ratio [90%] |")
    print("| --- | --- | --- | --- | --- |")
    for t in sorted({10, 11, 15, *range(20, TRIALS + 1, 10), TRIALS}):
        if t > TRIALS:
            continue
        o = [optuna[s][t - 1] for s in seeds]
        n = [sinter[s][t - 1] for s in seeds]
        lo, hi = hpo_vs_optuna.ratio_interval(n, o)
        glo, ghi, g = geometric_ratio(n, o)
        print(f"| {t} | {statistics.median(o):.4g} | {statistics.median(n):.4g} | "
              f"{statistics.median(n) / statistics.median(o):.3f} [{lo:.3f}, {hi:.3f}] | {g:.3f} [{glo:.3f}, {ghi:.3f}] |")
    if os.environ.get("PLOT"):
        plot(os.environ["PLOT"], optuna, sinter, seeds)


def plot(path, optuna, sinter, seeds):
    """CSV of trial, log10 median best-so-far regret, sampler; then CsvPlot draws one line per sampler."""
    optuna_label = ("Optuna 3.1 TPE" + (" multivariate" if MULTIVARIATE else "") + (" equal weights" if EQUAL_WEIGHTS else "")
                    + (f" {CANDIDATES} candidates" if CANDIDATES else ""))
    rows = ["trial,log10 median regret,sampler"]
    for label, curves in ((optuna_label, optuna), (f"Sinter {SINTER_TUNER}", sinter)):
        rows += [f"{t},{math.log10(max(statistics.median(curves[s][t - 1] for s in seeds), 1e-12)):.6f},{label}"
                 for t in range(1, TRIALS + 1)]
    csv = path[:-len(".png")] + ".csv" if path.endswith(".png") else path + ".csv"
    with open(csv + ".tmp", "w") as out:
        out.write("\n".join(rows) + "\n")
    os.replace(csv + ".tmp", csv)
    classes = os.path.join(ROOT, "runs", "plot-classes")
    sources = os.path.join(ROOT, "sinter-cli", "src", "main", "java", "org", "sinter", "cli", "plot")
    java_home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    subprocess.run([os.path.join(java_home, "bin", "javac"), "-d", classes]
                   + [os.path.join(sources, f) for f in sorted(os.listdir(sources)) if f.endswith(".java")], check=True)
    title = f"{FUNCTION}: median best-so-far regret over seeds {seeds[0]}-{seeds[-1]} ({len(seeds)})"
    subprocess.run([os.path.join(java_home, "bin", "java"), "-Djava.awt.headless=true", "-cp", classes, "org.sinter.cli.plot.CsvPlot",
                    csv, "trial", "log10 median regret", "sampler", path, title], check=True)
    print(f"wrote {path} and {csv}")


def geometric_ratio(a, b, resamples=2000):
    """exp(mean log a - mean log b) and its 90% bootstrap interval (independent resampling, fixed seed)."""
    la, lb = [math.log(max(v, 1e-12)) for v in a], [math.log(max(v, 1e-12)) for v in b]
    rng = random.Random(12345)
    rs = sorted(math.exp(statistics.fmean(rng.choices(la, k=len(la))) - statistics.fmean(rng.choices(lb, k=len(lb))))
                for _ in range(resamples))
    return rs[int(0.05 * resamples)], rs[int(0.95 * resamples) - 1], math.exp(statistics.fmean(la) - statistics.fmean(lb))


if __name__ == "__main__":
    main()
