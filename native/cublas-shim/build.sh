#!/usr/bin/env bash
# Builds OUTDIR/libcublas.so.11, the cuBLAS forwarding shim (`make cublas-shim`; README.md here).
#
#   bash native/cublas-shim/build.sh OUTDIR        (CC picks the compiler, default gcc)
#
# From symbols.txt (the functions JCuda 11.8's cuBLAS natives import, checked against the jar by
# CublasShimTest) it writes the X-macro list shim_syms.h and the version script that defines
# node libcublas.so.11, then compiles shim.c. Needs only a C compiler, bash and awk.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
CC="${CC:-gcc}"
command -v "$CC" >/dev/null || { echo "cublas-shim: $CC not found (set CC)" >&2; exit 1; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

list="$here/symbols.txt"
# The names are pasted into assembler and a linker script: plain C identifiers only.
if grep -qvE '^[A-Za-z_][A-Za-z0-9_]*$' "$list"; then
    echo "cublas-shim: symbols.txt has a line that is not a C identifier" >&2
    exit 1
fi
awk '{ printf "SHIM_SYM(%d, %s)\n", NR - 1, $1 }' "$list" > "$out/shim_syms.h"
{
    echo "libcublas.so.11 {"
    echo "  global:"
    awk '{ printf "    %s;\n", $1 }' "$list"
    echo "  local: *;"
    echo "};"
} > "$out/libcublas.so.11.map"

"$CC" -O2 -fPIC -Wall -Wextra -Wno-unused-parameter -fno-stack-protector -I"$out" -shared \
    -o "$out/libcublas.so.11" "$here/shim.c" \
    -Wl,-soname,libcublas.so.11 -Wl,--version-script="$out/libcublas.so.11.map" \
    -Wl,-z,noexecstack -Wl,--no-as-needed -l:libdl.so.2
echo "cublas-shim: built $out/libcublas.so.11 ($(wc -l < "$list") functions); use it with"
echo "  export LD_LIBRARY_PATH=$out\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
