#!/usr/bin/env bash
# Dynamic batching on vs off in `sinter serve`: the same trained model under two names in one
# repository, one with a dynamic_batching block (max batch 32, 500 us queue delay) and one without
# (Triton's default scheduler: each request runs alone), both one instance, max_batch_size 32.
# `sinter perf` drives each at the same concurrency over loopback (closed loop, requests of one 28x28
# image) and the script prints throughput and p99 for both and the ratio on/off (the bar: >= 3x
# throughput with a lower p99).
#
#   bench/serve_batching.sh [model=lab1cnn] [concurrency=32] [seconds=20] [model.safetensors] [encodings=json,binary]
# Without a model file (or with ""), one is trained for a few steps (`sinter train --max-steps 3`): the
# weights do not change the cost of a forward. Each encoding is measured on and off: `json` sends the
# inputs as JSON data, `binary` with the binary tensor data extension (`sinter perf --binary`, binary
# outputs too, as Triton's perf_analyzer does by default). Before any measured run every model and
# encoding gets WARMUP seconds (default 10) of unmeasured load, and each measured run has its own 5 s
# warm-up. Beside each run the script prints the server's own account of it from /metrics (mean batch,
# time in the server and in the queue per request, forward, gather and split per batch) and the
# server's CPU per request from /proc (both over the measured run and its 5 s warm-up), also split by
# thread group (bench/thread_cpu.py: the virtual threads' carriers, where Jetty, parsing and the
# answer run; the instance's worker, where gather, forward and split run; GC; the JIT), with the part
# spent in the kernel (system calls, the socket stack) and context switches per request.
# SERVE_THREADS=N starts the server with `--threads N` (intra-op threads per forward);
# PLATFORM=sinter-compiled serves both variants through the graph compiler instead of the eager forward.
# QUEUE_DELAY_US (default 500) and PREFERRED (e.g. "16,32") set the batched variant's
# max_queue_delay_microseconds and preferred_batch_size, the knobs Triton's model analyzer sweeps.
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
ENCODINGS=${5:-json,binary}
WARMUP=${WARMUP:-10}
PLATFORM=${PLATFORM:-sinter}
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
  PREFERRED_JSON=''; [ -n "${PREFERRED:-}" ] && PREFERRED_JSON=", \"preferred_batch_size\": [${PREFERRED}]"
  [ "$variant" = batched ] && BATCHING="\"dynamic_batching\": {\"max_queue_delay_microseconds\": ${QUEUE_DELAY_US:-500}${PREFERRED_JSON}},"
  cat > "$DIR/repo/${MODEL}_$variant/config.json" <<JSON
{"platform": "$PLATFORM", "model": "$MODEL", "max_batch_size": 32, $BATCHING
 "input": [{"name": "image", "datatype": "FP32", "shape": $IN}],
 "output": [{"name": "scores", "datatype": "FP32", "shape": [10]}], "instance_count": 1}
JSON
done
PORT=$((20000 + RANDOM % 20000))
SERVE_OPTS=(); [ -n "${SERVE_THREADS:-}" ] && SERVE_OPTS=(--threads "$SERVE_THREADS")
"$ROOT/sinter" serve --repository "$DIR/repo" --http-port "$PORT" "${SERVE_OPTS[@]}" > "$DIR/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/v2/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
grep -E "ready|UNAVAILABLE" "$DIR/serve.log"
echo "command: ${SERVE_THREADS:+SERVE_THREADS=$SERVE_THREADS }${QUEUE_DELAY_US:+QUEUE_DELAY_US=$QUEUE_DELAY_US }${PREFERRED:+PREFERRED=$PREFERRED }PLATFORM=$PLATFORM bench/serve_batching.sh $MODEL $CONC $SECS '${4:-}' $ENCODINGS; server: sinter serve ${SERVE_OPTS[*]}, one instance; client: sinter perf --concurrency $CONC (closed loop, $(nproc) event-loop threads)"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${PROFILE:-}" ]; then
  . "$ROOT/tools/find-jdk.sh"; sinter_find_jdk
  mkdir -p "$PROFILE"
fi
URL="http://127.0.0.1:$PORT"
server_cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
perf_run() {  # perf_run VARIANT ENCODING SECONDS WARMUP CSV
  local flag=(); [ "$2" = binary ] && flag=(--binary)
  "$ROOT/sinter" perf --url "$URL" -m "${MODEL}_$1" "${flag[@]}" --concurrency "$CONC" --duration "$3" --warmup "$4" \
      --csv "$5" 2> >(grep -v '^WARNING' >&2)
}
# Warm-up, unmeasured: both models, both encodings, so the JIT has compiled the request paths and the
# forwards at every batch size before the first measured run.
for enc in ${ENCODINGS//,/ }; do
  for variant in single batched; do perf_run "$variant" "$enc" "$WARMUP" 0 "$DIR/warm.csv" > /dev/null; done
done
echo "warm-up done (${WARMUP} s per model and encoding); load average $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
for enc in ${ENCODINGS//,/ }; do
  # The order of the two variants alternates between encodings, so a drift of the machine's load
  # favours neither.
  order="single batched"; [ $((i % 2)) = 1 ] && order="batched single"
  i=$((i + 1))
  for variant in $order; do
    curl -s "$URL/metrics" > "$DIR/before.prom"
    c0=$(server_cpu)
    python3 "$ROOT/bench/thread_cpu.py" snap "$SERVER" "$DIR/before.threads"
    [ -n "${PROFILE:-}" ] && "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.start name="$variant-$enc" settings=profile > /dev/null
    perf_run "$variant" "$enc" "$SECS" 5 "$DIR/$variant.$enc.csv" | sed "s/^/[$variant $enc] /"
    if [ -n "${PROFILE:-}" ]; then
      "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.stop name="$variant-$enc" filename="$PROFILE/$variant-$enc.jfr" > /dev/null
      echo "[$variant $enc] hottest methods of the server (JFR execution samples):"
      "$JAVA_HOME/bin/jfr" view --width 160 hot-methods "$PROFILE/$variant-$enc.jfr" | sed "s/^/[$variant $enc] /"
    fi
    echo "$(( $(server_cpu) - c0 ))" > "$DIR/$variant.$enc.cpu"
    python3 "$ROOT/bench/thread_cpu.py" snap "$SERVER" "$DIR/after.threads"
    curl -s "$URL/metrics" > "$DIR/after.prom"
    # The server's own account of the run, from the /metrics deltas: per request and per batch.
    python3 - "$DIR/before.prom" "$DIR/after.prom" "${MODEL}_$variant" "$(cat "$DIR/$variant.$enc.cpu")" "$(getconf CLK_TCK)" \
        "$variant" "$enc" "$DIR/$variant.$enc.req" <<'PY' | tee "$DIR/$variant.$enc.server"
import re, sys
def read(path, model):
    out = {}
    for line in open(path):
        m = re.match(r'(\w+)\{model="%s",version="1"\} (\S+)$' % re.escape(model), line)
        if m: out[m.group(1)] = float(m.group(2))
    return out
a, b = read(sys.argv[1], sys.argv[3]), read(sys.argv[2], sys.argv[3])
d = {k: b[k] - a.get(k, 0.0) for k in b}
req = d["sinter_inference_request_success_total"]
ex = d["sinter_inference_exec_count_total"]
inf = d["sinter_inference_count_total"]
us = lambda k: d[k + "_sum"] * 1e6
cpu = float(sys.argv[4]) / float(sys.argv[5]) * 1e6
open(sys.argv[8], "w").write(f"{req:.0f}")
print(f"[{sys.argv[6]} {sys.argv[7]}] server (run and its warm-up): {inf:.0f} inferences in {ex:.0f} executions, mean batch {inf / ex:.2f}; per request: "
      f"{us('sinter_inference_request_duration_seconds') / req:.1f} us in the server (parse to result), "
      f"{us('sinter_inference_queue_duration_seconds') / req:.1f} us queued, server CPU {cpu / req:.1f} us; per batch: "
      f"forward {us('sinter_inference_compute_infer_duration_seconds') / ex:.1f} us "
      f"({us('sinter_inference_compute_infer_duration_seconds') / inf:.1f} us per sample), "
      f"gather {us('sinter_inference_compute_input_duration_seconds') / ex:.1f} us, split {us('sinter_inference_compute_output_duration_seconds') / ex:.1f} us")
PY
    python3 "$ROOT/bench/thread_cpu.py" diff "$DIR/before.threads" "$DIR/after.threads" "$(cat "$DIR/$variant.$enc.req")" "[$variant $enc] "
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for enc in ${ENCODINGS//,/ }; do
  awk -F, -v enc="$enc" 'FNR == 2 { t[FILENAME] = $4; p[FILENAME] = $8; c[FILENAME] = $9 }
    END { for (f in t) if (f ~ /batched/) b = f; else s = f;
          printf "%s bodies: dynamic batching on/off: throughput %.1f / %.1f infer/s = %.2fx; p99 %.2f / %.2f ms (%s); perf cpu %.1f / %.1f us per request\n",
                 enc, t[b], t[s], t[b] / t[s], p[b], p[s], p[b] < p[s] ? "lower" : "NOT lower", c[b], c[s] }' \
    "$DIR/batched.$enc.csv" "$DIR/single.$enc.csv"
done
