# Sourced, not run: the one rule for choosing a JDK 21+, shared by .ci/run,
# aio-bench/compare.sh and aio-bench/web-compare.sh. Defines java_major and pick_jdk.

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

# Prints the first JDK 21+ found: $JAVA_HOME, then Temurin 25, then the others under /usr/lib/jvm.
pick_jdk() {
  local candidates=() j v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/java-2[1-9]-* /usr/lib/jvm/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for j in "${candidates[@]}"; do
    [ -x "$j/bin/java" ] && [ -x "$j/bin/javac" ] || continue
    v=$(java_major "$j" || echo 0)
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then
      echo "$j"
      return 0
    fi
  done
  return 1
}
