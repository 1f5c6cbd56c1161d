# Shared by the benchmark scripts; sourced, not run.
# shellcheck shell=bash
source "$(dirname "${BASH_SOURCE[0]}")/../environment/common.sh"
cd "$DLKIT_ROOT"

# The class path of the lib module's test classes (where the benchmark mains live) and every
# dependency: compiled once here, offline.
bench_classpath() {
  mvn -q -o -pl lib test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
  echo "lib/target/test-classes:lib/target/classes:$(cat lib/target/bench.cp)"
}

# Runs a benchmark main with DJL offline and the kernel's allocator settings (what a notebook gets):
#   bench_java [jvm options...] main.Class [arguments...]
bench_java() {
  local cp
  cp=$(bench_classpath)
  ( dlkit_kernel_dir="$DLKIT_ROOT/kernel"
    source "$DLKIT_ROOT/kernel/bin/dlkit-env.sh"
    exec "$(java_bin)" "${JAVA_OPTS_DLKIT[@]}" -Dai.djl.offline=true -cp "$cp" "$@" )
}

# The kernel's process environment (allocator settings, MKL's processor check) as NAME=value
# words, for `env` in front of a command.
kernel_env_words() {
  ( dlkit_kernel_dir="$DLKIT_ROOT/kernel"
    source "$DLKIT_ROOT/kernel/bin/dlkit-env.sh" &&
    echo "THP_MEM_ALLOC_ENABLE=$THP_MEM_ALLOC_ENABLE GLIBC_TUNABLES=$GLIBC_TUNABLES${LD_PRELOAD:+ LD_PRELOAD=$LD_PRELOAD}" )
}
