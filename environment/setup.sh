#!/usr/bin/env bash
# Sets up dlkit on a Debian/Ubuntu machine; safe to run again (each step skips what is done).
#   1. system packages: a JDK >= 17, Maven, Jupyter (Debian packages unless a Jupyter from
#      pip/conda is already found), strace for the offline check, Fashion-MNIST's Debian package,
#      gcc on x86-64 processors not Intel's (docs/kernel.md, DLKIT_MKL_VENDOR_CHECK);
#   2. builds the Maven modules;
#   3. fetches and verifies the datasets;
#   4. installs the "Java (dlkit)" Jupyter kernel (once the kernel module exists).
# Options: --no-data  skip step 3;  --no-system  skip step 1 (no root needed);
#          --for-tests  also installs what the test suite drives a browser with (chromium,
#          chromium-driver, python3-selenium) and JupyterLab's output packages from npm
#          (build/lab-frontend, for kernel/src/test/python/test_jupyterlab.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

with_data=1 with_system=1 for_tests=0
for arg in "$@"; do
  case "$arg" in
    --no-data) with_data=0 ;;
    --no-system) with_system=0 ;;
    --for-tests) for_tests=1 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown option '$arg' (use --no-data, --no-system, --for-tests or --help)" ;;
  esac
done

missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_system_packages() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
    warn "not a Debian/Ubuntu system: install a JDK 17+, Maven and Jupyter (pip install notebook nbclient jupyter_kernel_test) yourself"
    return 0
  fi
  local wanted=(maven strace dataset-fashion-mnist)
  java_bin >/dev/null || wanted+=(openjdk-17-jdk-headless)
  if ! jupyter_python >/dev/null; then
    wanted+=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client python3-jupyter-kernel-test)
  elif [ "$(jupyter_python)" = /usr/bin/python3 ]; then
    # Debian's Jupyter is in use: keep the test suite's package with it.
    wanted+=(python3-jupyter-kernel-test)
  fi
  # A C compiler for the kernel's one-function MKL library (environment/install-kernel.sh) where
  # it speeds up training: x86-64 processors not made by Intel.
  if ! command -v cc >/dev/null && [ "$(uname -m)" = x86_64 ] && ! grep -q -m1 '^vendor_id.*GenuineIntel' /proc/cpuinfo; then
    wanted+=(gcc)
  fi
  [ "$for_tests" = 1 ] && wanted+=(chromium chromium-driver python3-selenium)
  [ "$for_tests" = 1 ] && ! command -v npm >/dev/null && wanted+=(npm)
  local todo
  todo=$(missing_debs "${wanted[@]}")
  if [ -z "$todo" ]; then
    say "system packages: all present"
    return 0
  fi
  say "installing Debian packages: $(echo $todo)"
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $todo ||
    { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $todo; } ||
    die "could not install: $todo (run as root, or install them by hand)"
}

# JupyterLab's kernel connection and output renderers, pinned by kernel/src/test/lab's lock file;
# reinstalled only when that file changes.
install_lab_frontend() {
  local src="$DLKIT_ROOT/kernel/src/test/lab" dir="$DLKIT_ROOT/build/lab-frontend"
  if cmp -s "$src/package-lock.json" "$dir/node_modules/.dlkit-package-lock.json"; then
    say "JupyterLab's npm packages: present"
    return 0
  fi
  if ! command -v npm >/dev/null; then
    warn "npm not found: the JupyterLab output test will be skipped (install Node.js 18+ with npm to run it)"
    return 0
  fi
  say "installing JupyterLab's output packages from npm into build/lab-frontend"
  mkdir -p "$dir"
  cp "$src/package.json" "$src/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed in $dir"
  cp "$src/package-lock.json" "$dir/node_modules/.dlkit-package-lock.json"
}

build() {
  say "building the Maven modules"
  local offline=()
  # -o once everything is cached keeps repeated setups fast and network-free.
  if mvn -B -q -o dependency:resolve -DincludeScope=runtime >/dev/null 2>&1; then offline=(-o); fi
  (cd "$DLKIT_ROOT" && mvn -B -q "${offline[@]}" install -DskipTests)
}

[ "$with_system" = 1 ] && install_system_packages
java_bin >/dev/null || die "no Java 17+ found: install openjdk-17-jdk-headless or set JAVA_HOME"
command -v mvn >/dev/null || die "Maven not found: install the 'maven' package"
build

say "checking the engine"
"$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -cp "$(lib_classpath)" dlkit.engine.Engines

if [ "$with_data" = 1 ]; then
  if [ -x "$DLKIT_ROOT/environment/fetch-data.sh" ]; then
    say "fetching datasets"
    "$DLKIT_ROOT/environment/fetch-data.sh" all
  else
    warn "environment/fetch-data.sh not present yet: skipping datasets"
  fi
fi

[ "$for_tests" = 1 ] && install_lab_frontend

if [ -x "$DLKIT_ROOT/environment/install-kernel.sh" ]; then
  say "installing the Jupyter kernel"
  "$DLKIT_ROOT/environment/install-kernel.sh"
fi
mkdir -p "$(dirname "$SETUP_STAMP")"
fingerprint=$(setup_fingerprint)
[ -n "$fingerprint" ] && printf '%s\n' "$fingerprint" > "$SETUP_STAMP.tmp" && mv "$SETUP_STAMP.tmp" "$SETUP_STAMP"
say "setup done"
