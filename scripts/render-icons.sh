#!/usr/bin/env bash
# Renders resources/icons/centroid.svg into the hicolor PNG sizes the desktop and the window use
# (resources/icons/hicolor/<N>x<N>/apps/io.github.centroid.Centroid.png). The PNGs are committed,
# so the build needs no SVG renderer; run this after changing the SVG. Needs rsvg-convert
# (librsvg2-bin, installed by scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/../resources/icons"
for n in 16 22 24 32 48 64 128 256; do
  mkdir -p "hicolor/${n}x${n}/apps"
  rsvg-convert -w "$n" -h "$n" centroid.svg -o "hicolor/${n}x${n}/apps/io.github.centroid.Centroid.png"
done
mkdir -p hicolor/scalable/apps
cp centroid.svg hicolor/scalable/apps/io.github.centroid.Centroid.svg
