#!/usr/bin/env bash
# Forward convolution by im2col + GEMM and by the packed direct kernel (PackedConv), alternated
# call by call in one JVM, on ResNet-18's convolutions at batch 1 (the AutoTVM paper's C1-C12 but
# C3, which is pointwise) and the Lab 1 CNN's conv2 at batch 64; prints each path's median, the
# ratio packed/im2col and GFLOP/s. Then PyTorch's F.conv2d (oneDNN) on the ResNet layers at the
# same thread count (bench/autotune_resnet.py), and the ratio packed/PyTorch. Also the input
# gradient (the transpose) of the unit-stride ones: GEMM + col2im against the direct kernel.
#
#   bench/packed_conv.sh [threads=2] [rounds=200] [shapes=all]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
THREADS="${1:-2}"
SHAPES="${3:-C1,C2,C4,C5,C6,C7,C8,C9,C10,C11,C12,lab1_conv2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$ROOT/sinter-bench/target/benchmarks.jar" \
    org.sinter.bench.PackedConvBench "$THREADS" "${2:-200}" "$SHAPES" 2> >(grep -v '^WARNING' >&2) | tee "$OUT/sinter.txt"
LAYERS=$(echo "$SHAPES" | tr ',' '\n' | grep '^C' | paste -sd, -)
[ -n "$LAYERS" ] || exit 0
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 "$ROOT/bench/autotune_resnet.py" --threads "$THREADS" --layers "$LAYERS" > "$OUT/torch.jsonl"
/usr/bin/python3 - "$OUT/sinter.txt" "$OUT/torch.jsonl" <<'PY'
import json, sys
packed = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    if not line.strip():
        break
    f = line.split()
    packed[f[0]] = float(f[2])
print("\n| layer | packed (ms) | PyTorch (ms) | packed/PyTorch |")
print("| --- | ---: | ---: | ---: |")
for line in open(sys.argv[2]):
    r = json.loads(line)
    p = packed[r["layer"]]
    print("| %s | %.3f | %.3f | %.2f |" % (r["layer"], p, r["median_ms"], p / r["median_ms"]))
PY
