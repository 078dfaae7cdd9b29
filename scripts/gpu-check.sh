#!/usr/bin/env bash
# The GPU checks, for a GPU machine with no Maven and no network (and maybe no Java), in two
# stages that each fit one device call (under 10 minutes):
#   checks: the kit's probe and smoke test, `linreg doctor`, the gpu-tagged tests, and `linreg
#           compare` (both strategies) on the tutorial's problem and at n = 1 000 000; writes
#           OUT/<date>-<gpu>-gpu-check.md (every log in full) and a .json beside it.
#   bench:  `linreg bench` on the cases of the performance goals (batch 16 and 65 536, n up to
#           1e8, d = 4, with the copy-bandwidth and PyTorch anchors), and n = 1e9 trained once;
#           writes the bench's CSV/Markdown and OUT/<date>-<gpu>-big-n.log.
# Exit status 0 when everything passed.
#
# usage: scripts/gpu-check.sh [--stage checks|bench|all] [--kit DIR] [--bundle DIR] [--out DIR]
#   --kit     the gpu-kit built by `make gpu-kit` (default build/gpu-kit): Java runtime, cuBLAS shim,
#             trimmed JCuda jars; without it, java on PATH and the bundle's own JCuda jars are used
#   --bundle  what `make gpu-bundle` built (default build/gpu-bundle)
#   --out     where the reports go (default bench/results)
set -u
kit=build/gpu-kit
bundle=build/gpu-bundle
out=bench/results
stage=checks
while [ $# -gt 0 ]; do
  case "$1" in
    --stage) stage=$2; shift 2 ;;
    --kit) kit=$2; shift 2 ;;
    --bundle) bundle=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "gpu-check: unknown argument $1 (usage: scripts/gpu-check.sh [--stage checks|bench|all] [--kit DIR] [--bundle DIR] [--out DIR])" >&2; exit 2 ;;
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
linreg=("$JAVA" -Djava.io.tmpdir="$natives" -Xmx16g -cp "$cp" linreg.cli.Main)

status=0
if [ "$stage" = checks ] || [ "$stage" = all ]; then
  timeout 120 "${linreg[@]}" doctor > "$work/doctor.log" 2>&1
  timeout 300 "$JAVA" -Djava.io.tmpdir="$natives" -Xmx16g -jar "$bundle/junit-platform-console-standalone.jar" execute \
    --class-path "$bundle/test-classes:$cp" --scan-class-path --include-tag gpu \
    --reports-dir "$work/junit" --details tree --disable-banner > "$work/tests.log" 2>&1
  for strategy in pipeline fused; do
    for size in tutorial 1e6; do
      args=(--strategy "$strategy" --json)
      [ "$size" = 1e6 ] && args+=(--samples 1000000 --epochs 5)
      name="$size-$strategy"
      timeout 60 "${linreg[@]}" compare "${args[@]}" > "$work/compare-$name.out" 2> "$work/compare-$name.err"
      echo $? > "$work/compare-$name.rc"
    done
  done
  "$JAVA" -Djava.io.tmpdir="$natives" -cp "$cp" linreg.bench.GpuCheckReport "$work" "$out" || status=1
fi
if [ "$stage" = bench ] || [ "$stage" = all ]; then
  # The goals of issue 4: batch 16 at n = 1e6 (fused vs pipeline, per step), batch 65536 at 1e7
  # (GPU vs all CPU cores) and 1e8 (share of the copy bandwidth), with both anchors.
  anchors="$bundle/anchors"
  timeout 420 "${linreg[@]}" bench --engines cpu,gpu --strategies pipeline,fused --sizes 1e6,1e7,1e8 --batches 16,65536 \
    --features 4 --case-budget 45 --anchors "$anchors" --torch-samples 1000000 --out "$out" > "$work/bench.log" 2>&1 \
    || status=1
  big="$out/$(date -u +%F)-big-n.log"
  { echo "command: linreg train --engine gpu --strategy fused --samples 1000000000 --batch-size 65536 --epochs 1 --quiet";
    timeout 150 "${linreg[@]}" train --engine gpu --strategy fused --samples 1000000000 --batch-size 65536 --epochs 1 --quiet;
    echo "exit status: $?"; } > "$big" 2>&1
  grep -q "exit status: 0" "$big" || status=1
  cat "$work/bench.log" "$big"
fi
exit $status
