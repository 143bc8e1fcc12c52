#!/usr/bin/env bash
# Compiles BPF programs from bpf-programs/ into CO-RE objects for one bundle.
# Usage: build.sh OUTPUT_DIR NAME...   (NAME.bpf.c -> OUTPUT_DIR/NAME.bpf.o)
# No vmlinux.h from the build machine: programs declare the kernel structs they touch with
# preserve_access_index (include/kernel_structs.h), so one object relocates on every kernel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1; shift
clang=${BPF_CLANG:-clang-19}
command -v "$clang" >/dev/null || { echo "build.sh: $clang not found (./mapsnap installs it: apt-get install clang-19)" >&2; exit 1; }
mkdir -p "$out"
for name in "$@"; do
  src="$here/$name.bpf.c"
  obj="$out/$name.bpf.o"
  if [[ -f "$obj" && "$obj" -nt "$src" && -z "$(find "$here/include" -newer "$obj" -print -quit)" ]]; then
    continue
  fi
  # -g keeps BTF (needed for CO-RE and for libbpf to find globals); asm/types.h lives under the multiarch dir.
  "$clang" -target bpf -D__TARGET_ARCH_x86 -O2 -g -Wall -Werror \
    -I"$here/include" -I/usr/include/x86_64-linux-gnu \
    -c "$src" -o "$obj"
done
