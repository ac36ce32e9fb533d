#!/usr/bin/env bash
# Builds what the GPU checks need on a machine that has no JDK and no Maven (the lent device
# machine): a trimmed Java 25 runtime (jlink), the command-line jar without the MNIST copy (the
# working tree carries MNIST), the test classes and the JUnit console launcher, into .devrun/
# (git-ignored), which tools/device/cuda-check.sh runs there. Usage: tools/device/make-bundle.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$ROOT/tools/find-jdk.sh"
sinter_find_jdk
cd "$ROOT"
grep -qx '/.devrun/' .git/info/exclude 2>/dev/null || echo '/.devrun/' >> .git/info/exclude
./mvnw -q -B -ntp -pl sinter-cli,sinter-cuda -am package -DskipTests
./mvnw -q -B -ntp dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.2
rm -rf .devrun && mkdir -p .devrun/test-classes
cp sinter-cli/target/sinter.jar .devrun/sinter.jar
zip -q -d .devrun/sinter.jar 'org/sinter/data/mnist/*'
cp sinter-core/target/sinter-core-*-tests.jar .devrun/core-tests.jar
cp -r sinter-cuda/target/test-classes/. .devrun/test-classes/
cp ~/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.14.2/junit-platform-console-standalone-1.14.2.jar .devrun/junit-console.jar
tmp=$(mktemp -d)
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.compiler,jdk.zipfs,java.desktop,java.management,java.net.http,java.sql,java.logging,java.xml,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$tmp/jrt" 2>/dev/null
tar -C "$tmp" -cJf .devrun/jrt.tar.xz jrt
rm -rf "$tmp"
du -sh .devrun
