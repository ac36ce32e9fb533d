#!/usr/bin/env bash
# Compiled training step: Sinter eager, Sinter compiled (forward, backward and the SGD update as one graph,
# CompiledTrainingStep) and PyTorch eager, alternating model by model and round by round, same
# models, batches, optimizer (SGD with momentum), thread count and protocol as bench/train_step.sh.
# Prints each side's median per round, then the median over rounds and the ratios
# compiled/PyTorch (the bar: <= 0.8) and compiled/eager.
#
# Usage: bench/compiled_train_step.sh [threads=2] [models=mlp,lenet5,lab1cnn] [steps=100] [rounds=3]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
THREADS=${1:-2}
MODELS=${2:-mlp,lenet5,lab1cnn}
STEPS=${3:-100}
ROUNDS=${4:-3}
JAR="$ROOT/sinter-bench/target/benchmarks.jar"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
RESULTS=$(mktemp)
CACHE=$(mktemp -d)
trap 'rm -rf "$RESULTS" "$CACHE"' EXIT
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -XX:NewSize=1g
      -Dsinter.compiler.cache="$CACHE" -cp "$JAR" org.sinter.bench.TrainStepBench)

printf "%-8s %5s %6s %10s %12s %11s %18s %16s\n" model round batch "eager ms" "compiled ms" "pytorch ms" "compiled/pytorch" "compiled/eager"
for r in $(seq 1 "$ROUNDS"); do
  for m in ${MODELS//,/ }; do
    steps=$STEPS; warm=1000
    [ "$m" = lab1cnn ] && { steps=$((STEPS / 5 > 10 ? STEPS / 5 : 10)); warm=60; }
    e=$("${JAVA[@]}" --models "$m" --threads "$THREADS" --steps "$steps" --warmup "$warm" 2>/dev/null)
    c=$("${JAVA[@]}" --models "$m" --threads "$THREADS" --steps "$steps" --warmup "$warm" --compile 2>/dev/null)
    p=$(OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$ROOT/bench/train_step.py" \
        --models "$m" --threads "$THREADS" --steps "$steps" --warmup "$warm")
    printf '%s\t%s\t%s\t%s\n' "$r" "$e" "$c" "$p" >> "$RESULTS"
    /usr/bin/python3 - "$r" "$e" "$c" "$p" <<'PY'
import json, sys
r, e, c, p = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
print(f"{e['model']:<8} {r:>5} {e['batch']:>6} {e['median_ms']:>10.2f} {c['median_ms']:>12.2f} {p['median_ms']:>11.2f}"
      f" {c['median_ms'] / p['median_ms']:>18.2f} {c['median_ms'] / e['median_ms']:>16.2f}")
PY
  done
done
/usr/bin/python3 - "$RESULTS" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    _, e, c, p = line.rstrip("\n").split("\t")
    e, c, p = json.loads(e), json.loads(c), json.loads(p)
    rows.setdefault(e["model"], []).append((e["median_ms"], c["median_ms"], p["median_ms"]))
print(f"{'median':<8} {'':>5} {'':>6} {'eager ms':>10} {'compiled ms':>12} {'pytorch ms':>11} {'compiled/pytorch':>18} {'compiled/eager':>16}")
for m, v in rows.items():
    med = lambda f: statistics.median(f(x) for x in v)
    print(f"{m:<8} {len(v):>5} {'':>6} {med(lambda x: x[0]):>10.2f} {med(lambda x: x[1]):>12.2f} {med(lambda x: x[2]):>11.2f}"
          f" {med(lambda x: x[1] / x[2]):>18.2f} {med(lambda x: x[1] / x[0]):>16.2f}")
PY
