#!/usr/bin/env bash
# Training-step time, Sinter beside PyTorch in one run: same models (MLP 784-512-512-10 at batch
# 128, LeNet-5 and the Lab 1 CNN at batch 64), SGD with momentum, random inputs, same thread count.
# Each side warms up on a throwaway model (1000 steps: C2 needs seconds on two busy cores), then
# times the first steps of a fresh one (same seed).
# Prints both medians and the ratio Sinter/PyTorch per round, then the median over rounds of each
# (the bar: <= 1.0 for mlp and lenet5).
#
# Usage: bench/train_step.sh [threads=2] [models=mlp,lenet5,lab1cnn] [steps=100] [rounds=3]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
THREADS=${1:-2}
MODELS=${2:-mlp,lenet5,lab1cnn}
STEPS=${3:-100}
JAR="$ROOT/sinter-bench/target/benchmarks.jar"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2

ROUNDS=${4:-3}
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

printf "%-8s %5s %6s %12s %12s %14s\n" model round batch "sinter ms" "pytorch ms" "sinter/pytorch"
for r in $(seq 1 "$ROUNDS"); do
  for m in ${MODELS//,/ }; do
    steps=$STEPS; warm=1000
    [ "$m" = lab1cnn ] && { steps=$((STEPS / 5 > 10 ? STEPS / 5 : 10)); warm=60; }
    # Alternate the two sides, model by model and round by round, so both see the same machine load.
    s=$("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:NewSize=1g \
        -cp "$JAR" org.sinter.bench.TrainStepBench --models "$m" --threads "$THREADS" --steps "$steps" --warmup "$warm" 2>/dev/null)
    p=$(OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$ROOT/bench/train_step.py" \
        --models "$m" --threads "$THREADS" --steps "$steps" --warmup "$warm")
    echo "$r $s $p" | sed 's/} {/}\t{/; s/^\([0-9]*\) /\1\t/' >> "$RESULTS"
    /usr/bin/python3 - "$r" "$s" "$p" <<'PY'
import json, sys
r, s, p = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"{s['model']:<8} {r:>5} {s['batch']:>6} {s['median_ms']:>12.2f} {p['median_ms']:>12.2f} {s['median_ms'] / p['median_ms']:>14.2f}")
PY
  done
done
# Summary: per model, the median over rounds of each side's median and of the per-round ratio.
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, s, p = line.rstrip("\n").split("\t")
    s, p = json.loads(s), json.loads(p)
    rows.setdefault(s["model"], []).append((s["median_ms"], p["median_ms"]))
print(f"{'median':<8} {'':>5} {'':>6} {'sinter ms':>12} {'pytorch ms':>12} {'sinter/pytorch':>14}")
for m, v in rows.items():
    print(f"{m:<8} {len(v):>5} {'':>6} {statistics.median(x for x, _ in v):>12.2f} {statistics.median(y for _, y in v):>12.2f}"
          f" {statistics.median(x / y for x, y in v):>14.2f}")
PY
