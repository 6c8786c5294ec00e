# Sourced by ./chaintrace and ./test: finds a JDK >= 21 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is one; else the newest JDK under /usr/lib/jvm.

jdk_major() { # prints the major version of the JDK at $1, or nothing
  local home="$1" v=""
  [ -x "$home/bin/javac" ] && [ -x "$home/bin/java" ] || return 0
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1)
  fi
  [ "$v" = "1" ] && v=8
  printf '%s' "$v"
}

find_jdk() {
  local need=21 best="" best_v=0 v home
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$need" ]; then
      return 0
    fi
    echo "chaintrace: JAVA_HOME=$JAVA_HOME is not a JDK >= $need${v:+ (it is $v)}; looking in /usr/lib/jvm" >&2
  fi
  for home in /usr/lib/jvm/*; do
    [ -d "$home" ] || continue
    v=$(jdk_major "$home")
    if [ -n "$v" ] && [ "$v" -ge "$need" ] && [ "$v" -gt "$best_v" ]; then
      best="$home"; best_v="$v"
    fi
  done
  if [ -z "$best" ]; then
    echo "chaintrace: no JDK >= $need found: JAVA_HOME is ${JAVA_HOME:-unset} and /usr/lib/jvm holds none." >&2
    echo "chaintrace: install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+) or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
