#!/usr/bin/env bash
# The bandwidth bar of issue 15: N ranks in their own network namespaces, each behind a veth
# link shaped with tc to RATE, all on one bridge. Times a float32 all-reduce of SIZE MiB with
# Sinter (ring over TCP, one JVM per rank) and with PyTorch's gloo (one Python process per rank)
# on the same links in the same run, and prints each one's bus bandwidth as a fraction of the
# link rate (the 2(n-1)/n bound: a ring all-reduce cannot beat RATE per link) and their ratio.
#
# Needs root (ip netns, tc), iproute2, /usr/bin/python3 with torch, and a built CLI jar
# (./mvnw -pl sinter-cli -am package -DskipTests). Run it under the benchmark lock:
#   flock /tmp/sinter-bench.lock bench/distributed/allreduce-netns.sh [RATE=1gbit] [SIZE_MIB=64] [N=4] [ITERS=5] [WARMUP=1]
# WARMUP: untimed all-reduces before the timed ITERS, the same count on both sides (a training job
# times its steady state; the JIT of Sinter's JVMs is still compiling after one).
# JFR_RANK=1 JFR_FILE=/tmp/r1.jfr records one Sinter rank with Java Flight Recorder;
# SINTER_BENCH_THREADS=1 has rank 0 of each side print its threads' CPU per all-reduce.
# GLOO_CONGCTL=NAME runs gloo's connections with that TCP congestion control (the host's default otherwise).
# RING_TRACE=1 traces Sinter's ring (-Dsinter.ring.trace=true) and prints where each link idled
# (bench/distributed/ring_trace.py over the ranks' trace lines); RING_TRACE_LOG=FILE also appends the raw lines to FILE.
set -euo pipefail
RATE=${1:-1gbit}
SIZE=${2:-64}
N=${3:-4}
ITERS=${4:-5}
export ALLREDUCE_WARMUP=${5:-1} # read by AllReduceBench and allreduce_gloo.py
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
JAR="${SINTER_JAR:-$ROOT/sinter-cli/target/sinter.jar}" # SINTER_JAR: a copy, so that a rebuild cannot change the jar under a run
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -pl sinter-cli -am package -DskipTests" >&2; exit 1; }

. "$ROOT/bench/distributed/netns.sh"
netns_up "$RATE" "$N"

# What each run put on the links beside the payload it had to move (2(n-1)/n of SIZE per rank and
# all-reduce, warm-up included): headers, acknowledgements, the timing's own small messages.
link_overhead() { # NAME, stats before, stats after, all-reduces per rank
  python3 -c "
b0, p0, b1, p1 = $2, $3
payload = $N * $4 * 2 * ($N - 1) / $N * $SIZE * 1048576
print(f'# $1: links sent {(b1 - b0) / payload:.4f} bytes per payload byte, {(p1 - p0) / $N / $4:.0f} packets per rank and all-reduce')"
}

echo "# $N ranks, veth links shaped to $RATE each, float32 all-reduce of $SIZE MiB, median of $ITERS after $ALLREDUCE_WARMUP untimed; $(lscpu | sed -n 's/^Model name: *//p')"
# SINTER_VARIANTS: JVM options, one Sinter run each (";" between runs), timed one after another
# before gloo: ";-Dsinter.ring.scratchForward=false" times the default, then the direct forwarding;
# a variant's own "-cp OTHER.jar" (the last -cp wins) times another build, e.g. the one before a change.
IFS=';' read -r -a VARIANTS <<<"${SINTER_VARIANTS:-}"
[ ${#VARIANTS[@]} -eq 0 ] && VARIANTS=("")
SINTER_BUS=()
for variant in "${VARIANTS[@]}"; do
  before=$(link_stats) drops=$(link_drops)
  # shellcheck disable=SC2086 # a variant is a list of options
  out=$(run_ranks 29611 "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
    -XX:+UseParallelGC -Dsinter.bench.threads="$([ "${SINTER_BENCH_THREADS:-}" = 1 ] && echo true || echo false)" \
    -Dsinter.ring.trace="$([ "${RING_TRACE:-}" = 1 ] && echo true || echo false)" -cp "$JAR" $variant org.sinter.distributed.bench.AllReduceBench "$SIZE" "$ITERS" RING 2>&1 | grep -v -e 'incubator' -e 'Picked up JAVA_TOOL_OPTIONS')
  echo "$(grep -v -e '^sinter-ring-trace ' -e '^sinter-bench-start ' <<<"$out")${variant:+  [$variant]}"
  [ "${RING_TRACE:-}" = 1 ] && python3 "$ROOT/bench/distributed/ring_trace.py" <<<"$out"
  [ -n "${RING_TRACE_LOG:-}" ] && grep -e '^sinter-ring-trace ' -e '^sinter-bench-start ' <<<"$out" >>"$RING_TRACE_LOG" # the raw lines, for a closer look
  link_overhead "sinter RING${variant:+ $variant}" "${before% *}, ${before#* }" "$(link_stats | sed 's/ /, /')" $((ITERS + ALLREDUCE_WARMUP))
  echo "# sinter RING${variant:+ $variant}: the shapers dropped $(($(link_drops) - drops)) packets"
  SINTER_BUS+=("$(sed -n 's/.*RING .*bus bandwidth \([0-9.]*\) MB\/s.*/\1/p' <<<"$out")")
done
# GLOO_CONGCTL=cubic: gloo's connections run that congestion control (a route attribute, since gloo has no
# option for it), to compare with Sinter's links, which leave BBR (sinter-distributed's CongestionControl).
[ -n "${GLOO_CONGCTL:-}" ] && netns_congctl "$GLOO_CONGCTL"
before=$(link_stats) drops=$(link_drops)
GLOO_OUT=$(run_ranks 29612 /usr/bin/python3 "$ROOT/bench/distributed/allreduce_gloo.py" "$SIZE" "$ITERS" 2>&1)
echo "$GLOO_OUT"
link_overhead "gloo all_reduce" "${before% *}, ${before#* }" "$(link_stats | sed 's/ /, /')" $((ITERS + ALLREDUCE_WARMUP))
echo "# gloo all_reduce: the shapers dropped $(($(link_drops) - drops)) packets"

rate_bps=$(python3 -c "
import re,sys
m=re.fullmatch(r'([0-9.]+)([kmg]?)bit','$RATE'.lower()); print(float(m.group(1))*{'':1,'k':1e3,'m':1e6,'g':1e9}[m.group(2)])")
g_bus=$(sed -n 's/.*all_reduce .*bus bandwidth \([0-9.]*\) MB\/s.*/\1/p' <<<"$GLOO_OUT")
for k in "${!VARIANTS[@]}"; do
  python3 -c "
s, g, r = ${SINTER_BUS[$k]} * 1e6 * 8, $g_bus * 1e6 * 8, $rate_bps
print(f'sinter ring${VARIANTS[$k]:+ [${VARIANTS[$k]}]}: {s / r:.3f} of the 2(n-1)/n bound; gloo: {g / r:.3f}; sinter / gloo = {s / g:.3f}x')"
done
