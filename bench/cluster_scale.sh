#!/usr/bin/env bash
# Issue 16's scale bar: replaying 100,000 jobs on a 10,000-GPU cluster in under 30 s per policy.
# Runs org.sinter.cluster.bench.ScaleBench (one JVM, the same seeded synthetic trace for every
# policy) and prints, per policy: replay wall time, the replaying thread's CPU time (steadier than
# wall time on a shared machine), events, CPU microseconds per event (flat across job counts when
# the cost is near-linear in events) and wall time over the 30 s bar. There is no peer program:
# the bar itself is the reference. Holds the shared benchmark lock.
# Usage: bench/cluster_scale.sh [LOAD] [JOB_COUNTS] [POLICIES]
#   defaults: 1.5  100000  fifo,sjf,srtf,tiresias,easy,gandiva
set -euo pipefail
cd "$(dirname "$0")/.."
LOAD=${1:-1.5}
JOBS=${2:-100000}
POLICIES=${3:-fifo,sjf,srtf,tiresias,easy,gandiva}
. tools/find-jdk.sh
sinter_find_jdk
JAR=sinter-cli/target/sinter.jar
./sinter simulate --help > /dev/null # builds the CLI jar when sources changed
lscpu | grep -m1 'Model name' || true
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec flock /tmp/sinter-bench.lock "$JAVA_HOME/bin/java" -XX:+UseParallelGC -XX:NewSize=1g -cp "$JAR" \
  org.sinter.cluster.bench.ScaleBench --load "$LOAD" --jobs "$JOBS" --policy "$POLICIES"
