#!/usr/bin/env bash
# Sparse kernels (CSR, 4x4 block-sparse) against Sinter's dense GEMM/convolution on the layers of
# the MLPs and the Lab 1 CNN, and on the whole models, at one sparsity (default 0.9), batch 1 and
# 64, same thread count, in one run. Prints medians and the dense/sparse ratios (the bar: >= 2).
#
#   bench/sparse.sh [sparsity=0.9] [threads=2] [rounds=15]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
    -cp "$ROOT/sinter-bench/target/benchmarks.jar" org.sinter.bench.SparseBench \
    --sparsity "${1:-0.9}" --threads "${2:-2}" --rounds "${3:-15}" 2>/dev/null
