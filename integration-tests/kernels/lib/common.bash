# shellcheck shell=bash
# shellcheck disable=SC2034 # the settings here are read by the files that source this one
# Shared settings of the QEMU kernel matrix: the series table, cache layout, logging.
# Sourced by ../run; expects KERNELS_DIR (this directory's parent) to be set.

REPO=$(cd -- "$KERNELS_DIR/../.." && pwd -P)
CACHE=${MAPSNAP_KERNEL_CACHE:-$REPO/.cache/kernels}
SERIES_ALL=(5.10 6.1 6.12)

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
    *) return 1 ;;
  esac
}

# Extended regex for the generic flavour's package name. Debian names 5.10/6.1 by ABI
# (linux-image-6.1.0-56-amd64) and 6.12 by upstream version (linux-image-6.12.118+deb13-amd64).
# Cloud kernels lack 9p; rt and dbg are not what users run; -unsigned is the same kernel again.
series_package_regex() {
  local escaped=${1//./\\.}
  echo "^linux-image-${escaped}[.-][0-9][^ ]*-amd64\$"
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
