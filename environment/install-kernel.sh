#!/usr/bin/env bash
# Installs the "Java (dlkit)" Jupyter kernelspec (name dlkit-java) for the current user. Idempotent.
#
#   environment/install-kernel.sh            # builds the kernel if needed, then installs
#   DLKIT_JAVA=/path/to/java environment/install-kernel.sh   # pin a JDK (17 or newer)
#
# The kernelspec runs kernel/bin/dlkit-kernel from this checkout, so rebuilding the kernel
# (mvn -o -pl kernel -am package -DskipTests) needs no reinstall.
# DLKIT_KERNEL_NAME=other-name installs under another name (e.g. to test a second JDK side by side).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
name=${DLKIT_KERNEL_NAME:-dlkit-java}
root=$DLKIT_ROOT

# A JDK: DLKIT_JAVA, else JAVA_HOME, else java on PATH; it must be 17 or newer.
java_home=${JAVA_HOME:-}
[ -n "${DLKIT_JAVA:-}" ] && java_home=$(dirname "$(dirname "$(readlink -f "$DLKIT_JAVA")")")
java=$(JAVA_HOME="$java_home" java_bin) || die "install-kernel: no Java 17+ found; install a JDK 17+ or set JAVA_HOME / DLKIT_JAVA"
java=$(readlink -f "$(command -v "$java")")

# The kernel build.
if [ ! -f "$root/kernel/target/dlkit-kernel.jar" ] || [ ! -d "$root/kernel/target/lib" ]; then
  (cd "$root" && mvn -q -o -pl kernel -am package -DskipTests) || \
    (cd "$root" && mvn -q -pl kernel -am package -DskipTests)
fi

# MKL's processor check (kernel/bin/dlkit-env.sh): a one-function library, built where a C compiler
# is found on x86-64 Linux; rebuilt when its source is newer.
native_src="$root/kernel/src/main/native/dlkit-mkl-cpu.c"
native_lib="$root/kernel/target/native/libdlkit-mkl-cpu.so"
if [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] && [ ! "$native_lib" -nt "$native_src" ]; then
  if command -v cc >/dev/null 2>&1; then
    mkdir -p "$(dirname "$native_lib")"
    cc -shared -fPIC -O2 -o "$native_lib.tmp" "$native_src" && mv "$native_lib.tmp" "$native_lib" ||
      die "install-kernel: could not compile $native_src"
  else
    echo "install-kernel: no C compiler (cc): matrix products stay on MKL's generic code on processors not made by Intel (install gcc for up to 30 % faster training there)" >&2
  fi
fi

python=$(jupyter_python) || die "install-kernel: no Python with jupyter_client and nbclient found; install Jupyter first"

data_dir=""
if [ -d "$root/data" ]; then data_dir="$root/data"; fi

spec=$(mktemp -d)
trap 'rm -rf "$spec"' EXIT
"$python" - "$spec" "$root" "$java" "$data_dir" "$name" <<'PY'
import json, os, sys
spec, root, java, data, name = sys.argv[1:6]
env = {"DLKIT_JAVA": java, "DJL_OFFLINE": "true", "OPT_OUT_TRACKING": "true"}
if data:
    env["DLKIT_DATA"] = data
kernel = {
    "argv": [os.path.join(root, "kernel", "bin", "dlkit-kernel"), "{connection_file}"],
    "display_name": "Java (dlkit)" if name == "dlkit-java" else "Java (dlkit, %s)" % name,
    "language": "java",
    "interrupt_mode": "message",
    "env": env,
    "metadata": {"debugger": False},
}
with open(os.path.join(spec, "kernel.json"), "w") as f:
    json.dump(kernel, f, indent=2)
PY
# DLKIT_KERNEL_PREFIX installs into <prefix>/share/jupyter/kernels instead of the user's folder:
# the tests use it (with JUPYTER_PATH) so that they run this checkout's kernel and leave the
# user's kernelspec alone.
where=(--user)
[ -n "${DLKIT_KERNEL_PREFIX:-}" ] && where=(--prefix "$DLKIT_KERNEL_PREFIX")
"$python" -m jupyter_client.kernelspecapp install "${where[@]}" --replace --name "$name" "$spec" >/dev/null 2>&1 || \
  "$python" -m jupyter kernelspec install "${where[@]}" --replace --name "$name" "$spec" >/dev/null
# Class-data-sharing archive for this JDK: a warm-up run records the classes a session loads.
# It takes seconds; five minutes means it hung, and the kernel works without the archive.
guard=()
command -v timeout >/dev/null 2>&1 && guard=(timeout 300)
if ! DLKIT_JAVA="$java" ${guard[@]+"${guard[@]}"} "$root/kernel/bin/dlkit-kernel" --warmup >/dev/null 2>&1; then
  echo "install-kernel: warm-up run failed (the kernel still works, it just starts slower)" >&2
fi
echo "install-kernel: installed kernelspec $name (Java (dlkit)) using $java, python $python"
