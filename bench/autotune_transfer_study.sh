#!/usr/bin/env bash
# Why transfer learning helps or not on the search-efficiency workload, from the logs in docs/bench
# (replays only: nothing is measured, no bench lock needed). For six histories cut from the
# 336-record transfer history (the first version's 96 records; all of it; the three BERT shapes at 48
# trials; the four added shapes; the three BERT shapes and 1024x1024; all but the two shapes
# closest to the target) and each transfer variant, TransferStudy prints how well the base model
# alone ranks the target's measured space (Spearman, top-5% recall in its top 64, its top picks'
# GFLOP/s), what its first batch picks, and the trials simulated annealing needs to reach 95% of
# random search's best in 1000 trials with and without transfer, per seed.
#
#   bench/autotune_transfer_study.sh [FIRST_SEED] [SEEDS] [VARIANT...]
#   defaults: 1000 10 rank+med+all+hinf+div0.5 rank+fast+all+h64+div0.5 rank+fast+inv+h64+div0.5 reg+fast+inv+h64+div0.5 rank+fast+all+joint4
#   (variants: see TransferStudy; the second is Transfer's default; seeds 0-9 were used to choose it)
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
FIRST="${1:-1000}"
SEEDS="${2:-10}"
shift $(( $# < 2 ? $# : 2 ))
VARIANTS=("$@")
[ ${#VARIANTS[@]} -gt 0 ] || VARIANTS=(rank+med+all+hinf+div0.5 rank+fast+all+h64+div0.5 rank+fast+inv+h64+div0.5 reg+fast+inv+h64+div0.5 rank+fast+all+joint4)
W='dense(32,768,768,identity)'
OUT=bench-out/autotune_transfer_study
mkdir -p "$OUT"
zcat docs/bench/autotune_space_dense_32_768_768_identity.jsonl.gz > "$OUT/space.jsonl"
zcat docs/bench/autotune_history_dense_32_768_768_identity.jsonl.gz > "$OUT/all.jsonl"
BERT='"workload":"dense(32,\(2304,768\|3072,768\|768,3072\),identity)"'
head -96 "$OUT/all.jsonl" > "$OUT/first96.jsonl"
grep -e "$BERT" "$OUT/all.jsonl" > "$OUT/bert3.jsonl"
grep -ve "$BERT" "$OUT/all.jsonl" > "$OUT/added4.jsonl"
grep -e "$BERT" -e '"workload":"dense(32,1024,1024,identity)"' "$OUT/all.jsonl" > "$OUT/bert3_1024.jsonl"
grep -ve '"workload":"dense(32,\(512,768\|768,1536\),identity)"' "$OUT/all.jsonl" > "$OUT/no_closest2.jsonl"
./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
for h in first96 all bert3 added4 bert3_1024 no_closest2; do
  echo "== history: $h ($(wc -l < "$OUT/$h.jsonl") records)"
  nice "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -cp sinter-cli/target/sinter.jar \
    org.sinter.autotune.bench.TransferStudy "$W" "$OUT/space.jsonl" "$OUT/$h.jsonl" "$FIRST" "$SEEDS" 1000 "${VARIANTS[@]}" 2>&1 | grep -v '^WARNING'
done
echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg)"
