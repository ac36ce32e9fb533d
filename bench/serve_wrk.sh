#!/usr/bin/env bash
# `sinter perf` beside an independent load generator, wrk (Debian's package; a Lua script posts the
# same JSON body): both drive the same `sinter serve` model closed-loop over loopback with the same
# connections and threads (wrk -tT -cN, perf --threads T --concurrency N; one request in flight per
# connection, no pipelining), and the script prints each round's throughputs and ratio, the median
# ratio and the issue's bar (within 10%).
#
#   bench/serve_wrk.sh [concurrency=32] [seconds=15] [rounds=5] [warmup_s=120]
#
# 1. Same bytes: each generator first runs 3 s against bench/http_count.py, a counting server, which
#    reports connections, requests, bytes per request, pipelined requests and the request heads.
# 2. Warm-up: the server takes warmup_s/2 of wrk and then warmup_s/2 of perf, unmeasured, so its JIT
#    has compiled the request path and the model before round 1 (a cold server measured whichever
#    generator came first, by more than the bar's width). 30 s was not enough: on an idle box the rounds
#    after it still rose monotonically (perf/wrk 0.77 -> 1.03) as the server sped up on perf's connections;
#    after 120 s they no longer drift (docs/benchmarks.md, quiet-box reruns).
# 3. Rounds: each round is one perf run and one wrk run (each with 5 s unmeasured load before its
#    measured seconds), the order alternating by round (perf-wrk, wrk-perf, ...) so that a drift of the
#    machine's load favours neither; the ratio of a round is perf/wrk. Beside each run: the generator's
#    own CPU per request (perf measures itself over its window; wrk's is its process CPU over its
#    requests) and the server's CPU per request (from /proc over the run; perf's run includes its 5 s
#    warm-up, counted at the measured rate).
# The model is the MLP with dynamic batching (one 28x28 image per request, as JSON); weights come
# from a 3-step `sinter train` (they do not change the cost of a forward).
# SERVER_CPUS=0 CLIENT_CPUS=1 pins the server and the generators (taskset lists); the generators then
# use one thread per pinned core.
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONC=${1:-32}
SECS=${2:-15}
ROUNDS=${3:-5}
WARM=${4:-120}
SERVER_PIN=(); CLIENT_PIN=(); THREADS=2
if [ -n "${SERVER_CPUS:-}" ]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); fi
if [ -n "${CLIENT_CPUS:-}" ]; then
  CLIENT_PIN=(taskset -c "$CLIENT_CPUS")
  THREADS=$(echo "$CLIENT_CPUS" | tr ',' '\n' | wc -l)
fi
command -v wrk >/dev/null || { echo "serve_wrk.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
DIR=$(mktemp -d)
SERVER=""
COUNTER=""
cleanup() {
  set +e
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
  [ -n "$COUNTER" ] && kill "$COUNTER" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
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
echo "command: bench/serve_wrk.sh $CONC $SECS $ROUNDS $WARM; $(wc -c < "$DIR/body.json")-byte JSON body; server: sinter serve (mlp, dynamic batching)"
echo "pinning: server ${SERVER_CPUS:-any core}, generators ${CLIENT_CPUS:-any core}"
echo "wrk: wrk -t$THREADS -c$CONC -d${SECS}s -s post.lua (after a 5 s unmeasured run); perf: sinter perf --threads $THREADS --concurrency $CONC --duration $SECS --warmup 5"
perf_cmd() {  # perf_cmd URL SECONDS WARMUP CSV
  "${CLIENT_PIN[@]}" "$ROOT/sinter" perf --url "$1" -m mlp --input "$DIR/body.json" --threads "$THREADS" --concurrency "$CONC" \
      --duration "$2" --warmup "$3" --csv "$4" 2> >(grep -v '^WARNING' >&2) > "$DIR/perf.out"
}
wrk_cmd() {  # wrk_cmd URL SECONDS [more wrk options]
  local url=$1 secs=$2; shift 2
  "${CLIENT_PIN[@]}" wrk -t"$THREADS" -c"$CONC" -d"${secs}s" -s "$DIR/post.lua" "$@" "$url/v2/models/mlp/infer"
}

# 1. What each generator sends, seen by a counting server.
CPORT=$((20000 + RANDOM % 20000))
for gen in perf wrk; do
  python3 "$ROOT/bench/http_count.py" "$CPORT" > "$DIR/count.$gen" &
  COUNTER=$!
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$CPORT") 2>/dev/null && break; sleep 0.1; done
  if [ "$gen" = perf ]; then perf_cmd "http://127.0.0.1:$CPORT" 3 0 "$DIR/count.csv"; else wrk_cmd "http://127.0.0.1:$CPORT" 3 > /dev/null; fi
  kill -TERM "$COUNTER"; wait "$COUNTER" || true; COUNTER=""
done
python3 - "$DIR/count.perf" "$DIR/count.wrk" "$CONC" <<'PY'
import json, sys
p, w = (json.loads(open(f).read().splitlines()[-1]) for f in sys.argv[1:3])
conc = int(sys.argv[3])
for name, s in (("perf", p), ("wrk", w)):
    print(f"counting server, {name}: {s['connections']} connections (one probe of the script's own included), {s['requests']} requests, "
          f"{s['bytes_per_request']:.1f} bytes per request, {s['pipelined']} pipelined")
    for head, n in s["heads"].items():
        print(f"  {n} x " + head.replace("\r\n", " | "))
same_len = p["bytes_per_request"] == w["bytes_per_request"]
norm = lambda heads: {tuple(sorted(h.split("\r\n"))) for h in heads}
same_heads = norm(p["heads"]) == norm(w["heads"])
print(f"same bytes per request: {'yes' if same_len else 'NO'}; same request line and headers (order aside): {'yes' if same_heads else 'NO'}")
PY

PORT=$((20000 + RANDOM % 20000))
URL="http://127.0.0.1:$PORT"
"${SERVER_PIN[@]}" "$ROOT/sinter" serve --repository "$DIR/repo" --http-port "$PORT" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "$URL/v2/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "$URL/v2/health/ready" >/dev/null || { cat "$DIR/serve.log" >&2; echo "serve_wrk.sh: server not ready" >&2; exit 1; }
TICK=$(getconf CLK_TCK)
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }

# 2. Warm the server up (unmeasured) with both generators.
wrk_cmd "$URL" $((WARM / 2)) > /dev/null
perf_cmd "$URL" $((WARM - WARM / 2)) 0 "$DIR/warm.csv"

# 3. Alternating rounds.
: > "$DIR/ratios"; : > "$DIR/perf.list"; : > "$DIR/wrk.list"
run_perf() {
  local c0; c0=$(server_cpu)
  perf_cmd "$URL" "$SECS" 5 "$DIR/perf.csv"
  perf_srv=$(( $(server_cpu) - c0 ))
}
run_wrk() {
  wrk_cmd "$URL" 5 > /dev/null
  local c0; c0=$(server_cpu)
  /usr/bin/time -f '%U %S' -o "$DIR/wrk.time" "${CLIENT_PIN[@]}" wrk -t"$THREADS" -c"$CONC" -d"${SECS}s" -s "$DIR/post.lua" --latency \
      "$URL/v2/models/mlp/infer" > "$DIR/wrk.out"
  wrk_srv=$(( $(server_cpu) - c0 ))
}
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then run_perf; run_wrk; else run_wrk; run_perf; fi
  perf_rate=$(awk -F, 'NR == 2 { print $4 }' "$DIR/perf.csv")
  perf_failed=$(awk -F, 'NR == 2 { print $3 }' "$DIR/perf.csv")
  perf_p99=$(awk -F, 'NR == 2 { print $8 }' "$DIR/perf.csv")
  perf_cpu=$(awk -F, 'NR == 2 { print $9 }' "$DIR/perf.csv")
  perf_n=$(awk -F, 'NR == 2 { print $2 }' "$DIR/perf.csv")
  wrk_rate=$(awk '/^Requests\/sec:/ { print $2 }' "$DIR/wrk.out")
  wrk_n=$(awk '/requests in/ { print $1 }' "$DIR/wrk.out")
  wrk_bad=$(awk '/Non-2xx or 3xx responses:/ { print $4 }' "$DIR/wrk.out")
  wrk_p99=$(awk '$1 == "99%" { print $2 }' "$DIR/wrk.out")
  wrk_cpu=$(awk -v n="$wrk_n" '{ printf "%.1f", ($1 + $2) * 1e6 / n }' "$DIR/wrk.time")
  awk -v r="$r" -v pr="$perf_rate" -v pp="$perf_p99" -v pf="$perf_failed" -v pc="$perf_cpu" -v ps="$perf_srv" -v pn="$perf_n" -v secs="$SECS" \
      -v wr="$wrk_rate" -v wp="$wrk_p99" -v wb="${wrk_bad:-0}" -v wc="$wrk_cpu" -v ws="$wrk_srv" -v wn="$wrk_n" -v t="$TICK" 'BEGIN {
    printf "round %d (%s first): perf %.1f req/s (p99 %.2f ms, failed %d, perf cpu %.1f us/req, server cpu %.1f us/req); " \
           "wrk %.1f req/s (p99 %s, non-2xx %d, wrk cpu %s us/req, server cpu %.1f us/req); perf/wrk %.3f\n",
           r, r % 2 ? "perf" : "wrk", pr, pp, pf, pc, ps * 1e6 / t / (pn * (secs + 5) / secs), wr, wp, wb, wc, ws * 1e6 / t / wn, pr / wr }'
  echo "$perf_rate" >> "$DIR/perf.list"; echo "$wrk_rate" >> "$DIR/wrk.list"
  awk -v p="$perf_rate" -v w="$wrk_rate" 'BEGIN { print p / w }' >> "$DIR/ratios"
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pm=$(median "$DIR/perf.list"); wm=$(median "$DIR/wrk.list"); rm_=$(median "$DIR/ratios")
lo=$(sort -g "$DIR/ratios" | head -1); hi=$(sort -g "$DIR/ratios" | tail -1)
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v p="$pm" -v w="$wm" -v r="$rm_" -v lo="$lo" -v hi="$hi" -v n="$ROUNDS" 'BEGIN { d = (r - 1) * 100;
  printf "medians: sinter perf %.1f req/s, wrk %.1f req/s (ratio of medians %.3f); per-round perf/wrk from %.3f to %.3f\n", p, w, p / w, lo, hi;
  printf "median perf/wrk over %d rounds = %.3f (%+.1f%%): %s (bar: within 10%%)\n", n, r, d, (d <= 10 && d >= -10) ? "within" : "NOT within" }'
