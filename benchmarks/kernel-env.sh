# Sourced by the training benchmarks (in a subshell where a Python side must not get it): the dlkit
# kernel's process environment (kernel/bin/dlkit-env.sh), so that benchmarks measure what a notebook gets.
. "$(dirname "${BASH_SOURCE[0]}")/../kernel/bin/dlkit-env.sh"
