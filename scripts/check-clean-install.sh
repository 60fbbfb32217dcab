#!/usr/bin/env bash
# The .deb on a clean Debian 12: a fresh minbase bookworm (debootstrap) gets the package with
# `apt-get install ./centroid_*.deb` (dpkg -i plus the Depends that dpkg-shlibdeps wrote), then
# runs it there: `centroid --version`, `centroid-train --epochs 1 --subset 1000`, and the window
# under Xvfb opening that run and writing a window screenshot. MNIST goes into the clean
# system's ~/.local/share/centroid/mnist, the place an installed Centroid looks in.
#
# Needs root and Debian's mirror; the first call downloads about 1.5 GB (the base system is
# kept in a tarball for the next call, the system itself is new every time). Not part of the
# test suite: docs/reliability.md, "The package on a clean system", has its last result.
# Usage: scripts/check-clean-install.sh [centroid_X_amd64.deb]   (default: the newest in build/)
set -euo pipefail
cd "$(dirname "$0")/.."
deb=${1:-$(ls -t build/centroid_*_amd64.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "check-clean-install: no .deb (cmake --build build --target package)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "check-clean-install: needs root (debootstrap, chroot)" >&2; exit 2; }
cache=${CENTROID_CLEAN_CACHE:-/var/tmp/centroid-clean}
out=${CENTROID_CLEAN_OUT:-build/clean-install}
mkdir -p "$cache" "$out"
command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap

if [ ! -f "$cache/bookworm-minbase.tar" ]; then
  echo "check-clean-install: debootstrap bookworm (minbase)"
  rm -rf "$cache/base"
  debootstrap --variant=minbase bookworm "$cache/base" http://deb.debian.org/debian >"$cache/debootstrap.log"
  tar -C "$cache/base" -cf "$cache/bookworm-minbase.tar" .
  rm -rf "$cache/base"
fi

sys="$cache/system"
cleanup() {
  for m in dev/pts dev proc sys; do mountpoint -q "$sys/$m" && umount -l "$sys/$m"; done
  return 0
}
trap cleanup EXIT
cleanup
rm -rf "$sys" && mkdir -p "$sys"
tar -C "$sys" -xf "$cache/bookworm-minbase.tar"
mount -t proc proc "$sys/proc"
mount -t sysfs sys "$sys/sys"
mount --bind /dev "$sys/dev"
mount --bind /dev/pts "$sys/dev/pts"
cp /etc/resolv.conf "$sys/etc/resolv.conf"
cp "$deb" "$sys/root/"
mkdir -p "$sys/root/.local/share/centroid/mnist"
cp data/mnist/*-ubyte "$sys/root/.local/share/centroid/mnist/"

chroot "$sys" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 bash -euo pipefail -c '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends /root/'"$(basename "$deb")"' >/root/apt.log
  apt-get install -y -qq --no-install-recommends xvfb xauth >>/root/apt.log
  echo "== installed: $(dpkg-query -W -f="\${Package} \${Version}" centroid)"
  echo "== dpkg -s centroid (Depends)"; dpkg -s centroid | sed -n "s/^Depends: //p" | tr "," "\n" | sed "s/^ */  /"
  echo "== centroid --version (no display)"; centroid --version
  echo "== centroid-train --epochs 1 --subset 1000"
  cd /root && centroid-train --epochs 1 --subset 1000 --view-train 1000 --view-test 1000 -o /root/run.h5
  echo "== the window under Xvfb"
  xvfb-run -a -s "-screen 0 1280x1024x24" centroid --open /root/run.h5 --window-screenshot /root/window.png --quit
  ls -l /root/window.png
  echo "== desktop entry and icon"
  ls /usr/share/applications/ /usr/share/icons/hicolor/256x256/apps/ /usr/share/metainfo/
' 2>&1 | tee "$out/clean-install.log"
cp "$sys/root/window.png" "$out/window.png"
echo "check-clean-install: passed; log and screenshot in $out"
