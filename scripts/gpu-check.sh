#!/usr/bin/env bash
# The GPU checks, for a GPU machine with no Maven and no network (and maybe no Java), in two
# stages that each fit one device call of 10 minutes:
#   checks: nvidia-smi, the kit's probe and smoke test, `linreg doctor`, the SASS grid-barrier
#           check, `linreg compare` (both strategies) on the tutorial's problem, at n = 1e6 and at
#           n = 1e6 with batch 65 536, each gpu-tagged test class in a JVM of its own, and
#           compute-sanitizer's memcheck, racecheck and synccheck on small runs of each kernel shape.
#   bench:  n = 1e9 trained once, then `linreg bench` on the cases of the performance goals
#           (batch 16 and 65 536, n up to 1e8, d = 4, with the copy-bandwidth and PyTorch anchors).
#
# Nothing is kept in /tmp: every step's log is written into OUT/<date>-<gpu>-gpu-check/ as it runs
# (-bench or -all added for those stages), with the JVMs' crash logs (hs_err_<pid>.log). After
# every step, and whatever ends the run (an EXIT trap), OUT/<that name>.json records what is known
# so far; at the end the Java report completes it and writes the .md, and the log folder, JSON and
# Markdown are packed into one .tar.gz. The bench's CSV goes to OUT row by row.
#
# Every step runs under `timeout -k 5` for its own budget or what is left before the deadline,
# whichever is less; a step that would get less than its minimum is not started and is recorded
# as skipped ("out of time: ..."). Exit status: 0 when everything passed, 1 when not, 2 bad usage,
# 128 + N when signal N ended the run.
#
# usage: scripts/gpu-check.sh [--stage checks|bench|all] [--kit DIR] [--bundle DIR] [--out DIR]
#                             [--deadline SECONDS]
#   --stage     checks (default), bench, or all (both, one after the other)
#   --kit       the gpu-kit built by `make gpu-kit` (default build/gpu-kit): Java runtime, cuBLAS shim,
#               trimmed JCuda jars; without it, $JAVA (or java on PATH) and the bundle's JCuda jars
#   --bundle    what `make gpu-bundle` built (default build/gpu-bundle)
#   --out       where the results go (default bench/results); on a device machine, $OUT
#   --deadline  seconds the whole run may take before its report (default 540; 1080 with --stage all)
#
# Rehearsal aid, never needed for a real run: GPU_CHECK_REHEARSAL_WRAPPER=CMD puts CMD before every
# java command (scripts/rehearsal/faulty-java.sh crashes or hangs chosen JVMs).
set -u
usage="usage: scripts/gpu-check.sh [--stage checks|bench|all] [--kit DIR] [--bundle DIR] [--out DIR] [--deadline SECONDS]"
die() {
  echo "gpu-check: $*" >&2
  exit 2
}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kit=build/gpu-kit
bundle=build/gpu-bundle
out=bench/results
stage=checks
deadline=
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,/^set -u/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --stage|--kit|--bundle|--out|--deadline)
      [ $# -ge 2 ] || die "$1 needs a value ($usage)"
      case "$1" in
        --stage) stage=$2 ;; --kit) kit=$2 ;; --bundle) bundle=$2 ;; --out) out=$2 ;; --deadline) deadline=$2 ;;
      esac
      shift 2 ;;
    *) die "unknown argument $1 ($usage)" ;;
  esac
done
case "$stage" in
  checks|bench) : "${deadline:=540}" ;;
  all) : "${deadline:=1080}" ;;
  *) die "--stage $stage: expected checks, bench or all" ;;
esac
[[ "$deadline" =~ ^[0-9]+$ && "$deadline" -gt 0 ]] || die "--deadline $deadline: expected a whole number of seconds > 0"
absolute() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
kit=$(absolute "$kit")
bundle=$(absolute "$bundle")
out=$(absolute "$out")
rehearsal=${GPU_CHECK_REHEARSAL_WRAPPER:-}
[ -n "$rehearsal" ] && [ -e "$rehearsal" ] && rehearsal=$(absolute "$rehearsal")
[ -f "$bundle/linreg.jar" ] || die "$bundle/linreg.jar is missing; run 'make gpu-bundle' first"
mkdir -p "$out" 2>/dev/null && [ -w "$out" ] || die "--out $out: cannot write there"
cd "$root" || die "cannot enter $root"

now_ms() { date +%s%3N; }
started_ms=$(now_ms)
deadline_ms=$((started_ms + deadline * 1000))
elapsed_s() { echo $((($(now_ms) - started_ms) / 1000)); }
echo "gpu-check: stage $stage, deadline $deadline s; results go to $out/"

# The card names the log folder, so nvidia-smi is asked first (with a time limit, like every step).
gpu="no GPU"
driver_version=
cuda_version=
smi=$(command -v nvidia-smi 2>/dev/null || true)
if [ -n "$smi" ]; then
  query=$(timeout -k 2 10 "$smi" --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null)
  if [ $? -eq 0 ] && [[ "${query%%$'\n'*}" == *,* ]]; then
    query=${query%%$'\n'*}
    gpu=$(echo "${query%%,*}" | xargs)
    driver_version=$(echo "${query#*,}" | xargs)
  fi
fi
slug=$(printf '%s' "$gpu" | tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9]+/-/g; s/^-+|-+$//g' | cut -c1-48)
today=$(date -u +%F)
base="$today-${slug:-gpu}-gpu-check"
[ "$stage" = checks ] || base="$base-$stage"
name=$base
for n in 2 3 4 5 6 7 8 9; do
  [ -e "$out/$name" ] || [ -e "$out/$name.json" ] || break
  name="$base-$n"
done
base=$name
logs="$out/$base"
mkdir -p "$logs" || die "cannot create $logs"
echo "gpu-check: logs go to $logs/ as each step runs; at exit: $logs.json, $logs.md and $logs.tar.gz"

# JCuda unpacks its natives into java.io.tmpdir, which must allow exec (/tmp may be noexec).
natives="$root/build/jcuda-natives"
natives_exec=false
mkdir -p "$natives" && printf '#!/bin/sh\nexit 0\n' > "$natives/.exec-check" && chmod +x "$natives/.exec-check" \
  && "$natives/.exec-check" && natives_exec=true
[ -n "$rehearsal" ] && echo "gpu-check: REHEARSAL: every java command runs through $rehearsal"

# --- the record: every step, kept in memory and written out as JSON after each one ---------------
KILL_AFTER=5
OUT_OF_TIME="out of time"
step_json=()
current_pid= current_step= current_start= current_crashes=
state=running
exit_status=
report_problem="the run has not ended"
java_problem=
tool_sanitizer= tool_ptxas= tool_nvdisasm= tool_cuobjdump=
JAVA=${JAVA:-java}
command_line="scripts/gpu-check.sh --stage $stage --kit $kit --bundle $bundle --out $out --deadline $deadline"
command_line="$command_line  (on $(hostname), $(date -u +%FT%TZ))"

# json VALUE...: each value as JSON in ${J[@]}, a string or null for an empty one (no subshells:
# this runs after every step).
json() {
  local v
  J=()
  for v in "$@"; do
    if [ -z "$v" ]; then
      J+=(null)
      continue
    fi
    v=${v//\\/\\\\}
    v=${v//\"/\\\"}
    v=${v//$'\n'/\\n}
    v=${v//$'\r'/\\r}
    v=${v//$'\t'/\\t}
    J+=("\"${v//[[:cntrl:]]/}\"")
  done
}
seconds_of() { printf -v "$1" '%d.%d' $(($2 / 1000)) $((($2 % 1000) / 100)); }

# The JSON the Java report completes (GpuCheckReport): the same keys, nulls for what only it reads.
write_json() {
  local steps=
  json "$report_problem" "$command_line" "$state" "$gpu" "$driver_version" "$cuda_version" "$JAVA" "$natives" \
    "$tool_sanitizer" "$tool_ptxas" "$tool_nvdisasm" "$tool_cuobjdump"
  [ ${#step_json[@]} -gt 0 ] && printf -v steps '\n    %s,' "${step_json[@]}"
  printf '{
  "schema": 2,
  "report": "minimal",
  "report_problem": %s,
  "date": "%s",
  "stage": "%s",
  "command": %s,
  "state": %s,
  "elapsed_seconds": %d,
  "deadline_seconds": %d,
  "gpu": %s,
  "driver_version": %s,
  "cuda_version": %s,
  "driver": null,
  "gpu_problem": null,
  "devices": null,
  "java": %s,
  "natives_dir": %s,
  "natives_dir_exec": %s,
  "cuda_tools": {"compute-sanitizer": %s, "ptxas": %s, "nvdisasm": %s, "cuobjdump": %s},
  "steps": [%s
  ],
  "tests_run": null,
  "tests_failed": null,
  "tests_skipped": null,
  "test_classes": null,
  "smoke": null,
  "compares": null,
  "sass_barrier": null,
  "sanitizer": null,
  "passed": null
}
' "${J[0]}" "$today" "$stage" "${J[1]}" "${J[2]}" "$(elapsed_s)" "$deadline" "${J[3]}" "${J[4]}" "${J[5]}" "${J[6]}" \
    "${J[7]}" "$natives_exec" "${J[8]}" "${J[9]}" "${J[10]}" "${J[11]}" "${steps%,}" > "$logs.json.tmp" \
    && mv -f "$logs.json.tmp" "$logs.json"
}

# record NAME RC MILLISECONDS SKIPPED_REASON CRASH_LOG (RC empty: not run)
record() {
  local line="[$(elapsed_s) s] $1: " seconds
  seconds_of seconds "$3"
  json "$1" "$4" "$5"
  step_json+=("{\"name\": ${J[0]}, \"rc\": ${2:-null}, \"seconds\": $seconds, \"skipped_reason\": ${J[1]}, \"crash_log\": ${J[2]}}")
  if [ -z "$2" ]; then line="${line}skipped: $4"; else line="${line}exit $2 after $seconds s${5:+, crash log $5}"; fi
  echo "gpu-check: $line"
  echo "$line" >> "$logs/steps.txt"
  write_json
}
skip() { record "$1" "" 0 "$2" ""; }
crash_logs() { (cd "$logs" && ls -1 hs_err_*.log 2>/dev/null); }
# The first crash log that is not among those listed in $1 (written by the step that just ran).
new_crash_log() {
  local f
  for f in $(crash_logs); do
    [[ $'\n'"$1"$'\n' == *$'\n'"$f"$'\n'* ]] || { echo "$f"; return; }
  done
}

# Seconds a step of BUDGET seconds may run: what the deadline leaves, less the kill's grace.
time_for() {
  local left=$(((deadline_ms - $(now_ms)) / 1000 - KILL_AFTER))
  echo $(($1 < left ? $1 : left))
}

# step NAME BUDGET MIN COMMAND...: runs COMMAND under `timeout -k 5` for time_for(BUDGET) seconds,
# output into LOGS/NAME.log as it runs (stdout into $step_stdout where set), in the background so
# that a signal to this script is handled at once. Skipped when the time is under MIN seconds.
# Returns the command's exit status (125 when skipped).
step() {
  local name=$1 budget=$2 min=$3 t before start rc
  shift 3
  t=$(time_for "$budget")
  if [ "$t" -lt "$min" ]; then
    skip "$name" "$OUT_OF_TIME: $((t < 0 ? 0 : t)) s left before the $deadline s deadline, the step needs $min s"
    return 125
  fi
  local log="$logs/$name.log"
  printf '# %s  (time limit %d s)\n' "$*" "$t" > "$log"
  before=$(crash_logs)
  start=$(now_ms)
  current_crashes=$before
  if [ -n "${step_stdout:-}" ]; then
    timeout -k "$KILL_AFTER" "$t" "$@" > "$step_stdout" 2>> "$log" &
  else
    timeout -k "$KILL_AFTER" "$t" "$@" >> "$log" 2>&1 &
  fi
  current_pid=$! current_step=$name current_start=$start
  wait "$current_pid" 2>/dev/null  # (bash's "Killed" notice: the exit status says it)
  rc=$?
  current_pid=
  record "$name" "$rc" $(($(now_ms) - start)) "" "$(new_crash_log "$before")"
  return "$rc"
}

# jstep NAME BUDGET MIN JAVA_ARGS...: a step that runs java (crash logs and natives in our folders).
jstep() {
  local name=$1 budget=$2 min=$3
  shift 3
  if [ -n "$java_problem" ]; then
    skip "$name" "$java_problem"
    return 125
  fi
  step "$name" "$budget" "$min" "${java[@]}" "$@"
}
java=() cp=
set_java() {
  java=(${rehearsal:+"$rehearsal"} "$JAVA" "-XX:ErrorFile=$logs/hs_err_%p.log" "-XX:ReplayDataFile=$logs/replay_%p.log"
    -XX:-CreateCoredumpOnCrash "-Djava.io.tmpdir=$natives" -Xmx16g)
}

on_signal() {
  state="interrupted by SIG$1${current_pid:+ during $current_step}"
  exit_status=$((128 + $2))
  exit "$exit_status"
}
# Whatever ends the run: stop the step still running, write the JSON, let the Java report complete
# it and write the Markdown, pack everything into one tarball.
finish() {
  local status=1 rc
  trap '' TERM INT HUP
  if [ -n "$current_pid" ]; then
    kill -TERM "$current_pid" 2>/dev/null  # timeout passes it on, and sends SIGKILL 5 s later
    wait "$current_pid" 2>/dev/null
    rc=$?
    record "$current_step" "$rc" $(($(now_ms) - current_start)) "" "$(new_crash_log "$current_crashes")"
    current_pid=
  fi
  [ "$state" = running ] && state=finished
  if [ -n "$java_problem" ] || [ ${#java[@]} -eq 0 ]; then
    report_problem="no Java report: ${java_problem:-the run ended before Java was set up}"
    write_json
  else
    report_problem="the Java report did not finish"
    write_json
    timeout -k 5 30 "${java[@]}" -cp "$cp" linreg.bench.GpuCheckReport "$logs" > "$logs/report.log" 2>&1
    rc=$?
    cat "$logs/report.log"
    # It exits 0 when the run passed, 1 when not; a crashed JVM exits 1 too, so ask the JSON.
    if grep -q '^  "report": "full",$' "$logs.json"; then
      [ "$rc" -eq 0 ] && status=0
    else
      report_problem="the Java report exited $rc without writing the report: $(grep -v '^#' "$logs/report.log" \
        | grep -v '^$' | tail -n 1)"
      write_json
    fi
  fi
  [ -n "$exit_status" ] && status=$exit_status
  local files=("$base" "$base.json")
  [ -f "$logs.md" ] && files+=("$base.md")
  tar -czf "$logs.tar.gz" -C "$out" "${files[@]}" 2>/dev/null || echo "gpu-check: could not write $logs.tar.gz"
  echo "gpu-check: results: $logs.json${files[2]:+, $logs.md}, $logs.tar.gz (logs in $logs/)"
  exit $status
}
trap finish EXIT
trap 'on_signal TERM 15' TERM
trap 'on_signal INT 2' INT
trap 'on_signal HUP 1' HUP
write_json

# --- set-up, both stages ------------------------------------------------------------------------
if [ -n "$smi" ]; then
  step nvidia-smi 20 5 bash -c '"$1"; echo; "$1" --query-gpu=name,driver_version,memory.total,compute_cap --format=csv' \
    nvidia-smi "$smi"
  cuda_version=$(sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' "$logs/nvidia-smi.log" | head -n 1)
else
  skip nvidia-smi "nvidia-smi not found on PATH"
fi
jcuda_jars=("$bundle"/jcuda/*.jar)
if [ -f "$kit/gpu-env.sh" ]; then
  [ "$stage" = bench ] || step probe 25 5 bash "$kit/probe.sh"
  # Sourced in a shell of its own, so that it runs under a time limit too; its exports come back.
  step gpu-env 60 10 bash -c 'source "$1/gpu-env.sh" "$1"; rc=$?
    for v in JAVA LD_LIBRARY_PATH CUBLAS_SHIM_TARGET CURAND_SHIM_TARGET GPU_KIT_DIR; do
      [ -n "${!v+x}" ] && printf "export %s=%q\n" "$v" "${!v}"; done > "$2"; exit $rc' gpu-env "$kit" "$logs/gpu-env.vars"
  # shellcheck disable=SC1091
  [ -f "$logs/gpu-env.vars" ] && source "$logs/gpu-env.vars"
  ls "$kit"/smoke/jcu*.jar > /dev/null 2>&1 && jcuda_jars=("$kit"/smoke/jcu*.jar)
else
  no_kit="no gpu-kit at $kit: using $JAVA and the bundle's JCuda jars"
  [ "$stage" = bench ] || skip probe "$no_kit"
  skip gpu-env "$no_kit"
fi
step java 20 1 "$JAVA" -XX:-UsePerfData -version || java_problem="no usable Java: '$JAVA -version' did not succeed"
set_java
# Every jar by name: java expands "dir/*" on a class path, the JUnit console launcher does not.
cp="$bundle/linreg.jar"
for jar in "$bundle"/lib/*.jar "${jcuda_jars[@]}"; do
  [ -f "$jar" ] && cp="$cp:$jar"
done
junit=("$bundle/junit-platform-console-standalone.jar" execute --class-path "$bundle/test-classes:$cp"
  --details tree --disable-banner --disable-ansi-colors)
linreg=(-cp "$cp" linreg.cli.Main)

# The CUDA tools the checks use where they exist: PATH, /usr/local/cuda*/bin, else a bounded
# search of /usr/local and /opt (where pip's nvidia-* wheels may hold them).
find_cuda_tools() {
  local t p missing=()
  for t in compute-sanitizer ptxas nvdisasm cuobjdump; do
    p=$(command -v "$t" || ls /usr/local/cuda/bin/"$t" /usr/local/cuda-*/bin/"$t" 2>/dev/null | head -n 1)
    if [ -n "$p" ]; then echo "$t=$p"; else missing+=(-o -name "$t"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  find /usr/local /opt -maxdepth 12 -type f \( "${missing[@]:1}" \) -perm -u+x 2>/dev/null \
    | while read -r p; do echo "$(basename "$p")=$p"; done
}
tool() { sed -n "s|^$1=||p" "$logs/cuda-tools.txt" 2>/dev/null | head -n 1; }

run_checks() {
  local c s size strategy tool_name run classes no_tests=--fail-if-no-tests
  if [ -f "$kit/gpu-env.sh" ]; then
    jstep smoke 60 10 -cp "$kit/smoke/*" Smoke
    # Exit 3: no usable GPU. Then a class of parameterized tests is skipped whole, and JUnit
    # finds no test in it: no failure there, but with a GPU a class without tests is one.
    [ $? -eq 3 ] && no_tests=
  else
    skip smoke "no gpu-kit at $kit"
  fi
  jstep doctor 60 3 "${linreg[@]}" doctor

  export -f find_cuda_tools
  step_stdout="$logs/cuda-tools.txt" step cuda-tools 25 5 bash -c find_cuda_tools
  tool_sanitizer=$(tool compute-sanitizer) tool_ptxas=$(tool ptxas) tool_nvdisasm=$(tool nvdisasm)
  tool_cuobjdump=$(tool cuobjdump)
  local tool_path=
  for s in "$tool_ptxas" "$tool_nvdisasm" "$tool_cuobjdump"; do [ -n "$s" ] && tool_path="$tool_path${s%/*}:"; done

  # Finding 1 of the 2026-12 audit: the grid barrier's poll must survive as a load in a loop.
  if [ -f "$bundle/test-classes/linreg/gpu/GridBarrierSassTest.class" ]; then
    PATH="$tool_path$PATH" jstep sass-barrier 90 15 -jar "${junit[@]}" --fail-if-no-tests --select-class linreg.gpu.GridBarrierSassTest \
      --reports-dir "$logs/junit/sass-barrier"
  else
    skip sass-barrier "class not found: linreg.gpu.GridBarrierSassTest is not in $bundle/test-classes"
  fi

  for size in tutorial 1e6 1e6-batch65536; do
    for strategy in pipeline fused; do
      s=(compare --strategy "$strategy" --json)
      case "$size" in
        1e6) s+=(--samples 1000000 --epochs 5) ;;
        1e6-batch65536) s+=(--samples 1000000 --batch-size 65536 --epochs 3) ;;
      esac
      step_stdout="$logs/compare-$size-$strategy.json" jstep "compare-$size-$strategy" 90 10 "${linreg[@]}" "${s[@]}"
    done
  done

  # Each gpu-tagged class in its own JVM, so that one crash hides nothing: the classes JUnit finds
  # in the bundle's compiled tests, and any whose source carries the tag (a class that fails to
  # load is dropped from JUnit's discovery, but its own launch shows why).
  jstep discover-gpu-tests 60 10 -jar "$bundle/junit-platform-console-standalone.jar" discover \
    --class-path "$bundle/test-classes:$cp" --scan-class-path --include-tag gpu --disable-banner \
    --disable-ansi-colors --details flat
  classes=$({
    sed -nE 's/.*\(\[engine:junit-jupiter\]\/\[class:([^]]+)\]\)$/\1/p' "$logs/discover-gpu-tests.log" 2>/dev/null
    [ -d "$root/src/test/java" ] && grep -rlE --include='*.java' '@Tag\("gpu"\)|@RequiresGpu\b' "$root/src/test/java" \
      | grep -v '/RequiresGpu\.java$' | sed "s|^$root/src/test/java/||; s|\.java\$||; s|/|.|g"
  } | sort -u)
  [ -n "$classes" ] || skip tests "no gpu-tagged test class found (JUnit discovery, src/test/java)"
  for c in $classes; do
    jstep "test-$c" 180 20 -jar "${junit[@]}" ${no_tests:+"$no_tests"} --select-class "$c" --include-tag gpu --reports-dir "$logs/junit/test-$c"
  done

  if [ -z "$tool_sanitizer" ]; then
    skip sanitize "compute-sanitizer not found (PATH, /usr/local/cuda*/bin, /usr/local and /opt)"
    return
  fi
  for tool_name in memcheck racecheck synccheck; do
    for run in pipeline fused-warp fused-block fused-grid; do
      case "$run" in
        pipeline) s=(--strategy pipeline --samples 4096 --batch-size 64 --epochs 2) ;;
        fused-warp) s=(--strategy fused --samples 4096 --batch-size 16 --epochs 2) ;;
        fused-block) s=(--strategy fused --samples 4096 --batch-size 512 --epochs 2) ;;
        fused-grid) s=(--strategy fused --samples 32768 --batch-size 8192 --epochs 1) ;;
      esac
      if [ -n "$java_problem" ]; then
        skip "sanitize-$tool_name-$run" "$java_problem"
      else
        step "sanitize-$tool_name-$run" 30 10 "$tool_sanitizer" --tool "$tool_name" --error-exitcode 99 \
          "${java[@]}" "${linreg[@]}" train --engine gpu "${s[@]}"
      fi
    done
  done
}

run_bench() {
  local t anchors=()
  jstep big-n 150 30 "${linreg[@]}" train --engine gpu --strategy fused --samples 1000000000 --batch-size 65536 \
    --epochs 1 --quiet
  # The goals of issue 4: batch 16 at n = 1e6 (fused vs pipeline, per step), batch 65536 at 1e7
  # (GPU vs all CPU cores) and 1e8 (share of the copy bandwidth), with both anchors. The bench's
  # own deadline is a case budget (45 s) and 15 s short of its time limit, so that a case started
  # just before it still ends in time; the PyTorch anchor gets only what is left.
  [ -f "$bundle/anchors/seed_torch.py" ] && anchors=(--anchors "$bundle/anchors")
  t=$(time_for 480)
  jstep bench 480 90 "${linreg[@]}" bench --engines cpu,gpu --strategies pipeline,fused --sizes 1e6,1e7,1e8 \
    --batches 16,65536 --features 4 --case-budget 45 ${anchors[@]+"${anchors[@]}"} --torch-samples 1000000 \
    --deadline $((t - 60)) --cache-dir "$logs/cost-model" --out "$out"
}

case "$stage" in
  checks) run_checks ;;
  bench) run_bench ;;
  all) run_checks; run_bench ;;
esac
