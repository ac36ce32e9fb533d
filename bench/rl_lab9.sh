#!/usr/bin/env bash
# Lab 9's scaling table: IMPALA and Ape-X DQN on CartPole-v1 with 1, 2 and 4 rollout workers, each
# to the bar (the last 20 episodes average 475: IMPALA's training episodes, Ape-X's greedy
# evaluations), over seeds 1-5. Each algorithm runs in one JVM after an untimed warm-up run (so JIT
# compilation is not charged to whichever count runs first), with the counts rotated per seed.
# Prints the machine, the load before and after each algorithm, every RESULT line, and the medians
# over seeds per worker count: wall time and steps to the threshold, env steps/s, and the speedup
# (median wall time with 1 worker / median wall time with k).
#
# Usage: bench/rl_lab9.sh [seeds="1 2 3 4 5"] [counts=1,2,4] [mode=threads|processes|processes-replay]
# (processes: each actor in its own JVM; processes-replay: also Ape-X's replay in a JVM of its own)
# Runs under the benchmark lock (flock /tmp/sinter-bench.lock); writes its log to stdout.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SEEDS=${1:-"1 2 3 4 5"}
COUNTS=${2:-1,2,4}
MODE=${3:-threads}
. "$ROOT/bench/machine.sh"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
(cd "$ROOT" && ./mvnw -q -B -ntp -o -pl sinter-rl -am compile) >&2
# A private copy of the classes, so that editing or rebuilding the tree cannot change a run midway.
CLASSES=$(mktemp -d)
trap 'rm -rf "$CLASSES"' EXIT
for m in sinter-core sinter-nn sinter-rl; do cp -r "$ROOT/$m/target/classes" "$CLASSES/$m"; done
CP="$CLASSES/sinter-core:$CLASSES/sinter-nn:$CLASSES/sinter-rl"
EXTRA=()
[ "$MODE" != threads ] && EXTRA=(--processes)
APEX_EXTRA=("${EXTRA[@]}")
[ "$MODE" = processes-replay ] && APEX_EXTRA=(--processes --replay-process)
run() {
  echo "load before: $(uptime)"
  flock /tmp/sinter-bench.lock "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$CP" "$@"
  echo "load after: $(uptime)"
}
LOG=$(mktemp)
{
  bench_machine
  echo "date: $(date -u +%FT%TZ)  mode: $MODE  seeds: $SEEDS  counts: $COUNTS"
  # shellcheck disable=SC2086
  run org.sinter.rl.impala.TrainImpalaCartPole --actors "$COUNTS" --warmup 20000 --rotate "${EXTRA[@]}" $SEEDS
  # shellcheck disable=SC2086
  run org.sinter.rl.apex.TrainApexCartPole --actors "$COUNTS" --warmup 20000 --rotate "${APEX_EXTRA[@]}" $SEEDS
} 2>&1 | tee "$LOG"
/usr/bin/python3 "$ROOT/bench/rl_lab9_summary.py" "$LOG"
rm -f "$LOG"
