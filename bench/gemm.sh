#!/usr/bin/env bash
# Float32 GEMM side by side, in one run: Sinter's Java SGEMM, Sinter calling the system OpenBLAS
# (when installed) and NumPy (Debian python3-numpy on OpenBLAS), all on the same thread count.
# Shape by shape, the three run back to back, so drifting machine load hits them alike.
#
#   bench/gemm.sh                      # default shapes, 2 threads, 3 rounds (about 9 minutes)
#   THREADS=1 ROUNDS=1 bench/gemm.sh 512x512x512 128x784x512
#   SKIP_BUILD=1 ...                   # reuse sinter-bench/target/benchmarks.jar
#
# Shapes are m x k x n. Prints a table of median GFLOP/s (2*m*n*k / time per call) and the ratios
# Sinter/NumPy and Sinter/OpenBLAS, then a second table from GemmInterleaved (Java and OpenBLAS
# alternating in one process, the steadier ratio when other work shares the machine); raw JMH JSON
# and NumPy timings go to bench/results/gemm-<time>/.
set -euo pipefail
. "$(dirname "$0")/machine.sh"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
. tools/find-jdk.sh
sinter_find_jdk
THREADS="${THREADS:-2}"
PY=/usr/bin/python3
SHAPES=("$@")
[ ${#SHAPES[@]} -gt 0 ] || SHAPES=(64x64x64 128x128x128 256x256x256 512x512x512 1024x1024x1024 2048x2048x2048 128x784x512 64x512x512)

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f sinter-bench/target/benchmarks.jar ]; then
  ./mvnw -q -B -ntp -pl sinter-core,sinter-bench -am package -DskipTests
fi
JAR=sinter-bench/target/benchmarks.jar
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
# JMH refuses to start while another JMH run holds /tmp/jmh.lock; on a shared machine that can be
# someone else's benchmark, so by default go ahead (and read the machine notes for load).
JMH_OPTS=(-Djmh.ignoreLock="${JMH_IGNORE_LOCK:-true}")

OUT="bench/results/gemm-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# Which BLAS NumPy really uses, and whether Sinter can load OpenBLAS.
{
  bench_machine
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "numpy: $($PY -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo missing)"
  if command -v update-alternatives >/dev/null; then
    echo "libblas.so.3 -> $(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')"
  fi
  # The BLAS NumPy really has mapped after a float32 matmul (not what its build config claims).
  echo "numpy blas: $($PY -c '
import numpy as np
np.ones((64, 64), np.float32) @ np.ones((64, 64), np.float32)
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() and ".so" in l})
print(", ".join(libs) or "?")' 2>/dev/null || echo '?')"
} | tee "$OUT/machine.txt"

PROVIDERS=java
if "${JAVA[@]}" -cp "$JAR" org.sinter.bench.OpenBlasProbe >/dev/null 2>&1; then PROVIDERS=java,openblas
else echo "OpenBLAS not found by Sinter: measuring the Java kernel and NumPy only"; fi
HAVE_NUMPY=1
$PY -c 'import numpy' 2>/dev/null || { HAVE_NUMPY=0; echo "NumPy missing (apt-get install python3-numpy): no NumPy column"; }

# Several rounds, each measuring every shape with all three back to back: on a shared machine the
# load drifts, so each ratio is taken within a round and the table gives medians over rounds.
ROUNDS="${ROUNDS:-3}"
JMH_RUN=(-wi 2 -w 500ms -i 5 -r 500ms)
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SHAPES[@]}"; do
    echo "== round $r/$ROUNDS $s (load $(cut -d' ' -f1 /proc/loadavg))"
    "${JAVA[@]}" "${JMH_OPTS[@]}" -jar "$JAR" GemmBench "${JMH_RUN[@]}" -p shape="$s" -p provider="$PROVIDERS" \
      -p threads="$THREADS" -rf json -rff "$OUT/jmh-$s-r$r.json" >"$OUT/jmh-$s-r$r.log" 2>&1 \
      || { tail -20 "$OUT/jmh-$s-r$r.log"; exit 1; }
    if [ "$HAVE_NUMPY" = 1 ]; then
      OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" $PY bench/gemm_numpy.py "$s" 2 5 0.5 >"$OUT/numpy-$s-r$r.json"
    fi
  done
done

$PY - "$OUT" "$THREADS" "$ROUNDS" "${SHAPES[@]}" <<'PYEOF' | tee "$OUT/table.md"
import json, os, statistics, sys
out, threads, rounds, shapes = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
def gflops(shape, us):
    m, k, n = (int(x) for x in shape.split("x"))
    return 2.0 * m * n * k / (us * 1e-6) / 1e9
def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
def fmt(x, d=1):
    return f"{x:.{d}f}" if x is not None else "-"
print(f"\nSGEMM float32, {threads} threads: GFLOP/s, median over {rounds} rounds of each round's median"
      f" (shape m x k x n; ratios are medians of per-round ratios)\n")
print("| shape | Sinter Java | Sinter->OpenBLAS | NumPy | Java/NumPy | Java/OpenBLAS |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for s in shapes:
    rows = []
    for r in range(1, rounds + 1):
        res = {}
        for b in json.load(open(os.path.join(out, f"jmh-{s}-r{r}.json"))):
            raw = [x for fork in b["primaryMetric"]["rawData"] for x in fork]
            res[b["params"]["provider"]] = gflops(s, statistics.median(raw))
        np_path = os.path.join(out, f"numpy-{s}-r{r}.json")
        res["numpy"] = gflops(s, json.load(open(np_path))["us_per_op"]) if os.path.exists(np_path) else None
        rows.append(res)
    col = lambda key: med([r.get(key) for r in rows])
    ratio = lambda x, y: med([r[x] / r[y] if r.get(x) and r.get(y) else None for r in rows])
    print(f"| {s} | {fmt(col('java'))} | {fmt(col('openblas'))} | {fmt(col('numpy'))} | "
          f"{fmt(ratio('java', 'numpy'), 2)} | {fmt(ratio('java', 'openblas'), 2)} |")
PYEOF

# The steadier Java-vs-OpenBLAS ratio on a shared machine: both in one process, alternating.
"${JAVA[@]}" -XX:+UseParallelGC -cp "$JAR" org.sinter.bench.GemmInterleaved "$THREADS" "${INTERLEAVED_ROUNDS:-11}" "${SHAPES[@]}" \
  2>/dev/null | tee -a "$OUT/table.md"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/table.md"
