// What each fuzz target does with one input; shared by the libFuzzer programs (fuzz_*.cpp) and
// the corpus regression test (test_fuzz_corpus.cpp), so CI replays exactly what was fuzzed.
#pragma once

#include <cstddef>
#include <cstdint>

namespace centroid::fuzz {

// Parses the bytes as an IDX file (whole, and only its first item). DataError is the reader's
// verdict on a bad file and is swallowed; anything else escapes, which is a finding. Returns true
// when the whole file parsed.
bool idx(const std::uint8_t* data, std::size_t size);

// Writes the bytes to a temporary file (in /dev/shm where there is one) and reads it through
// RunReader as the GUI does: open, summaries, a few frames, view set, baselines, best weights,
// status. RunFileError is swallowed, anything else escapes. Returns true when every read succeeded.
bool runFile(const std::uint8_t* data, std::size_t size);

}  // namespace centroid::fuzz
