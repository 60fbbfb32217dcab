// Hostile run files, opened by the centroid window as a script would:
// centroid --no-3d --open bad.h5 --export-metrics out.csv --quit, on Qt's offscreen platform.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <stdexcept>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"
#include "core/runfile_fixture.h"
#include "support/Process.h"
#include "tests/reliability/Hostile.h"

namespace centroid::reliability {
namespace {

Prepared openRun(const fs::path& dir, const fs::path& file) {
  return Prepared{
      {"--no-3d", "--open", file.string(), "--export-metrics", (dir / "out.csv").string(), "--quit"}};
}

// A small complete run (synthetic epochs): what the damaged files start from.
fs::path goodRun(const fs::path& dir) {
  using namespace centroid::testing;
  const fs::path file = dir / "good.h5";
  RunWriter w(file.string(), testConfig(), testView(500), testLayout(), testBaselines(), "MNIST");
  for (int e = 1; e <= 3; ++e) w.append(testFrame(e, 500));
  w.setBest(2, testWeights(2));
  w.setStatus("completed", "max epochs reached");
  return file;
}

HostileCase runCase(std::string name, std::string input, std::function<fs::path(const fs::path&)> make,
                    std::string message) {
  auto setup = [make = std::move(make)](const fs::path& dir) { return openRun(dir, make(dir)); };
  return {std::move(name), std::move(input), Program::Gui, setup, std::move(message)};
}

fs::path textFile(const fs::path& dir) {
  const fs::path f = dir / "notes.h5";
  const std::string text = "epoch,loss\n1,0.5\n";
  writeBytes(f, Bytes(text.begin(), text.end()));
  return f;
}

fs::path truncated(const fs::path& dir) {
  const fs::path good = goodRun(dir), f = dir / "cut.h5";
  Bytes b = readBytes(good);
  b.resize(b.size() / 2);
  writeBytes(f, b);
  return f;
}

// An HDF5 file of another program: one dataset, `format` set to `format` unless empty.
fs::path foreign(const fs::path& dir, const std::string& format) {
  h5::QuietErrors quiet;
  const fs::path f = dir / "foreign.h5";
  h5::File file(H5Fcreate(f.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  const int values[3] = {1, 2, 3};
  h5::createDataset(file.get(), "data", H5T_STD_I32LE, {3}, H5T_NATIVE_INT32, values);
  if (!format.empty()) h5::writeAttribute(file.get(), "format", format);
  return f;
}

// The good run with its root attribute `name` rewritten as int32 `value`.
fs::path withVersion(const fs::path& dir, std::int32_t value) {
  h5::QuietErrors quiet;
  const fs::path f = goodRun(dir);
  h5::File file(H5Fopen(f.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
  h5::Attribute a(H5Aopen(file.get(), "format_version", H5P_DEFAULT));
  H5Awrite(a.get(), H5T_NATIVE_INT32, &value);
  return f;
}

fs::path withoutEmbedding(const fs::path& dir) {
  h5::QuietErrors quiet;
  const fs::path f = goodRun(dir);
  h5::File file(H5Fopen(f.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
  H5Ldelete(file.get(), "/series/embedding", H5P_DEFAULT);
  return f;
}

// What a writer killed before SWMR started leaves: an HDF5 file still marked open for writing.
fs::path killedWhileCreating(const fs::path& dir) {
  const fs::path f = dir / "creating.h5";
  const pid_t pid = fork();
  if (pid == 0) {
    h5::QuietErrors quiet;
    h5::PropList fapl = h5::fileAccess(H5F_LIBVER_LATEST);
    const hid_t file = H5Fcreate(f.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    h5::writeAttribute(file, "format", "centroid-run");
    H5Fflush(file, H5F_SCOPE_GLOBAL);
    _exit(0);  // no H5Fclose: as if killed
  }
  waitpid(pid, nullptr, 0);
  return f;
}

// The good run with zeros over the stored (deflated) bytes of the first chunk of `dataset`.
fs::path zeroedChunk(const fs::path& dir, const char* dataset) {
  const fs::path f = goodRun(dir);
  haddr_t address = HADDR_UNDEF;
  hsize_t size = 0;
  {
    h5::QuietErrors quiet;
    h5::File file(H5Fopen(f.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    h5::Dataset d(H5Dopen2(file.get(), dataset, H5P_DEFAULT));
    unsigned mask = 0;
    std::vector<hsize_t> offset(8);
    h5::Dataspace space(H5Dget_space(d.get()));
    if (H5Dget_chunk_info(d.get(), space.get(), 0, offset.data(), &mask, &address, &size) < 0)
      address = HADDR_UNDEF;
  }
  if (address == HADDR_UNDEF || size == 0) throw std::runtime_error(std::string("no chunk in ") + dataset);
  Bytes b = readBytes(f);
  std::fill_n(b.begin() + static_cast<long>(address), static_cast<long>(size), 0);
  writeBytes(f, b);
  return f;
}

// The good run with `patch` written `offset` bytes into its global heap, the collection that
// holds every text attribute ("GCOL"; its first object header starts 16 bytes in).
fs::path heapPatched(const fs::path& dir, std::size_t offset, const Bytes& patch) {
  const fs::path good = goodRun(dir), f = dir / "heap.h5";
  Bytes b = readBytes(good);
  const std::string signature = "GCOL";
  const auto at = std::search(b.begin(), b.end(), signature.begin(), signature.end());
  if (at == b.end() || static_cast<std::size_t>(b.end() - at) < offset + patch.size()) {
    throw std::runtime_error("no global heap in " + good.string());
  }
  std::copy(patch.begin(), patch.end(), at + static_cast<long>(offset));
  writeBytes(f, b);
  return f;
}

// The good run whose first class name points at object 0x7f7f7f7f of its heap: the raw
// reference {length, heap address, index} of /view/class_names, which no checksum covers.
fs::path badTextReference(const fs::path& dir) {
  const fs::path f = goodRun(dir);
  haddr_t offset = HADDR_UNDEF;
  {
    h5::QuietErrors quiet;
    h5::File file(H5Fopen(f.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    h5::Dataset names(H5Dopen2(file.get(), "/view/class_names", H5P_DEFAULT));
    offset = H5Dget_offset(names.get());
  }
  if (offset == HADDR_UNDEF) throw std::runtime_error("/view/class_names is not contiguous");
  Bytes b = readBytes(f);
  std::fill_n(b.begin() + static_cast<long>(offset + 12), 4, 0x7f);
  writeBytes(f, b);
  return f;
}

// A crafted file on which libhdf5 1.10.8 itself divides by zero (a chunk dimension of 0, in
// H5Dopen2): found by the fuzzer, kept in tests/fuzz/crashes-hdf5/. The window reads it in its
// helper, centroid-probe-run, first; the helper dies of SIGFPE, the window reports it.
fs::path crashesLibhdf5(const fs::path& dir) {
  const fs::path f = dir / "crafted.h5";
  fs::copy_file(fs::path(CENTROID_SOURCE_DIR) / "tests/fuzz/crashes-hdf5/fpe-chunk-set-info", f);
  return f;
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(
    RunFile, HostileInput,
    ::testing::Values(
        runCase("Truncated", "a complete run cut to half its length", truncated, "the file is truncated ("),
        runCase(
            "ForeignSchema", "an HDF5 file whose format attribute is 'netcdf4'",
            [](const fs::path& d) { return foreign(d, "netcdf4"); },
            "not a Centroid run file (format is 'netcdf4')"),
        runCase(
            "NoFormatAttribute", "an HDF5 file without a format attribute",
            [](const fs::path& d) { return foreign(d, ""); },
            "not a Centroid run file (no 'format' attribute)"),
        runCase(
            "NewerFormatVersion", "a run with format_version 99",
            [](const fs::path& d) { return withVersion(d, 99); },
            "written by a newer Centroid (format 99, this reads 2)"),
        runCase(
            "ZeroFormatVersion", "a run with format_version 0",
            [](const fs::path& d) { return withVersion(d, 0); }, "damaged run file (format_version 0)"),
        runCase("MissingSeries", "a run without /series/embedding", withoutEmbedding,
                "damaged run file: cannot open /series/embedding/step"),
        runCase("KilledWhileCreating", "an HDF5 file whose writer died before SWMR started",
                killedWhileCreating,
                "its writer stopped while creating the file, before any epoch was stored"),
        // Zeros over the view set's pixels no longer refuse a run: the window reads a digit's
        // image only for its hover popup (RunFile.DamagedImagesCostOnlyTheirPopup).
        runCase(
            "ZeroedChunk", "a run whose loss series' data chunk is zeros (inflate fails)",
            [](const fs::path& d) { return zeroedChunk(d, "/series/loss/value"); },
            "reading the epoch summaries failed"),
        // HDF5 1.10 loops forever on this one (found here; RunReader now checks first).
        runCase(
            "ZeroedGlobalHeap", "a run whose text heap's first object header is zeros",
            [](const fs::path& d) { return heapPatched(d, 16, Bytes(16, 0)); },
            "damaged file: the global heap at byte"),
        // ... and copies 2^52 bytes out of a 4 KiB buffer on this one (a segfault).
        runCase(
            "OversizedGlobalHeapObject", "a run whose text heap claims a 2^52-byte object",
            [](const fs::path& d) {
              return heapPatched(d, 24, {0, 0, 0, 0, 0, 0, 0x10, 0});
            },
            "holds an object of 4503599627370496 bytes"),
        // ... and reads past its list of objects on this one (a segfault).
        runCase("BadTextReference", "a run whose first class name points at heap object 0x7f7f7f7f",
                badTextReference, "damaged file: the text reference at byte"),
        // Killed the window with SIGFPE (exit 136) until run files were read in a helper first.
        runCase("CrashesLibhdf5", "a crafted run with a chunk dimension of 0 (libhdf5 divides by it)",
                crashesLibhdf5, "reading this file crashed the HDF5 library (signal 8, SIGFPE)"),
        runCase(
            "EmptyFile", "0 bytes",
            [](const fs::path& d) {
              writeBytes(d / "empty.h5", {});
              return d / "empty.h5";
            },
            "the file is empty (0 bytes)"),
        runCase("NotHdf5", "a CSV file named .h5", textFile, "not an HDF5 file"),
        runCase(
            "Directory", "a folder named run.h5",
            [](const fs::path& d) {
              fs::create_directory(d / "run.h5");
              return d / "run.h5";
            },
            "is a folder, not a run file"),
        runCase(
            "MissingFile", "a path to nothing", [](const fs::path& d) { return d / "none.h5"; },
            "no such file")),
    caseName);

// Damage at many places of a good run: 16 zero bytes, or 8 inverted bytes, every 509 bytes.
// Each variant is opened and read in full (every epoch, view set, baselines, weights, status) in
// a child process, so a crash or a hang shows as that child's fate. A variant may read back
// (the damage hit padding or unused space) or be refused with a RunFileError naming the file;
// nothing else. The damage sweep that found the global-heap bugs used steps of 61 bytes.
TEST(DamagedRunFile, SweepNeverCrashesOrHangs) {
  const fs::path dir = proc::freshDir("hostile/DamageSweep");
  const fs::path variant = dir / "variant.h5";
  const Bytes good = readBytes(goodRun(dir));
  int readBack = 0, refused = 0;
  std::vector<std::string> failures;
  for (const bool invert : {false, true}) {
    const std::size_t width = invert ? 8 : 16;
    for (std::size_t at = 0; at + width <= good.size(); at += 509) {
      Bytes b = good;
      for (std::size_t i = at; i < at + width; ++i) b[i] = invert ? static_cast<std::uint8_t>(~b[i]) : 0;
      writeBytes(variant, b);
      const pid_t pid = fork();
      if (pid == 0) {
        alarm(20);  // a hang ends as SIGALRM
        try {
          RunReader r(variant.string());
          r.viewSet();
          r.summaries();
          r.baselines();
          r.bestWeights();
          r.status();
          r.statusReason();
          for (int i = 0; i < r.epochCount(); ++i) r.frame(i);
          _exit(0);
        } catch (const RunFileError& e) {
          _exit(std::string(e.what()).rfind(variant.string() + ": ", 0) == 0 ? 2 : 3);
        } catch (...) {
          _exit(4);
        }
      }
      int status = 0;
      waitpid(pid, &status, 0);
      const std::string what =
          (invert ? "inverted" : "zeroed") + std::string(" at byte ") + std::to_string(at);
      if (WIFSIGNALED(status)) {
        failures.push_back(what + ": signal " + std::to_string(WTERMSIG(status)));
      } else if (WEXITSTATUS(status) == 0) {
        ++readBack;
      } else if (WEXITSTATUS(status) == 2) {
        ++refused;
      } else {
        failures.push_back(
            what + ": exit " + std::to_string(WEXITSTATUS(status)) +
            (WEXITSTATUS(status) == 3 ? " (message without the path)" : " (not a RunFileError)"));
      }
    }
  }
  for (const auto& f : failures) ADD_FAILURE() << f;
  std::cout << readBack + refused + static_cast<int>(failures.size()) << " damaged variants of a "
            << good.size() << "-byte run: " << readBack << " read back, " << refused << " refused, "
            << failures.size() << " crashed or hung\n";
}

}  // namespace centroid::reliability
