#!/usr/bin/env bash
# Installs the build into a temporary prefix and runs the installed programs from there, as a
# user would after `cmake --install` or the .deb: centroid --version with no display, and
# centroid-train for one epoch, finding MNIST in <prefix>/share/centroid (no source tree, no
# CENTROID_DATA_DIR, a fresh HOME). Also validates the installed desktop entry and metainfo.
# Usage: install_check.sh <build dir> <MNIST folder>
set -euo pipefail
build=$1
mnist=$2
prefix=$(mktemp -d)
home=$(mktemp -d)
trap 'rm -rf "$prefix" "$home"' EXIT
fail() { echo "install_check: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/centroid bin/centroid-train bin/centroid-probe-run; do
  [ -x "$prefix/$f" ] || fail "$f was not installed"
done
app=io.github.centroid.Centroid
for f in "share/applications/$app.desktop" "share/metainfo/$app.metainfo.xml" \
         "share/icons/hicolor/256x256/apps/$app.png" "share/icons/hicolor/16x16/apps/$app.png" \
         "share/icons/hicolor/scalable/apps/$app.svg" share/doc/centroid/LICENSE \
         share/doc/centroid/user-guide.md; do
  [ -f "$prefix/$f" ] || fail "$f was not installed"
done
desktop-file-validate "$prefix/share/applications/$app.desktop" || fail "the desktop entry does not validate"
appstreamcli validate --no-net "$prefix/share/metainfo/$app.metainfo.xml" >/dev/null \
  || fail "the metainfo does not validate"

# The installed programs, from another folder, with nothing of the build around them.
cd "$home"
out=$(env -i HOME="$home" PATH=/usr/bin:/bin "$prefix/bin/centroid" --version 2>&1) \
  || fail "centroid --version failed: $out"
[ "$out" = "Centroid $(sed -n 's/^project(Centroid VERSION \([0-9.]*\).*/\1/p' "$(dirname "$0")/../../CMakeLists.txt")" ] \
  || fail "centroid --version printed: $out"
mkdir -p "$prefix/share/centroid/mnist"
cp "$mnist"/*-ubyte "$prefix/share/centroid/mnist/"
env -i HOME="$home" PATH=/usr/bin:/bin "$prefix/bin/centroid-train" --epochs 1 --subset 1000 \
  --view-train 200 --view-test 0 --threads 2 -o "$home/run.h5" --json >"$home/out.json" 2>"$home/err.txt" \
  || fail "the installed centroid-train failed: $(tail -3 "$home/err.txt")"
grep -q '"status": "completed"' "$home/out.json" || fail "no completed run: $(cat "$home/out.json")"
echo "install_check: installed into a fresh prefix; centroid --version and centroid-train ran from it"
