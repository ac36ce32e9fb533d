#!/usr/bin/env bash
# The course's Lab 4 and Lab 7 tables from real `sinter train --distributed` runs on MNIST.
#   lab4: serial vs 2 and 4 ranks, plain all-reduce vs fp16 / 8-bit float / PowerSGD gradients:
#         time per epoch and test accuracy (global batch 64 throughout, so every run sees the same
#         examples per step).
#   lab7: transport (shared memory, TCP) x ranks (1, 2, 4): step time, throughput, speedup, and the
#         scaling plot (LAB7_PLOT, default lab7-scaling.png, with its CSV beside it).
#   flock /tmp/sinter-bench.lock bench/distributed/labs.sh lab4|lab7 [MODEL=mlp] [EPOCHS=1]
set -euo pipefail
WHICH=${1:?usage: labs.sh lab4|lab7 [model] [epochs]}
MODEL=${2:-mlp}
EPOCHS=${3:-1}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
JAR="${SINTER_JAR:-$ROOT/sinter-cli/target/sinter.jar}" # SINTER_JAR: a copy, so that a rebuild cannot change the jar under a run
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -pl sinter-cli -am package -DskipTests" >&2; exit 1; }
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$JAR" org.sinter.cli.Main)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
GLOBAL=64
CORES=$(nproc)

# run NAME RANKS [train options...]: trains, prints "seconds-per-epoch accuracy steps" of the last epoch.
run() {
  local name=$1 ranks=$2; shift 2
  local out="$WORK/$name" threads=$(( CORES / ranks > 0 ? CORES / ranks : 1 ))
  if [ "$ranks" = 1 ]; then
    "${JAVA[@]}" train --model "$MODEL" --epochs "$EPOCHS" --batch-size $GLOBAL --threads "$threads" --checkpoint-every 0 \
      --out "$out" "$@" > "$out.log" 2>&1
  else
    "${JAVA[@]}" launch --nproc "$ranks" "${JAVA[@]}" train --distributed --model "$MODEL" --epochs "$EPOCHS" \
      --batch-size $(( GLOBAL / ranks )) --threads "$threads" --checkpoint-every 0 --out "$out" "$@" > "$out.log" 2>&1
  fi
  local steps
  steps=$(( $(wc -l < "$out/steps.csv") - 1 ))
  # epochs.csv: epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds
  tail -1 "$out/epochs.csv" | awk -F, -v steps="$steps" -v epochs="$EPOCHS" '{printf "%s %s %d\n", $6, $5, steps / epochs}'
}

echo "# $WHICH: $MODEL on MNIST, $EPOCHS epoch(s), global batch $GLOBAL; $(lscpu | sed -n 's/^Model name: *//p'), $CORES cores"
case "$WHICH" in
  lab4)
    echo "| setup | ranks | gradients | s/epoch | test accuracy |"
    echo "| --- | --- | --- | --- | --- |"
    read -r sec acc _ < <(run serial 1)
    printf "| serial | 1 | float32 | %.1f | %.2f%% |\n" "$sec" "$(echo "$acc * 100" | bc -l)"
    for n in 2 4; do
      for hook in allreduce fp16 float8 powersgd:4; do
        read -r sec acc _ < <(run "n$n-${hook/:/-}" "$n" --comm-hook "$hook")
        printf "| data parallel | %d | %s | %.1f | %.2f%% |\n" "$n" "$hook" "$sec" "$(echo "$acc * 100" | bc -l)"
      done
    done
    ;;
  lab7)
    echo "| transport | ranks | step time (ms) | throughput (samples/s) | speedup |"
    echo "| --- | --- | --- | --- | --- |"
    read -r base _ steps < <(run single 1)
    printf "| (one process) | 1 | %.1f | %.0f | 1.00 |\n" "$(echo "$base * 1000 / $steps" | bc -l)" "$(echo "$steps * $GLOBAL / $base" | bc -l)"
    csv="$WORK/scaling.csv"
    echo "series,ranks,speedup" > "$csv"
    for n in 1 2 4; do echo "ideal,$n,$n" >> "$csv"; done
    for t in shm tcp; do
      echo "$t,1,1" >> "$csv"
      for n in 2 4; do
        read -r sec _ steps < <(SINTER_TRANSPORT=$t run "$t-$n" "$n")
        printf "| %s | %d | %.1f | %.0f | %.2f |\n" "$t" "$n" "$(echo "$sec * 1000 / $steps" | bc -l)" \
          "$(echo "$steps * $GLOBAL / $sec" | bc -l)" "$(echo "$base / $sec" | bc -l)"
        printf "%s,%d,%.4f\n" "$t" "$n" "$(echo "$base / $sec" | bc -l)" >> "$csv"
      done
    done
    # The scaling plot: speed-up against ranks per transport, beside the ideal line.
    PLOT=${LAB7_PLOT:-lab7-scaling.png}
    "$JAVA_HOME/bin/java" -cp "$JAR" org.sinter.cli.plot.CsvPlot "$csv" ranks speedup series "$PLOT" \
      "Lab 7: data-parallel speed-up on $CORES cores ($MODEL)"
    cp "$csv" "${PLOT%.png}.csv"
    echo "wrote $PLOT and ${PLOT%.png}.csv"
    ;;
  *) echo "usage: labs.sh lab4|lab7 [model] [epochs]" >&2; exit 2 ;;
esac
