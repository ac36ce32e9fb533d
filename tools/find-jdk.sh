# Sourced by ./mvnw, ./sinter and scripts: sets JAVA_HOME to a JDK 25 or newer, or fails clearly.
# Order: $JAVA_HOME when it is 25+, then /usr/lib/jvm/*25* (and newer), then `java` on PATH.
sinter_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}
sinter_find_jdk() {
  local cand major
  for cand in "${JAVA_HOME:-}" /usr/lib/jvm/*25* /usr/lib/jvm/*2[6-9]* /usr/lib/jvm/*; do
    [ -n "$cand" ] && [ -x "$cand/bin/javac" ] || continue
    major=$(sinter_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then export JAVA_HOME="$cand"; return 0; fi
  done
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(sinter_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge 25 ]; then export JAVA_HOME="$cand"; return 0; fi
  fi
  echo "sinter: no JDK 25 found. Sinter needs JDK 25 or newer (the Vector and FFM APIs)." >&2
  echo "        Set JAVA_HOME to a JDK 25, or install one under /usr/lib/jvm." >&2
  return 1
}
