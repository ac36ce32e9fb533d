#!/usr/bin/env bash
# Crash-safety check for `sinter train`: kills a training run with SIGKILL at N random moments,
# resuming after each kill, then checks that (1) every checkpoint left behind after each kill
# loads and verifies, and (2) the resumed run's per-step losses and learning rates are identical,
# bit for bit, to an uninterrupted run with the same seed.
#
# Usage: bench/kill_resume.sh [kills=20] [model=mlp]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KILLS=${1:-20}
MODEL=${2:-mlp}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# 15 epochs of 400 steps: long enough that all 20 kills land while the run is still going.
ARGS=(train --model "$MODEL" --epochs 15 --max-steps 400 --checkpoint-every 7 --threads 2 --workers 1 --seed 7)

"$ROOT/sinter" info >/dev/null 2>&1   # build once, outside the timed runs
echo "reference run (uninterrupted)…"
"$ROOT/sinter" "${ARGS[@]}" --out "$WORK/ref" >"$WORK/ref.log" 2>&1

echo "interrupted run: $KILLS kills…"
resume=()
for i in $(seq 1 "$KILLS"); do
  "$ROOT/sinter" "${ARGS[@]}" --out "$WORK/run" "${resume[@]}" >>"$WORK/run.log" 2>&1 &
  pid=$!
  # Kill between 2.5 and 9.5 s after start: during start-up, training, evaluation or a checkpoint write.
  sleep "$(awk -v s=$RANDOM 'BEGIN { srand(s); printf "%.2f", 2.5 + 7 * rand() }')"
  if kill -9 "$pid" 2>/dev/null; then
    wait "$pid" 2>/dev/null || true
    state="killed"
  else
    wait "$pid" || true
    state="had already finished"
  fi
  if [ -d "$WORK/run/checkpoint" ] && ls "$WORK/run/checkpoint"/*.safetensors >/dev/null 2>&1; then
    verdict=$("$ROOT/sinter" checkpoint "$WORK/run/checkpoint" 2>/dev/null) || { echo "kill $i: a checkpoint does not load:"; echo "$verdict"; exit 1; }
    echo "kill $i ($state): $(echo "$verdict" | grep -o 'step [0-9]*' | tr '\n' ' ')— all load"
  else
    echo "kill $i ($state): no checkpoint yet"
  fi
  resume=(--resume)
done
echo "final resume to completion…"
"$ROOT/sinter" "${ARGS[@]}" --out "$WORK/run" --resume >>"$WORK/run.log" 2>&1

if cmp -s "$WORK/ref/steps.csv" "$WORK/run/steps.csv"; then
  echo "PASS: $(($(wc -l <"$WORK/ref/steps.csv") - 1)) steps, losses and learning rates identical to the uninterrupted run"
else
  echo "FAIL: per-step losses differ from the uninterrupted run:"
  diff "$WORK/ref/steps.csv" "$WORK/run/steps.csv" | head -20
  exit 1
fi
