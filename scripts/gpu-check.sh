#!/usr/bin/env bash
# The GPU checks in one run, for a GPU machine with no Maven and no network (and maybe no Java):
# the kit's probe and smoke test, `linreg doctor`, the gpu-tagged tests, and `linreg compare` on
# the tutorial's problem and at n = 1 000 000. Writes OUT/<date>-<gpu>-gpu-check.md (every log
# in full) and a .json beside it. Exit status 0 when everything passed.
#
# usage: scripts/gpu-check.sh [--kit DIR] [--bundle DIR] [--out DIR]
#   --kit     the gpu-kit built by `make gpu-kit` (default build/gpu-kit): Java runtime, cuBLAS shim,
#             trimmed JCuda jars; without it, java on PATH and the bundle's own JCuda jars are used
#   --bundle  what `make gpu-bundle` built (default build/gpu-bundle)
#   --out     where the reports go (default bench/results)
set -u
kit=build/gpu-kit
bundle=build/gpu-bundle
out=bench/results
while [ $# -gt 0 ]; do
  case "$1" in
    --kit) kit=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "gpu-check: unknown argument $1 (usage: scripts/gpu-check.sh [--kit DIR] [--bundle DIR] [--out DIR])" >&2; exit 2 ;;
  esac
done
if [ ! -f "$bundle/linreg.jar" ]; then
  echo "gpu-check: $bundle/linreg.jar is missing; run 'make gpu-bundle' first" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")
echo "scripts/gpu-check.sh --kit $kit --bundle $bundle --out $out  (on $(hostname), $(date -u +%FT%TZ))" > "$work/command.txt"

jcuda_jars="$bundle/jcuda/*.jar"
if [ -f "$kit/gpu-env.sh" ]; then
  timeout 25 bash "$kit/probe.sh" > "$work/probe.log" 2>&1
  # shellcheck disable=SC1091
  source "$kit/gpu-env.sh" "$kit" > "$work/gpu-env.log" 2>&1
  cat "$work/gpu-env.log" >> "$work/probe.log"
  ls "$kit"/smoke/jcu*.jar > /dev/null 2>&1 && jcuda_jars="$kit/smoke/jcu*.jar"
  timeout 120 "$JAVA" -cp "$kit/smoke/*" Smoke > "$work/smoke.log" 2>&1
else
  echo "no gpu-kit at $kit: using java on PATH and the bundle's JCuda jars" > "$work/probe.log"
  JAVA=${JAVA:-java}
fi
# JCuda unpacks its natives into java.io.tmpdir, which must allow exec.
natives=$(mktemp -d "$work/natives.XXXXXX")
# Every jar by name: java expands "dir/*" on a class path, the JUnit console launcher does not.
cp="$bundle/linreg.jar"
for jar in "$bundle"/lib/*.jar $jcuda_jars; do
  [ -f "$jar" ] && cp="$cp:$jar"
done
linreg() { "$JAVA" -Djava.io.tmpdir="$natives" -Xmx16g -cp "$cp" linreg.cli.Main "$@"; }

linreg doctor > "$work/doctor.log" 2>&1
timeout 900 "$JAVA" -Djava.io.tmpdir="$natives" -Xmx16g -jar "$bundle/junit-platform-console-standalone.jar" execute \
  --class-path "$bundle/test-classes:$cp" --scan-class-path --include-tag gpu \
  --reports-dir "$work/junit" --details tree --disable-banner > "$work/tests.log" 2>&1
linreg compare --json > "$work/compare-tutorial.out" 2> "$work/compare-tutorial.err"
echo $? > "$work/compare-tutorial.rc"
linreg compare --samples 1000000 --epochs 5 --json > "$work/compare-1e6.out" 2> "$work/compare-1e6.err"
echo $? > "$work/compare-1e6.rc"

"$JAVA" -Djava.io.tmpdir="$natives" -cp "$cp" linreg.bench.GpuCheckReport "$work" "$out"
