#!/usr/bin/env bash
# End to end with tuned kernels (issue 10's last bar): ResNet-18 at batch 1 compiled with the
# auto-tuner's best logged convolutions, beside the same model compiled with Sinter's built-in
# kernels, ONNX Runtime on the file PyTorch exports (bench/onnx_export.py) and PyTorch 1.13 eager
# (oneDNN), same intra-op thread count. First tunes ResNet-18's convolutions with `sinter tune`
# (trials in all, spread over the eleven batch-1 workloads by its task scheduler; the log resumes),
# then times.
#
#   bench/autotune_e2e.sh [trials=384] [threads=2] [iters=50] [rounds=3]
#
# The log is bench-out/autotune_e2e_resnet18.jsonl (TUNE_LOG=FILE for another). Run it under the bench lock on a shared machine:
#   flock /tmp/sinter-bench.lock bench/autotune_e2e.sh
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
TRIALS=${1:-384}
THREADS=${2:-2}
ITERS=${3:-50}
ROUNDS=${4:-3}
MODEL=resnet18_b1
mkdir -p "$ROOT/bench-out"
LOG="${TUNE_LOG:-$ROOT/bench-out/autotune_e2e_resnet18.jsonl}"
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx8g)

echo "== tuning: $TRIALS trials, $THREADS threads, log $LOG" >&2
start=$(date +%s)
"${JAVA[@]}" -cp "$ROOT/sinter-bench/target/benchmarks.jar" org.sinter.cli.Main tune --model resnet18 \
    --trials "$TRIALS" --threads "$THREADS" --log "$LOG" --plot "$DIR/tune.png" 2> >(grep -v '^WARNING' >&2) >&2
echo "== tuning took $(( $(date +%s) - start )) s" >&2

OMP_NUM_THREADS=1 /usr/bin/python3 "$ROOT/bench/onnx_export.py" "$DIR/onnx" 2>/dev/null >&2
"${JAVA[@]}" -Dsinter.compiler.cache="$DIR/kernels" -cp "$ROOT/sinter-bench/target/benchmarks.jar" org.sinter.bench.OnnxRuntimeBench \
    --dir "$DIR/onnx" --threads "$THREADS" --iters "$ITERS" --rounds "$ROUNDS" --models "$MODEL" --tuning-log "$LOG" \
    2> >(grep -v '^WARNING' >&2) | tee "$DIR/sinter.txt"
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" /usr/bin/python3 "$ROOT/bench/torch_inference.py" \
    --threads "$THREADS" --iters "$ITERS" --rounds "$ROUNDS" --models "$MODEL" | tee "$DIR/torch.txt"

/usr/bin/python3 - "$DIR/sinter.txt" "$DIR/torch.txt" <<'PY'
import sys
s = [l.split() for l in open(sys.argv[1]) if l.split()[1:2] == ["med"]][0]
t = [l.split() for l in open(sys.argv[2]) if l.split()[1:2] == ["med"]][0]
built, ort, tuned, torch = float(s[2]), float(s[3]), float(s[5]), float(t[2])
print("%s: tuned %.3f ms, built-in %.3f ms, ONNX Runtime %.3f ms, PyTorch %.3f ms" % (s[0], tuned, built, ort, torch))
print("tuned/ORT %.2fx (median of rounds %s), tuned/PyTorch %.2fx, tuned/built-in %.2fx (bar: <= 1.0x against ORT and PyTorch)"
      % (tuned / ort, s[6], tuned / torch, tuned / built))
PY
