#!/usr/bin/env bash
# The request fuzzer at the issue's size: RequestFuzzTest with 10,000 requests (about 3/4 malformed, seeded
# structural mutations over raw HTTP sockets and gRPC; 1/4 valid, each compared with the model's forward).
# Not a timing: no lock needed. The unit-test run of the same class is a 1,000-request slice.
#
#   bench/serve_fuzz.sh [requests=10000] [seed=12]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
./mvnw -B -ntp -o -q -pl sinter-serve -am verify -Dtest=RequestFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsinter.fuzz.requests="${1:-10000}" -Dsinter.fuzz.seed="${2:-12}" 2>&1 | grep -E '^fuzz:|FAIL|ERROR\]' | head -20
