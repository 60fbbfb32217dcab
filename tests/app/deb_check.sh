#!/usr/bin/env bash
# Builds the .deb with CPack from this build and checks it without installing it (a test must
# not change the machine): its dependencies come from dpkg-shlibdeps and name Debian 12's
# libraries, it holds the programs, the desktop files and the docs, and the programs extracted
# from it run: centroid --version with no display, centroid-train for one epoch on MNIST placed
# beside them. (dpkg -i on a clean Debian 12: docs/user-guide.md, "Install and start".)
# Usage: deb_check.sh <build dir> <MNIST folder>
set -euo pipefail
build=$1
mnist=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "deb_check: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || fail "cpack failed: $(tail -3 "$work/cpack.log")"
deb=$(ls "$work"/out/centroid_*_amd64.deb 2>/dev/null | head -1)
[ -f "$deb" ] || fail "no .deb was written"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libtorch1.13 libqt6widgets6 libvtk9.1 libhdf5-103-1 qt6-qpa-plugins; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/centroid ./usr/bin/centroid-train ./usr/bin/centroid-probe-run \
         ./usr/share/applications/io.github.centroid.Centroid.desktop \
         ./usr/share/metainfo/io.github.centroid.Centroid.metainfo.xml \
         ./usr/share/icons/hicolor/48x48/apps/io.github.centroid.Centroid.png \
         ./usr/share/doc/centroid/LICENSE; do
  grep -q " $f\$" <<<"$contents" || fail "the package lacks $f"
done
dpkg-deb -x "$deb" "$work/root"
home="$work/home"
mkdir -p "$home" "$work/root/usr/share/centroid/mnist"
cp "$mnist"/*-ubyte "$work/root/usr/share/centroid/mnist/"
cd "$home"
out=$(env -i HOME="$home" PATH=/usr/bin:/bin "$work/root/usr/bin/centroid" --version 2>&1) || fail "centroid --version: $out"
grep -q "^Centroid " <<<"$out" || fail "centroid --version printed: $out"
env -i HOME="$home" PATH=/usr/bin:/bin "$work/root/usr/bin/centroid-train" --epochs 1 --subset 1000 --view-train 200 \
  --view-test 0 --threads 2 -q -o "$home/run.h5" || fail "the packaged centroid-train failed"
[ -s "$home/run.h5" ] || fail "the packaged centroid-train wrote no run"
echo "deb_check: $(basename "$deb") ($(du -k "$deb" | cut -f1) KB): dependencies from shlibdeps, contents, programs run"
