# shellcheck shell=bash
# Host tools, the per-kernel initramfs, and one QEMU boot that runs one command.
# Sourced by ../run after common.bash and fetch.bash.

# MAPSNAP_KERNEL_OFFLINE=1: everything must be prepared already (the matrix sets it for its guests,
# after it installed the host tools and fetched every kernel once, one after the other): never run
# apt, never fetch, fail instead. Guests started in parallel then cannot race on dpkg's lock or
# fetch the same kernel twice.
OFFLINE=${MAPSNAP_KERNEL_OFFLINE:-0}

# Install only what is missing, so a prepared machine never runs apt here.
ensure_host_tools() {
  local missing=()
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  # The initramfs needs a static busybox; the dynamic "busybox" package would not run there.
  [[ $(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null) == "install ok installed" ]] ||
    missing+=(busybox-static)
  command -v cpio >/dev/null || missing+=(cpio)
  command -v zstd >/dev/null || missing+=(zstd)
  command -v xz >/dev/null || missing+=(xz-utils)
  [[ ${#missing[@]} -eq 0 ]] && return 0
  [[ $OFFLINE != 1 ]] ||
    die 1 "host tools missing (${missing[*]}) and MAPSNAP_KERNEL_OFFLINE=1: run 'run --fetch SERIES' first"
  log "installing host tools: ${missing[*]}"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
    >&2; then
    # Stale machine lists are the usual cause; refresh them once.
    apt-get update -q >&2 || die 1 "apt-get update failed while installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
      die 1 "could not install ${missing[*]}"
  fi
}

# Print the cached kernel directory of SERIES, fetching it first if needed. Callers hold the lock.
ensure_kernel() {
  local series=$1 dir=$CACHE/$1/current fetch=0
  if [[ ! -s $dir/vmlinux || ! -s $dir/modules.order || ! -s $dir/package ]]; then
    [[ $OFFLINE != 1 ]] ||
      die "$EXIT_NO_KERNEL" "$series: not in the cache ($CACHE) and MAPSNAP_KERNEL_OFFLINE=1: run 'run --fetch $series' first"
    fetch=1
  elif [[ $OFFLINE != 1 ]]; then
    if [[ ${MAPSNAP_KERNEL_REFRESH:-0} == 1 ]]; then
      fetch=1
    elif [[ $series == newest && $(recheck_newest "$series") == fetch ]]; then
      fetch=1
    fi
  fi
  if ((fetch)); then
    fetch_series "$series"
    # Older versions of the series are dead weight once current moved on.
    local old
    for old in "$CACHE/$series"/linux-image-*; do
      [[ $old -ef $CACHE/$series/current ]] || rm -rf -- "$old"
    done
  fi
  (cd -- "$dir" && pwd -P)
}

# (Re)build KDIR/initramfs.cpio.gz when missing or when guest/init, busybox, the module list
# or the config changed.
ensure_initramfs() {
  local kdir=$1 key started
  key=$(cat -- "$KERNELS_DIR/guest/init" /bin/busybox "$kdir/modules.order" "$kdir/config" |
    sha256sum | cut -c1-16)
  [[ -s $kdir/initramfs.cpio.gz && $(cat -- "$kdir/initramfs.key" 2>/dev/null) == "$key" ]] &&
    return 0
  started=$(now_ms)
  log "$(basename -- "$(dirname -- "$kdir")"): building initramfs"
  local stage=$kdir/initramfs.stage
  rm -rf -- "$stage"
  mkdir -p -- "$stage"/{bin,dev,proc,sys,host,rw,newroot,results,lib/modules}
  cp -- /bin/busybox "$stage/bin/busybox"
  cp -- "$KERNELS_DIR/guest/init" "$stage/init"
  chmod 0755 "$stage/init"
  cp -- "$kdir"/modules/*.ko "$stage/lib/modules/"
  cp -- "$kdir/modules.order" "$stage/modules.order"
  cp -- "$kdir/config" "$stage/config"
  # The kernel opens /dev/console for PID 1 before init can mount devtmpfs.
  mknod -m 0600 "$stage/dev/console" c 5 1
  (cd -- "$stage" && find . -print0 | LC_ALL=C sort -z |
    cpio --null -o -H newc --quiet | gzip -1) >"$kdir/initramfs.cpio.gz.tmp"
  mv -- "$kdir/initramfs.cpio.gz.tmp" "$kdir/initramfs.cpio.gz"
  echo "$key" >"$kdir/initramfs.key"
  rm -rf -- "$stage"
  log "initramfs $(du -h -- "$kdir/initramfs.cpio.gz" | cut -f1) in $(elapsed "$started")"
}

# Take the per-series lock (concurrent runs must not fetch or build the same kernel twice).
with_series_lock() {
  local series=$1 fd
  shift
  mkdir -p -- "$CACHE"
  exec {fd}>"$CACHE/$series.lock"
  flock "$fd"
  "$@"
  local status=$?
  exec {fd}>&-
  return "$status"
}

prepare_series() { # series -> prints kernel dir
  local kdir
  kdir=$(ensure_kernel "$1")
  # Offline, a stale initramfs is rebuilt all the same: it is local work, no apt or network.
  ensure_initramfs "$kdir"
  echo "$kdir"
}

# KVM only when the CPU exposes it; here /dev/kvm exists without vmx/svm, where KVM fails.
accel_args() {
  if grep -qwE 'vmx|svm' /proc/cpuinfo && [[ -r /dev/kvm && -w /dev/kvm ]]; then
    echo "-accel kvm -cpu host"
  else
    # One host thread for both vCPUs: a JVM under multi-threaded TCG once faulted with a write
    # fault reported at a just-patched jmp in JIT code (cross-modifying code between vCPUs, which
    # real x86 handles and MTTCG evidently did not), and on this busy 2-core host "single" was
    # no slower (16-18 s against 17-21 s for boot + two JVM starts) while burning one core less.
    # MAPSNAP_KERNEL_TCG_THREAD=multi and MAPSNAP_KERNEL_CPU (a plainer model) are the knobs.
    echo "-accel tcg,thread=${MAPSNAP_KERNEL_TCG_THREAD:-single} -cpu ${MAPSNAP_KERNEL_CPU:-max}"
  fi
}

# Boot KDIR once with RUNDIR as the results share. Returns QEMU's (or timeout's) status.
boot_once() {
  local kdir=$1 rundir=$2 accel
  read -ra accel <<<"$(accel_args)"
  rm -f -- "$rundir"/{started,finished,stdout,stderr,rc,rc.tmp,console.log}
  # In the background so that an INT/TERM trap can stop the guest (see stop_guest); without
  # --foreground, timeout would move QEMU out of our process group and a Ctrl-C would miss it.
  timeout --foreground -k 5 "${MAPSNAP_KERNEL_TIMEOUT:-1800}" qemu-system-x86_64 \
    "${accel[@]}" -m 2G -smp 2 -M pc -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$rundir/console.log" \
    -kernel "$kdir/vmlinux" -initrd "$kdir/initramfs.cpio.gz" \
    -append "console=ttyS0 rdinit=/init quiet loglevel=4 panic=-1 oops=panic ${MAPSNAP_KERNEL_APPEND:-}" \
    -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
    -virtfs "local,path=${rundir//,/,,},mount_tag=results,security_model=none,multidevs=remap" \
    -virtfs "local,path=${GUEST_REPO//,/,,},mount_tag=repo,security_model=none,multidevs=remap" \
    </dev/null >"$rundir/qemu.log" 2>&1 &
  QEMU_PID=$!
  local status=0
  wait "$QEMU_PID" || status=$?
  QEMU_PID=""
  return "$status"
}

QEMU_PID=""
stop_guest() {
  [[ -z $QEMU_PID ]] || kill -TERM "$QEMU_PID" 2>/dev/null || true
}

# Run "$@" in a SERIES guest; relay its output and exit with its status.
run_in_guest() {
  local series=$1 kdir rundir started status attempt release
  shift
  ensure_host_tools
  kdir=$(with_series_lock "$series" prepare_series "$series")
  release=$(cat -- "$kdir/release")
  mkdir -p -- "$CACHE/runs"
  rundir=$(mktemp -d -- "$CACHE/runs/$series.XXXXXX")
  # shellcheck disable=SC2064 # expand rundir now: it is local to this function
  [[ ${MAPSNAP_KERNEL_KEEP:-0} == 1 ]] || trap "rm -rf -- '$rundir'" EXIT
  trap 'stop_guest; exit 130' INT
  trap 'stop_guest; exit 143' TERM

  printf 'REPO_DIR=%q\nGUEST_KERNEL=%q\n' "$GUEST_REPO" "$series" >"$rundir/guest.conf"
  {
    printf 'cd -- %q || exit 126\n' "$PWD"
    printf 'exec env -i'
    printf ' %q' "PATH=$PATH" "HOME=/root" "MAPSNAP_GUEST_KERNEL=$series"
    [[ -z ${JAVA_HOME:-} ]] || printf ' %q' "JAVA_HOME=$JAVA_HOME"
    printf ' %q' "$@"
    printf '\n'
  } >"$rundir/command.bash"

  for attempt in 1 2; do
    started=$(now_ms)
    log "$series: booting $release ($(accel_args | cut -d' ' -f2 | cut -d, -f1)), attempt $attempt"
    status=0
    boot_once "$kdir" "$rundir" || status=$?
    [[ -f $rundir/rc ]] && break
    # Only a boot that never reached the command is retried: running a command again that
    # oopsed the kernel or hung would just repeat it (and its side effects).
    if [[ -f $rundir/started ]]; then
      if [[ $status == 124 ]]; then
        log "$series: command still running after ${MAPSNAP_KERNEL_TIMEOUT:-1800} s; not retrying"
      else
        log "$series: guest died while running the command (qemu status $status); not retrying"
      fi
      break
    fi
    log "$series: guest ended before the command (qemu status $status) after $(elapsed "$started")"
  done
  if [[ ! -f $rundir/rc ]]; then
    # Whatever the command wrote before the guest died is often the best clue.
    [[ ! -f $rundir/stdout ]] || cat -- "$rundir/stdout"
    [[ ! -f $rundir/stderr ]] || cat -- "$rundir/stderr" >&2
    {
      if [[ -f $rundir/started ]]; then
        echo "[kernels] $series: the guest booted but the command did not finish (timeout, oops" \
          "or panic); console tail:"
      else
        echo "[kernels] $series: boot failed twice; console tail:"
      fi
      tail -n 40 -- "$rundir/console.log" 2>/dev/null
      tail -n 5 -- "$rundir/qemu.log" 2>/dev/null
    } >&2
    exit "$EXIT_BOOT_FAILED"
  fi
  status=$(cat -- "$rundir/rc")
  log "$series: guest done in $(elapsed "$started") (in-guest uptime at command start" \
    "$(cat -- "$rundir/started") s, at end $(cat -- "$rundir/finished" 2>/dev/null) s), exit $status"
  cat -- "$rundir/stdout"
  cat -- "$rundir/stderr" >&2
  exit "$status"
}
