// centroid-probe-run: opens a run file and does every HDF5 read the window does when it opens
// one, in a process of its own. Debian 12's libhdf5 1.10.8 crashes on some crafted files
// (SIGFPE, SIGSEGV inside H5Dopen2 and friends; tests/fuzz/crashes-hdf5/); the window runs this
// first (RunModel::open), so such a file costs a helper process, not the window.
//
//   centroid-probe-run [--] RUN_FILE
//
// Exit codes: 0 the window would open the file; 2 the file is refused: the reason alone, the
// same text the window would show (it names the file and the fault), is the only thing on
// stderr; 64 usage error (EX_USAGE). A crash inside libhdf5 ends it by that signal. It writes
// nothing: the file is opened read-only, and no core file is left behind.
//
// Its address space is capped at 4 GiB. A valid run needs under 300 MB here (a 70,000-point
// view set is 55 MB, an epoch of 70,000 x 256 floats 72 MB), but libhdf5 sizes some buffers from
// the file: a crafted object header made it allocate and fill 8 GiB (tests/fuzz/crashes-hdf5/
// oom-root-object-header; 22 s and 17 GB of memory in the window before this helper). Under the
// cap that allocation fails at once and the file is refused with HDF5's message.
//
// Links only centroid_runfile (HDF5, no torch, no Qt) so that it starts in a few milliseconds.
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "core/runfile/RunFile.h"

#if defined(__SANITIZE_ADDRESS__)
// The asan preset: a fault inside libhdf5 must still end the helper by a signal, which is how the
// window tells a crash (ASan would otherwise catch SIGSEGV and SIGFPE, report, and exit 1).
extern "C" __attribute__((used, visibility("default"))) const char* __asan_default_options() {
  return "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:abort_on_error=1";
}
#define CENTROID_PROBE_ASAN 1
#endif

namespace {

constexpr int kRefused = 2;
constexpr int kUsage = 64;  // EX_USAGE
constexpr rlim_t kAddressSpace = rlim_t{4} << 30;

const char* const kUsageText =
    "usage: centroid-probe-run [--] RUN_FILE\n"
    "Reads RUN_FILE as the centroid window does when it opens it (settings, view set, baselines,\n"
    "epoch summaries, status, the last epoch, view images, the best weights); writes nothing.\n"
    "Exit codes: 0 readable; 2 refused (the reason on stderr); 64 usage error. A crash inside\n"
    "libhdf5 ends it by that signal. Its address space is capped at 4 GiB.\n";

// Leaves at once: HDF5's exit handler closes the library, which on some damaged files prints
// "infinite loop closing library" and more to stderr; nothing here needs closing.
[[noreturn]] void leave(int code) {
  std::fflush(stdout);
  std::fflush(stderr);
  _exit(code);
}

// The message RunModel::open would set for the same exception.
[[noreturn]] void refuse(const std::string& path, const std::exception& e) {
  const bool named = dynamic_cast<const centroid::RunFileError*>(&e) != nullptr;
  std::fprintf(stderr, "%s%s\n", named ? "" : (path + ": ").c_str(), e.what());
  leave(kRefused);
}

// Reads the window makes after opening and whose failure it only reports (the run still
// opens): done for the crashes they might hit; their errors do not refuse the file.
template <class F>
void attempt(F read) {
  try {
    read();
  } catch (const std::exception&) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  // A crash on a crafted file is expected here; a core file of it would only fill the disk.
  const rlimit noCore{0, 0};
  setrlimit(RLIMIT_CORE, &noCore);
#ifndef CENTROID_PROBE_ASAN  // ASan's shadow memory alone exceeds the cap
  // Sizes libhdf5 reads from a crafted file fail here instead of filling the machine's memory.
  rlimit space{};
  if (getrlimit(RLIMIT_AS, &space) == 0 &&
      (space.rlim_cur == RLIM_INFINITY || space.rlim_cur > kAddressSpace)) {
    space.rlim_cur = kAddressSpace;
    setrlimit(RLIMIT_AS, &space);
  }
#endif

  int first = 1;
  if (argc == 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    std::fputs(kUsageText, stdout);
    leave(0);
  }
  if (argc == 3 && std::strcmp(argv[1], "--") == 0) first = 2;
  if (argc - first != 1 || (first == 1 && argv[1][0] == '-')) {
    std::fputs(kUsageText, stderr);
    leave(kUsage);
  }
  const std::string path = argv[first];

  try {
    // What RunModel::open reads; any failure there refuses the file.
    centroid::RunReader reader(path, /*follow=*/true);
    reader.config();
    reader.attributes();
    const std::size_t points = reader.viewSet(/*withImages=*/false).labels.size();
    reader.baselines();
    reader.summaries();
    reader.status();
    // What the window reads next: the last epoch (shown on open), the run's summary.
    attempt([&] {
      if (reader.epochCount() > 0) reader.frame(reader.epochCount() - 1);
    });
    // The window reads view images one at a time, for the hover popup: the first and last
    // ones here, so that the dataset's chunk index is walked at both ends.
    attempt([&] {
      if (points > 0) {
        reader.viewImage(0);
        reader.viewImage(points - 1);
      }
    });
    attempt([&] { reader.statusReason(); });
    attempt([&] { reader.bestEpoch(); });
    attempt([&] { reader.bestWeights(); });
  } catch (const std::exception& e) {
    refuse(path, e);
  } catch (...) {
    std::fprintf(stderr, "%s: unknown error while reading the file\n", path.c_str());
    leave(kRefused);
  }
  leave(0);
}
