#!/usr/bin/env bash
# Re-runs notebooks headlessly and collects the executed copies and exported figures in a report
# folder: how to regenerate every figure for a write-up. With the run cache warm this takes seconds
# per notebook.
#   environment/run-notebooks.sh [--profile quick|standard|full] [--out report] [notebook.ipynb ...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
py=$(jupyter_python) || die "no Jupyter found: run environment/setup.sh first"
exec "$py" "$DLKIT_ROOT/environment/run_notebooks.py" "$@"
