#!/usr/bin/env bash
# int8 GEMM / convolution kernels (sinter-compress: 16-bit widening GEMM, direct exact-float convolution) beside
# Sinter's float32 F.linear / F.conv2d on the layer shapes of LeNet-5, the Lab 1 CNN and ResNet-18, batch 1
# and 32, in one JVM. Prints median ms and int8 / float32 (the issue's bar: <= 0.67).
#
#   flock /tmp/sinter-bench.lock bench/quant_kernels.sh [threads] [seconds per case and round] [rounds]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp sinter-cli/target/sinter.jar \
    org.sinter.compress.quant.bench.Int8KernelBench "${1:-2}" "${2:-2}" "${3:-3}" 2>&1 | grep -v "incubator modules"
