#!/usr/bin/env bash
# Builds the committed PTX: kernels/*.cu -> src/main/resources/ptx/<name>.ptx (`make ptx`).
#
#   bash scripts/build-ptx.sh [OUTDIR]     (OUTDIR defaults to src/main/resources/ptx)
#
# Each kernel is compiled with `nvcc -ptx -arch=compute_75 -O3 --fmad=false` (no implicit
# contraction: only the fmaf calls the contract asks for become fma), its `.version` header is
# lowered to 7.8 so that CUDA 11.8-era drivers (JCuda 11.8.0) can JIT it, a
# `// source-sha256:` line records the sources it came from, and `ptxas -arch=sm_75` must accept
# the result, else the build fails. Needs nvcc, ptxas and sha256sum. See kernels/README.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/src/main/resources/ptx}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"   # OUTDIR is relative to the caller's directory
cd "$root"                  # kernels/... paths (and thus nvcc's output) never depend on it

PTX_VERSION=7.8   # highest PTX ISA a CUDA 11.8 driver JITs
ARCH=75           # Turing, the minimum GPU

for tool in nvcc ptxas sha256sum; do
    command -v "$tool" >/dev/null || { echo "build-ptx: $tool not found on PATH" >&2; exit 1; }
done
export LC_ALL=C

# The .cuh files a source includes as `#include "name.cuh"`, transitively, sorted by name.
headers_of() {
    local todo=("$1") seen="" f inc
    while ((${#todo[@]})); do
        f="${todo[0]}"
        todo=("${todo[@]:1}")
        for inc in $(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"/]+\.cuh)".*/\1/p' "$f"); do
            [[ -f "kernels/$inc" ]] || { echo "build-ptx: $f includes missing kernels/$inc" >&2; exit 1; }
            case " $seen " in *" $inc "*) ;; *) seen="$seen $inc"; todo+=("kernels/$inc") ;; esac
        done
    done
    for inc in $seen; do echo "$inc"; done | sort
}

# sha256 of the .cu file followed by its headers in headers_of order (PtxResourcesTest agrees).
source_hash() {
    local files=("$1") h
    for h in $(headers_of "$1"); do files+=("kernels/$h"); done
    cat "${files[@]}" | sha256sum | cut -d' ' -f1
}

shopt -s nullglob
sources=(kernels/*.cu)
((${#sources[@]})) || { echo "build-ptx: no kernels/*.cu" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for cu in "${sources[@]}"; do
    name="$(basename "$cu" .cu)"
    raw="$tmp/$name.raw.ptx"
    ptx="$tmp/$name.ptx"
    nvcc -ptx -arch=compute_$ARCH -O3 --fmad=false -o "$raw" "$cu"

    version="$(sed -nE 's/^\.version[[:space:]]+([0-9]+\.[0-9]+).*/\1/p' "$raw" | head -n1)"
    [[ -n "$version" ]] || { echo "build-ptx: no .version in nvcc output for $cu" >&2; exit 1; }
    # Lower only: an older nvcc that already writes <= 7.8 keeps its own header.
    if awk -v a="$version" -v b="$PTX_VERSION" 'BEGIN { split(a, x, "."); split(b, y, ".");
            exit !(x[1] > y[1] || (x[1] == y[1] && x[2] > y[2])) }'; then
        version="$PTX_VERSION"
    fi
    headers="$(headers_of "$cu" | sed 's|^|kernels/|' | tr '\n' ' ')"
    {
        echo "// source-sha256: $(source_hash "$cu")"
        echo "// source: $cu ${headers}(built by scripts/build-ptx.sh; do not edit)"
        sed -E "s/^\.version[[:space:]]+[0-9]+\.[0-9]+/.version $version/" "$raw"
    } > "$ptx"

    # ptxas rejects instructions newer than the declared ISA or the target: the real check.
    if ! ptxas -arch=sm_$ARCH -o "$tmp/$name.cubin" "$ptx"; then
        echo "build-ptx: ptxas -arch=sm_$ARCH rejects $name.ptx (.version $version)" >&2
        exit 1
    fi
    mv "$ptx" "$out/$name.ptx"
    echo "build-ptx: $out/$name.ptx (.version $version, sm_$ARCH)"
done

# PTX whose source is gone would otherwise linger in the jar.
for old in "$out"/*.ptx; do
    [[ -f "kernels/$(basename "$old" .ptx).cu" ]] || { rm -f "$old"; echo "build-ptx: removed stale $old"; }
done
