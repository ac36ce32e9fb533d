#!/usr/bin/env bash
# Winograd F(2x2,3x3) and F(4x4,3x3) beside PackedConv's direct kernel, alternated call by call in
# one JVM, on the Lab 1 CNN's conv2 (batch 64) and ResNet-18's 3x3 stride-1 layers C2, C6, C9, C12
# (batch 1, or the batch given): medians, ratios to the direct kernel, GFLOP/s of useful work (WinogradConvBench).
#
#   bench/winograd_conv.sh [threads=2] [rounds=200] [shapes=lab1_conv2,C2,C6,C9,C12] [batch=per shape] [eager]
#   bench/winograd_conv.sh 2 200 lab1_conv2,C9 0 phases   (where each Winograd call's time goes)
#   bench/winograd_conv.sh 2 60 C9,C12 16 chunks          (chunk sizes against the default, alternated)
#   JAVA_OPTS=-XX:UseAVX=2 bench/winograd_conv.sh ...   (the AVX2 code paths)
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
(cd "$ROOT" && ./mvnw -q -B -ntp -o -pl sinter-bench -am package -DskipTests) >&2
PHASES=""
[ "${5:-}" = phases ] && PHASES=-Dsinter.conv.winograd.phases=true
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC $PHASES ${JAVA_OPTS:-} -cp "$ROOT/sinter-bench/target/benchmarks.jar" \
    org.sinter.bench.WinogradConvBench "${1:-2}" "${2:-200}" "${3:-lab1_conv2,C2,C6,C9,C12}" "${4:-0}" "${5:-}" 2> >(grep -v '^WARNING' >&2)
