# shellcheck shell=bash
#
# scripts/lib.sh — functions shared by scripts/test, scripts/demo,
# scripts/demo-data, tests/support/pg-cluster and tests/support/make-certs.
#
# Sourced, never executed. The callers run under `set -euo pipefail`; this
# file does not change shell options so it can be sourced from anywhere.
# Everything it says goes to stderr, so that callers can keep stdout for
# machine-readable output (pg-cluster prints PGHOST=... lines there).
#
# Public functions:
#   kc_install_deps [EXTRA_PKG...]   install missing Debian packages
#   kc_pg_bindir                     print /usr/lib/postgresql/<newest>/bin
#   kc_pg_start DATADIR SOCKDIR      start (initdb first if needed) a private cluster
#   kc_pg_stop DATADIR               stop it (idempotent)
#   kc_pg_restart DATADIR            restart it on the same port and socket dir
#   kc_pg_status DATADIR             0 running, 3 stopped, 4 no cluster
#   kc_pg_destroy DATADIR SOCKDIR    stop and delete it (and any /tmp fallback)
#   kc_make_certs DIR [NAME...]      CA + server certificate (ECDSA P-256)
#   kc_free_port [PREFERRED...]      print a free TCP port on 127.0.0.1
# After kc_pg_start / kc_pg_restart / a successful kc_pg_status, these are
# exported: KC_PG_HOST (real socket dir), KC_PG_PORT, KC_PG_DATADIR (real).

# Guard against double sourcing (demo sources it, then runs demo-data that
# sources it again in a new process: that is fine, this only stops a loop).
if [[ -n ${KC_LIB_SOURCED:-} ]]; then
  return 0
fi
KC_LIB_SOURCED=1

# Repository root, whatever the caller's working directory (for callers).
# shellcheck disable=SC2034
KC_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)

# Debian 12 packages the project needs to build, test and demo.
# One array so that adding a package is a one-line change.
KC_DEB_PACKAGES=(
  # build
  build-essential meson ninja-build pkg-config
  libglib2.0-dev libjson-glib-dev libpq-dev libssl-dev libargon2-dev
  libgtk-3-dev libxlsxwriter-dev gettext
  libqrencode-dev  # kc-client: the QR code of two-factor enrolment
  # database
  postgresql postgresql-contrib
  # certificates, scripts, tests
  openssl python3 valgrind clang-format shellcheck
  # desktop client tests: a virtual X server, screenshots, accessibility
  xvfb xauth imagemagick at-spi2-core python3-pyatspi python3-dogtail
  # kc-client's TLS at run time (GIO's TLS backend)
  glib-networking
  # dbus-run-session: AT-SPI (dogtail) needs a session bus under Xvfb
  dbus-daemon
  # report exports (docs/exports.md): PDF through pango/cairo in DejaVu Serif;
  # the tests read the files back with LibreOffice and poppler
  libpango1.0-dev libcairo2-dev fonts-dejavu-core libreoffice-calc-nogui poppler-utils
  # round documents (docs/exports.md): docx/odt zipped by libzip; LibreOffice
  # Writer prints them as PDF and the tests read them back
  libzip-dev libreoffice-writer-nogui
  # dbus-send: test_workflow_ui asks for the accessibility bus of a second client
  dbus-bin
)

# Optional: only tests/bench/run-load needs these, and installs them itself
# (kc_install_deps "${KC_BENCH_PACKAGES[@]}"); the test install skips them.
# shellcheck disable=SC2034
KC_BENCH_PACKAGES=(pgbouncer)
# Optional: tests/security/tls-scan and tests/fuzz/run (libFuzzer) install
# these themselves; the test install skips them.
# shellcheck disable=SC2034
KC_SECURITY_PACKAGES=(sslscan testssl.sh clang libclang-rt-dev)

# Debian's python3 (the one kc_install_deps installs) rather than whatever
# comes first in PATH (a pyenv shim, say), which another user may not reach.
if [[ -x /usr/bin/python3 ]]; then KC_PYTHON=/usr/bin/python3; else KC_PYTHON=python3; fi

kc_log() {
  printf '%s\n' "$*" >&2
}

kc_die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Runs a command as root: directly when we are root, through sudo otherwise.
kc_as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    kc_die "need root to run '$*' and sudo is not installed; run it as root"
  fi
}

# ---------------------------------------------------------------------------
# Debian packages
# ---------------------------------------------------------------------------

# kc_install_deps [EXTRA_PKG...]: installs whatever of KC_DEB_PACKAGES (and
# the extra names) is not installed. Touches apt only when something is
# missing, so a second run costs a few dpkg-query calls.
# Extra names are optional, hence:
# shellcheck disable=SC2120
kc_install_deps() {
  local pkg status
  local -a missing=()
  command -v dpkg-query >/dev/null 2>&1 || kc_die "dpkg-query not found: this script expects Debian 12"
  for pkg in "${KC_DEB_PACKAGES[@]}" "$@"; do
    # dpkg-query fails for a package it has never heard of: that is "missing".
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    # "install ok installed" (or "hold ok installed"); "deinstall ok
    # config-files" means removed.
    if [[ $status != *" ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    kc_log "Debian packages: all ${#KC_DEB_PACKAGES[@]} present."
    return 0
  fi
  kc_log "Debian packages: installing ${missing[*]}"
  # apt-get update once, only now that we know something is missing.
  # Recommends are skipped: they double the download and nothing here
  # needs them (xauth, the one Recommends we rely on, is listed).
  kc_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  kc_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------------------
# Free TCP ports
# ---------------------------------------------------------------------------

# kc_port_free PORT: true when nothing listens on 127.0.0.1:PORT. Binding is
# the only reliable test (a connect test misses ports held by sockets that are
# bound but not yet listening). SO_REUSEADDR as servers set it, so a port in
# TIME_WAIT counts as free.
kc_port_free() {
  "$KC_PYTHON" - "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
}

# kc_free_port [PREFERRED...]: prints the first preferred port that is free,
# else a random free one in 20000-32767: below Linux's ephemeral range
# (32768-60999), so an outgoing connection is unlikely to take it between
# our check and the server's bind.
kc_free_port() {
  local p i
  for p in "$@"; do
    if [[ -n $p ]] && kc_port_free "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  for ((i = 0; i < 100; i++)); do
    p=$((20000 + RANDOM % 12768))
    if kc_port_free "$p"; then
      printf '%s\n' "$p"
      return 0
    fi
  done
  kc_die "no free TCP port found on 127.0.0.1"
}

# ---------------------------------------------------------------------------
# PostgreSQL private clusters
# ---------------------------------------------------------------------------
#
# PostgreSQL refuses to run as root. As root, the cluster belongs to the
# `postgres` system user (created by the postgresql package), and every
# PostgreSQL program runs through `runuser -u postgres`. That user must be
# able to reach DATADIR and SOCKDIR: a repository under /root (mode 0700), or
# a mktemp directory (0700), is out of its reach. Then the directory is
# created under /var/lib/postgresql/kc-clusters/ (postgres's own home, kept
# across reboots) and DATADIR/SOCKDIR become symlinks to it: the symlink is
# the record of where the cluster really is, and every function here resolves
# it first (postgres itself must be given the real path, since it cannot
# follow a link that sits in a directory it cannot enter).
# The same fallback is used for a socket directory whose path is too long
# for a Unix socket (108 bytes including "/.s.PGSQL.NNNNN").
#
# The cluster's own settings (port, socket dir, listen address) live in
# DATADIR/kc-cluster.conf, included from postgresql.conf: the cluster is
# self-describing, so stop/restart/status need nothing but DATADIR, and a
# later start reuses the same port when it is still free.

# kc_pg_bindir: newest installed PostgreSQL's bin directory (KC_PG_BINDIR
# overrides).
kc_pg_bindir() {
  if [[ -n ${KC_PG_BINDIR:-} ]]; then
    printf '%s\n' "$KC_PG_BINDIR"
    return 0
  fi
  local d best=
  # Version directories are plain numbers (15, 16, ...): sort numerically.
  best=$(for d in /usr/lib/postgresql/*/bin; do
    [[ -x $d/pg_ctl ]] && printf '%s\n' "$d"
  done | sort -t/ -k5,5n | tail -n 1)
  [[ -n $best ]] || kc_die "PostgreSQL not found under /usr/lib/postgresql (is the postgresql package installed?)"
  printf '%s\n' "$best"
}

# The user the cluster runs as when we are root: the owner of an existing
# cluster if that is an ordinary user (someone ran the demo as themselves
# before), else postgres.
kc__pg_owner() {
  local data=$1 owner
  if [[ -f $data/PG_VERSION ]]; then
    owner=$(stat -c %U -- "$data/PG_VERSION")
    if [[ $owner != root && $owner != UNKNOWN ]]; then
      printf '%s\n' "$owner"
      return 0
    fi
  fi
  printf 'postgres\n'
}

# kc__pg_as OWNER CMD...: runs CMD as the cluster owner (root) or as
# ourselves. `cd /` because PostgreSQL programs complain when they cannot
# enter the working directory (e.g. /root) of the user that started them.
kc__pg_as() {
  local owner=$1
  shift
  if ((EUID == 0)); then
    (cd / && runuser -u "$owner" -- "$@")
  else
    "$@"
  fi
}

# kc__pg_real PATH: the real directory behind PATH (following our symlink),
# or nothing when PATH does not exist.
kc__pg_real() {
  local path=$1
  if [[ -L $path ]]; then
    readlink -m -- "$path"
  elif [[ -d $path ]]; then
    (cd -- "$path" && pwd -P)
  fi
}

# Where a fallback directory goes: postgres's home as root, else TMPDIR.
kc__pg_fallback_base() {
  if ((EUID == 0)) && [[ -d /var/lib/postgresql ]]; then
    printf '/var/lib/postgresql/kc-clusters\n'
  else
    printf '%s/kc-pg-%s\n' "${TMPDIR:-/tmp}" "$EUID"
  fi
}

# kc__pg_usable DIR KIND OWNER: can OWNER run a cluster with DIR as its
# data (KIND=data) or socket (KIND=sock) directory?
kc__pg_usable() {
  local dir=$1 kind=$2 owner=$3
  # 108-byte sun_path, minus "/.s.PGSQL.NNNNN.lock" and the final NUL.
  if [[ $kind == sock ]] && ((${#dir} > 86)); then
    return 1
  fi
  if ((EUID == 0)); then
    kc__pg_as "$owner" test -d "$dir" -a -w "$dir" -a -x "$dir"
  else
    [[ -d $dir && -w $dir && -x $dir ]]
  fi
}

# kc__pg_place PATH KIND OWNER: makes sure the directory exists, belongs to
# OWNER (as root) and is usable by it, falling back to a symlink into
# kc__pg_fallback_base; prints the real directory.
kc__pg_place() {
  local path=$1 kind=$2 owner=$3 mode real abs base target
  if [[ $kind == data ]]; then mode=700; else mode=755; fi
  if [[ -L $path ]]; then
    # Placed by an earlier run. The target may have been removed (a reboot
    # clearing /tmp): recreate it empty, initdb will fill it again.
    real=$(readlink -m -- "$path")
    if [[ ! -d $real ]]; then
      kc_log "note: $path points to missing $real; recreating it"
      mkdir -p -- "$real"
    fi
  else
    mkdir -p -- "$path"
    real=$(cd -- "$path" && pwd -P)
  fi
  # As root, a directory we just made (owned by root) is handed to the owner.
  if ((EUID == 0)) && [[ $(stat -c %U -- "$real") == root ]]; then
    chown "$owner:" -- "$real"
  fi
  # PostgreSQL wants its data directory 0700 (or 0750), and clients must be
  # able to enter the socket directory.
  if [[ $(stat -c %U -- "$real") == "$owner" ]]; then
    chmod "$mode" -- "$real"
  fi
  if kc__pg_usable "$real" "$kind" "$owner"; then
    printf '%s\n' "$real"
    return 0
  fi
  # Not reachable by the owner (or too long for a socket): fall back.
  if [[ -L $path ]]; then
    kc_die "$path -> $real is not usable by user $owner"
  fi
  if [[ -n $(ls -A -- "$real") ]]; then
    kc_die "$path is not usable by user $owner (cannot traverse its parents?) and is not empty; move it or remove it"
  fi
  abs=$(cd -- "$(dirname -- "$path")" && pwd -P)/$(basename -- "$path")
  base=$(kc__pg_fallback_base)
  target=$base/$(printf '%s' "$abs" | sha256sum | cut -c1-12)-$(basename -- "$path")
  mkdir -p -- "$base" "$target"
  chmod 755 -- "$base"
  chmod "$mode" -- "$target"
  if ((EUID == 0)); then
    chown "$owner:" -- "$base" "$target"
  fi
  rmdir -- "$path"
  ln -s -- "$target" "$path"
  kc_log "note: user $owner cannot use $abs (a parent directory is not traversable, or the path is too long for a socket); using $target, linked from $path"
  kc__pg_usable "$target" "$kind" "$owner" || kc_die "$target is not usable by user $owner either"
  printf '%s\n' "$target"
}

# kc__pg_read_pid DATA: sets KC_PG_PORT/KC_PG_HOST from postmaster.pid
# (line 4 port, line 5 first socket directory) of a running cluster.
kc__pg_read_pid() {
  local data=$1
  local -a lines
  mapfile -t lines <"$data/postmaster.pid"
  KC_PG_PORT=${lines[3]:-}
  KC_PG_HOST=${lines[4]:-}
  KC_PG_DATADIR=$data
  export KC_PG_PORT KC_PG_HOST KC_PG_DATADIR
}

# kc__pg_running DATA OWNER: pg_ctl status (0 running, 3 stopped, 4 no dir).
kc__pg_running() {
  local data=$1 owner=$2 rc=0
  kc__pg_as "$owner" "$(kc_pg_bindir)/pg_ctl" status -D "$data" >/dev/null 2>&1 || rc=$?
  return "$rc"
}

# kc__pg_wait_ready: pg_isready until it answers (pg_ctl -w already waited
# for the postmaster; this also proves the socket and port we advertise).
kc__pg_wait_ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    if "$(kc_pg_bindir)/pg_isready" -q -h "$KC_PG_HOST" -p "$KC_PG_PORT" -U postgres -d postgres; then
      return 0
    fi
    sleep 0.5
  done
  kc_die "PostgreSQL on port $KC_PG_PORT (socket $KC_PG_HOST) did not become ready; see $KC_PG_DATADIR/postgres.log"
}

# kc__pg_write_conf DATA OWNER PORT SOCK: the cluster's own settings.
kc__pg_write_conf() {
  local data=$1 owner=$2 port=$3 sock=$4 extra=
  # Throwaway test clusters (KC_PG_FAST=1) trade durability for speed.
  if [[ ${KC_PG_FAST:-0} == 1 ]]; then
    extra=$'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n'
  fi
  # Single quotes inside a postgresql.conf string are doubled.
  kc__pg_as "$owner" tee "$data/kc-cluster.conf" >/dev/null <<EOF
# Written by scripts/lib.sh (kc_pg_start) on every start; edits are lost.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '${sock//\'/\'\'}'
max_connections = 200
${extra}
EOF
}

# kc_pg_start DATADIR SOCKDIR
kc_pg_start() {
  (($# == 2)) || kc_die "usage: kc_pg_start DATADIR SOCKDIR"
  local bindir owner data sock port prev rc
  bindir=$(kc_pg_bindir)
  if ((EUID == 0)); then
    if [[ -f $(kc__pg_real "$1")/PG_VERSION ]]; then
      owner=$(kc__pg_owner "$(kc__pg_real "$1")")
    else
      owner=postgres
    fi
    id "$owner" >/dev/null 2>&1 || kc_die "user $owner does not exist (install the postgresql package: it creates it)"
    command -v runuser >/dev/null 2>&1 || kc_die "runuser not found (package util-linux)"
  else
    owner=$(id -un)
  fi
  data=$(kc__pg_place "$1" data "$owner") || return 1
  sock=$(kc__pg_place "$2" sock "$owner") || return 1

  if [[ ! -f $data/PG_VERSION ]]; then
    kc_log "PostgreSQL: initdb $data"
    local -a fast=()
    [[ ${KC_PG_FAST:-0} == 1 ]] && fast=(--no-sync)
    # Its chatter is only worth showing when it fails.
    local out
    out=$(kc__pg_as "$owner" "$bindir/initdb" -D "$data" --auth=trust -U postgres \
      --encoding=UTF8 --locale=C.UTF-8 "${fast[@]}" 2>&1) || {
      printf '%s\n' "$out" >&2
      kc_die "initdb failed"
    }
    printf "\ninclude_if_exists = 'kc-cluster.conf'\n" |
      kc__pg_as "$owner" tee -a "$data/postgresql.conf" >/dev/null
  fi

  if kc__pg_running "$data" "$owner"; then
    kc__pg_read_pid "$data"
    kc_log "PostgreSQL: already running on port $KC_PG_PORT (socket dir $KC_PG_HOST)"
    return 0
  fi

  # Reuse the port of the last start while it is free: a server config
  # written then still points at it.
  prev=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$data/kc-cluster.conf" 2>/dev/null || true)
  for _ in 1 2 3; do
    port=$(kc_free_port "$prev")
    if [[ -n $prev && $port != "$prev" ]]; then
      kc_log "PostgreSQL: port $prev is taken now; moving to $port"
    fi
    kc__pg_write_conf "$data" "$owner" "$port" "$sock"
    rc=0
    kc__pg_as "$owner" "$bindir/pg_ctl" start -D "$data" -l "$data/postgres.log" -w -t 60 -s || rc=$?
    if ((rc == 0)); then
      break
    fi
    # Someone may have taken the port between our check and the bind.
    if tail -n 20 "$data/postgres.log" 2>/dev/null | grep -q 'could not bind\|could not create any TCP/IP sockets'; then
      kc_log "PostgreSQL: port $port was taken meanwhile; retrying"
      prev=
      continue
    fi
    tail -n 30 "$data/postgres.log" >&2 || true
    kc_die "PostgreSQL did not start (log: $data/postgres.log)"
  done
  ((rc == 0)) || kc_die "PostgreSQL did not start after 3 attempts (log: $data/postgres.log)"

  KC_PG_HOST=$sock KC_PG_PORT=$port KC_PG_DATADIR=$data
  export KC_PG_HOST KC_PG_PORT KC_PG_DATADIR
  kc__pg_wait_ready
  kc_log "PostgreSQL: running on port $KC_PG_PORT (socket dir $KC_PG_HOST, data $KC_PG_DATADIR)"
}

# kc_pg_status DATADIR: 0 running (and KC_PG_* exported), 3 stopped, 4 none.
kc_pg_status() {
  local data owner=postgres
  data=$(kc__pg_real "$1")
  if [[ -z $data || ! -f $data/PG_VERSION ]]; then
    return 4
  fi
  if ((EUID == 0)); then owner=$(kc__pg_owner "$data"); fi
  if kc__pg_running "$data" "$owner"; then
    kc__pg_read_pid "$data"
    return 0
  fi
  return 3
}

# kc_pg_stop DATADIR: fast shutdown (sessions are ended, not waited for).
kc_pg_stop() {
  (($# >= 1)) || kc_die "usage: kc_pg_stop DATADIR"
  local data owner=postgres rc=0
  data=$(kc__pg_real "$1")
  if [[ -z $data || ! -f $data/PG_VERSION ]]; then
    kc_log "PostgreSQL: no cluster in $1"
    return 0
  fi
  if ((EUID == 0)); then owner=$(kc__pg_owner "$data"); fi
  kc__pg_running "$data" "$owner" || rc=$?
  if ((rc != 0)); then
    kc_log "PostgreSQL: not running ($1)"
    return 0
  fi
  kc__pg_as "$owner" "$(kc_pg_bindir)/pg_ctl" stop -D "$data" -m fast -w -t 60 -s ||
    kc_die "PostgreSQL did not stop (log: $data/postgres.log)"
  kc_log "PostgreSQL: stopped ($1)"
}

# kc_pg_restart DATADIR: same port and socket dir (kc-cluster.conf is kept),
# so a server connected to it can reconnect. Starts a stopped cluster too.
kc_pg_restart() {
  (($# >= 1)) || kc_die "usage: kc_pg_restart DATADIR"
  local data owner=postgres port sock
  data=$(kc__pg_real "$1")
  [[ -n $data && -f $data/PG_VERSION ]] || kc_die "no cluster in $1 (start it first)"
  if ((EUID == 0)); then owner=$(kc__pg_owner "$data"); fi
  # pg_ctl restart would start a stopped cluster too, but complaining.
  local action=restart
  kc__pg_running "$data" "$owner" || action=start
  kc__pg_as "$owner" "$(kc_pg_bindir)/pg_ctl" "$action" -D "$data" -l "$data/postgres.log" \
    -m fast -w -t 60 -s || {
    tail -n 30 "$data/postgres.log" >&2 || true
    kc_die "PostgreSQL did not restart (log: $data/postgres.log)"
  }
  port=$(sed -n 's/^port = \([0-9]*\)$/\1/p' "$data/kc-cluster.conf")
  sock=$(sed -n "s/^unix_socket_directories = '\(.*\)'$/\1/p" "$data/kc-cluster.conf")
  KC_PG_HOST=${sock//\'\'/\'} KC_PG_PORT=$port KC_PG_DATADIR=$data
  export KC_PG_HOST KC_PG_PORT KC_PG_DATADIR
  kc__pg_wait_ready
  kc_log "PostgreSQL: restarted on port $KC_PG_PORT"
}

# kc_pg_destroy DATADIR SOCKDIR: stop, then delete both directories,
# including fallback directories our symlinks point to (only those: a
# symlink to anywhere else is removed, never followed).
kc_pg_destroy() {
  local path target base
  kc_pg_stop "$1" || true
  base=$(kc__pg_fallback_base)
  for path in "$@"; do
    if [[ -L $path ]]; then
      target=$(readlink -m -- "$path")
      case $target in
        /var/lib/postgresql/kc-clusters/* | "$base"/*) rm -rf -- "$target" ;;
      esac
      rm -f -- "$path"
    elif [[ -e $path ]]; then
      rm -rf -- "$path"
    fi
  done
}

# ---------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------

# kc__cert_fresh FILE: exists and is still valid a week from now.
kc__cert_fresh() {
  [[ -s $1 ]] && openssl x509 -in "$1" -noout -checkend 604800 >/dev/null 2>&1
}

# kc__key_matches CERT KEY: the key is the certificate's.
kc__key_matches() {
  [[ -s $1 && -s $2 ]] || return 1
  local a b
  a=$(openssl x509 -in "$1" -noout -pubkey 2>/dev/null) || return 1
  b=$(openssl pkey -in "$2" -pubout 2>/dev/null) || return 1
  [[ -n $a && $a == "$b" ]]
}

# kc_make_certs DIR [NAME...]: DIR/ca.pem, ca.key (CA, ECDSA P-256, 10
# years), DIR/server.pem, server.key (ECDSA P-256, 825 days — the most
# clients accept — SAN DNS:localhost, IP:127.0.0.1 and the NAMEs; a NAME
# made of digits and dots, or containing ':', is an IP address).
# Keeps what is there unless expiring within a week, not matching its key,
# not signed by the current CA, or lacking a requested name.
kc_make_certs() {
  (($# >= 1)) || kc_die "usage: kc_make_certs DIR [NAME...]"
  command -v openssl >/dev/null 2>&1 || kc_die "openssl not found (package openssl)"
  local dir=$1 name san have want
  shift
  local -a sans=("DNS:localhost" "IP:127.0.0.1")
  for name in "$@"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then san="IP:$name"; else san="DNS:$name"; fi
    [[ " ${sans[*]} " == *" $san "* ]] || sans+=("$san")
  done
  mkdir -p -- "$dir"
  dir=$(cd -- "$dir" && pwd -P)

  # Everything below runs in a subshell with umask 077, so a key is never
  # readable by others, not even for the moment before a chmod.
  (
    umask 077
    set -e
    tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
    trap 'rm -rf -- "$tmp"' EXIT
    new_ca=0

    if ! kc__cert_fresh "$dir/ca.pem" || ! kc__key_matches "$dir/ca.pem" "$dir/ca.key"; then
      kc_log "certificates: new CA in $dir"
      cat >"$tmp/ca.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
O = Khuyen Cong
CN = Khuyen Cong local CA
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -pkeyopt ec_param_enc:named_curve -out "$tmp/ca.key" 2>/dev/null
      openssl req -new -x509 -config "$tmp/ca.cnf" -extensions v3_ca \
        -key "$tmp/ca.key" -sha256 -days 3650 -out "$tmp/ca.pem"
      chmod 644 "$tmp/ca.pem"
      mv -f -- "$tmp/ca.key" "$dir/ca.key"
      mv -f -- "$tmp/ca.pem" "$dir/ca.pem"
      new_ca=1
    fi

    # Names the current server certificate has, as "DNS:x" / "IP:y" words.
    have=
    if [[ -s $dir/server.pem ]]; then
      have=$(openssl x509 -in "$dir/server.pem" -noout -ext subjectAltName 2>/dev/null |
        sed -n '2,$p' | tr -d ' ' | tr ',' '\n' | sed 's/^IPAddress:/IP:/' | tr '\n' ' ')
    fi
    want=1
    if ((new_ca == 0)) && kc__cert_fresh "$dir/server.pem" &&
      kc__key_matches "$dir/server.pem" "$dir/server.key" &&
      openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1; then
      want=0
      # Every requested name present? IP addresses are compared parsed:
      # openssl prints ::1 as 0:0:0:0:0:0:0:1.
      "$KC_PYTHON" - "$have" "${sans[@]}" <<'EOF' || want=1
import ipaddress, sys
def norm(s):
    kind, _, value = s.partition(":")
    if kind == "IP":
        try:
            value = ipaddress.ip_address(value).compressed
        except ValueError:
            pass
    return kind + ":" + value.lower()
have = {norm(w) for w in sys.argv[1].split()}
sys.exit(0 if all(norm(w) in have for w in sys.argv[2:]) else 1)
EOF
    fi

    if ((want == 1)); then
      kc_log "certificates: new server certificate in $dir (${sans[*]})"
      {
        printf '[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nO = Khuyen Cong\nCN = localhost\n'
        printf '[v3_srv]\nbasicConstraints = critical, CA:FALSE\n'
        printf 'keyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n'
        printf 'subjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid, issuer\n'
        printf 'subjectAltName = %s\n' "$(
          IFS=,
          printf '%s' "${sans[*]}"
        )"
      } >"$tmp/server.cnf"
      openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
        -pkeyopt ec_param_enc:named_curve -out "$tmp/server.key" 2>/dev/null
      openssl req -new -config "$tmp/server.cnf" -key "$tmp/server.key" -out "$tmp/server.csr"
      # A random serial: two CAs made on one machine never issue two
      # certificates that clients could confuse.
      openssl x509 -req -in "$tmp/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -days 825 -sha256 \
        -extfile "$tmp/server.cnf" -extensions v3_srv -out "$tmp/server.pem" 2>/dev/null
      chmod 644 "$tmp/server.pem"
      mv -f -- "$tmp/server.key" "$dir/server.key"
      mv -f -- "$tmp/server.pem" "$dir/server.pem"
    else
      kc_log "certificates: keeping the valid ones in $dir"
    fi
    chmod 600 "$dir/ca.key" "$dir/server.key"
  )
}
