# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings here are read by the files that source this one
# Shared settings of the QEMU kernel matrix: the series table, cache layout, logging.
# Sourced by ../run; expects KERNELS_DIR (this directory's parent) to be set.

REPO=$(cd -- "$KERNELS_DIR/../.." && pwd -P)
CACHE=${MAPSNAP_KERNEL_CACHE:-$REPO/.cache/kernels}
# The pinned series, and "newest": a pseudo-series resolved when it is fetched to the newest generic
# kernel any of Debian's suites below offers, so the matrix
# follows the kernels users install without an edit here. Its concrete series and package version
# are recorded in its cache's package file.
SERIES_PINNED=(5.10 6.1 6.12)
SERIES_ALL=("${SERIES_PINNED[@]}" newest)

# Where each series comes from. "security:SUITE" is served by the machine's debian-security
# URI, "main:SUITE" by its debian URI; the newest matching package over all listed suites wins.
# 6.12 is taken from trixie-security first-class and bookworm-backports as a second source,
# because either may lead by a point release on a given day.
series_suites() {
  # MAPSNAP_KERNEL_SUITES (same "kind:suite ..." form) overrides the table, e.g. to try a suite.
  if [[ -n ${MAPSNAP_KERNEL_SUITES:-} ]]; then
    echo "$MAPSNAP_KERNEL_SUITES"
    return 0
  fi
  case $1 in
    5.10) echo "security:bullseye-security" ;;
    6.1) echo "security:bookworm-security main:bookworm" ;;
    6.12) echo "security:trixie-security main:bookworm-backports" ;;
    # Every suite above, plus those where newer kernels land first: the current stable release's
    # backports, testing and unstable, by their aliases so that a Debian release moves them along.
    # Not experimental: its release candidates are not what users install.
    newest)
      local s
      for s in "${SERIES_PINNED[@]}"; do series_suites "$s"; done | tr ' ' '\n' | awk 'NF && !seen[$0]++' |
        tr '\n' ' '
      echo "main:stable-backports main:testing main:unstable"
      ;;
    *) return 1 ;;
  esac
}

# Extended regex for the generic flavour's package name. Debian names 5.10/6.1 by ABI
# (linux-image-6.1.0-56-amd64), 6.12 and later by upstream version (linux-image-6.12.118+deb13-amd64).
# "newest" takes any series. Flavours are filtered by is_generic_flavour.
series_package_regex() {
  if [[ $1 == newest ]]; then
    echo '^linux-image-[0-9][^ ]*-amd64$'
    return 0
  fi
  local escaped=${1//./\\.}
  echo "^linux-image-${escaped}[.-][0-9][^ ]*-amd64\$"
}

# Cloud kernels lack 9p; rt and dbg are not what users run; -unsigned is the same kernel again.
is_generic_flavour() {
  [[ ! $1 =~ (cloud|-rt-|dbg|unsigned) ]]
}

# The concrete series of a Debian kernel version: 7.3.4-1~bpo13+1 -> 7.3, 6.1.192-2 -> 6.1.
version_series() {
  [[ $1 =~ ^([0-9]+\.[0-9]+) ]] && echo "${BASH_REMATCH[1]}"
}

# KEY's value in KDIR/package (key=value lines, not shell: values may hold spaces), else DEFAULT.
package_field() {
  local value
  value=$(sed -n "s/^$2=//p" "$1/package" 2>/dev/null | head -n 1)
  echo "${value:-${3:-}}"
}

is_series() {
  local s
  for s in "${SERIES_ALL[@]}"; do [[ $1 == "$s" ]] && return 0; done
  return 1
}

QUIET=${MAPSNAP_KERNEL_QUIET:-0}
log() {
  [[ $QUIET == 1 ]] || printf '[kernels] %s\n' "$*" >&2
}
die() {
  local code=$1
  shift
  printf '[kernels] error: %s\n' "$*" >&2
  exit "$code"
}

# Exit codes callers can tell apart from the guest command's own.
readonly EXIT_NO_KERNEL=124
readonly EXIT_BOOT_FAILED=125
readonly EXIT_USAGE=2

now_ms() { date +%s%3N; }
elapsed() { # start_ms -> "12.3 s"
  local ms=$(($(now_ms) - $1))
  printf '%d.%01d s' $((ms / 1000)) $((ms % 1000 / 100))
}
