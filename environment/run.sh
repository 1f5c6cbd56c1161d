#!/usr/bin/env bash
# Sets everything up (setup.sh), then opens Jupyter Notebook on notebooks/ with the Java kernel.
# When nothing changed since the last complete setup (same commit, no edits to the build, sources
# or scripts, same JDK), the setup is skipped and Jupyter opens at once; environment/setup.sh
# redoes it by hand. Extra arguments go to Jupyter (e.g. --no-browser --port 8890).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
fingerprint=$(setup_fingerprint)
if [ -n "$fingerprint" ] && [ "$(cat "$SETUP_STAMP" 2>/dev/null)" = "$fingerprint" ] \
   && [ -f "$DLKIT_ROOT/kernel/target/dlkit-kernel.jar" ]; then
  say "set up already: nothing changed since the last setup (environment/setup.sh redoes it)"
else
  "$DLKIT_ROOT/environment/setup.sh"
fi
py=$(jupyter_python) || die "no Jupyter found: run environment/setup.sh as root, or pip install notebook nbclient"
say "opening Jupyter Notebook on $DLKIT_ROOT/notebooks (stop it with Ctrl-C)"
cat >&2 <<'NEXT'
    Start with 00-getting-started.ipynb; pick the kernel "Java (dlkit)" if asked.
    Profiles: DLKIT_PROFILE=quick (a minute a notebook), standard (the default, about 20 minutes
    a notebook on 2 cores) or full (the coursework's settings), e.g.
      DLKIT_PROFILE=quick bash environment/run.sh
NEXT
cd "$DLKIT_ROOT/notebooks"
extra=()
[ "$(id -u)" -eq 0 ] && extra+=(--allow-root)
exec "$py" -m notebook "${extra[@]}" "$@"
