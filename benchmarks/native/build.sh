#!/usr/bin/env bash
# Builds the benchmark's native side into OUTPUT_DIR: the floor walker (vma_floor.bpf.o + its
# loader vma_floor), the ring buffer producer (ring_producer.bpf.o, into BPF_RESOURCE_DIR so the
# Java harness loads it as a resource) and the workloads whose maps are measured.
# Usage: build.sh OUTPUT_DIR BPF_RESOURCE_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$1 bpf_out=$2
clang=${BPF_CLANG:-clang-19}
command -v "$clang" >/dev/null || { echo "build.sh: $clang not found (./mapsnap installs it)" >&2; exit 1; }
mkdir -p "$out" "$bpf_out"

# True when $1 is missing or older than any of the other files.
stale() {
  local target=$1; shift
  [[ ! -f $target ]] && return 0
  local f
  for f in "$@"; do [[ $f -nt $target ]] && return 0; done
  return 1
}

bpf() { # SOURCE OBJECT
  "$clang" -target bpf -D__TARGET_ARCH_x86 -O2 -g -Wall -Werror \
    -I"$root/bpf-programs/include" -I"$here" -I/usr/include/x86_64-linux-gnu -c "$1" -o "$2"
}

headers=("$root"/bpf-programs/include/*.h "$here"/*.h)
if stale "$out/vma_floor.bpf.o" "$here/vma_floor.bpf.c" "${headers[@]}"; then
  bpf "$here/vma_floor.bpf.c" "$out/vma_floor.bpf.o"
fi
if stale "$out/vma_floor" "$here/vma_floor.c" "$here/vma_floor.h"; then
  cc -O2 -g -Wall -Werror -o "$out/vma_floor" "$here/vma_floor.c" -lbpf
fi
if stale "$bpf_out/ring_producer.bpf.o" "$root/benchmarks/bpf/ring_producer.bpf.c" "${headers[@]}"; then
  bpf "$root/benchmarks/bpf/ring_producer.bpf.c" "$bpf_out/ring_producer.bpf.o"
fi
bash "$root/integration-tests/workloads/build.sh" "$out"
