#!/usr/bin/env bash
# Tests the installed dlkit Java kernel (kernelspec dlkit-java) through Jupyter:
#   1. Debian's jupyter_kernel_test protocol suite     kernel/src/test/python/test_kernel.py
#   2. robustness: errors, interrupt, timeout, OOM, shutdown, parent death, the JIT and MKL
#      settings, %maven (NETWORK; DLKIT_OFFLINE_TESTS=1 skips it)   test_robustness.py
#   3. IJava's magics and functions, output limits, cell errors, System.exit   test_ijava.py
#   4. 1,400 malformed or unsigned messages on shell and control              test_fuzz.py
#   5. headless notebook execution (nbclient)          test_notebooks.py
#   6. the code blocks of README.md and docs/ marked to run   test_docs.py
#   7. Run All in headless Chromium on the classic notebook     test_browser.py
#   8. the same outputs through JupyterLab 4's output packages, in Chromium   test_jupyterlab.py
# Needs /usr/bin/python3 with jupyter_client, jupyter_kernel_test, nbclient (Debian packages).
# Exit status is non-zero when any suite fails. DLKIT_KERNEL_NAME picks another kernelspec.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${DLKIT_TEST_PYTHON:-/usr/bin/python3}
export PYDEVD_DISABLE_FILE_VALIDATION=1
status=0
summary=()
for suite in test_kernel test_robustness test_ijava test_fuzz test_notebooks test_docs test_browser test_jupyterlab; do
  echo "== $suite"
  # A hung suite fails after 15 minutes rather than using up the whole run.
  if timeout --kill-after=30 900 "$py" -X frozen_modules=off "$root/kernel/src/test/python/$suite.py" 2>&1 | grep -v -e 'Debugger warning' -e 'frozen modules' -e 'PYDEVD' ; then :; fi
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then summary+=("PASS $suite"); else summary+=("FAIL $suite (exit $rc)"); status=1; fi
done
echo "== kernel test summary"
printf '  %s\n' "${summary[@]}"
if [ "$status" -eq 0 ]; then echo "kernel tests: PASS"; else echo "kernel tests: FAIL"; fi
exit $status
