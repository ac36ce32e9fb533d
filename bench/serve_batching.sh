#!/usr/bin/env bash
# Dynamic batching on vs off in `sinter serve`: the same trained model under two names in one
# repository, one with a dynamic_batching block (max batch 32, 500 us queue delay) and one without
# (Triton's default scheduler: each request runs alone), both one instance, max_batch_size 32.
# `sinter perf` drives each at the same concurrency over loopback (closed loop, JSON requests of one
# 28x28 image, or of one 784-vector for the MLP) and the script prints throughput and p99 for both and
# the ratio on/off (the bar: >= 3x throughput with a lower p99).
#
#   bench/serve_batching.sh [model=lab1cnn] [concurrency=32] [seconds=20] [model.safetensors]
# Without a model file, one is trained for a few steps (`sinter train --max-steps 3`): the weights do
# not change the cost of a forward.
# PROFILE=dir records a Java Flight Recording of the server during each variant's run (jcmd JFR.start /
# JFR.stop, the `profile` settings) into dir/<variant>.jfr and prints its hottest methods (`jfr view
# hot-methods`); the recording's overhead makes those runs' figures not the ones to quote.
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODEL=${1:-lab1cnn}
CONC=${2:-32}
SECS=${3:-20}
WEIGHTS=${4:-}
DIR=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$DIR"' EXIT
if [ -z "$WEIGHTS" ]; then
  "$ROOT/sinter" train --model "$MODEL" --epochs 1 --max-steps 3 --out "$DIR/train" >/dev/null
  WEIGHTS="$DIR/train/model.safetensors"
fi
case "$MODEL" in
  lab1cnn|lenet5) IN='[1, 28, 28]' ;;
  mlp) IN='[1, 28, 28]' ;;
  *) echo "serve_batching.sh: model must be lab1cnn, lenet5 or mlp" >&2; exit 2 ;;
esac
for variant in batched single; do
  mkdir -p "$DIR/repo/${MODEL}_$variant/1"
  cp "$WEIGHTS" "$DIR/repo/${MODEL}_$variant/1/model.safetensors"
  BATCHING=''
  [ "$variant" = batched ] && BATCHING='"dynamic_batching": {"max_queue_delay_microseconds": 500},'
  cat > "$DIR/repo/${MODEL}_$variant/config.json" <<JSON
{"platform": "sinter", "model": "$MODEL", "max_batch_size": 32, $BATCHING
 "input": [{"name": "image", "datatype": "FP32", "shape": $IN}],
 "output": [{"name": "scores", "datatype": "FP32", "shape": [10]}], "instance_count": 1}
JSON
done
PORT=$((20000 + RANDOM % 20000))
"$ROOT/sinter" serve --repository "$DIR/repo" --http-port "$PORT" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
grep -E "ready|UNAVAILABLE" "$DIR/serve.log"
echo "command: bench/serve_batching.sh $MODEL $CONC $SECS; server: sinter serve, one instance; client: sinter perf"
if [ -n "${PROFILE:-}" ]; then
  . "$ROOT/tools/find-jdk.sh"; sinter_find_jdk
  mkdir -p "$PROFILE"
fi
for variant in single batched; do
  [ -n "${PROFILE:-}" ] && "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.start name="$variant" settings=profile > /dev/null
  "$ROOT/sinter" perf --url "http://127.0.0.1:$PORT" -m "${MODEL}_$variant" --concurrency "$CONC" --duration "$SECS" --warmup 5 \
      --csv "$DIR/$variant.csv" 2> >(grep -v '^WARNING' >&2) | sed "s/^/[$variant] /"
  if [ -n "${PROFILE:-}" ]; then
    "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.stop name="$variant" filename="$PROFILE/$variant.jfr" > /dev/null
    echo "[$variant] hottest methods of the server (JFR execution samples):"
    "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$PROFILE/$variant.jfr" | sed "s/^/[$variant] /"
  fi
done
metrics=$(curl -s "http://127.0.0.1:$PORT/metrics")
for variant in single batched; do
  inf=$(echo "$metrics" | sed -n "s/^sinter_inference_count_total{model=\"${MODEL}_$variant\",version=\"1\"} //p")
  ex=$(echo "$metrics" | sed -n "s/^sinter_inference_exec_count_total{model=\"${MODEL}_$variant\",version=\"1\"} //p")
  awk -v v="$variant" -v i="$inf" -v e="$ex" 'BEGIN { printf "%s: %d inferences in %d executions, mean batch %.1f\n", v, i, e, i / e }'
done
awk -F, 'FNR == 2 { t[FILENAME] = $4; p[FILENAME] = $8 }
  END { for (f in t) if (f ~ /batched/) b = f; else s = f;
        printf "dynamic batching on/off: throughput %.1f / %.1f infer/s = %.2fx; p99 %.1f / %.1f ms\n", t[b], t[s], t[b] / t[s], p[b], p[s] }' \
  "$DIR/batched.csv" "$DIR/single.csv"
