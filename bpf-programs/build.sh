#!/usr/bin/env bash
# Compiles BPF programs from bpf-programs/ into CO-RE objects for one bundle.
# Usage: build.sh [--stamps DIR] OUTPUT_DIR ENTRY...
#   ENTRY is NAME (NAME.bpf.c -> OUTPUT_DIR/NAME.bpf.o) or NAME=SOURCE:DEFINE (SOURCE.bpf.c compiled with
#   -DDEFINE -> OUTPUT_DIR/NAME.bpf.o): a variant of a program, e.g.
#   kfunc_vma_walker_dentry=kfunc_vma_walker:MAPSNAP_DENTRY_PATH, the same walk with another way of naming files.
# --stamps DIR keeps each object's compile command in DIR (outside OUTPUT_DIR, which is packed into the bundle), so
# an object whose entry changed (another source or define) is rebuilt even when it is newer than its sources.
# No vmlinux.h from the build machine: programs declare the kernel structs they touch with
# preserve_access_index (include/kernel_structs.h), so one object relocates on every kernel.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
stamps=
if [[ ${1:-} == --stamps ]]; then
  stamps=$2; shift 2
  mkdir -p "$stamps"
fi
out=$1; shift
clang=${BPF_CLANG:-clang-19}
command -v "$clang" >/dev/null || { echo "build.sh: $clang not found (./mapsnap installs it: apt-get install clang-19)" >&2; exit 1; }
mkdir -p "$out"
for entry in "$@"; do
  defines=()
  if [[ $entry == *=* ]]; then
    name=${entry%%=*}
    spec=${entry#*=}
    [[ $spec == *:* && -n ${spec%%:*} && -n ${spec#*:} ]] \
      || { echo "build.sh: '$entry' is not NAME=SOURCE:DEFINE" >&2; exit 1; }
    source=${spec%%:*}
    defines=("-D${spec#*:}")
  else
    name=$entry
    source=$entry
  fi
  src="$here/$source.bpf.c"
  obj="$out/$name.bpf.o"
  [[ -f $src ]] || { echo "build.sh: $src not found (entry '$entry')" >&2; exit 1; }
  # -g keeps BTF (needed for CO-RE and for libbpf to find globals); asm/types.h lives under the multiarch dir.
  cmd=("$clang" -target bpf -D__TARGET_ARCH_x86 "${defines[@]}" -O2 -g -Wall -Werror
    -I"$here/include" -I/usr/include/x86_64-linux-gnu -c "$src" -o "$obj")
  # Up to date: newer than its source and every header, and (with --stamps) built by the same command.
  stamp=${stamps:+$stamps/$name.bpf.cmd}
  if [[ -f "$obj" && "$obj" -nt "$src" && -z "$(find "$here/include" -newer "$obj" -print -quit)" ]] \
      && [[ -z $stamp || ( -f $stamp && "$(cat "$stamp")" == "${cmd[*]}" ) ]]; then
    continue
  fi
  [[ -z $stamp ]] || rm -f "$stamp"
  "${cmd[@]}"
  [[ -z $stamp ]] || printf '%s' "${cmd[*]}" > "$stamp"
done
