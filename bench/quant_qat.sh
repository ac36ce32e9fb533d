#!/usr/bin/env bash
# Quantization-aware training like for like, Sinter beside PyTorch 1.13 on the same trained weights:
# from one converged float32 checkpoint, each side trains N Adam steps (batch 32, same lr) twice —
# float32 (the control) and QAT (fake quantization, straight-through estimator) — and quantizes
# post-training as well; all on the full test set. QAT − control is quantization's own cost, not
# the extra training an under-trained baseline would get from the QAT steps.
#
#   bench/quant_qat.sh MODEL MODEL_FILE [steps] [lr] [threads]
#     MODEL: lenet5 or lab1cnn; steps default 500; lr default 1e-4 (Adam); threads default 2.
# Accuracy only (no timing), so it needs no bench lock.
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="$1"
FILE="$2"
STEPS="${3:-500}"
LR="${4:-1e-4}"
THREADS="${5:-2}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

./sinter compress --threads "$THREADS" --model "$MODEL" --checkpoint "$FILE" --quantize int8 --qat-steps "$STEPS" --qat-lr "$LR" \
    --calibration-batches 32 --latency-runs 0 | tee "$OUT/sinter.txt"
OMP_NUM_THREADS="$THREADS" /usr/bin/python3 bench/quant_pytorch.py --model "$MODEL" --weights "$FILE" --threads "$THREADS" \
    --calibration-batches 32 --runs 1 --qat-steps "$STEPS" --qat-lr "$LR" > "$OUT/torch.json"

/usr/bin/python3 - "$OUT/sinter.txt" "$OUT/torch.json" "$MODEL" "$STEPS" "$LR" <<'PY'
import json, re, sys
acc = {}
for line in open(sys.argv[1]):
    m = re.match(r"^(float32|float32 \(fine-tuned \d+\)|int8 \(\w+, no qat\)|int8 \(qat \d+\))\s+[\d.]+ KiB\s+([\d.]+)%", line)
    if m:
        key = m.group(1)
        acc["float32" if key == "float32" else "control" if "fine-tuned" in key else "ptq" if "no qat" in key else "qat"] = float(m.group(2))
t = json.load(open(sys.argv[2]))
q = t["qat"]
torch_acc = {"float32": 100 * t["float32"]["accuracy"], "ptq": 100 * t["int8"]["accuracy"],
             "control": 100 * q["float32_finetuned_accuracy"], "qat": 100 * q["int8_qat_accuracy"]}
print("model %s, %s Adam steps of batch 32 at lr %s; torch %s (%s engine); test accuracy %%" % (sys.argv[3], sys.argv[4], sys.argv[5], t["torch"], t["engine"]))
print("| | float32 | int8 PTQ | PTQ − float32 | float32 fine-tuned (control) | int8 QAT | QAT − control | QAT − float32 |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, a in (("Sinter", acc), ("PyTorch", torch_acc)):
    print("| %s | %.2f | %.2f | %+.2f | %.2f | %.2f | %+.2f | %+.2f |" % (name, a["float32"], a["ptq"], a["ptq"] - a["float32"], a["control"], a["qat"],
                                                                      a["qat"] - a["control"], a["qat"] - a["float32"]))
PY
