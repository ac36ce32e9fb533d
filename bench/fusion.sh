#!/usr/bin/env bash
# Operator fusion: eager Sinter and compiled Sinter (generated fused kernels) on the same blocks and
# inputs in one JMH run (sinter-bench FusionBench), inference. Prints the median of each and the
# speedup eager/compiled (the issue's bar: at least 2x).
#
#   bench/fusion.sh [threads]        (default 2)
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
THREADS="${1:-2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
"$JAVA_HOME/bin/java" -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar sinter-bench/target/benchmarks.jar FusionBench \
    -p threads="$THREADS" -rf json -rff "$OUT/sinter.json" > "$OUT/jmh.log"

/usr/bin/python3 - "$OUT/sinter.json" "$THREADS" <<'PY'
import json, sys
med = {}
for r in json.load(open(sys.argv[1])):
    med[(r["params"]["block"], r["params"]["mode"])] = r["primaryMetric"]["scorePercentiles"]["50.0"]
print("threads=%s, median ms" % sys.argv[2])
print("| block | eager | compiled | speedup |")
print("| --- | ---: | ---: | ---: |")
for block in sorted({b for b, _ in med}):
    e, c = med[(block, "eager")], med[(block, "compiled")]
    print("| %s | %.3f | %.3f | %.2fx |" % (block, e, c, e / c))
PY
