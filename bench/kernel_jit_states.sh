#!/usr/bin/env bash
# Kernel speed by what ran before it in the process: ResNet-18's convolutions (C1-C12, batch 1) and
# float GEMMs, run one after another in one JVM in three orders, each for SECONDS (default 4) with
# the last third measured; prints each kernel's median ms and bytes allocated per call. A kernel
# the JIT compiled with its vectors boxed (docs/autotune.md, "the stride-2 slow state") allocates
# megabytes a call; a healthy one a few kilobytes. JAVA_OPTS passes JVM options (e.g.
# "-Xbatch -XX:-TieredCompilation", the interpreter-profile mode the unit test uses).
#
#   bench/kernel_jit_states.sh [seconds=4]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk || exit 1
SECONDS_EACH=${1:-4}
(cd "$ROOT" && ./mvnw -q -B -ntp -pl sinter-core -am test-compile) >&2
CP="$ROOT/sinter-core/target/classes:$ROOT/sinter-core/target/test-classes"
for order in "c1 g:64:3136:64 c2 c4 c5 c6 c7 c8 c9 c10 c11 c12 g:1:512:784 g:16:512:784" \
             "g:16:512:784 g:1:512:784 c12 c11 c10 c9 c8 c7 c6 c5 c4 c2 g:64:3136:64 c1" \
             "g:1:512:784 g:16:512:784 g:64:512:512 c1 c2 c4 c5 c6 c7 c8 c9 c10 c11 c12"; do
  echo "order: $order"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -XX:+UseParallelGC ${JAVA_OPTS:-} -cp "$CP" \
      org.sinter.kernels.KernelJitStates --seconds "$SECONDS_EACH" $order 2> >(grep -v '^WARNING' >&2) \
    | awk '{printf "  %-14s %9.4f ms  %12d bytes/call\n", $1, $2, $4}'
done
