#!/usr/bin/env bash
# Side-by-side int8 post-training quantization benchmark: Sinter (./sinter compress --quantize int8)
# and PyTorch 1.13 eager-mode static quantization (bench/quant_pytorch.py, oneDNN engine: Debian's
# torch has no fbgemm) on the same trained weights, same thread count, in one run. Prints accuracy
# and median latency (batch 1 and 32) of float32 and int8 for each, and the ratios.
#
#   flock /tmp/sinter-bench.lock bench/quant.sh MODEL MODEL_FILE [threads] [calibration]
#     MODEL: lenet5, lab1cnn or resnet18; MODEL_FILE: the model.safetensors 'sinter train' wrote;
#     threads default 2; calibration (Sinter side) default l2 (PyTorch's HistogramObserver search).
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
MODEL="$1"
FILE="$2"
THREADS="${3:-2}"
CAL="${4:-l2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

./sinter compress --threads "$THREADS" --model "$MODEL" --checkpoint "$FILE" --quantize int8 --calibration "$CAL" \
    --calibration-batches 32 --latency-runs 100 | tee "$OUT/sinter.txt"
OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/quant_pytorch.py --model "$MODEL" --weights "$FILE" --threads "$THREADS" \
    --calibration-batches 32 --runs 100 > "$OUT/torch.json"

/usr/bin/python3 - "$OUT/sinter.txt" "$OUT/torch.json" "$MODEL" "$THREADS" <<'PY'
import json, re, sys
rows = {}
compiled = [float("nan")] * 2
for line in open(sys.argv[1]):
    c = re.match(r"^float32 \(compiled\)\s+-\s+-\s+([\d.]+) ms\s+([\d.]+) ms", line)
    if c:
        compiled = [float(c.group(1)), float(c.group(2))]
    m = re.match(r"^(float32|int8 \(\w+\))\s+([\d.]+) KiB\s+([\d.]+)%\s+([\d.]+) ms\s+([\d.]+) ms", line)
    if m:
        rows["float32" if m.group(1) == "float32" else "int8"] = [float(m.group(i)) for i in (3, 4, 5)]
t = json.load(open(sys.argv[2]))
tr = {k: [100 * t[k]["accuracy"], t[k]["latency_b1_ms"], t[k]["latency_b32_ms"]] for k in ("float32", "int8")}
print("model %s, %s threads, torch %s (%s engine); accuracy %%, median latency ms" % (sys.argv[3], sys.argv[4], t["torch"], t["engine"]))
for e in t.get("errors", []):
    print("PyTorch int8 failed at", e)
for k, v in t["int8"].items():
    if k.endswith("_1thread"):
        print("PyTorch int8 %s: %.3f ms (1 thread, where more threads failed)" % (k, v))
print("| | Sinter f32 | Sinter f32 compiled | Sinter int8 | PyTorch f32 | PyTorch int8 | Sinter int8 / Sinter f32 | int8 / f32 compiled | Sinter int8 / PyTorch int8 |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for i, name in enumerate(["accuracy", "latency b=1", "latency b=32"]):
    s, q, pf, pq = rows["float32"][i], rows["int8"][i], tr["float32"][i], tr["int8"][i]
    if i == 0:
        print("| %s | %.2f | - | %.2f | %.2f | %.2f | %+.2f points | - | %+.2f points |" % (name, s, q, pf, pq, q - s, q - pq))
    else:
        sc = compiled[i - 1]
        print("| %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx |" % (name, s, sc, q, pf, pq, q / s, q / sc, q / pq))
PY
