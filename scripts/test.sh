#!/usr/bin/env bash
# Idempotent: installs what is missing, builds (Release, incremental) and runs the whole test
# suite under Xvfb (the GUI tests need a display; CI has none). Then the sanitizer suite: builds
# the "asan" preset (AddressSanitizer + UBSan, build-asan) and runs the core, app,
# fuzz-regression and (untimed) reliability tests with leak checking, then the GUI tests without
# (docs/reliability.md, "Sanitizers"). On two cores a cold asan build took 8 to 14 minutes here,
# its tests 5 to 6.
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L core or -R Idx]
#   Extra arguments narrow the normal suite only. CENTROID_SKIP_ASAN=1 skips the sanitizer
#   suite (quick local runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# Warnings are errors here (and so in CI): the tree builds with none.
CENTROID_WERROR=ON scripts/setup.sh build
xvfb=(xvfb-run -a -s "-screen 0 1280x1024x24")
status=0
# Two test processes at a time; each torch test uses two threads itself.
"${xvfb[@]}" ctest --test-dir build --output-on-failure --no-tests=error -j2 "$@" || status=$?

if [ "${CENTROID_SKIP_ASAN:-0}" = 1 ]; then
  echo "test: sanitizer suite skipped (CENTROID_SKIP_ASAN=1)"
  exit "$status"
fi
# Run even when the normal suite failed: a sanitizer report often says why.
echo "test: sanitizer suite (build-asan)"
export CCACHE_BASEDIR="$PWD"  # as scripts/setup.sh: clones of this tree share objects
[ -f build-asan/build.ninja ] || cmake --preset asan
cmake --build --preset asan
ctest --preset asan || status=$?
"${xvfb[@]}" ctest --preset asan-gui || status=$?
exit "$status"
