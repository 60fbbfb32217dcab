#!/usr/bin/env bash
# Idempotent: installs what is missing, builds (Release, incremental) and starts Centroid on
# MNIST. Without a display (or without the GUI) it runs the headless trainer with defaults.
# Usage: scripts/run.sh [arguments for the program]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
if [ -x build/app/centroid ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/app/centroid "$@"
fi
echo "run: no display (or no GUI build): running the headless trainer on MNIST"
exec build/app/centroid-train --baselines "$@"
