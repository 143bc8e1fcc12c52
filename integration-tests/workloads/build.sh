#!/usr/bin/env bash
# Builds the test workloads (small C programs whose memory maps the tests know) into OUTPUT_DIR.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
mkdir -p "$out"
for src in "$here"/*.c; do
  name=$(basename "$src" .c)
  [[ -x $out/$name && $out/$name -nt $src ]] && continue
  extra=()
  # short_lived brings its own _start (see the file's comment).
  [[ $name == short_lived ]] && extra=(-nostartfiles)
  # spin_nosyscall makes no system call at all after its exec (see the file's comment): no libc, no loader.
  [[ $name == spin_nosyscall ]] && extra=(-static -nostdlib)
  # Frame pointers, also in leaf functions (without one a leaf's caller is invisible to the
  # unwinder; gcc 12 ignores -mno-omit-leaf-frame-pointer, clang honours it), and symbols: the
  # profiler tests name these functions. No sibling calls: a tail call replaces its caller's frame.
  clang-19 -O1 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls -pthread "${extra[@]}" -o "$out/$name" "$src"
done
