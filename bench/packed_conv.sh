#!/usr/bin/env bash
# Forward convolution by im2col + GEMM and by the packed direct kernel (PackedConv), alternated
# call by call in one JVM on ResNet-18's convolutions (batch 1) and the Lab 1 CNN's conv2 (batch
# 64); prints each path's median and the ratio packed/im2col (below 1: the direct kernel wins).
#
#   bench/packed_conv.sh [threads=2] [rounds=200] [shapes=all]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-bench -am package -DskipTests) >&2
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp "$ROOT/sinter-bench/target/benchmarks.jar" \
    org.sinter.bench.PackedConvBench "${1:-2}" "${2:-200}" ${3:+"$3"} 2> >(grep -v '^WARNING' >&2)
