#!/usr/bin/env bash
# Runs the market job on real Spark 3.5 and rewrites the golden files in packages/windowing/test/golden.
# Spark and its dependencies come from Maven Central into .local/cache/maven (git-ignored) on the first run.
#   bash tools/spark-conformance/run.sh [SEED_SAMPLE_CSV]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tool="$root/tools/spark-conformance"
repo="$root/.local/cache/maven"
target="$root/.local/cache/spark-conformance"
sample="${1:-$root/../shared/seed-data/market/sample_trades.csv}"
[[ -f "$sample" ]] || sample=/work/shared/seed-data/market/sample_trades.csv
mkdir -p "$repo" "$target"
mvn -B -q -Dmaven.repo.local="$repo" -f "$tool/pom.xml" compile dependency:build-classpath \
  -Dmdep.outputFile="$target/classpath.txt"
# Spark 3.5 on Java 17 reaches into JDK internals.
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
  java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
SPARK_LOCAL_IP=127.0.0.1 java "${opens[@]}" -Xmx2g -cp "$target/target/classes:$(cat "$target/classpath.txt")" \
  dev.tideline.conformance.Conformance "$root/packages/windowing/test/golden" "$sample"
# The repository's formatter owns JSON layout; values (and so the doubles they parse to) are unchanged.
bash "$root/scripts/run.sh" pnpm exec prettier --log-level warn --write "$root/packages/windowing/test/golden"
