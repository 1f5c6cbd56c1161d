#!/usr/bin/env bash
# Proves that starting the engine opens no network connection: runs Engines under strace and
# fails if any connect() goes to an IPv4/IPv6 address. Needs strace (setup.sh installs it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v strace >/dev/null || die "strace not found: apt-get install strace"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Unset the variables that make DJL offline: the library must turn offline mode on by itself.
env -u DJL_OFFLINE -u OPT_OUT_TRACKING strace -f -qq -e trace=connect,sendto,sendmsg -o "$log" \
  "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -cp "$(lib_classpath)" dlkit.engine.Engines
inet=$(grep -E 'AF_INET6?' "$log" || true)
if [ -n "$inet" ]; then
  echo "$inet" >&2
  die "engine start made network calls (above)"
fi
echo "offline check passed: $(grep -c 'connect(' "$log" || true) connect() calls, none to an internet address"
