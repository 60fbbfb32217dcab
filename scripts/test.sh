#!/usr/bin/env bash
# Idempotent: installs what is missing, builds (Release, incremental) and runs the whole test
# suite under Xvfb (the GUI tests need a display; CI has none).
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L core or -R Idx]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
# Two test processes at a time; each torch test uses two threads itself.
exec xvfb-run -a -s "-screen 0 1280x1024x24" \
  ctest --test-dir build --output-on-failure --no-tests=error -j2 "$@"
