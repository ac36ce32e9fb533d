#!/usr/bin/env bash
# The soak of issue 12: `sinter serve` under closed-loop load at concurrency 64 while one model is
# reloaded through the repository API every RELOAD seconds and a second model is unloaded and loaded
# again at the same pace. Bars: zero failed valid requests over the whole run (no warm-up window is
# excused), and the server's resident set at the end within 10% of its level after warm-up.
#
#   bench/serve_soak.sh [seconds=600] [reload_every=30] [concurrency=64] [warmup_s=60]
# The 1-minute setting: bench/serve_soak.sh 60 10 64 20.
# RSS is sampled from /proc every 2 s; "after warm-up" is the median of the samples in the 20 s
# after warmup_s, "end" the median of the last 20 s, so one sample taken before or after a
# collection does not decide the result. The load is the MLP (JSON requests of one 28x28 image)
# with dynamic batching; weights come from a 3-step `sinter train` (they do not change the cost).
set -euo pipefail
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS=${1:-600}
RELOAD=${2:-30}
CONC=${3:-64}
WARM=${4:-60}
if [ "$SECS" -lt $((WARM + 40)) ]; then echo "serve_soak.sh: seconds must be at least warmup_s + 40" >&2; exit 2; fi
DIR=$(mktemp -d)
SERVER=""
PERF=""
ADMIN=""
# Every process this script started is stopped on any exit (set -e is off here: a kill of a process
# that already ended must not stop the others being killed).
cleanup() {
  set +e
  for p in "$ADMIN" "$PERF" "$SERVER"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$DIR"
}
trap cleanup EXIT
"$ROOT/sinter" train --model mlp --epochs 1 --max-steps 3 --out "$DIR/train" >/dev/null
for m in soak_a soak_b; do
  mkdir -p "$DIR/repo/$m/1"
  cp "$DIR/train/model.safetensors" "$DIR/repo/$m/1/model.safetensors"
  cat > "$DIR/repo/$m/config.json" <<JSON
{"platform": "sinter", "model": "mlp", "max_batch_size": 32,
 "dynamic_batching": {"max_queue_delay_microseconds": 500},
 "input": [{"name": "image", "datatype": "FP32", "shape": [1, 28, 28]}],
 "output": [{"name": "scores", "datatype": "FP32", "shape": [10]}], "instance_count": 2}
JSON
done
PORT=$((20000 + RANDOM % 20000))
URL="http://127.0.0.1:$PORT"
python3 -c 'import json; print(json.dumps({"inputs": [{"name": "image", "datatype": "FP32", "shape": [1, 1, 28, 28], "data": [0.5] * 784}]}))' \
  > "$DIR/b_request.json"
# A fixed, pre-touched heap, as a container deployment would run it: left to itself the JVM grows its
# heap towards a quarter of the machine's memory under load, which is sizing, not a leak, and would
# hide one. With the heap fixed, a change in RSS is native memory (threads, buffers, code, metaspace),
# and the live heap after a full collection, printed beside it, shows a leak on the heap.
SINTER_JAVA_OPTS="${SINTER_JAVA_OPTS:--Xms2g -Xmx2g -XX:+AlwaysPreTouch}" \
  "$ROOT/sinter" serve --repository "$DIR/repo" --http-port "$PORT" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "$URL/v2/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "$URL/v2/health/ready" >/dev/null || { cat "$DIR/serve.log" >&2; echo "serve_soak.sh: server not ready" >&2; exit 1; }
# The JVM's pid: the launcher execs java, so it is the server's own.
JPID=$SERVER
echo "command: bench/serve_soak.sh $SECS $RELOAD $CONC $WARM; load: sinter perf, closed loop, concurrency $CONC on soak_a"
"$ROOT/sinter" perf --url "$URL" -m soak_a --concurrency "$CONC" --duration "$SECS" --warmup 0 \
    --csv "$DIR/perf.csv" > "$DIR/perf.out" 2> >(grep -v '^WARNING' >&2) &
PERF=$!
start=$(date +%s)
# The repository calls run beside the sampler, so a slow reload does not space out the RSS samples.
admin() {
  local next=$((start + RELOAD)) b_loaded=1 action code
  local reloads=0 cycles=0 bad=0
  while [ $(( $(date +%s) - start )) -lt $((SECS - 5)) ]; do
    if [ "$(date +%s)" -ge "$next" ]; then
      code=$(curl -s -o "$DIR/admin.out" -w '%{http_code}' -X POST "$URL/v2/repository/models/soak_a/load")
      if [ "$code" = 200 ]; then reloads=$((reloads + 1)); else bad=$((bad + 1)); echo "reload soak_a: $code $(cat "$DIR/admin.out")" >&2; fi
      if [ "$b_loaded" = 1 ]; then action=unload; else action=load; fi
      code=$(curl -s -o "$DIR/admin.out" -w '%{http_code}' -X POST "$URL/v2/repository/models/soak_b/$action")
      if [ "$code" = 200 ]; then
        b_loaded=$((1 - b_loaded)); [ "$action" = load ] && cycles=$((cycles + 1))
      else bad=$((bad + 1)); echo "$action soak_b: $code $(cat "$DIR/admin.out")" >&2; fi
      # Loaded again, soak_b must be ready and answer a valid request.
      if [ "$action" = load ] && [ "$code" = 200 ]; then
        code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v2/models/soak_b/infer" --data-binary @"$DIR/b_request.json")
        [ "$code" = 200 ] || { bad=$((bad + 1)); echo "soak_b infer after load: $code" >&2; }
      fi
      echo "$reloads $cycles $bad" > "$DIR/admin.counts"
      next=$((next + RELOAD))
    fi
    sleep 1
  done
}
echo "0 0 0" > "$DIR/admin.counts"
admin &
ADMIN=$!
live_heap() {  # live heap after a full collection, MiB (old + survivor used, from jstat)
  "$JAVA_HOME/bin/jcmd" "$JPID" GC.run >/dev/null 2>&1 || true
  "$JAVA_HOME/bin/jstat" -gc "$JPID" 2>/dev/null | awk 'NR == 2 { for (i = 1; i <= NF; i++) v[h[i]] = $i; printf "%.1f", (v["S0U"] + v["S1U"] + v["EU"] + v["OU"]) / 1024 } NR == 1 { for (i = 1; i <= NF; i++) h[i] = $i }'
}
heap_warm=""; heap_end=""
: > "$DIR/rss"
while kill -0 "$PERF" 2>/dev/null; do
  t=$(( $(date +%s) - start ))
  echo "$t $(awk '/^VmRSS:/ {print $2}' /proc/$JPID/status)" >> "$DIR/rss"
  if [ -z "$heap_warm" ] && [ "$t" -ge $((WARM + 20)) ]; then heap_warm=$(live_heap); fi
  if [ -z "$heap_end" ] && [ "$t" -ge $((SECS - 3)) ]; then heap_end=$(live_heap); fi
  sleep 2
done
wait "$ADMIN" || true
read -r reloads b_cycles bad_admin < "$DIR/admin.counts"
wait "$PERF" || { cat "$DIR/perf.out"; echo "serve_soak.sh: sinter perf failed" >&2; exit 1; }
PERF=""
cat "$DIR/perf.out"
kill -0 "$SERVER" 2>/dev/null || { cat "$DIR/serve.log" >&2; echo "serve_soak.sh: the server died" >&2; exit 1; }
metrics=$(curl -s "$URL/metrics")
echo "$metrics" | grep -E '^sinter_inference_request_(success|failure)_total\{model="soak_a"' || true
failed=$(awk -F, 'NR == 2 { print $3 }' "$DIR/perf.csv")
requests=$(awk -F, 'NR == 2 { print $2 }' "$DIR/perf.csv")
echo "soak_a reloads: $reloads; soak_b unload/load cycles: $b_cycles; admin calls that failed: $bad_admin"
awk -v w="$WARM" -v s="$SECS" '
  function median(a, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
                                   return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2 }
  $1 >= w && $1 < w + 20 { b[++nb] = $2 }
  $1 >= s - 20 && $1 <= s { e[++ne] = $2 }
  END { mb = median(b, nb); me = median(e, ne);
        printf "RSS after warm-up (median of %d samples, %d-%d s): %.1f MiB; at the end (median of %d, last 20 s): %.1f MiB; change %+.1f%%\n",
               nb, w, w + 20, mb / 1024, ne, me / 1024, 100 * (me - mb) / mb
        printf "rss_change_pct=%.2f\n", 100 * (me - mb) / mb > "/dev/stderr" }' "$DIR/rss" 2> "$DIR/rss_change"
change=$(sed -n 's/rss_change_pct=//p' "$DIR/rss_change")
echo "live heap after a full collection: ${heap_warm:-?} MiB after warm-up, ${heap_end:-?} MiB at the end"
echo "requests: $requests answered 200, failed: $failed"
# SIGTERM: the server must finish in-flight work and exit (graceful shutdown, bounded at 30 s inside).
kill "$SERVER"
stop_s=""
for i in $(seq 1 90); do kill -0 "$SERVER" 2>/dev/null || { stop_s=$i; break; }; sleep 1; done
if [ -n "$stop_s" ]; then echo "server stopped within ${stop_s} s of SIGTERM"; SERVER=""; else echo "server still running 90 s after SIGTERM" >&2; fi
verdict=PASS
[ -z "$SERVER" ] || verdict=FAIL
[ "$failed" = 0 ] || verdict=FAIL
[ "$bad_admin" = 0 ] || verdict=FAIL
awk -v c="$change" 'BEGIN { exit !(c <= 10 && c >= -10) }' || verdict=FAIL
echo "soak: $verdict (bars: zero failed requests, admin calls all answered, RSS change within 10%, clean stop)"
cp "$DIR/rss" "${SOAK_RSS_OUT:-/dev/null}" 2>/dev/null || true
[ "$verdict" = PASS ]
