#!/usr/bin/env bash
# The learned scheduling policy's long run (issue 16): REINFORCE training with the default options
# (40 iterations of 6 episodes of 200 jobs on 8x8 at load 3) and its average JCT on five unseen
# 400-job workloads beside its untrained start, SJF and FIFO. LearnedPolicyTest checks a smaller run.
# Holds the shared benchmark lock. Usage: bench/cluster_learned.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/find-jdk.sh
sinter_find_jdk
JAR=sinter-cli/target/sinter.jar
./sinter simulate --help > /dev/null # builds the CLI jar when sources changed
lscpu | grep -m1 'Model name' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec flock /tmp/sinter-bench.lock "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -cp "$JAR" \
  org.sinter.cluster.bench.LearnedPolicyBench "$@"
