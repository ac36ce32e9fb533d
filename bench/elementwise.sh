#!/usr/bin/env bash
# Sinter's array kernels beside NumPy on 16M float32 values, in one run, one table.
# Usage: bench/elementwise.sh [--no-build]     (writes the table to stdout; about 4 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/find-jdk.sh
sinter_find_jdk
PY=/usr/bin/python3
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

if [ "${1:-}" != "--no-build" ]; then
  ./mvnw -q -B -ntp -pl sinter-core,sinter-bench -am package -DskipTests
fi

. "$(dirname "$0")/machine.sh"
bench_machine >&2
# The machine may be shared: run NumPy and Sinter op by op, one right after the other, so both
# sides of each ratio see the same load.
OPS="add mul exp tanh relu sigmoid sum max softmax"
for op in $OPS; do
  echo "  $op: NumPy, then Sinter (JMH, 2 and 1 threads)" >&2
  "$PY" bench/elementwise_numpy.py 15 "$op" >> "$OUT/numpy.txt"
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar sinter-bench/target/benchmarks.jar \
    "org.sinter.bench.ElementwiseBench.$op\$" -rf json -rff "$OUT/jmh-$op.json" > "$OUT/jmh-$op.log" 2>&1 \
    || { cat "$OUT/jmh-$op.log" >&2; exit 1; }
done

"$PY" - "$OUT/numpy.txt" "$OUT"/jmh-*.json <<'PYEOF'
import json, sys
numpy = {}
version = "?"
for line in open(sys.argv[1]):
    if line.startswith("# numpy"):
        version = line.split()[2]
        continue
    name, out_ms, alloc_ms = line.split()
    numpy[name] = (float(out_ms), float(alloc_ms))
sinter = {}
for path in sys.argv[2:]:
    for r in json.load(open(path)):
        op = r["benchmark"].rsplit(".", 1)[1]
        threads = r["params"]["threads"]
        sinter[(op, threads)] = r["primaryMetric"]["scorePercentiles"]["50.0"]
print(f"NumPy {version} (single-threaded) vs Sinter kernels; 16M float32 (softmax: rows of [4096, 4096]); median ms.")
print("ratio = NumPy out= time / Sinter time (higher is better; the bar is >= 0.9).")
print()
print("| op | NumPy out= ms | NumPy alloc ms | Sinter 2T ms | Sinter 1T ms | ratio 2T | ratio 1T |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, (out_ms, alloc_ms) in numpy.items():
    s2, s1 = sinter[(name, "2")], sinter[(name, "1")]
    print(f"| {name} | {out_ms:.2f} | {alloc_ms:.2f} | {s2:.2f} | {s1:.2f} | {out_ms / s2:.2f} | {out_ms / s1:.2f} |")
PYEOF
