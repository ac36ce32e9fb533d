#!/usr/bin/env bash
# Float32 GEMM side by side, in one run: Sinter's Java SGEMM, Sinter calling the system OpenBLAS
# (when installed) and NumPy (Debian python3-numpy on OpenBLAS), all on the same thread count.
# Shape by shape, the three run back to back, so drifting machine load hits them alike.
#
#   bench/gemm.sh                      # default shapes, 2 threads (about 5 minutes)
#   THREADS=1 bench/gemm.sh 512x512x512 128x784x512
#   SKIP_BUILD=1 ...                   # reuse sinter-bench/target/benchmarks.jar
#
# Shapes are m x k x n. Prints a table of median GFLOP/s (2*m*n*k / time per call) and the ratio
# Sinter/NumPy; raw JMH JSON and NumPy timings go to bench/results/gemm-<time>/.
set -euo pipefail
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

OUT="bench/results/gemm-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"

# Which BLAS NumPy really uses, and whether Sinter can load OpenBLAS.
{
  echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(nproc) cores"
  echo "java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "numpy: $($PY -c 'import numpy; print(numpy.__version__)' 2>/dev/null || echo missing)"
  if command -v update-alternatives >/dev/null; then
    echo "libblas.so.3 -> $(update-alternatives --query libblas.so.3-x86_64-linux-gnu 2>/dev/null | sed -n 's/^Value: //p')"
  fi
  echo "numpy blas: $($PY -c 'import numpy; from numpy import __config__ as c; print(c.get_info("blas_opt_info").get("libraries", "?"))' 2>/dev/null || echo '?')"
} | tee "$OUT/machine.txt"

PROVIDERS=java
if "${JAVA[@]}" -cp "$JAR" org.sinter.bench.OpenBlasProbe >/dev/null 2>&1; then PROVIDERS=java,openblas
else echo "OpenBLAS not found by Sinter: measuring the Java kernel and NumPy only"; fi
HAVE_NUMPY=1
$PY -c 'import numpy' 2>/dev/null || { HAVE_NUMPY=0; echo "NumPy missing (apt-get install python3-numpy): no NumPy column"; }

for s in "${SHAPES[@]}"; do
  echo "== $s"
  "${JAVA[@]}" -jar "$JAR" GemmBench -p shape="$s" -p provider="$PROVIDERS" -p threads="$THREADS" \
    -rf json -rff "$OUT/jmh-$s.json" >"$OUT/jmh-$s.log" 2>&1 || { tail -20 "$OUT/jmh-$s.log"; exit 1; }
  if [ "$HAVE_NUMPY" = 1 ]; then
    OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" $PY bench/gemm_numpy.py "$s" >"$OUT/numpy-$s.json"
  fi
done

$PY - "$OUT" "$THREADS" "${SHAPES[@]}" <<'PYEOF' | tee "$OUT/table.md"
import json, os, statistics, sys
out, threads, shapes = sys.argv[1], sys.argv[2], sys.argv[3:]
def gflops(shape, us):
    m, k, n = (int(x) for x in shape.split("x"))
    return 2.0 * m * n * k / (us * 1e-6) / 1e9 if us else None
def fmt(x):
    return f"{x:.1f}" if x is not None else "-"
print(f"\nSGEMM float32, {threads} threads, median GFLOP/s (m x k x n)\n")
print("| shape | Sinter Java | Sinter->OpenBLAS | NumPy | Java/NumPy | Java/OpenBLAS |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for s in shapes:
    res = {}
    for r in json.load(open(os.path.join(out, f"jmh-{s}.json"))):
        raw = [x for fork in r["primaryMetric"]["rawData"] for x in fork]
        res[r["params"]["provider"]] = gflops(s, statistics.median(raw))
    np_path = os.path.join(out, f"numpy-{s}.json")
    npv = gflops(s, json.load(open(np_path))["us_per_op"]) if os.path.exists(np_path) else None
    j, o = res.get("java"), res.get("openblas")
    ratio = lambda x, y: f"{x / y:.2f}" if x and y else "-"
    print(f"| {s} | {fmt(j)} | {fmt(o)} | {fmt(npv)} | {ratio(j, npv)} | {ratio(j, o)} |")
PYEOF
