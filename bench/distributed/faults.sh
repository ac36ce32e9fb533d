#!/usr/bin/env bash
# Issue 15's fault bar: `kill -9` one rank at a random moment, 10 times, under
# `torchrun --max_restarts 3`; every run must resume from rank 0's last checkpoint, finish, and end
# with the accuracy of an uninterrupted run; no rank may hang (each run has a hard timeout).
#   bench/distributed/faults.sh [KILLS=10] [MODEL=mlp] [EPOCHS=2] [RANKS=2] [SEED=1]
# Prints one line per run and a summary; exits 1 if any run failed, hung or lost accuracy.
set -euo pipefail
KILLS=${1:-10}
MODEL=${2:-mlp}
EPOCHS=${3:-2}
RANKS=${4:-2}
RANDOM=${5:-1}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
JAR="${SINTER_JAR:-$ROOT/sinter-cli/target/sinter.jar}"
[ -f "$JAR" ] || { echo "build the CLI first: ./mvnw -pl sinter-cli -am package -DskipTests" >&2; exit 1; }
command -v torchrun > /dev/null || { echo "needs torchrun (Debian python3-torch)" >&2; exit 1; }
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "$JAR" org.sinter.cli.Main)
WORK=$(mktemp -d)
KEEP=${SINTER_FAULTS_LOGS:-}  # a directory to keep every run's log in
trap '[ -n "$KEEP" ] && mkdir -p "$KEEP" && cp "$WORK"/*.log "$KEEP"/ 2> /dev/null; rm -rf "$WORK"' EXIT
GLOBAL=64

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME: launches the job under torchrun in the background (own process group); sets PID.
start() {
  local out="$WORK/$1"
  # Debian's torch 1.13 on Python 3.11 fails on the default "--redirects 0"; "1" with --tee works.
  setsid torchrun --redirects 1 --tee 1 --nproc_per_node "$RANKS" --max_restarts 3 --master_port "$(free_port)" --no_python \
    "${JAVA[@]}" train --distributed --resume --model "$MODEL" --epochs "$EPOCHS" --batch-size $(( GLOBAL / RANKS )) \
    --threads 1 --checkpoint-every 40 --out "$out" > "$out.log" 2>&1 &
  PID=$!
}

# finish NAME LIMIT: waits up to LIMIT s for the job (in this shell: only it can wait for the job);
# sets STATUS (ok, failed:N or hung) and ACC (the last epoch's test accuracy, or -).
finish() {
  local out="$WORK/$1" limit=$2 waited=0
  while kill -0 "$PID" 2> /dev/null; do
    if [ "$waited" -ge "$limit" ]; then
      kill -9 -- "-$PID" 2> /dev/null || true
      wait "$PID" 2> /dev/null || true
      STATUS=hung; ACC=-; return
    fi
    sleep 1; waited=$((waited + 1))
  done
  local rc=0
  wait "$PID" || rc=$?
  if [ "$rc" != 0 ] || [ ! -f "$out/epochs.csv" ]; then STATUS="failed:$rc"; ACC=-; return; fi
  # epochs.csv: epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds
  STATUS=ok; ACC=$(tail -1 "$out/epochs.csv" | cut -d, -f5)
}

echo "# faults: $KILLS x kill -9 of one of $RANKS ranks under torchrun --max_restarts 3; $MODEL, $EPOCHS epochs, global batch $GLOBAL;" \
  "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
t0=$(date +%s)
start baseline
finish baseline 3600
status=$STATUS; base_acc=$ACC
base_secs=$(( $(date +%s) - t0 ))
[ "$status" = ok ] || { echo "the uninterrupted run did not finish ($status); see $WORK/baseline.log" >&2; cat "$WORK/baseline.log" >&2; exit 1; }
echo "uninterrupted: ${base_secs} s, test accuracy $base_acc"
echo "| run | killed after (s) | killed | restarts | resumed from | status | test accuracy | difference |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
bad=0
for i in $(seq 1 "$KILLS"); do
  # A moment between 3 s and 80% of the uninterrupted run's length (startup, training, checkpoints, evaluation).
  span=$(( base_secs * 8 / 10 > 4 ? base_secs * 8 / 10 - 3 : 1 ))
  at=$(( 3 + RANDOM % span ))
  start "run$i"
  sleep "$at"
  # The ranks are the agent's child JVMs (never the agent itself, whose command line names them too);
  # early on they may not be started yet, so look again each second for up to a minute.
  victims=()
  for _ in $(seq 60); do
    victims=($(pgrep -P "$PID" -f org.sinter.cli.Main || true))
    [ "${#victims[@]}" -gt 0 ] && break
    kill -0 "$PID" 2> /dev/null || break
    sleep 1
  done
  victim="-"
  if [ "${#victims[@]}" -gt 0 ]; then
    victim=${victims[$((RANDOM % ${#victims[@]}))]}
    kill -9 "$victim" 2> /dev/null || victim="-"
  fi
  finish "run$i" $(( base_secs * 4 + 300 ))
  status=$STATUS; acc=$ACC
  # Every JVM start prints the incubator warning on stderr (not prefixed): starts / ranks - 1 restarts.
  restarts=$(( $(grep -c "WARNING: Using incubator modules" "$WORK/run$i.log" || true) / RANKS - 1 ))
  resumed=$(grep -o "resumed from [^ ]*: epoch [0-9]*, step [0-9]*" "$WORK/run$i.log" | sed 's/.*step /step /' | paste -sd, || true)
  diff="-"
  if [ "$status" = ok ]; then diff=$(echo "$acc - $base_acc" | bc -l); fi
  printf "| %d | %d | pid %s | %s | %s | %s | %s | %s |\n" "$i" "$at" "$victim" "$restarts" "${resumed:-start (no checkpoint yet)}" "$status" "$acc" "$diff"
  if [ "$status" != ok ] || [ "$victim" = "-" ]; then bad=$((bad + 1)); tail -30 "$WORK/run$i.log" >&2; fi
  if [ "$status" = ok ] && [ "$(echo "d=$acc - $base_acc; if (d < 0) d = -d; d > 0.005" | bc -l)" = 1 ]; then bad=$((bad + 1)); fi
done
echo "runs that failed, hung, missed their kill or lost more than 0.5 points: $bad of $KILLS"
[ "$bad" = 0 ]
