#!/usr/bin/env bash
# Inference latency: compiled Sinter beside ONNX Runtime (the Java artifact, a benchmark-only
# dependency) on the MLP (b128), LeNet-5 (b64), Lab 1 CNN (b64), ResNet-18 (b1, b16) and the zoo's
# GPT (b1, b16; 64 tokens), same architectures exported from PyTorch (bench/onnx_export.py), same
# thread count, alternating rounds. Prints each side's median per round and the median ratio
# Sinter/ONNX Runtime (the bar: <= 1.0).
#
#   bench/onnx_runtime.sh [threads=2] [iters=50] [rounds=3] [models=mlp,lenet5,lab1cnn,resnet18_b1,resnet18_b16,gpt_b1,gpt_b16]
#   JAVA_OPTS=-Dsinter.conv.winograd=off bench/onnx_runtime.sh ...   (A/B: a JVM option for the Sinter side)
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
THREADS=${1:-2}
ITERS=${2:-50}
ROUNDS=${3:-3}
MODELS=${4:-mlp,lenet5,lab1cnn,resnet18_b1,resnet18_b16,gpt_b1,gpt_b16}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
OMP_NUM_THREADS=1 /usr/bin/python3 "$ROOT/bench/onnx_export.py" "$DIR/onnx" 2>/dev/null >&2
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx8g ${JAVA_OPTS:-} \
    -Dsinter.compiler.cache="$DIR/kernels" -cp "$ROOT/sinter-bench/target/benchmarks.jar" org.sinter.bench.OnnxRuntimeBench \
    --dir "$DIR/onnx" --threads "$THREADS" --iters "$ITERS" --rounds "$ROUNDS" --models "$MODELS" 2> >(grep -v '^WARNING' >&2)
