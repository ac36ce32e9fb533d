#!/usr/bin/env bash
# Sparse Linear layers (SparseLinear on CsrLinearKernel) against the dense Sinter Linear they were
# pruned from, on the MLP and Lab 1 CNN Linear shapes, at one sparsity (default 0.9), batch 1 and
# 64, in one JVM: dense and sparse run in turn round after round. Prints median ms and
# dense / sparse (the issue's bar: >= 2 at 90%). Extra arguments go to the bench main, e.g.
# `--threads 1 --clock cpu` (the calling thread's CPU time: steadier on a shared box) or
# `--jvm -XX:UseAVX=2` as the first two arguments (AVX2's 8-float vectors on an AVX-512 machine).
#
#   flock /tmp/sinter-bench.lock bench/sparse_linear.sh [--jvm FLAG] [--sparsity 0.9] [--threads 2] [--rounds 15] [--batches 1,64]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
JVM_FLAGS=()
if [[ "${1:-}" == "--jvm" ]]; then JVM_FLAGS+=("$2"); shift 2; echo "JVM flag: ${JVM_FLAGS[*]}"; fi
./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC "${JVM_FLAGS[@]}" -cp sinter-cli/target/sinter.jar \
    org.sinter.compress.sparse.bench.SparseLinearBench "$@" 2>&1 | grep -v "incubator modules"
