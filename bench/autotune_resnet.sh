#!/usr/bin/env bash
# ResNet-18's 12 distinct convolutions (the AutoTVM paper's C1-C12, batch 1, float32): tunes each
# with sinter-autotune (simulated annealing over the XGBoost rank model, transfer from the layers
# already tuned, log kept and resumed), then times the best tuned kernel, Sinter's built-in
# convolution (im2col + packed GEMM) and PyTorch's F.conv2d (oneDNN) at the same thread count,
# in one run. Prints a table with the GFLOP/s of each and the ratios.
#
#   bench/autotune_resnet.sh [trials per layer] [threads] [layers]      (defaults: 32, 2, all)
#
# The tuning log is bench-out/autotune_resnet18.jsonl (rerunning resumes it: more trials add to it).
# Run it under the bench lock on a shared machine: flock /tmp/sinter-bench.lock bench/autotune_resnet.sh
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
TRIALS="${1:-32}"
THREADS="${2:-2}"
LAYERS="${3:-C1,C2,C3,C4,C5,C6,C7,C8,C9,C10,C11,C12}"
mkdir -p bench-out
LOG=bench-out/autotune_resnet18.jsonl
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -cp sinter-cli/target/sinter.jar org.sinter.autotune.bench.ConvTuneBench "$LOG" "$TRIALS" "$THREADS" "$LAYERS" > "$OUT/sinter.jsonl"
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/autotune_resnet.py --threads "$THREADS" --layers "$LAYERS" > "$OUT/torch.jsonl"

/usr/bin/python3 - "$OUT/sinter.jsonl" "$OUT/torch.jsonl" "$THREADS" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
t = {r["layer"]: r for r in (json.loads(l) for l in open(sys.argv[2]))}
print("threads=%s, batch 1, float32; median ms (GFLOP/s)" % sys.argv[3])
print("| layer | tuned | built-in | PyTorch | tuned/PyTorch | tuned/built-in | trials | tuning s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
wins_torch = wins_builtin = 0
for r in s:
    p = t[r["layer"]]
    wins_torch += r["tuned_ms"] <= p["median_ms"]
    wins_builtin += r["tuned_ms"] <= r["builtin_ms"]
    print("| %s | %.3f (%.1f) | %.3f (%.1f) | %.3f (%.1f) | %.2f | %.2f | %d | %.0f |" % (
        r["layer"], r["tuned_ms"], r["tuned_gflops"], r["builtin_ms"], r["builtin_gflops"], p["median_ms"], p["gflops"],
        r["tuned_ms"] / p["median_ms"], r["tuned_ms"] / r["builtin_ms"], r["trials"], r["tune_wall_s"]))
print("tuned <= PyTorch on %d of %d; tuned <= built-in on %d of %d" % (wins_torch, len(s), wins_builtin, len(s)))
PY
