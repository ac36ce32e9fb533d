#!/usr/bin/env bash
# The GPU checks of sinter-cuda, run on the lent device machine from a bundle made here by
# tools/device/make-bundle.sh (carried as .devrun): the GPU tests (every sinter-core fixture case
# on the GPU, SGEMM, copies, allocator, autograd), the SGEMM benchmark against cuBLAS, and one
# Lab 1 CNN training epoch on the GPU and on the CPU backend of the same machine.
# Usage there: bash tools/device/cuda-check.sh [tests|bench|epoch|compiled|profile|gc ...]   (default: tests bench epoch profile)
# (compiled: eager vs compiled GPU inference, CompiledBenchmark, and one compiled Lab 1 training epoch on the GPU)
# (gc: the GPU epoch under three memory policies, with the JVM's GC log and the allocator's counters)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${OUT:-/tmp/sinter-out}"
mkdir -p "$OUT"
steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(tests bench epoch profile)
tar -C /tmp -xJf .devrun/jrt.tar.xz
JAVA=/tmp/jrt/bin/java
# NVRTC and cuBLAS: wherever the toolkit or the Python wheels put them.
for lib in libnvrtc.so libcublas.so; do
  d=$(find /usr/local /opt /usr/lib -name "$lib*" -not -path '*/stubs/*' 2>/dev/null | head -1 | xargs -r dirname)
  [ -n "$d" ] && export LD_LIBRARY_PATH="$d:${LD_LIBRARY_PATH:-}"
done
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
lscpu | grep -E 'Model name|^CPU\(s\)'
JOPTS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Djava.awt.headless=true)
for step in "${steps[@]}"; do
  case "$step" in
    tests)
      timeout 240 "$JAVA" "${JOPTS[@]}" -Xss4m -Dsinter.checkMeta=true -jar .devrun/junit-console.jar execute \
        -cp .devrun/sinter.jar:.devrun/core-tests.jar:.devrun/test-classes \
        ${SELECT:---select-package org.sinter.cuda --select-class org.sinter.reference.CudaReferenceTest} \
        --details=summary --disable-banner --reports-dir="$OUT/reports" 2>&1 | tee "$OUT/tests.log" | tail -60
      ;;
    bench)
      timeout 60 "$JAVA" "${JOPTS[@]}" -cp .devrun/sinter.jar org.sinter.cuda.tools.SgemmBenchmark 4096 20 2>&1 | tee "$OUT/sgemm.txt"
      timeout 30 "$JAVA" "${JOPTS[@]}" -cp .devrun/sinter.jar org.sinter.cuda.tools.SgemmBenchmark 1024 20 2>&1 | tail -6
      ;;
    epoch)
      data=sinter-data/src/main/resources/org/sinter/data/mnist
      # A short run first compiles (and caches on disk) every kernel the epoch uses, once per machine.
      timeout 90 "$JAVA" "${JOPTS[@]}" -jar .devrun/sinter.jar train --model lab1cnn --epochs 1 --max-steps 30 --device cuda \
        --data-dir "$data" --out /tmp/run-warm > /dev/null 2>&1
      for dev in cuda cpu; do
        rm -rf "/tmp/run-$dev"
        # The young generation ./sinter gives each device (see the launcher).
        if [ "$dev" = cuda ]; then young=(-XX:NewSize=64m -XX:MaxNewSize=64m); else young=(-XX:NewSize=1g); fi
        timeout 150 "$JAVA" "${JOPTS[@]}" "${young[@]}" -jar .devrun/sinter.jar train --model lab1cnn --epochs 1 --device "$dev" \
          --data-dir "$data" --out "/tmp/run-$dev" 2>&1 | tr '\r' '\n' | grep -v '^epoch 1/1' | tee "$OUT/epoch-$dev.txt" | tail -8
      done
      ;;
    compiled)
      timeout 90 "$JAVA" "${JOPTS[@]}" -cp .devrun/sinter.jar org.sinter.cuda.tools.CompiledBenchmark 30 2>&1 | tee "$OUT/compiled-bench.txt"
      data=sinter-data/src/main/resources/org/sinter/data/mnist
      rm -rf /tmp/run-compiled /tmp/run-compiled-warm
      timeout 90 "$JAVA" "${JOPTS[@]}" -jar .devrun/sinter.jar train --model lab1cnn --epochs 1 --max-steps 30 --device cuda --compile \
        --data-dir "$data" --out /tmp/run-compiled-warm > /dev/null 2>&1
      timeout 120 "$JAVA" "${JOPTS[@]}" -XX:NewSize=64m -XX:MaxNewSize=64m -jar .devrun/sinter.jar train --model lab1cnn --epochs 1 --device cuda \
        --compile --data-dir "$data" --out /tmp/run-compiled 2>&1 | tr '\r' '\n' | grep -v '^epoch 1/1' | tee "$OUT/epoch-cuda-compiled.txt" | tail -8
      ;;
    profile)
      data=sinter-data/src/main/resources/org/sinter/data/mnist
      for dev in ${PROFILE_DEVICES:-cuda cpu}; do
        rm -rf "/tmp/prof-$dev"
        timeout 120 "$JAVA" "${JOPTS[@]}" -XX:NewSize=1g -jar .devrun/sinter.jar train --model lab1cnn --epochs 1 --max-steps 40 \
          --device "$dev" --profile --data-dir "$data" --out "/tmp/prof-$dev" > /dev/null 2>&1
        cp "/tmp/prof-$dev/profile.txt" "$OUT/profile-$dev.txt" 2>/dev/null && head -30 "$OUT/profile-$dev.txt"
      done
      ;;
    gc)
      data=sinter-data/src/main/resources/org/sinter/data/mnist
      for cfg in "nogc:-Dsinter.cuda.gcThresholdMiB=1000000 -XX:NewSize=1g" "young64:-Dsinter.cuda.gcThresholdMiB=1000000 -XX:NewSize=64m -XX:MaxNewSize=64m" \
                 "t16g:-Dsinter.cuda.gcThresholdMiB=16384 -XX:NewSize=1g"; do
        name=${cfg%%:*}; opts=${cfg#*:}
        rm -rf "/tmp/gc-$name"
        timeout 50 "$JAVA" "${JOPTS[@]}" $opts -Dsinter.cuda.stats=true -Xlog:gc:file="$OUT/gc-$name.log" -jar .devrun/sinter.jar train \
          --model lab1cnn --epochs 1 --device cuda --data-dir "$data" --out "/tmp/gc-$name" 2>&1 | tr '\r' '\n' | grep -E '^epoch 1:|\[cuda\]' | sed "s/^/$name: /"
        echo "$name: $(grep -c 'Pause' "$OUT/gc-$name.log") GC pauses, $(grep -o '[0-9.]*ms$' "$OUT/gc-$name.log" | awk '{s+=$1} END {printf "%.0f", s}') ms paused"
      done
      ;;
  esac
done
