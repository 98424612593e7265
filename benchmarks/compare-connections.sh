#!/usr/bin/env bash
# Runs the connections benchmark of this checkout and of an earlier commit, alternating, on
# this machine, and prints each run's target lines side by side.
#
#   benchmarks/compare-connections.sh [commit (default 59f6bb8)] [rounds (default 2)]
#
# The earlier commit is extracted with `git archive` into benchmarks/target/base-<commit>
# (nothing is committed, and no worktree is added) and built there; both are run with the
# same JVM and arguments as docs/benchmarks.md's command (`-Pbenchmark ... -Dbenchmark.args=connections`),
# started with `java` directly (so the exec plugin need not be at hand offline).
# MVN_ARGS (for example -o) are passed to every Maven call; MVN replaces ./mvnw. Logs: benchmarks/target/compare-*.log.
set -euo pipefail

base=${1:-59f6bb8}
rounds=${2:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
out="$here/benchmarks/target"
basedir="$out/base-$base"
mvn_args=${MVN_ARGS:-}

mkdir -p "$out"
if [ ! -d "$basedir" ]; then
	mkdir -p "$basedir"
	git -C "$here" archive "$base" | tar -x -C "$basedir"
fi

mvn=${MVN:-./mvnw}

# Builds a checkout and writes the benchmarks' classpath (as Maven resolves it for the
# module's tests, so with the runtime dependencies) to benchmarks/target/compare.classpath.
build() {
	(cd "$1" && $mvn -B -ntp -X $mvn_args -pl benchmarks -am -DskipTests -Djacoco.skip=true \
		-Dspring-javaformat.skip=true test-compile) > "$1/benchmarks/target-build.log" 2>&1 || {
		tail -40 "$1/benchmarks/target-build.log"
		exit 1
	}
	grep '(f) testPath = ' "$1/benchmarks/target-build.log" | tail -1 \
		| sed -e 's/.*(f) testPath = \[//' -e 's/\]$//' -e 's/, /:/g' > "$1/benchmarks/target/compare.classpath"
	rm "$1/benchmarks/target-build.log"
}

# The same JVM and arguments as the benchmark profile of benchmarks/pom.xml.
run() {
	local dir=$1 log=$2
	(cd "$dir/benchmarks" && java -Xms512m -Xmx512m -Dbenchmark.task-runs=3 -Dbenchmark.anchors= \
		-classpath "$(cat target/compare.classpath)" dev.cohort.benchmarks.Benchmarks connections) > "$log" 2>&1
}

echo "building $base in $basedir and this checkout"
build "$basedir"
build "$here"

for round in $(seq 1 "$rounds"); do
	for side in base current; do
		if [ "$side" = base ]; then dir=$basedir; else dir=$here; fi
		log="$out/compare-$side-$round.log"
		echo "round $round: $side"
		run "$dir" "$log"
		grep -E "run [0-9]:|p99, each member|p99, every member|best throughput|members got a say twice|lost" "$log" \
			| sed "s/^/  $side: /"
	done
done
