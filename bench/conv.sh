#!/usr/bin/env bash
# Side-by-side convolution benchmark: Sinter (JMH ConvBench) and PyTorch (bench/conv.py) on the
# convolutions of the Lab 1 CNN and LeNet-5, batch 64, same thread count, in one run. Prints the
# median time of each and the ratio Sinter/PyTorch (below 1: Sinter is faster).
#
#   bench/conv.sh [threads]        (default 2)
#
# Needs a JDK 25 (found by tools/find-jdk.sh through the Maven wrapper) and /usr/bin/python3 with torch.
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
JAVA="$JAVA_HOME/bin/java"

OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/conv.py --threads "$THREADS" > "$OUT/torch.jsonl"
"$JAVA" -Djmh.ignoreLock=true --add-modules jdk.incubator.vector -jar sinter-bench/target/benchmarks.jar ConvBench \
    -p threads="$THREADS" -rf json -rff "$OUT/sinter.json" > "$OUT/jmh.log"

/usr/bin/python3 - "$OUT/sinter.json" "$OUT/torch.jsonl" "$THREADS" <<'PY'
import json, sys
sinter = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)[1]
    sinter[(r["params"]["shape"], name)] = r["primaryMetric"]["scorePercentiles"]["50.0"]
torch = {}
for line in open(sys.argv[2]):
    r = json.loads(line)
    torch[(r["shape"], r["bench"])] = r["median_ms"]
print("threads=%s, batch 64, median ms" % sys.argv[3])
print("| shape | benchmark | Sinter | PyTorch | Sinter/PyTorch |")
print("| --- | --- | ---: | ---: | ---: |")
for key in sorted(torch):
    s, t = sinter.get(key), torch[key]
    print("| %s | %s | %s | %.3f | %s |" % (key[0], key[1], "%.3f" % s if s else "n/a", t, "%.2f" % (s / t) if s else "n/a"))
PY
