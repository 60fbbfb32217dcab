#!/usr/bin/env bash
# clang-tidy with the tree's .clang-tidy over Centroid's own sources, using the build's
# compile_commands.json (scripts/setup.sh builds it). Exit 1 when any check fires.
# Usage: scripts/tidy.sh              every .cpp under core/, ui/ and app/
#        scripts/tidy.sh FILE.cpp...  those files only
# A full run parses libtorch's headers for each core file: most of an hour on two cores;
# ui/ alone takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${CENTROID_BUILD_DIR:-build}
[ -f "$build/compile_commands.json" ] || { echo "tidy: no $build/compile_commands.json; run scripts/setup.sh" >&2; exit 2; }
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files 'core/*.cpp' 'ui/*.cpp' 'app/*.cpp'); fi
status=0
for f in "${files[@]}"; do
  out=$(clang-tidy --quiet -p "$build" "$f" 2>/dev/null | grep -E "^/.*(warning|error):" -A3 || true)
  if [ -n "$out" ]; then
    printf '%s\n' "$out"
    status=1
  fi
done
[ $status = 0 ] && echo "tidy: ${#files[@]} files clean"
exit $status
