# shellcheck shell=bash
#
# tests/deploy/chroot.sh — a fresh Debian 12 chroot for the package test.
#
# Sourced by tests/deploy/test-packages. The debootstrap of a minimal
# bookworm is slow (minutes), so its result is kept as a tarball under
# $KC_DEPLOY_CACHE (default /var/cache/kc-deploy, outside the repository),
# as are the .debs apt downloads inside the chroot: a rerun unpacks the
# tarball and installs from the cache. Every chroot is new: nothing of one
# run is left in the next, only the download caches.
#
#   kcd_chroot_create DIR     unpack (debootstrap first if not cached) into DIR,
#                             mount /proc, /dev, /dev/pts, /dev/shm and the apt cache
#   kcd_chroot_run DIR CMD…   run a command inside (root, C.UTF-8, no services started)
#   kcd_chroot_destroy DIR    unmount and delete

KC_DEPLOY_CACHE=${KC_DEPLOY_CACHE:-/var/cache/kc-deploy}
KC_DEPLOY_MIRROR=${KC_DEPLOY_MIRROR:-http://deb.debian.org/debian}

kcd_base_tarball() {
  local tarball=$KC_DEPLOY_CACHE/bookworm-minbase.tar.gz tmp
  if [[ -s $tarball ]]; then
    printf '%s\n' "$tarball"
    return 0
  fi
  command -v debootstrap >/dev/null || kc_die "debootstrap is missing: apt-get install debootstrap"
  mkdir -p "$KC_DEPLOY_CACHE"
  tmp=$(mktemp -d "$KC_DEPLOY_CACHE/debootstrap.XXXXXX")
  kc_log "debootstrap: a minimal Debian 12 into $tmp (cached as $tarball)"
  debootstrap --variant=minbase bookworm "$tmp/root" "$KC_DEPLOY_MIRROR" >"$tmp/log" 2>&1 \
    || { tail -20 "$tmp/log" >&2; kc_die "debootstrap failed (log: $tmp/log)"; }
  rm -rf "$tmp/root/var/cache/apt/archives/"*.deb
  tar -C "$tmp/root" -czf "$tarball.part" .
  mv "$tarball.part" "$tarball"
  rm -rf "$tmp"
  printf '%s\n' "$tarball"
}

kcd_chroot_create() {
  local dir=$1 tarball
  tarball=$(kcd_base_tarball)
  mkdir -p "$dir" "$KC_DEPLOY_CACHE/apt-archives/partial"
  tar -C "$dir" -xzf "$tarball"
  cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  # Package scripts must not start services: we start them by hand, the
  # way a container or a chroot without systemd would.
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
  chmod 755 "$dir/usr/sbin/policy-rc.d"
  mount -t proc proc "$dir/proc"
  mount --bind /dev "$dir/dev"
  mount --bind /dev/pts "$dir/dev/pts"
  mount -t tmpfs -o mode=1777 shm "$dir/dev/shm"
  mount --bind "$KC_DEPLOY_CACHE/apt-archives" "$dir/var/cache/apt/archives"
}

kcd_chroot_run() {
  local dir=$1
  shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

kcd_chroot_destroy() {
  local dir=$1 m
  [[ -d $dir ]] || return 0
  # Processes left inside (a server the test started) hold the mounts.
  local root pid
  root=$(readlink -f "$dir")
  for pid in /proc/[0-9]*; do
    if [[ $(readlink "$pid/root" 2>/dev/null) == "$root" ]]; then
      kill -9 "${pid#/proc/}" 2>/dev/null || true
    fi
  done
  for m in var/cache/apt/archives dev/shm dev/pts dev proc; do
    mountpoint -q "$dir/$m" && umount -l "$dir/$m"
  done
  rm -rf --one-file-system "$dir"
}
