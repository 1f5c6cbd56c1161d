#!/usr/bin/env bash
# Sets everything up (setup.sh) and runs every test: the Maven unit tests on the default JDK and,
# when one is installed, on JDK 25 too; the offline check; the kernel protocol tests and the
# notebook tests (quick profile). Exits non-zero when anything fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cd "$DLKIT_ROOT"
start=$(date +%s)

"$DLKIT_ROOT/environment/setup.sh" --for-tests

# The protocol and notebook tests run this checkout's kernel from a private kernelspec, whatever
# the user has installed.
export JUPYTER_PATH="$DLKIT_ROOT/build/jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
DLKIT_KERNEL_PREFIX="$DLKIT_ROOT/build/jupyter" "$DLKIT_ROOT/environment/install-kernel.sh"

say "unit tests ($("$(java_bin)" -version 2>&1 | head -1))"
mvn -B verify

jdk25="${DLKIT_JDK25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}"
if [ -n "$jdk25" ] && [ -x "$jdk25/bin/java" ]; then
  say "unit tests on $jdk25"
  JAVA_HOME="$jdk25" mvn -B -o -q test -Dsurefire.printSummary=true
  JAVA_HOME="$jdk25" "$jdk25/bin/java" "${JAVA_OPTS_DLKIT[@]}" -cp "$(lib_classpath)" dlkit.engine.Engines
else
  warn "no JDK 25 found: skipping the second JDK run (set DLKIT_JDK25 to a JDK's home)"
fi

say "offline check"
"$DLKIT_ROOT/environment/check-offline.sh"

if [ -x "$DLKIT_ROOT/environment/test-kernel.sh" ]; then
  say "kernel and notebook tests"
  "$DLKIT_ROOT/environment/test-kernel.sh"
fi

say "notebooks, executed headlessly on the quick profile"
"$DLKIT_ROOT/environment/run-notebooks.sh" --profile quick --check --timeout 900 --out "$DLKIT_ROOT/build/notebook-tests"

say "all tests passed in $(( $(date +%s) - start )) s"
