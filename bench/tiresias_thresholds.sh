#!/usr/bin/env bash
# Tiresias' queue thresholds chosen on one workload and judged on another (held out), as the bar
# "Tiresias within 30% of SRTF's average JCT" asks of a policy that knows no durations.
#   tuning workload: 20,000 Philly run times with Poisson arrivals at load 3 on 64x8 (seed 1)
#   judged on:       Gavel's msr seed-0 traces on 500 GPUs (none of its jobs seen while tuning)
# Candidates: geometric thresholds, first at S GPU-seconds, ratio R, Q queues.
# Usage: bench/tiresias_thresholds.sh [DATA_DIR]   (prints both tables; deterministic, no timing)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data/traces}
TUNE=(--trace "$DATA/philly_runtime.csv" --cluster 64x8 --max-jobs 20000 --load 3 --seed 1)
JUDGE=(--trace "$DATA/gavel-msr-seed0" --cluster 500:0:0)
avg() { awk '$1 == "'"$1"'" { print $4 }'; }
srtf_tune=$(./sinter simulate "${TUNE[@]}" --policy srtf 2>/dev/null | avg srtf)
srtf_judge=$(./sinter simulate "${JUDGE[@]}" --policy srtf 2>/dev/null | avg srtf)
echo "SRTF avg JCT h: tuning $srtf_tune, judged $srtf_judge"
echo "| thresholds (GPU-s) | tuning avg JCT h | × SRTF | msr avg JCT h | × SRTF |"
echo "| --- | ---: | ---: | ---: | ---: |"
for s in 300 600 1800 3600; do
  for r in 4 10; do
    for q in 2 3 4 5; do
      t=$(awk -v s=$s -v r=$r -v q=$q 'BEGIN { x = s; out = x; for (i = 2; i < q; i++) { x *= r; out = out "," x } print out }')
      a=$(./sinter simulate "${TUNE[@]}" --policy tiresias --tiresias-thresholds "$t" 2>/dev/null | avg tiresias)
      b=$(./sinter simulate "${JUDGE[@]}" --policy tiresias --tiresias-thresholds "$t" 2>/dev/null | avg tiresias)
      awk -v t="$t" -v a=$a -v b=$b -v sa=$srtf_tune -v sb=$srtf_judge 'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f |\n", t, a, a / sa, b, b / sb }'
    done
  done
done
