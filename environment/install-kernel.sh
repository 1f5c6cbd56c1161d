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
name=${DLKIT_KERNEL_NAME:-dlkit-java}
root=$(cd "$(dirname "$0")/.." && pwd)

# A JDK: DLKIT_JAVA, else JAVA_HOME, else java on PATH; it must be 17 or newer.
java=${DLKIT_JAVA:-}
if [ -z "$java" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"
  else java=$(command -v java || true); fi
fi
if [ -z "$java" ] || ! "$java" -version >/dev/null 2>&1; then
  echo "install-kernel: no java found; install JDK 17+ or set JAVA_HOME / DLKIT_JAVA" >&2; exit 1
fi
java=$(readlink -f "$java")
feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
if [ "${feature%%.*}" -lt 17 ] 2>/dev/null; then
  echo "install-kernel: $java is Java $feature; the kernel needs 17 or newer" >&2; exit 1
fi

# The kernel build.
if [ ! -f "$root/kernel/target/dlkit-kernel.jar" ] || [ ! -d "$root/kernel/target/lib" ]; then
  (cd "$root" && mvn -q -o -pl kernel -am package -DskipTests) || \
    (cd "$root" && mvn -q -pl kernel -am package -DskipTests)
fi

# A Python that has jupyter_client: prefer the one behind `jupyter` on PATH, then Debian's.
python=""
for candidate in "$(command -v jupyter >/dev/null 2>&1 && head -1 "$(command -v jupyter)" | sed -n 's/^#! *//p' | awk '{print $1}')" \
                 python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import jupyter_client' >/dev/null 2>&1; then python=$candidate; break; fi
done
if [ -z "$python" ]; then
  echo "install-kernel: no Python with jupyter_client found; install Jupyter first" >&2; exit 1
fi

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
if ! DLKIT_JAVA="$java" "$root/kernel/bin/dlkit-kernel" --warmup >/dev/null 2>&1; then
  echo "install-kernel: warm-up run failed (the kernel still works, it just starts slower)" >&2
fi
echo "install-kernel: installed kernelspec $name (Java (dlkit)) using $java, python $python"
