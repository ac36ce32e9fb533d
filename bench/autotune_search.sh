#!/usr/bin/env bash
# Search efficiency (the AutoTVM paper's figures) on one workload's measured configuration space:
#  1. measures the space (MeasureSpace: configurations in uniformly random order, 96 per chunk, each
#     chunk under the bench lock; resumable) until TOTAL trials are logged, so a smaller TOTAL (or a
#     run stopped early) measures a uniform random sample, and the space's size measures all of it;
#  2. tunes the transfer history (TuneWorkloads: HISTORY_TRIALS trials of each workload in HISTORY,
#     simulated annealing over the XGBoost rank model with transfer from the ones before; real
#     measurements, under the bench lock; resumable, so a larger HISTORY_TRIALS extends a log);
#  3. replays the strategies over the measured table for SEEDS seeds (SearchEfficiencyBench): random
#     search's best in BUDGET trials per seed, the trials each strategy needs to reach it and 95% of
#     it, the bars' ratios, and bench-out/autotune_search_NAME.png (best GFLOP/s vs trials).
# Measurement: 1 thread, -Xbatch (compilation in the foreground, so the warm-up's "until calls stop
# getting faster" sees compiled code), the quick protocol with 5 repeats; the replay reads each
# configuration's fastest repeat.
#
#   bench/autotune_search.sh [WORKLOAD] [SEEDS] [TOTAL] [BUDGET] [PLOT_TRIALS]
#   defaults: 'dense(32,768,768,identity)' 10 2304 1000 1000;
#   HISTORY (env): space-separated workload keys (default: BERT-base's other linear layers at 32 tokens
#   and four more dense shapes with 768 on one side or of similar size), HISTORY_TRIALS (env, default 48)
# To replay the logs of docs/benchmarks.md without measuring again:
#   zcat docs/bench/autotune_space_dense_32_768_768_identity.jsonl.gz > bench-out/autotune_space_dense_32_768_768_identity.jsonl
#   zcat docs/bench/autotune_history_dense_32_768_768_identity.jsonl.gz > bench-out/autotune_history_dense_32_768_768_identity.jsonl
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
WORKLOAD="${1:-dense(32,768,768,identity)}"
SEEDS="${2:-10}"
TOTAL="${3:-2304}"
BUDGET="${4:-1000}"
PLOT_TRIALS="${5:-1000}"
HISTORY="${HISTORY:-dense(32,2304,768,identity) dense(32,3072,768,identity) dense(32,768,3072,identity) dense(32,1536,768,identity) dense(32,768,1536,identity) dense(32,1024,1024,identity) dense(32,512,768,identity)}"
HISTORY_TRIALS="${HISTORY_TRIALS:-48}"
NAME=$(echo "$WORKLOAD" | tr -c 'a-z0-9\n' '_' | sed 's/_*$//')
SPACE="bench-out/autotune_space_$NAME.jsonl"
HISTLOG="bench-out/autotune_history_$NAME.jsonl"
mkdir -p bench-out
./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
JAVA=("$JAVA_HOME/bin/java" -Xbatch --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Djava.awt.headless=true -cp sinter-cli/target/sinter.jar)
count() { if [ -f "$1" ]; then grep -cF "\"workload\":\"$2\"" "$1" || true; else echo 0; fi; }
while :; do
  have=$(count "$SPACE" "$WORKLOAD")
  [ "$have" -ge "$TOTAL" ] && break
  echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg): $have of $TOTAL measured" >&2
  before=$have
  flock /tmp/sinter-bench.lock nice "${JAVA[@]}" org.sinter.autotune.bench.MeasureSpace "$WORKLOAD" "$SPACE" $((have + 96 < TOTAL ? have + 96 : TOTAL)) 1 1
  [ "$(count "$SPACE" "$WORKLOAD")" -gt "$before" ] || break # the space is exhausted
done
# shellcheck disable=SC2086 # HISTORY is a list of workload keys
flock /tmp/sinter-bench.lock nice "${JAVA[@]}" org.sinter.autotune.bench.TuneWorkloads "$HISTLOG" "$HISTORY_TRIALS" 1 $HISTORY
echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg): replaying" >&2
nice "${JAVA[@]}" org.sinter.cli.tune.SearchEfficiencyBench "$WORKLOAD" "$SPACE" "$HISTLOG" "$SEEDS" "$BUDGET" "$PLOT_TRIALS" "bench-out/autotune_search_$NAME.png"
