#!/usr/bin/env bash
# Learned indexes beside binary search, the B+-tree and TreeMap (issue 20's bars), in one run each:
#   1. point lookups on 100M log-normal and 100M uniform (sparse) keys, the default line-up;
#   2. the 50/50 insert/lookup mix, updatable B+-tree against the delta-buffer learned indexes,
#      on 10M keys (8M operations, several merges) and on 100M keys (10M operations);
# all under the shared benchmark lock. Results land in runs/learned/ (CSV and PNG) and on stdout.
#
# Usage: bench/learned_index.sh [n=100M] [mix_ops_100m=10M]
set -euo pipefail
. "$(dirname "$0")/machine.sh"
bench_machine
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
N=${1:-100M}
MIXOPS=${2:-10M}
export SINTER_JAVA_OPTS="${SINTER_JAVA_OPTS:--Xmx10g}"
cd "$ROOT"
for keys in lognormal sparse; do
  echo "== lookups: $keys, $N keys"
  flock /tmp/sinter-bench.lock ./sinter bench index --keys "$keys" --n "$N" --lookups 2M --repeats 3 --out "runs/learned/$keys-$N"
done
echo "== mix: lognormal, 10M keys"
flock /tmp/sinter-bench.lock ./sinter bench index --keys lognormal --n 10M --lookups 100k --repeats 1 --structures binary --mix --mix-ops 8M --out runs/learned/mix-10M
echo "== mix: lognormal, $N keys"
flock /tmp/sinter-bench.lock ./sinter bench index --keys lognormal --n "$N" --lookups 100k --repeats 1 --structures binary --mix --mix-ops "$MIXOPS" --out "runs/learned/mix-$N"
