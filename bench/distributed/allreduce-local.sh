#!/usr/bin/env bash
# All-reduce on one machine: N ranks (separate processes) with each of Sinter's algorithms over
# shared memory and over loopback TCP, and PyTorch's gloo (loopback TCP) in the same run.
#   flock /tmp/sinter-bench.lock bench/distributed/allreduce-local.sh [SIZE_MIB=64] [N=4] [ITERS=5]
set -euo pipefail
SIZE=${1:-64}
N=${2:-4}
ITERS=${3:-5}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
JAR="$ROOT/sinter-cli/target/sinter.jar"
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -pl sinter-cli -am package -DskipTests" >&2; exit 1; }
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$JAR")
echo "# $N ranks on one machine, float32 all-reduce of $SIZE MiB, median of $ITERS; $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
for transport in shm tcp; do
  echo "## SINTER_TRANSPORT=$transport"
  SINTER_TRANSPORT=$transport "${JAVA[@]}" org.sinter.cli.Main launch --nproc "$N" "${JAVA[@]}" \
    org.sinter.distributed.bench.AllReduceBench "$SIZE" "$ITERS" RING RECURSIVE_DOUBLING TREE REDUCE_SCATTER_ALL_GATHER NAIVE 2>&1 \
    | grep -v incubator | sed 's/^\[0\]://'
done
echo "## gloo (loopback TCP)"
/usr/bin/torchrun --redirects 1 --tee 1 --nproc_per_node "$N" --master_port 29633 \
  "$ROOT/bench/distributed/allreduce_gloo.py" "$SIZE" "$ITERS" 2>&1 | grep -E '^\[0\]:gloo' | sed 's/^\[0\]://'
