#!/usr/bin/env bash
# Rehearsal aid for scripts/gpu-check.sh, never part of a real run. With
#   GPU_CHECK_REHEARSAL_WRAPPER=scripts/rehearsal/faulty-java.sh
# gpu-check.sh runs every java command as `faulty-java.sh JAVA ARGS...`; this runs it unchanged
# unless its arguments match one of these extended regular expressions:
#   FAULTY_JAVA_CRASH  the JVM crashes at start-up and writes its hs_err file where -XX:ErrorFile
#                      says (its Metaspace is too small, under -XX:+CrashOnOutOfMemoryError)
#   FAULTY_JAVA_HANG   the command hangs instead, ignoring SIGTERM, as a JVM stuck in a driver call
#                      would: only `timeout -k`'s SIGKILL ends it
java=$1
shift
args="$*"
if [ -n "${FAULTY_JAVA_HANG:-}" ] && [[ "$args" =~ $FAULTY_JAVA_HANG ]]; then
  echo "faulty-java: hanging instead of running: java $args" >&2
  trap '' TERM
  while :; do sleep 1; done
fi
if [ -n "${FAULTY_JAVA_CRASH:-}" ] && [[ "$args" =~ $FAULTY_JAVA_CRASH ]]; then
  echo "faulty-java: this JVM will crash: java $args" >&2
  exec "$java" -XX:+CrashOnOutOfMemoryError -XX:MaxMetaspaceSize=8m "$@"
fi
exec "$java" "$@"
