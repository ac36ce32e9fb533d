#!/usr/bin/env bash
# ZeRO-3 step time with and without prefetch (examples.FsdpPrefetchTiming: the same training side
# by side, steps alternating; it fails unless both give the same losses and parameters bit for bit).
#   flock /tmp/sinter-bench.lock bench/distributed/fsdp-prefetch.sh [LINK=local] [N=2] [WIDTH=1024] [STEPS=20] [BATCH=64]
# LINK=local runs the ranks as JVMs under `sinter launch` on this machine (SINTER_TRANSPORT picks
# shm or tcp); a rate such as 1gbit puts each rank in its own network namespace behind a veth link
# shaped to it (bench/distributed/netns.sh, needs root), where a gather takes about as long as a
# layer's compute.
set -euo pipefail
LINK=${1:-local}
N=${2:-2}
WIDTH=${3:-1024}
STEPS=${4:-20}
BATCH=${5:-64}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
JAR="${SINTER_JAR:-$ROOT/sinter-cli/target/sinter.jar}" # SINTER_JAR: a copy, so that a rebuild cannot change the jar under a run
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -pl sinter-cli -am package -DskipTests" >&2; exit 1; }
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$JAR")
# Threads per rank: the cores shared out, as `sinter train --distributed` does.
THREADS=$(( $(nproc) / N > 0 ? $(nproc) / N : 1 ))
MAIN=(org.sinter.distributed.examples.FsdpPrefetchTiming "$WIDTH" "$STEPS" "$BATCH" "$THREADS")
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $THREADS compute threads per rank, link $LINK"
if [ "$LINK" = local ]; then
  "${JAVA[@]}" org.sinter.cli.Main launch --nproc "$N" "${JAVA[@]}" "${MAIN[@]}" 2>&1 | grep -v incubator
else
  . "$ROOT/bench/distributed/netns.sh"
  netns_up "$LINK" "$N"
  run_ranks 29613 "${JAVA[@]}" "${MAIN[@]}" 2>&1 | grep -v -e incubator -e 'Picked up JAVA_TOOL_OPTIONS'
fi
