#!/usr/bin/env python3
"""Sinter's tuners beside Optuna's on Branin, Hartmann-6, Rosenbrock-4 and Styblinski-Tang-5.

Runs Optuna's TPESampler (independent, and multivariate=True) in this process and Sinter's tuners
through org.sinter.automl.bench.TunerBenchmark in a JVM, each for SEEDS seeds x TRIALS sequential
trials, and prints the median final regret (best loss found - known minimum) per tuner and function
and the ratio Sinter / Optuna TPE (below 1: Sinter found better points). Optuna 3.1 has no Gaussian
process sampler (GPSampler arrived in 3.6; the BoTorch one needs botorch), so Sinter's GP-BO is
compared with Optuna's TPE.

Usage (after building sinter-automl): flock /tmp/sinter-bench.lock bench/hpo_vs_optuna.py [SEEDS] [TRIALS]
(MULTIVARIATE=0 in the environment leaves out both multivariate TPEs; FUNCTIONS=BRANIN,... runs only those;
FIRST_SEED=N runs seeds N .. N+SEEDS-1; REGRETS=FILE appends every run's final regret to FILE, one line
"tuner function seed regret", for plots or pooling blocks of seeds run apart.)

Beside each ratio of medians it prints a 90% bootstrap interval (2 000 resamples of each side's seeds, the
two sides resampled independently: the samplers' random streams differ, so seeds do not pair). Sinter's TPE
follows Optuna 3.1's rules, so on most functions the interval straddles 1.
"""
import glob
import math
import os
import statistics
import subprocess
import sys
import time
import warnings

import random

import optuna

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = __name__ == "__main__"  # imported (bench/tpe_kernel_compare.py): the command line is not ours
SEEDS = int(sys.argv[1]) if MAIN and len(sys.argv) > 1 else 20
TRIALS = int(sys.argv[2]) if MAIN and len(sys.argv) > 2 else 100
MULTIVARIATE = os.environ.get("MULTIVARIATE", "1") != "0"  # MULTIVARIATE=0: skip both multivariate TPEs
SINTER_TUNERS = ["tpe", "tpe-multivariate", "gp", "smac"] if MULTIVARIATE else ["tpe", "gp", "smac"]
FIRST_SEED = int(os.environ.get("FIRST_SEED", "0"))
REGRETS = os.environ.get("REGRETS")
if os.environ.get("SINTER_TUNERS"):  # e.g. SINTER_TUNERS=tpe,smac: only these of Sinter's tuners
    SINTER_TUNERS = os.environ["SINTER_TUNERS"].split(",")


def branin(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


HA = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HP = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return -sum(a * math.exp(-sum(HA[i][j] * (x[j] - HP[i][j]) ** 2 for j in range(6)))
                for i, a in enumerate([1.0, 1.2, 3.0, 3.2]))


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v ** 2 + 5 * v for v in x) / 2


# name (as TestFunction spells it): (function, lows, highs, minimum)
FUNCTIONS = {
    "BRANIN": (branin, [-5, 0], [10, 15], 0.39788735772973816),
    "HARTMANN6": (hartmann6, [0] * 6, [1] * 6, -3.322368011415511),
    "ROSENBROCK4": (rosenbrock, [-5] * 4, [10] * 4, 0.0),
    "STYBLINSKI_TANG5": (styblinski_tang, [-5] * 5, [5] * 5, -39.16616570377142 * 5),
}
if os.environ.get("FUNCTIONS"):
    FUNCTIONS = {name: FUNCTIONS[name] for name in os.environ["FUNCTIONS"].split(",")}


def ratio_interval(a, b, resamples=2000, level=0.90):
    """Bootstrap interval of median(a) / median(b), a and b resampled independently (fixed seed)."""
    rng = random.Random(12345)
    ratios = sorted(statistics.median(rng.choices(a, k=len(a))) / max(statistics.median(rng.choices(b, k=len(b))), 1e-300)
                    for _ in range(resamples))
    tail = (1 - level) / 2
    return ratios[int(tail * resamples)], ratios[int((1 - tail) * resamples) - 1]


def optuna_run(name, seed, multivariate):
    f, lows, highs, minimum = FUNCTIONS[name]
    sampler = optuna.samplers.TPESampler(seed=seed, multivariate=multivariate)
    study = optuna.create_study(sampler=sampler)
    study.optimize(lambda t: f([t.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(zip(lows, highs))]),
                   n_trials=TRIALS)
    return study.best_value - minimum


def record(tuner, function, seed, regret):
    if REGRETS:
        with open(REGRETS, "a") as out:
            out.write(f"{tuner} {function} {seed} {regret}\n")


def sinter_classpath():
    """sinter-automl's and sinter-core's compiled classes and Jackson from the local Maven repository."""
    jackson = os.path.expanduser("~/.m2/repository/com/fasterxml/jackson/core")
    jars = [glob.glob(f"{jackson}/{a}/2.21*/{a}-2.21*.jar")[0] for a in ("jackson-databind", "jackson-core", "jackson-annotations")]
    return ":".join([f"{ROOT}/sinter-automl/target/classes", f"{ROOT}/sinter-core/target/classes"] + jars)


def sinter_curves(tuner, function, seeds, trials, java_opts=()):
    """org.sinter.automl.bench.TunerCurves: {seed: best-so-far regret after each trial} for seeds (consecutive)."""
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    out = subprocess.run([java, *java_opts, "-cp", sinter_classpath(), "org.sinter.automl.bench.TunerCurves", tuner, function,
                          str(seeds[0]), str(len(seeds)), str(trials)], check=True, capture_output=True, text=True).stdout
    return {int(p[0]): [float(v) for v in p[1:]] for p in (line.split() for line in out.splitlines())}


def sinter_runs():
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java")
    out = subprocess.run([java, "-cp", sinter_classpath(), "org.sinter.automl.bench.TunerBenchmark", ",".join(SINTER_TUNERS), str(SEEDS), str(TRIALS),
                          ",".join(FUNCTIONS), str(FIRST_SEED)],
                         check=True, capture_output=True, text=True).stdout
    regrets, seconds = {}, {}
    for line in out.splitlines():
        tuner, fn, seed, final, _r25, _r50, secs = line.split()
        regrets.setdefault(("sinter-" + tuner, fn), []).append(float(final))
        record("sinter-" + tuner, fn, seed, final)
        seconds.setdefault("sinter-" + tuner, []).append(float(secs))
    return regrets, seconds


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)  # multivariate=True
    print(f"optuna {optuna.__version__}; seeds {FIRST_SEED}-{FIRST_SEED + SEEDS - 1} x {TRIALS} trials, sequential; median final regret")
    regrets, seconds = sinter_runs()
    for multivariate in (False, True) if MULTIVARIATE else (False,):
        label = "optuna-tpe-multivariate" if multivariate else "optuna-tpe"
        for name in FUNCTIONS:
            for seed in range(FIRST_SEED, FIRST_SEED + SEEDS):
                t0 = time.perf_counter()
                regret = optuna_run(name, seed, multivariate)
                regrets.setdefault((label, name), []).append(regret)
                seconds.setdefault(label, []).append(time.perf_counter() - t0)
                record(label, name, seed, repr(regret))
    tuners = ["optuna-tpe"] + (["optuna-tpe-multivariate"] if MULTIVARIATE else []) + ["sinter-" + t for t in SINTER_TUNERS]
    print("| function | " + " | ".join(tuners) + " | sinter-tpe / optuna-tpe | sinter-tpe-mv / optuna-tpe-mv | sinter-gp / optuna-tpe | sinter-smac / optuna-tpe |")
    print("|---" * (len(tuners) + 5) + "|")
    for name in FUNCTIONS:
        med = {t: statistics.median(regrets[(t, name)]) for t in tuners}
        def ratio(a, b):
            if a not in med or b not in med or med[b] <= 0:
                return "n/a"
            lo, hi = ratio_interval(regrets[(a, name)], regrets[(b, name)])
            return f"{med[a] / med[b]:.3g} [{lo:.3g}, {hi:.3g}]"
        print(f"| {name} | " + " | ".join(f"{med[t]:.4g}" for t in tuners)
              + f" | {ratio('sinter-tpe', 'optuna-tpe')} | {ratio('sinter-tpe-multivariate', 'optuna-tpe-multivariate')}"
              + f" | {ratio('sinter-gp', 'optuna-tpe')} | {ratio('sinter-smac', 'optuna-tpe')} |")
    print("median seconds per 100-trial run: " + ", ".join(f"{t} {statistics.median(seconds[t]):.2f}" for t in tuners))


if __name__ == "__main__":
    main()
