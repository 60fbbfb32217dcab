// The fuzz targets' bodies (see FuzzTargets.h).
#include "FuzzTargets.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/data/Idx.h"
#include "core/runfile/RunFile.h"
#include "core/metrics/Types.h"

namespace centroid::fuzz {
namespace {

// One read; false when the reader refused it with the one exception it may throw.
template <class Error, class F>
bool attempt(F read) {
  try {
    read();
    return true;
  } catch (const Error&) {
    return false;
  }
}

// A file per process, so parallel fuzzing jobs and ctest runs never share one. /dev/shm keeps
// the fuzzer's hundreds of writes a second off the disk.
std::string scratchPath() {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
  return (dir / ("centroid-fuzz-runfile-" + std::to_string(::getpid()) + ".h5")).string();
}

}  // namespace

bool idx(const std::uint8_t* data, std::size_t size) {
  // A name in MNIST's style, so the "expected magic" message takes its name-based branch too.
  const std::string name = "fuzz-idx3-ubyte";
  const bool whole = attempt<DataError>([&] { parseIdx(data, size, name); });
  attempt<DataError>([&] { parseIdx(data, size, name, /*maxItems=*/1); });
  return whole;
}

bool runFile(const std::uint8_t* data, std::size_t size) {
  static const std::string path = scratchPath();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return false;
    const bool written = std::fwrite(data, 1, size, f) == size;
    if (std::fclose(f) != 0 || !written) return false;
  }
  bool ok = false;
  attempt<RunFileError>([&] {
    RunReader reader(path);
    ok = true;
    // Each read on its own: one that fails must not hide the others from the fuzzer.
    auto read = [&](auto f) {
      if (!attempt<RunFileError>(f)) ok = false;
    };
    read([&] { reader.summaries(); });
    // A handful of frames is enough: they all take the same path.
    const int epochs = reader.epochCount();
    for (int i = 0; i < std::min(epochs, 3); ++i) read([&] { reader.frame(i); });
    attempt<RunFileError>([&] { reader.frame(epochs); });  // one past the end: must throw, not read
    // As the window reads the view set: without images first, then one image at each end
    // (the hover popup), then all of them.
    read([&] {
      const std::size_t n = reader.viewSet(/*withImages=*/false).labels.size();
      reader.viewImage(0);
      if (n > 0) reader.viewImage(n - 1);
      reader.viewImage(n);  // one past the end: empty, not a read
    });
    read([&] { reader.viewSet(); });
    read([&] { reader.baselines(); });
    read([&] { reader.bestEpoch(); });
    read([&] { reader.bestWeights(); });
    read([&] { reader.status(); });
    read([&] { reader.statusReason(); });
    read([&] { reader.refresh(); });
  });
  std::remove(path.c_str());
  return ok;
}

}  // namespace centroid::fuzz
