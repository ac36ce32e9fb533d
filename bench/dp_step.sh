#!/usr/bin/env bash
# DP-SGD step cost (issue 19's bar: a step with per-sample gradients at most 3x a normal step of the
# same model): Opacus' MNIST SampleConvNet at batch 256, a plain SGD step and a DP-SGD step
# (per-sample gradients, clipping, noise) alternating step by step in one JVM after warm-up;
# medians of wall time and of process CPU time (all threads) and their ratios
# (examples.MnistDpSgd with 0 epochs: the comparison only).
# With BASE=<a sinter-privacy target/classes copy> (e.g. main's), the same comparison also runs on
# those classes (with this tree's MnistDpSgd laid over them), alternating with this tree's, round
# by round: a side-by-side check that a change did not slow the per-sample path.
# The rounds hold the shared benchmark lock; the machine and the load are printed beside each run.
#
# Usage: [BASE=dir] bench/dp_step.sh [rounds=3]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
ROUNDS=${1:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$ROOT" && ./mvnw -q -B -ntp -o -pl sinter-privacy -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime) >&2
# Private copies of this tree's build, so that builds running while the rounds wait for the lock
# do not change what they measure.
DEPS=""
IFS=: read -ra ENTRIES < "$WORK/cp.txt" || true  # no newline at the end: read says EOF
for i in "${!ENTRIES[@]}"; do
  e=${ENTRIES[$i]}
  case "$e" in "$ROOT"/*) cp -r "$e" "$WORK/dep$i"; e="$WORK/dep$i" ;; esac
  DEPS="$DEPS${DEPS:+:}$e"
done
cp -r "$ROOT/sinter-privacy/target/classes" "$WORK/tree"
VARIANTS=("tree:$WORK/tree")
if [ -n "${BASE:-}" ]; then
  cp -r "$BASE" "$WORK/base"
  cp "$WORK"/tree/org/sinter/privacy/examples/MnistDpSgd*.class "$WORK/base/org/sinter/privacy/examples/"
  VARIANTS=("base:$WORK/base" "${VARIANTS[@]}")
fi
# One hold of the lock for all rounds: on a busy box every extra acquisition waits behind others.
rounds() {
  for r in $(seq 1 "$ROUNDS"); do
    for v in "${VARIANTS[@]}"; do
      name=${v%%:*}; classes=${v#*:}
      echo "== $name round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
      "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx3g -cp "$classes:$DEPS" \
          org.sinter.privacy.examples.MnistDpSgd 0 2>/dev/null | tail -1
    done
  done
  echo "end, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
exec 9>/tmp/sinter-bench.lock
flock 9
rounds
