#!/usr/bin/env bash
# clang-tidy with the tree's .clang-tidy over Centroid's own sources, using the build's
# compile_commands.json (scripts/setup.sh builds it). Exit 1 when any check fires.
# Usage: scripts/tidy.sh              every .cpp under core/, ui/ and app/
#        scripts/tidy.sh FILE.cpp...  those files only
# Files run in parallel, CENTROID_TIDY_JOBS at a time (default: every core). A full run parses
# libtorch's headers for each core file: about half an hour on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${CENTROID_BUILD_DIR:-build}
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json; run scripts/setup.sh" >&2; exit 2; }
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'core/*.cpp' 'ui/*.cpp' 'app/*.cpp'); fi
jobs=${CENTROID_TIDY_JOBS:-$(nproc)}
export build
check() {
  local out
  out=$(clang-tidy --quiet -p "$build" "$1" 2>/dev/null | grep -E "^/.*(warning|error):" -A3 || true)
  [ -z "$out" ] || { printf '%s\n' "$out"; return 1; }
}
export -f check
status=0
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -I{} bash -c 'check "$1"' _ {} || status=1
[ $status = 0 ] && echo "tidy: ${#files[@]} files clean"
exit $status
