#!/usr/bin/env bash
# Search efficiency (the AutoTVM paper's figures, scaled to one fully measured space): measures
# every configuration of one ResNet-18 layer's template once (bench-out/autotune_space_LAYER.jsonl,
# resumable), then replays random search, model-guided search (simulated annealing over the
# XGBoost rank model) and model-guided search with transfer from bench-out/autotune_resnet18.jsonl
# (run bench/autotune_resnet.sh first for that) over those measurements for several seeds.
# Prints the mean trials each needs to reach the space's best and 95% of it; writes
# bench-out/autotune_search_LAYER.png.
#
#   bench/autotune_search.sh [layer] [seeds] [threads]      (defaults: C12, 10, 2)
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
cd "$(dirname "$0")/.."
LAYER="${1:-C12}"
SEEDS="${2:-10}"
THREADS="${3:-2}"
mkdir -p bench-out
./mvnw -q -B -ntp -pl sinter-cli -am package -DskipTests
. tools/find-jdk.sh
sinter_find_jdk
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Djava.awt.headless=true \
    -cp sinter-cli/target/sinter.jar org.sinter.cli.tune.SearchEfficiencyBench "$LAYER" "bench-out/autotune_space_$LAYER.jsonl" \
    bench-out/autotune_resnet18.jsonl "$SEEDS" "$THREADS" "bench-out/autotune_search_$LAYER.png"
