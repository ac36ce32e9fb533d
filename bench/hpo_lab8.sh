#!/usr/bin/env bash
# Lab 8 through `sinter hpo run`: random search, TPE, BOHB and ASHA tuning a Fashion-MNIST model over
# examples/hpo/lab8-space.json (lr, weight decay, batch size, optimizer, MLP or CNN with width/channels and
# dropout, gradient clipping, cutout). Each trial is a process of FashionMnistTrial (2 000 training images,
# validation accuracy on 1 000 held-out training images). Random search and TPE train every trial for
# EPOCHS epochs; BOHB (budgets 1..EPOCHS, eta 3, ROUNDS rounds) and ASHA (as many configurations as random
# search's trials) hand out budgets and resume promoted configurations from their checkpoints. Prints, per
# seed and method, the best validation accuracy at the full budget and the epochs trained; then medians.
#
# TPE starts from trials/2 random trials (at most 10).
# Needs Debian's dataset-fashion-mnist. Usage: bench/hpo_lab8.sh [seeds=2] [trials=20] [rounds=5] [epochs=3] [first-seed=0]
# (a later first seed adds seeds to the same database; the summary covers all of them)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SEEDS=${1:-2}
TRIALS=${2:-20}
ROUNDS=${3:-5}
EPOCHS=${4:-3}
FIRST=${5:-0}
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
"$ROOT/sinter" info >/dev/null 2>&1   # build once, outside the timed runs
DB="$ROOT/runs/hpo/lab8-bench.db"
if [ "$FIRST" = 0 ]; then rm -rf "$DB" "$DB-wal" "$DB-shm" "$ROOT"/runs/hpo/lab8-*-s[0-9]*; fi
TRIAL=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC -Xmx1g
       -cp "$ROOT/sinter-cli/target/sinter.jar" org.sinter.automl.examples.FashionMnistTrial --train 2000 --validation 1000)
COMMON=(--space "$ROOT/examples/hpo/lab8-space.json" --concurrency 2 --maximize --db "$DB")
for seed in $(seq "$FIRST" $((FIRST + SEEDS - 1))); do
  STARTUP=$(( TRIALS / 2 < 10 ? TRIALS / 2 : 10 ))
  for tuner in random tpe; do
    extra=(); [ "$tuner" = tpe ] && extra=(--startup-trials "$STARTUP")
    /usr/bin/time -f "lab8-$tuner-s$seed: %e s wall" "$ROOT/sinter" hpo run "${COMMON[@]}" --tuner "$tuner" "${extra[@]}" \
      --trials "$TRIALS" --seed "$seed" --name "lab8-$tuner-s$seed" -- "${TRIAL[@]}" --epochs "$EPOCHS" | tail -n 1
  done
  /usr/bin/time -f "lab8-bohb-s$seed: %e s wall" "$ROOT/sinter" hpo run "${COMMON[@]}" --scheduler bohb --max-budget "$EPOCHS" \
    --rounds "$ROUNDS" --seed "$seed" --name "lab8-bohb-s$seed" -- "${TRIAL[@]}" | tail -n 1
  if [ "${ASHA:-1}" = 1 ]; then  # ASHA=0 leaves it out
    /usr/bin/time -f "lab8-asha-s$seed: %e s wall" "$ROOT/sinter" hpo run "${COMMON[@]}" --scheduler asha --tuner random \
      --max-budget "$EPOCHS" --trials "$TRIALS" --seed "$seed" --name "lab8-asha-s$seed" -- "${TRIAL[@]}" | tail -n 1
  fi
done
/usr/bin/python3 "$ROOT/bench/hpo_lab8_summary.py" "$DB" "$EPOCHS"
