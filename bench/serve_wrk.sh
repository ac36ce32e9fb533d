#!/usr/bin/env bash
# `sinter perf` beside an independent load generator, wrk (Debian's package; a Lua script posts the
# same JSON body): both drive the same `sinter serve` model closed-loop at the same number of
# connections over loopback, in alternating rounds, and the script prints each round's throughputs,
# the median of each and their ratio (the issue's bar: within 10%).
#
#   bench/serve_wrk.sh [concurrency=32] [seconds=15] [rounds=3]
# The model is the MLP with dynamic batching (one 28x28 image per request, as JSON); weights come
# from a 3-step `sinter train` (they do not change the cost of a forward).
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONC=${1:-32}
SECS=${2:-15}
ROUNDS=${3:-3}
# Optional core pinning (taskset lists): SERVER_CPUS=0 CLIENT_CPUS=1 keeps each generator off the
# server's core, so a generator's own CPU cost does not decide the throughput it measures.
SERVER_PIN=(); CLIENT_PIN=(); WRK_THREADS=2
if [ -n "${SERVER_CPUS:-}" ]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); fi
if [ -n "${CLIENT_CPUS:-}" ]; then
  CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
  WRK_THREADS=$(echo "$CLIENT_CPUS" | tr ',' '\n' | wc -l)
fi
command -v wrk >/dev/null || { echo "serve_wrk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
DIR=$(mktemp -d)
SERVER=""
cleanup() {
  set +e
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
"$ROOT/sinter" train --model mlp --epochs 1 --max-steps 3 --out "$DIR/train" >/dev/null
mkdir -p "$DIR/repo/mlp/1"
cp "$DIR/train/model.safetensors" "$DIR/repo/mlp/1/model.safetensors"
cat > "$DIR/repo/mlp/config.json" <<JSON
{"platform": "sinter", "model": "mlp", "max_batch_size": 32,
 "dynamic_batching": {"max_queue_delay_microseconds": 500},
 "input": [{"name": "image", "datatype": "FP32", "shape": [1, 28, 28]}],
 "output": [{"name": "scores", "datatype": "FP32", "shape": [10]}], "instance_count": 1}
JSON
# One body for both generators: one image of seeded random pixels.
python3 -c '
import json, random
random.seed(7)
print(json.dumps({"inputs": [{"name": "image", "datatype": "FP32", "shape": [1, 1, 28, 28],
                              "data": [round(random.random(), 6) for _ in range(784)]}]}))' > "$DIR/body.json"
cat > "$DIR/post.lua" <<LUA
-- wrk: every request posts the infer body read once at start-up.
local f = assert(io.open("$DIR/body.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
LUA
PORT=$((20000 + RANDOM % 20000))
URL="http://127.0.0.1:$PORT"
"${SERVER_PIN[@]}" "$ROOT/sinter" serve --repository "$DIR/repo" --http-port "$PORT" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "$URL/v2/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "$URL/v2/health/ready" >/dev/null || { cat "$DIR/serve.log" >&2; echo "serve_wrk.sh: server not ready" >&2; exit 1; }
INFER="$URL/v2/models/mlp/infer"
echo "command: bench/serve_wrk.sh $CONC $SECS $ROUNDS; $(wc -c < "$DIR/body.json")-byte JSON body; server: sinter serve (mlp, dynamic batching)"
echo "pinning: server ${SERVER_CPUS:-any core}, generators ${CLIENT_CPUS:-any core}"
echo "wrk: wrk -t$WRK_THREADS -c$CONC -d${SECS}s -s post.lua (after a 5 s unmeasured run); perf: sinter perf --concurrency $CONC --duration $SECS --warmup 5"
: > "$DIR/perf.list"; : > "$DIR/wrk.list"
run_perf() {
  "${CLIENT_PIN[@]}" "$ROOT/sinter" perf --url "$URL" -m mlp --input "$DIR/body.json" --concurrency "$CONC" --duration "$SECS" --warmup 5 \
      --csv "$DIR/perf.csv" 2> >(grep -v '^WARNING' >&2) > "$DIR/perf.out"
}
run_wrk() {
  "${CLIENT_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONC" -d5s -s "$DIR/post.lua" "$INFER" > /dev/null
  "${CLIENT_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONC" -d"${SECS}s" -s "$DIR/post.lua" --latency "$INFER" > "$DIR/wrk.out"
}
# Warm the server up first (unmeasured): on a loaded machine its JIT needs tens of seconds of traffic
# before the model's kernels are compiled, and round 1 would measure that instead of a generator.
"${CLIENT_PIN[@]}" wrk -t"$WRK_THREADS" -c"$CONC" -d30s -s "$DIR/post.lua" "$INFER" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  # Odd rounds run perf first, even rounds wrk first, so a machine whose load drifts during the run
  # (and the server's JIT warming up) does not favour one generator.
  if [ $((r % 2)) = 1 ]; then run_perf; run_wrk; else run_wrk; run_perf; fi
  perf_rate=$(awk -F, 'NR == 2 { print $4 }' "$DIR/perf.csv")
  perf_failed=$(awk -F, 'NR == 2 { print $3 }' "$DIR/perf.csv")
  wrk_rate=$(awk '/^Requests\/sec:/ { print $2 }' "$DIR/wrk.out")
  wrk_bad=$(awk '/Non-2xx or 3xx responses:/ { print $4 }' "$DIR/wrk.out")
  wrk_p99=$(awk '$1 == "99%" { print $2 }' "$DIR/wrk.out")
  perf_p99=$(awk -F, 'NR == 2 { print $8 }' "$DIR/perf.csv")
  echo "round $r: sinter perf $perf_rate req/s (p99 $perf_p99 ms, failed $perf_failed); wrk $wrk_rate req/s (p99 $wrk_p99, non-2xx ${wrk_bad:-0})"
  echo "$perf_rate" >> "$DIR/perf.list"; echo "$wrk_rate" >> "$DIR/wrk.list"
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pm=$(median "$DIR/perf.list"); wm=$(median "$DIR/wrk.list")
awk -v p="$pm" -v w="$wm" 'BEGIN { r = p / w; d = (r - 1) * 100;
  printf "median throughput: sinter perf %.1f req/s, wrk %.1f req/s; perf/wrk = %.3f (%+.1f%%): %s (bar: within 10%%)\n",
         p, w, r, d, (d <= 10 && d >= -10) ? "within" : "NOT within" }'
