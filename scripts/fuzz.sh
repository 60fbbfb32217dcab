#!/usr/bin/env bash
# Fuzzes the readers of untrusted files (IDX, run files) with libFuzzer: installs clang if
# missing, builds only those readers with clang into build-fuzz (preset "fuzz": no torch, Qt or
# VTK), then runs each target in turn, one process each. See docs/reliability.md, "Fuzzing".
# Usage: scripts/fuzz.sh [seconds per target, default 600] [target ...]
# (targets: fuzz_idx fuzz_runfile; default both)
# Findings land in build-fuzz/findings/<target>/; the corpus grown by a run in
# build-fuzz/corpus/<target>/ (seeds in tests/fuzz/corpus/ stay untouched).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_idx fuzz_runfile)

# clang-14 and its runtime libraries (libFuzzer, ASan/UBSan for clang) are not part of the
# normal set-up: only this script needs them. The rest is what the two readers build from, so
# this script also works on a machine where scripts/setup.sh never ran.
missing=()
for p in clang libclang-rt-14-dev cmake ninja-build libhdf5-dev zlib1g-dev nlohmann-json3-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fuzz: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export CCACHE_BASEDIR="$root"
[ -f build-fuzz/build.ninja ] || cmake --preset fuzz
cmake --build --preset fuzz

# Leaks are findings too (LeakSanitizer runs after each input), except the ones libhdf5 makes
# itself on damaged files (tests/sanitizers/lsan.supp). -fork=1 with -ignore_crashes keeps one
# run going past a crash inside libhdf5 (which we cannot fix), so the whole time is spent; each
# finding is still saved (crash-, leak-, oom-, timeout-<sha1>) and fails this script.
stamp=build-fuzz/.fuzz-started
touch "$stamp"  # findings of earlier runs stay in findings/ but do not count
declare -A corpus=([fuzz_idx]=idx [fuzz_runfile]=runfile)
declare -A maxlen=([fuzz_idx]=4096 [fuzz_runfile]=131072)
for t in "${targets[@]}"; do
  work="build-fuzz/corpus/$t" findings="build-fuzz/findings/$t"
  mkdir -p "$work" "$findings"
  echo "fuzz: $t for ${seconds}s (corpus $work, seeds tests/fuzz/corpus/${corpus[$t]})"
  UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
  LSAN_OPTIONS="suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0" \
    "build-fuzz/tests/fuzz/$t" -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_ooms=1 \
      -ignore_timeouts=1 -timeout=10 -rss_limit_mb=4096 -max_len="${maxlen[$t]}" \
      -artifact_prefix="$findings/" -print_final_stats=1 \
      "$work" "tests/fuzz/corpus/${corpus[$t]}" 2>&1 | tee "build-fuzz/$t.log"
done

# A crashed input leaves its process's scratch file (tests/fuzz/FuzzTargets.cpp) behind.
for f in /dev/shm/centroid-fuzz-runfile-*.h5; do
  [ -e "$f" ] || continue
  pid=${f##*-}
  kill -0 "${pid%.h5}" 2>/dev/null || rm -f "$f"
done

found=$(find build-fuzz/findings -type f -newer "$stamp" | wc -l)
if ((found)); then
  echo "fuzz: $found finding(s) in build-fuzz/findings/ (replay one: build-fuzz/tests/fuzz/<target> <file>)" >&2
  exit 1
fi
echo "fuzz: no findings"
