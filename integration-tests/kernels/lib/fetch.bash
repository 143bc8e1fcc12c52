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

# Private apt state for SERIES under $CACHE/apt/SERIES with the index of its suites. Sets APTDIR and
# SUITES_PRESENT; dies when no suite's index arrived.
update_index() {
  local series=$1
  derive_mirrors
  APTDIR=$CACHE/apt/$series
  rm -rf -- "$APTDIR"
  mkdir -p -- "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
  local entry kind suite suites=()
  for entry in $(series_suites "$series"); do
    kind=${entry%%:*} suite=${entry#*:}
    suites+=("$suite")
    if [[ $kind == security ]]; then
      echo "deb [signed-by=$APT_KEYRING] $MIRROR_SECURITY $suite main"
    else
      echo "deb [signed-by=$APT_KEYRING] $MIRROR_MAIN $suite main"
    fi
  done >"$APTDIR/sources.list"
  log "$series: updating package index (${suites[*]})"
  # apt-get update fails as a whole when one suite is gone upstream; the others may still
  # hold the package, so go on with what arrived and name the missing suites in any failure.
  apt_private "$APTDIR" apt-get update >"$APTDIR/update.log" 2>&1 || true
  SUITES_PRESENT=() SUITES_MISSING=()
  for suite in "${suites[@]}"; do
    if compgen -G "$APTDIR/lists/*_dists_${suite}_main_binary-amd64_Packages*" >/dev/null; then
      SUITES_PRESENT+=("$suite")
    else
      SUITES_MISSING+=("$suite")
    fi
  done
  [[ ${#SUITES_PRESENT[@]} -gt 0 ]] ||
    die "$EXIT_NO_KERNEL" "$series: no index for ${suites[*]} on the mirror: $(grep -E '^(E|W):' "$APTDIR/update.log" | head -n 3)"
  [[ ${#SUITES_MISSING[@]} -eq 0 ]] ||
    log "$series: warning: no index for ${SUITES_MISSING[*]}; searching ${SUITES_PRESENT[*]}"
}

# The newest generic package of SERIES in the index update_index left in APTDIR. Sets PKG_NAME,
# PKG_VERSION, PKG_SUITE and PKG_SERIES (the concrete series: "newest" resolves to e.g. 7.3 here).
resolve_package() {
  local series=$1 regex names=() name version
  regex=$(series_package_regex "$series")
  while read -r name; do
    is_generic_flavour "$name" && names+=("$name")
  done < <(apt_private "$APTDIR" apt-cache pkgnames linux-image- | grep -E "$regex" | sort || true)
  PKG_NAME="" PKG_VERSION=""
  if [[ ${#names[@]} -gt 0 ]]; then
    # One apt-cache call for every candidate: "newest" has dozens, each call reads the whole cache.
    # One name can sit in two suites at different versions (bookworm and bookworm-security).
    while read -r name version; do
      if [[ -z $PKG_VERSION ]] || dpkg --compare-versions "$version" gt "$PKG_VERSION"; then
        PKG_NAME=$name PKG_VERSION=$version
      fi
    done < <(apt_private "$APTDIR" apt-cache show "${names[@]}" |
      awk '/^Package:/ { p = $2 } /^Version:/ { print p, $2 }')
  fi
  [[ -n $PKG_NAME ]] ||
    die "$EXIT_NO_KERNEL" "$series: no package matching $regex (generic flavour) in ${SUITES_PRESENT[*]}${SUITES_MISSING:+ (${SUITES_MISSING[*]} missing on the mirror)}"
  PKG_SUITE=$(apt_private "$APTDIR" apt-cache madison "$PKG_NAME" |
    awk -F'|' -v v="$PKG_VERSION" '{ gsub(/ /, "", $2) } $2 == v { print $3; exit }' |
    awk '{ sub(/\/.*/, "", $2); print $2 }')
  PKG_SERIES=$(version_series "$PKG_VERSION") ||
    die "$EXIT_NO_KERNEL" "$series: cannot read a kernel series from version $PKG_VERSION of $PKG_NAME"
}

# The packages that make up the kernel of PKG_NAME=PKG_VERSION. Up to 6.12 that is the image
# package alone (/boot/vmlinuz-VER, lib/modules/VER). From 7.x on, linux-image-VER is a
# metapackage whose Depends pin, at the same version, linux-binary-VER (the signed kernel at
# usr/lib/modules/VER/vmlinuz), linux-modules-VER (the .ko.xz files) and linux-base-VER (config,
# modules.builtin, modules.order): every dependency "NAME (= PKG_VERSION)" whose NAME ends in the
# image's own kernel name. Alternatives ("a | b") are tools such as initramfs-tools, never a part.
kernel_packages() {
  local abi=${PKG_NAME#linux-image-} dep pinned='^([^ ]+) \(= ([^ )]+)\)$'
  echo "$PKG_NAME=$PKG_VERSION"
  apt_private "$APTDIR" apt-cache show "$PKG_NAME=$PKG_VERSION" |
    awk '/^Depends:/ { sub(/^Depends: */, ""); print; exit }' | tr ',' '\n' |
    while read -r dep; do
      [[ $dep != *'|'* && $dep =~ $pinned && ${BASH_REMATCH[1]} == *-"$abi" &&
        ${BASH_REMATCH[2]} == "$PKG_VERSION" ]] && echo "${BASH_REMATCH[1]}=$PKG_VERSION"
    done
  return 0
}

# Fetch and prune SERIES into $CACHE/SERIES/PKG_VERSION and point $CACHE/SERIES/current at it.
fetch_series() {
  local series=$1 started
  started=$(now_ms)
  update_index "$series"
  resolve_package "$series"
  local parts=()
  mapfile -t parts < <(kernel_packages)
  log "$series: fetching ${parts[*]} (${PKG_SUITE:-?})"
  (cd -- "$APTDIR/cache" && apt_private "$APTDIR" apt-get download "${parts[@]}") \
    >"$APTDIR/download.log" 2>&1 ||
    die "$EXIT_NO_KERNEL" "$series: download of ${parts[*]} failed: $(tail -n 3 "$APTDIR/download.log")"

  local part deb target
  target=$CACHE/$series/${PKG_NAME}_${PKG_VERSION}
  rm -rf -- "$target" "$target.tmp"
  mkdir -p -- "$target.tmp/deb"
  for part in "${parts[@]}"; do
    deb=$(compgen -G "$APTDIR/cache/${part%%=*}_*.deb" | head -n 1) ||
      die "$EXIT_NO_KERNEL" "$series: ${part%%=*} was not downloaded: $(tail -n 3 "$APTDIR/download.log")"
    dpkg-deb -x "$deb" "$target.tmp/deb"
  done
  prune_package "$target.tmp" "$series"
  {
    printf 'request=%s\nseries=%s\npackage=%s\nversion=%s\nsuite=%s\n' "$series" "$PKG_SERIES" \
      "$PKG_NAME" "$PKG_VERSION" "${PKG_SUITE:-unknown}"
    printf 'packages=%s\n' "${parts[*]%%=*}"
    cat -- "$target.tmp/prune.txt"
  } >"$target.tmp/package"
  rm -f -- "$target.tmp/prune.txt"
  mv -- "$target.tmp" "$target"
  ln -sfn -- "${target##*/}" "$CACHE/$series/current"
  touch -- "$CACHE/$series/resolved"
  # The index and the .debs are only needed once; the pruned tree is all a boot reads.
  rm -rf -- "$APTDIR"
  log "$series: cached $PKG_SERIES ($PKG_NAME $PKG_VERSION), $(du -sh -- "$target" | cut -f1) in ${target#"$REPO"/} ($(elapsed "$started"))"
}

# "newest" is resolved again when its last resolution is older than MAPSNAP_KERNEL_NEWEST_DAYS
# (default 7, 0: every run): only the index is read, and the cached kernel stays when it is still
# the newest. Prints whether a fetch is due: "fetch" or "keep".
recheck_newest() {
  local series=$1 days=${MAPSNAP_KERNEL_NEWEST_DAYS:-7} cached_name cached_version
  [[ -n $(find "$CACHE/$series/resolved" -mmin "-$((days * 1440))" 2>/dev/null) ]] && {
    echo keep
    return 0
  }
  cached_name=$(package_field "$CACHE/$series/current" package)
  cached_version=$(package_field "$CACHE/$series/current" version)
  # A mirror that cannot be reached must not cost the cached kernel: keep it and say so.
  if ! (update_index "$series" && resolve_package "$series" &&
    echo "$PKG_NAME $PKG_VERSION" >"$CACHE/$series/resolved.tmp"); then
    log "$series: warning: could not look for a newer kernel; keeping $cached_name $cached_version"
    rm -rf -- "$CACHE/apt/$series"
    echo keep
    return 0
  fi
  rm -rf -- "$CACHE/apt/$series"
  if [[ $(cat -- "$CACHE/$series/resolved.tmp") == "$cached_name $cached_version" ]]; then
    log "$series: $cached_name $cached_version is still the newest"
    rm -f -- "$CACHE/$series/resolved.tmp"
    touch -- "$CACHE/$series/resolved"
    echo keep
  else
    log "$series: newer than $cached_name $cached_version: $(cat -- "$CACHE/$series/resolved.tmp")"
    rm -f -- "$CACHE/$series/resolved.tmp"
    echo fetch
  fi
}

# Keep vmlinux, the kernel config, and the guest modules (uncompressed) in load order. Writes
# DIR/prune.txt: key=value lines for the package file (where the config and built-in list came from).
prune_package() {
  local dir=$1 series=$2 vmlinuz moddir config
  # trixie's merged /usr ships modules under /usr/lib/modules, older releases under /lib/modules.
  moddir=$(compgen -G "$dir/deb/lib/modules/*" || compgen -G "$dir/deb/usr/lib/modules/*" || true)
  moddir=${moddir%%$'\n'*}
  [[ -d $moddir ]] || die "$EXIT_NO_KERNEL" "$series: package has no lib/modules"
  # Up to 6.12 the kernel is /boot/vmlinuz-VER; 7.x's linux-binary puts it in the modules directory.
  vmlinuz=$(compgen -G "$dir/deb/boot/vmlinuz-*" || compgen -G "$moddir/vmlinuz" || true)
  vmlinuz=${vmlinuz%%$'\n'*}
  [[ -f $vmlinuz ]] || die "$EXIT_NO_KERNEL" "$series: package has neither /boot/vmlinuz-* nor ${moddir#"$dir/deb"}/vmlinuz"
  extract_vmlinux "$vmlinuz" "$dir/vmlinux" ||
    die "$EXIT_NO_KERNEL" "$series: could not extract an ELF vmlinux from ${vmlinuz#"$dir/deb"}"
  config=$(compgen -G "$dir/deb/boot/config-*" || compgen -G "$moddir/config" || true)
  config=${config%%$'\n'*}
  if [[ -f $config ]]; then
    cp -- "$config" "$dir/config"
    echo "config=${config#"$dir/deb"}"
  else
    # The guest then has no /boot/config-$(uname -r); tools that read it see an empty file.
    log "$series: warning: the package ships no kernel config"
    : >"$dir/config"
    echo "config=none"
  fi >"$dir/prune.txt"
  echo "${moddir##*/}" >"$dir/release"
  mkdir -p -- "$dir/modules"
  resolve_modules "$moddir" "$dir/modules" "$dir/prune.txt" >"$dir/modules.order"
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
# .modinfo strings; modules that are part of vmlinux are skipped. Which ones those are comes from
# modules.builtin, else from modules.builtin.modinfo ("name.key=value" strings); a kernel that
# ships neither leaves one guess: a module with no .ko file is taken as built in, and that guess
# is logged and recorded (assumed_builtin= in $3, appended to), so a guest that then cannot mount
# its 9p root points at it.
resolve_modules() {
  local moddir=$1 out=$2 notes=$3 file name builtin_from=none
  declare -A path=() builtin=() seen=()
  local assumed=()
  while read -r file; do
    name=${file##*/}
    name=${name%%.ko*}
    path[${name//-/_}]=$file
  done < <(find "$moddir" -name '*.ko*' -type f)
  if [[ -r $moddir/modules.builtin ]]; then
    builtin_from=modules.builtin
    while read -r file; do
      name=${file##*/}
      name=${name%.ko}
      builtin[${name//-/_}]=1
    done <"$moddir/modules.builtin"
  elif [[ -r $moddir/modules.builtin.modinfo ]]; then
    builtin_from=modules.builtin.modinfo
    while read -r name; do
      builtin[${name//-/_}]=1
    done < <(tr '\0' '\n' <"$moddir/modules.builtin.modinfo" | sed -n 's/^\([^.=]*\)\..*/\1/p' | sort -u)
  fi
  visit() {
    local mod=$1 dep deps
    [[ -n ${seen[$mod]:-} || -n ${builtin[$mod]:-} ]] && return 0
    seen[$mod]=1
    if [[ -z ${path[$mod]:-} ]]; then
      [[ $builtin_from == none ]] || die "$EXIT_NO_KERNEL" "module $mod is neither built in ($builtin_from) nor shipped"
      log "warning: the kernel ships no modules.builtin(.modinfo) and no $mod.ko*: assuming $mod is built in"
      assumed+=("$mod")
      return 0
    fi
    decompress_module "${path[$mod]}" "$out/$mod.ko"
    deps=$(tr '\0' '\n' <"$out/$mod.ko" | sed -n 's/^depends=//p' | head -n 1)
    for dep in ${deps//,/ }; do visit "${dep//-/_}"; done
    echo "$mod"
  }
  local root
  for root in "${GUEST_MODULES[@]}"; do visit "$root"; done
  printf 'builtin_list=%s\nassumed_builtin=%s\n' "$builtin_from" "${assumed[*]}" >>"$notes"
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
