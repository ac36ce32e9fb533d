#!/usr/bin/env bash
# Replays issue 8 (CLI and training state) as a new user would: builds the CLI through ./sinter,
# crafts the bad inputs in a temporary directory (a FIFO, an empty directory, damaged checkpoints,
# non-UTF-8 text, a transparent PNG), runs the CLI as a subprocess and checks each case's exit
# code, that stderr holds no Java stack trace, the message, and that an existing run's files are
# byte-identical where data could be lost. A second section runs Tensor-API cases against the jar.
# Prints one line per case and a summary; exits non-zero when any case fails. About 3-5 minutes.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
SINTER="$ROOT/sinter"
JAR="$ROOT/sinter-cli/target/sinter.jar"
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Djava.awt.headless=true)
"$SINTER" info >/dev/null 2>&1 || { echo "replay: cannot build or run ./sinter" >&2; exit 1; }

TMP="$(mktemp -d)"
BG=""
cleanup() { [ -n "$BG" ] && kill "$BG" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP" || exit 1

declare -A FAILED=([data-loss]=0 [silent-wrong]=0 [stack-trace]=0)
TOTAL=0
RC=0

# sinter ARGS...: runs the CLI; sets RC, OUT (stdout), ERR (stderr).
sinter() {
  timeout 120 "$SINTER" "$@" >"$TMP/.out" 2>"$TMP/.err"
  RC=$?
  OUT="$(cat "$TMP/.out")"
  ERR="$(grep -v '^WARNING: Using incubator modules' "$TMP/.err")"
}

# Fingerprint of a run directory: sha256 of every file but the lock.
digest() { (cd "$1" && find . -type f ! -name .lock -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

# check ITEM CASE CATEGORY WANT_RC REGEX [DIR DIGEST]: judges the last sinter run.
# CATEGORY: what a failure of this case means (data-loss, silent-wrong; a trace always counts as stack-trace).
check() {
  local item="$1" name="$2" cat="$3" want="$4" re="$5" dir="${6:-}" before="${7:-}" why="" what
  what="exit $RC"
  TOTAL=$((TOTAL + 1))
  if printf '%s\n' "$ERR" | grep -q $'^\tat '; then why="stack trace on stderr"; cat=stack-trace; fi
  if [ -z "$why" ] && [ "$RC" != "$want" ]; then why="expected exit $want"; fi
  if [ -z "$why" ] && ! printf '%s\n%s\n' "$OUT" "$ERR" | grep -Eq -- "$re"; then why="output lacks /$re/"; fi
  what="$what, /$re/"
  if [ -n "$dir" ]; then
    what="$what, run files unchanged"
    if [ "$(digest "$dir")" != "$before" ]; then why="run files changed"; cat=data-loss; fi
  fi
  if [ -z "$why" ]; then
    printf 'PASS  %-3s %-34s (%s)\n' "$item" "$name" "$what"
  else
    FAILED[$cat]=$((FAILED[$cat] + 1))
    printf 'FAIL  %-3s %-34s (%s: %s)\n' "$item" "$name" "$what" "$why"
    printf '%s\n' "$ERR" | head -3 | sed 's/^/        stderr: /'
  fi
}

Q=(--threads 2)
echo "== issue 8: command line and training state (in $TMP)"
sinter train --model mlp --epochs 1 --max-steps 2 "${Q[@]}" --out runs/mlp
check 0 "baseline mlp run" silent-wrong 0 "final test accuracy"
D=$(digest runs/mlp)

# 1. A rejected run must not touch an existing one.
sinter train --model mlp --batch-size 0 --out runs/mlp
check 1 "--batch-size 0 on a run" data-loss 2 "--batch-size must be" runs/mlp "$D"
sinter train --model mlp --epochs 0 --out runs/mlp
check 1 "--epochs 0 on a run" data-loss 2 "--epochs must be" runs/mlp "$D"

# 2. A plain train into an existing run is refused; --overwrite replaces it.
sinter train --model mlp --epochs 1 --max-steps 2 "${Q[@]}" --out runs/mlp
check 2 "plain train into a run" data-loss 2 "already holds a run.*--overwrite" runs/mlp "$D"
cp -r runs/mlp runs/mlp-over
sinter train --model mlp --epochs 1 --max-steps 2 "${Q[@]}" --out runs/mlp-over --overwrite
check 2 "--overwrite" silent-wrong 0 "final test accuracy"

# 3. Two runs into one directory: the second is refused while the first holds the lock.
"$SINTER" train --model mlp --epochs 1 --max-steps 400 --checkpoint-every 5 --threads 1 --out runs/busy >"$TMP/bg.out" 2>&1 &
BG=$!
for _ in $(seq 1 120); do [ -s runs/busy/steps.csv ] && [ "$(wc -l <runs/busy/steps.csv)" -gt 2 ] && break; sleep 0.5; done
sinter train --model mlp --epochs 1 --max-steps 2 --out runs/busy --resume
check 3 "second run into a busy --out" data-loss 1 "run directory runs/busy is in use by another sinter process \(pid [0-9]+\)"
kill "$BG" 2>/dev/null; wait "$BG" 2>/dev/null; BG=""
if awk -F, 'NR > 1 && $1 != NR - 1 { bad = 1 } END { exit bad }' runs/busy/steps.csv; then
  RC=0; ERR=""; OUT="steps consecutive"
else RC=1; ERR=""; OUT="steps.csv interleaved"; fi
check 3 "busy run's steps.csv intact" data-loss 0 "steps consecutive"

# 8. charlm on the user's own text (no capital letters: not the bundled prompt's characters).
python3 -c "open('mytext.txt','w').write('the cat sat on the mat and the dog ran to the sun. ' * 80)"
sinter train --model charlm --dataset mytext.txt --epochs 1 --max-steps 2 --batch-size 4 "${Q[@]}" --out runs/charlm
check 8 "train charlm on mytext" silent-wrong 0 "sample: the "
sinter sample --model-file runs/charlm/model.safetensors --prompt "the " --length 40
check 8 "sample uses the model's vocabulary" silent-wrong 0 "^the [ .acdeghmnorstu]{40}$"
sinter sample --model-file runs/charlm/model.safetensors
check 8 "prompt with unknown characters" silent-wrong 2 "lacks: 'A' \(U\+0041\)"
sinter eval --model-file runs/charlm/model.safetensors
check 8 "eval scores the trained text" silent-wrong 0 "validation part of .*/mytext.txt"

# 9. Degenerate data and options; resume that changes the run.
: >empty.txt
sinter train --model charlm --dataset empty.txt --out runs/empty
check 9 "empty text" silent-wrong 1 "0 characters is too short"
sinter train --model charlm --dataset mytext.txt --batch-size 100000 --out runs/tiny
check 9 "fewer examples than one batch" silent-wrong 1 "fewer than one batch"
for opt in "--epochs -3" "--gamma -1" "--lr Infinity" "--lr -0.1" "--threads 0"; do
  # shellcheck disable=SC2086
  sinter train --model mlp $opt --out runs/never
  check 9 "$opt" silent-wrong 2 "^sinter: train: ${opt%% *}.* must be"
done
D=$(digest runs/mlp)
sinter train --model mlp --epochs 2 --max-steps 2 --resume --lr 0.5 --out runs/mlp
check 9 "--resume --lr 0.5" data-loss 2 "--lr 0.5 differs from the run's 0.001" runs/mlp "$D"
sinter train --model mlp --epochs 2 --max-steps 2 --resume --batch-size 64 --out runs/mlp
check 9 "--resume --batch-size 64" data-loss 2 "--batch-size 64 differs from the run's 128" runs/mlp "$D"
sinter train --model mlp --epochs 2 --max-steps 2 --resume --optimizer sgd --out runs/mlp
check 9 "--resume --optimizer sgd" data-loss 2 "--optimizer sgd differs from the run's adam" runs/mlp "$D"
sinter train --model mlp --epochs 1 --resume --out runs/mlp
check 9 "resume a finished run" data-loss 0 "already finished 1 epoch; nothing to do" runs/mlp "$D"

# 10. A dark digit on a transparent background is seen as on white paper, not as a blank image.
"${JAVA[@]}" --source 25 "$ROOT/tools/replay/TransparentPng.java" "$TMP" 2>/dev/null
sinter predict --model-file runs/mlp/model.safetensors --image paper.png
PAPER="$(printf '%s\n' "$OUT" | tail -n +2)"
sinter predict --model-file runs/mlp/model.safetensors --image transparent.png
[ "$RC" = 0 ] && [ "$(printf '%s\n' "$OUT" | tail -n +2)" = "$PAPER" ] && OUT="$OUT
same as on paper"
check 10 "transparent PNG, dark strokes" silent-wrong 0 "same as on paper"

# 12. Non-regular files are refused without blocking or exhausting memory.
mkfifo fifo
sinter checkpoint fifo
check 12 "checkpoint FIFO" silent-wrong 1 "not a regular file"
sinter eval --model-file fifo
check 12 "--model-file FIFO" silent-wrong 1 "--model-file fifo: is not a regular file"
sinter train --model charlm --dataset /dev/zero --out runs/zero
check 12 "charlm --dataset /dev/zero" silent-wrong 1 "--dataset /dev/zero: is not a regular file"
sinter predict --model-file runs/mlp/model.safetensors --image fifo
check 12 "--image FIFO" silent-wrong 1 "--image fifo: is not a regular file"

# 13. Damaged checkpoints (valid checksums) are rejected at load, naming the file and the field.
"${JAVA[@]}" --source 25 -cp "$JAR" "$ROOT/tools/replay/CraftCheckpoints.java" runs/mlp crafted 2>/dev/null
for c in abc:'"extra.batch_in_epoch" is abc' short-loader:'"extra.loader_state"' epoch-2p40:'"epoch" is 1099511627776' \
         missing-opt:'"state.1.exp_avg_sq" is missing' shape-opt:'"state.0.exp_avg" is .*expected'; do
  name="${c%%:*}"
  cp runs/mlp/*.csv runs/mlp/model.safetensors "crafted/$name/"
  sinter train --model mlp --epochs 3 --max-steps 2 --resume --out "crafted/$name"
  check 13 "checkpoint: $name" silent-wrong 1 "crafted/$name/checkpoint/last.safetensors.*${c#*:}"
done

# 15. Never report success for work not done.
mkdir emptydir
sinter checkpoint emptydir
check 15 "checkpoint of an empty directory" silent-wrong 1 "no checkpoints found in emptydir"
sinter train --model mlp --epochs 1 --max-steps 3 --profile "${Q[@]}" --out runs/prof
[ -s runs/prof/profile.txt ] || OUT=""
check 15 "--profile with 3 steps" silent-wrong 0 "only 3 steps.*profiling steps 0-2"
sinter train --model mlp --epochs 0 --out runs/zeroepochs
[ -e runs/zeroepochs ] && OUT="$OUT wrote"
check 15 "--epochs 0 claims nothing" silent-wrong 2 "^sinter: train: --epochs must be"

# 16. One line per error; the trace only with --debug.
sinter eval --model-file nothing.safetensors
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || RC="$RC, more than one line"
check 16 "failure is one line, exit 1" silent-wrong 1 "^sinter: eval: no model file nothing.safetensors"
sinter train --frob
check 16 "usage error, exit 2" silent-wrong 2 "^sinter: train: Unknown option: '--frob'"
sinter --debug eval --model-file nothing.safetensors
printf '%s\n' "$ERR" | grep -q $'^\tat ' && OUT="$OUT trace-shown"; ERR="$(printf '%s\n' "$ERR" | grep -v $'^\tat ')"
check 16 "--debug shows the trace" silent-wrong 1 "trace-shown"

# 17. Messages name the file and say why.
sinter eval --model-file runs
check 17 "--model-file a directory" silent-wrong 1 "--model-file runs: is a directory"
sinter train --model mlp --data-dir mytext.txt --out runs/dd
check 17 "--data-dir a file" silent-wrong 1 "--data-dir mytext.txt: is not a directory"
sinter train --model charlm --dataset runs --out runs/dd
check 17 "--dataset a directory" silent-wrong 1 "--dataset runs: is a directory"
sinter predict --model-file runs/mlp/model.safetensors --image runs
check 17 "--image a directory" silent-wrong 1 "--image runs: is a directory"
echo "not an image" >junk.png
sinter predict --model-file runs/mlp/model.safetensors --image junk.png
check 17 "--image not an image" silent-wrong 1 "--image junk.png: not an image format"
printf 'caf\xe9 au lait\n' >latin1.txt
sinter train --model charlm --dataset latin1.txt --out runs/latin1
check 17 "non-UTF-8 text" silent-wrong 1 "latin1.txt: not UTF-8 text: invalid byte 0xE9 at byte offset 3"
echo x >afile
sinter train --model mlp --out afile
check 17 "--out a file" data-loss 2 "--out afile: is a file"
sinter predict --model-file runs/mlp/checkpoint/last.safetensors --index 0
check 17 "predict with a checkpoint" silent-wrong 0 "MNIST test image 0"

echo "== Tensor API (against $JAR)"
"${JAVA[@]}" --source 25 -cp "$JAR" "$ROOT/tools/replay/TensorCases.java" >"$TMP/core.out" 2>"$TMP/core.err"
grep -E '^(PASS|FAIL)' "$TMP/core.out"
CORE_FAIL=$(grep -c '^FAIL' "$TMP/core.out")
CORE_PASS=$(grep -c '^PASS' "$TMP/core.out")
if [ "$((CORE_FAIL + CORE_PASS))" = 0 ]; then
  echo "FAIL  core  TensorCases.java did not run: $(grep -v WARNING "$TMP/core.err" | head -3)"; CORE_FAIL=1
fi
TOTAL=$((TOTAL + CORE_FAIL + CORE_PASS))
FAILED[silent-wrong]=$((FAILED[silent-wrong] + CORE_FAIL))

ALL=$((FAILED[data-loss] + FAILED[silent-wrong] + FAILED[stack-trace]))
echo "$((TOTAL - ALL))/$TOTAL cases pass"
echo "data-loss ${FAILED[data-loss]}, silent-wrong ${FAILED[silent-wrong]}, stack-trace ${FAILED[stack-trace]}"
[ "$ALL" = 0 ]
