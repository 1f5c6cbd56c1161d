#!/usr/bin/env bash
# Sets everything up (setup.sh), then opens Jupyter Notebook on notebooks/ with the Java kernel.
# Extra arguments go to Jupyter (e.g. --no-browser --port 8890).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
"$DLKIT_ROOT/environment/setup.sh"
py=$(jupyter_python) || die "no Jupyter found: run environment/setup.sh as root, or pip install notebook nbclient"
say "opening Jupyter Notebook on $DLKIT_ROOT/notebooks (stop it with Ctrl-C)"
cd "$DLKIT_ROOT/notebooks"
extra=()
[ "$(id -u)" -eq 0 ] && extra+=(--allow-root)
exec "$py" -m notebook "${extra[@]}" "$@"
