# Shared helpers for dlkit's environment scripts; sourced, not run.
# shellcheck shell=bash

DLKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DLKIT_ROOT

say()  { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root directly, otherwise through sudo when it is there.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

# The python that can run Jupyter: $DLKIT_PYTHON, else the first of /usr/bin/python3 (Debian's
# Jupyter lives there), python3 on PATH (pip/conda/venv users) that imports jupyter_client and nbclient.
jupyter_python() {
  local candidates=("${DLKIT_PYTHON:-}" /usr/bin/python3 "$(command -v python3 2>/dev/null)" "$(command -v python 2>/dev/null)")
  local py
  for py in "${candidates[@]}"; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" -c 'import jupyter_client, nbclient, nbformat' >/dev/null 2>&1; then
      echo "$py"; return 0
    fi
  done
  return 1
}

# The java to use: $JAVA_HOME/bin/java, else java on PATH; must be 17 or newer.
java_bin() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  command -v "$java" >/dev/null || return 1
  local major
  major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${major%%.*}" -ge 17 ] 2>/dev/null || return 1
  echo "$java"
}

# Classpath of the helper library as built by `mvn package`.
# JVM options every script passes: native access for JNA/DJL (JDK 22+ warns without it).
JAVA_OPTS_DLKIT=(--enable-native-access=ALL-UNNAMED)

lib_classpath() {
  echo "$DLKIT_ROOT/lib/target/classes:$DLKIT_ROOT/lib/target/lib/*"
}

# DJL must never reach for the network from our scripts.
export DJL_OFFLINE="${DJL_OFFLINE:-true}"
export OPT_OUT_TRACKING="${OPT_OUT_TRACKING:-true}"

# What setup.sh's result depends on: the commit and any uncommitted change to the build, the
# sources and these scripts, plus the JDK. Empty outside a git checkout (setup then always runs).
setup_fingerprint() {
  ( cd "$DLKIT_ROOT" && git rev-parse --verify -q HEAD >/dev/null 2>&1 || exit 0
    { git rev-parse HEAD; git diff HEAD -- pom.xml lib kernel environment
      git ls-files --others --exclude-standard -- lib kernel environment | xargs -r cat 2>/dev/null
      java_bin; } | sha256sum | cut -c1-16 )
}

# Where setup.sh records the fingerprint of its last complete run.
SETUP_STAMP="$DLKIT_ROOT/build/setup.done"
