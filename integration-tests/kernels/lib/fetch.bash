# shellcheck shell=bash
# Fetching a Debian kernel package with private apt state and pruning it to what a boot needs.
# Sourced by ../run after common.bash.

readonly APT_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
readonly GUEST_MODULES=(virtio_pci 9pnet_virtio 9p overlay)

# The machine's own mirrors, so no host name is ever written into the repository.
# Sets MIRROR_MAIN and MIRROR_SECURITY.
derive_mirrors() {
  local uris=()
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    mapfile -t uris < <(awk 'tolower($1) == "uris:" { for (i = 2; i <= NF; i++) print $i }' \
      /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ ${#uris[@]} -eq 0 && -r /etc/apt/sources.list ]]; then
    # One-line format, with or without [options]; the URI is the first field that has "://".
    mapfile -t uris < <(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' \
      /etc/apt/sources.list)
  fi
  MIRROR_MAIN="" MIRROR_SECURITY=""
  local uri
  for uri in "${uris[@]}"; do
    uri=${uri%/}
    [[ -z $MIRROR_MAIN && $uri == */debian ]] && MIRROR_MAIN=$uri
    [[ -z $MIRROR_SECURITY && $uri == */debian-security ]] && MIRROR_SECURITY=$uri
  done
  [[ -n $MIRROR_MAIN ]] || die "$EXIT_NO_KERNEL" "no .../debian URI in /etc/apt/sources.list.d/debian.sources"
  # Debian serves both archives from one host; fall back to the sibling path.
  [[ -n $MIRROR_SECURITY ]] || MIRROR_SECURITY=${MIRROR_MAIN%/debian}/debian-security
}

# apt with its own sources, lists and cache under $1, leaving the machine's apt state alone.
apt_private() {
  local dir=$1
  shift
  "$@" -o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::Etc::preferencesparts=- -o Dir::Etc::preferences=/dev/null \
    -o Dir::State::lists="$dir/lists" -o Dir::Cache="$dir/cache" \
    -o Dir::State::status=/dev/null -o APT::Architectures=amd64 \
    -o Acquire::Languages=none -o APT::Sandbox::User=root -q
}

# Fetch and prune SERIES into $CACHE/SERIES/PKG_VERSION and point $CACHE/SERIES/current at it.
fetch_series() {
  local series=$1 started
  started=$(now_ms)
  derive_mirrors
  local aptdir=$CACHE/apt/$series
  rm -rf -- "$aptdir"
  mkdir -p -- "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
  local entry kind suite suites=()
  for entry in $(series_suites "$series"); do
    kind=${entry%%:*} suite=${entry#*:}
    suites+=("$suite")
    if [[ $kind == security ]]; then
      echo "deb [signed-by=$APT_KEYRING] $MIRROR_SECURITY $suite main"
    else
      echo "deb [signed-by=$APT_KEYRING] $MIRROR_MAIN $suite main"
    fi
  done >"$aptdir/sources.list"
  log "$series: updating package index (${suites[*]})"
  # apt-get update fails as a whole when one suite is gone upstream; the others may still
  # hold the package, so go on with what arrived and name the missing suites in any failure.
  apt_private "$aptdir" apt-get update >"$aptdir/update.log" 2>&1 || true
  local present=() missing=()
  for suite in "${suites[@]}"; do
    if compgen -G "$aptdir/lists/*_dists_${suite}_main_binary-amd64_Packages*" >/dev/null; then
      present+=("$suite")
    else
      missing+=("$suite")
    fi
  done
  [[ ${#present[@]} -gt 0 ]] ||
    die "$EXIT_NO_KERNEL" "$series: no index for ${suites[*]} on the mirror: $(grep -E '^(E|W):' "$aptdir/update.log" | head -n 3)"
  [[ ${#missing[@]} -eq 0 ]] || log "$series: warning: no index for ${missing[*]}; searching ${present[*]}"

  local regex name best_name="" best_version="" version
  regex=$(series_package_regex "$series")
  while read -r name; do
    [[ $name =~ (cloud|-rt-|dbg|unsigned) ]] && continue
    # One name can sit in two suites at different versions (bookworm and bookworm-security).
    while read -r version; do
      if [[ -z $best_version ]] || dpkg --compare-versions "$version" gt "$best_version"; then
        best_name=$name best_version=$version
      fi
    done < <(apt_private "$aptdir" apt-cache show "$name" | awk '/^Version:/ { print $2 }')
  done < <(apt_private "$aptdir" apt-cache pkgnames linux-image- | grep -E "$regex" || true)
  [[ -n $best_name ]] ||
    die "$EXIT_NO_KERNEL" "$series: no package matching $regex (generic flavour) in ${present[*]}${missing:+ (${missing[*]} missing on the mirror)}"
  local from
  from=$(apt_private "$aptdir" apt-cache madison "$best_name" |
    awk -F'|' -v v="$best_version" '{ gsub(/ /, "", $2) } $2 == v { print $3; exit }' |
    awk '{ sub(/\/.*/, "", $2); print $2 }')
  log "$series: fetching $best_name $best_version (${from:-?})"
  (cd -- "$aptdir/cache" && apt_private "$aptdir" apt-get download "$best_name=$best_version") \
    >"$aptdir/download.log" 2>&1 ||
    die "$EXIT_NO_KERNEL" "$series: download of $best_name=$best_version failed: $(tail -n 3 "$aptdir/download.log")"

  local deb target
  deb=$(compgen -G "$aptdir/cache/${best_name}_*.deb" | head -n 1)
  target=$CACHE/$series/${best_name}_${best_version}
  rm -rf -- "$target" "$target.tmp"
  mkdir -p -- "$target.tmp/deb"
  dpkg-deb -x "$deb" "$target.tmp/deb"
  prune_package "$target.tmp" "$series"
  printf 'package=%s\nversion=%s\nsuite=%s\n' "$best_name" "$best_version" "${from:-unknown}" \
    >"$target.tmp/package"
  mv -- "$target.tmp" "$target"
  ln -sfn -- "${target##*/}" "$CACHE/$series/current"
  # The index and the .deb are only needed once; the pruned tree is all a boot reads.
  rm -rf -- "$aptdir"
  log "$series: cached $(du -sh -- "$target" | cut -f1) in ${target#"$REPO"/} ($(elapsed "$started"))"
}

# Keep vmlinux, the kernel config, and the guest modules (uncompressed) in load order.
prune_package() {
  local dir=$1 series=$2 vmlinuz moddir
  vmlinuz=$(compgen -G "$dir/deb/boot/vmlinuz-*" || true)
  vmlinuz=${vmlinuz%%$'\n'*}
  [[ -f $vmlinuz ]] || die "$EXIT_NO_KERNEL" "$series: package has no /boot/vmlinuz-*"
  extract_vmlinux "$vmlinuz" "$dir/vmlinux" ||
    die "$EXIT_NO_KERNEL" "$series: could not extract an ELF vmlinux from ${vmlinuz##*/}"
  cp -- "$(compgen -G "$dir/deb/boot/config-*" | head -n 1)" "$dir/config"
  # trixie's merged /usr ships modules under /usr/lib/modules, older releases under /lib/modules.
  moddir=$(compgen -G "$dir/deb/lib/modules/*" || compgen -G "$dir/deb/usr/lib/modules/*" || true)
  moddir=${moddir%%$'\n'*}
  [[ -d $moddir ]] || die "$EXIT_NO_KERNEL" "$series: package has no lib/modules"
  echo "${moddir##*/}" >"$dir/release"
  mkdir -p -- "$dir/modules"
  resolve_modules "$moddir" "$dir/modules" >"$dir/modules.order"
  rm -rf -- "$dir/deb"
}

# The uncompressed kernel boots straight through its PVH entry; booting vmlinuz instead costs
# 5-7 s of in-guest decompression under TCG. Try every compressed-stream magic in the bzImage
# and keep the first one that decompresses to an ELF file.
extract_vmlinux() {
  local in=$1 out=$2 magic tool offset
  for magic in 'xz:\xfd7zXZ\x00' 'zstd:\x28\xb5\x2f\xfd' 'gzip:\x1f\x8b\x08' 'lz4:\x02\x21\x4c\x18'; do
    tool=${magic%%:*}
    command -v "$tool" >/dev/null || continue
    while read -r offset; do
      # Trailing bzImage bytes after the stream make the decompressors complain; the output
      # is still complete, so judge it by the ELF header, not by the exit status.
      tail -c "+$((offset + 1))" -- "$in" | "$tool" -dc >"$out" 2>/dev/null || true
      if [[ $(head -c 4 -- "$out" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
        return 0
      fi
    done < <(LC_ALL=C grep -obUaP "${magic#*:}" -- "$in" | cut -d: -f1)
  done
  rm -f -- "$out"
  return 1
}

# Print the load order of GUEST_MODULES plus dependencies and copy them, decompressed, to $2.
# The .deb has no modules.dep and depmod may be absent, so read depends= from each module's
# .modinfo strings; modules listed in modules.builtin are part of vmlinux and are skipped.
resolve_modules() {
  local moddir=$1 out=$2 file name
  declare -A path=() builtin=() seen=()
  while read -r file; do
    name=${file##*/}
    name=${name%%.ko*}
    path[${name//-/_}]=$file
  done < <(find "$moddir" -name '*.ko*' -type f)
  if [[ -r $moddir/modules.builtin ]]; then
    while read -r file; do
      name=${file##*/}
      name=${name%.ko}
      builtin[${name//-/_}]=1
    done <"$moddir/modules.builtin"
  fi
  visit() {
    local mod=$1 dep deps
    [[ -n ${seen[$mod]:-} || -n ${builtin[$mod]:-} ]] && return 0
    seen[$mod]=1
    [[ -n ${path[$mod]:-} ]] || die "$EXIT_NO_KERNEL" "module $mod is neither built in nor shipped"
    decompress_module "${path[$mod]}" "$out/$mod.ko"
    deps=$(tr '\0' '\n' <"$out/$mod.ko" | sed -n 's/^depends=//p' | head -n 1)
    for dep in ${deps//,/ }; do visit "${dep//-/_}"; done
    echo "$mod"
  }
  local root
  for root in "${GUEST_MODULES[@]}"; do visit "$root"; done
}

# busybox insmod reads plain ELF only; 6.12 ships .ko.xz.
decompress_module() {
  case $1 in
    *.ko.xz) xz -dc -- "$1" >"$2" ;;
    *.ko.zst) zstd -qdc -- "$1" >"$2" ;;
    *.ko.gz) gzip -dc -- "$1" >"$2" ;;
    *) cp -- "$1" "$2" ;;
  esac
}
