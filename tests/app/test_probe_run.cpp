// centroid-probe-run, the helper the window opens run files in first (RunModel::open):
// exit 0 on a readable run, 2 with exactly RunReader's message on a refused one, death by the
// signal when libhdf5 crashes, 64 on usage errors; it writes nothing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/runfile/RunFile.h"
#include "core/runfile_fixture.h"
#include "support/Process.h"

namespace fs = std::filesystem;
using centroid::proc::Outcome;

namespace {

fs::path crashFile(const std::string& name) {
  return fs::path(CENTROID_SOURCE_DIR) / "tests" / "fuzz" / "crashes-hdf5" / name;
}

Outcome probe(const std::vector<std::string>& args, const std::string& name) {
  return centroid::proc::run(CENTROID_PROBE_EXE, args, centroid::proc::freshDir("probe-" + name),
                             std::chrono::seconds(60));
}

// A small complete run, or one whose writer is still alive when `keepWriter` is given.
fs::path goodRun(const fs::path& dir, int epochs = 3) {
  using namespace centroid::testing;
  const fs::path file = dir / "good.h5";
  centroid::RunWriter w(file.string(), testConfig(), testView(500), testLayout(), testBaselines(), "MNIST");
  for (int e = 1; e <= epochs; ++e) w.append(testFrame(e, 500));
  w.setBest(2, testWeights(2));
  w.setStatus("completed", "max epochs reached");
  return file;
}

// RunReader's verdict on `file` in this process: what the helper must print.
std::string readerMessage(const fs::path& file) {
  try {
    centroid::RunReader r(file.string(), /*follow=*/true);
    r.viewSet();
    r.baselines();
    r.summaries();
    r.status();
  } catch (const centroid::RunFileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ProbeRun, ReadableRunExitsZeroAndChangesNothing) {
  const fs::path dir = centroid::proc::freshDir("probe-good-input");
  const fs::path file = goodRun(dir);
  const std::string before = centroid::proc::slurp(file);
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  const auto modified = st.st_mtim;

  const Outcome o = probe({file.string()}, "good");
  EXPECT_EQ(o.code, 0) << o.describe() << "\n" << o.err;
  EXPECT_EQ(o.err, "");
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(centroid::proc::slurp(file), before);
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, modified.tv_sec);
  EXPECT_EQ(st.st_mtim.tv_nsec, modified.tv_nsec);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);  // no lock or side file
}

TEST(ProbeRun, RunStillBeingWrittenExitsZero) {
  using namespace centroid::testing;
  const fs::path dir = centroid::proc::freshDir("probe-live-input");
  const fs::path file = dir / "live.h5";
  centroid::RunWriter w(file.string(), testConfig(), testView(200), testLayout(), testBaselines(), "MNIST");
  w.append(testFrame(1, 200));
  w.append(testFrame(2, 200));
  const Outcome o = probe({file.string()}, "live");
  EXPECT_EQ(o.code, 0) << o.describe() << "\n" << o.err;
}

TEST(ProbeRun, RefusedRunExitsTwoWithTheReadersMessage) {
  const fs::path dir = centroid::proc::freshDir("probe-truncated-input");
  const fs::path good = goodRun(dir), cut = dir / "cut.h5";
  fs::copy_file(good, cut);
  fs::resize_file(cut, fs::file_size(good) / 2);
  const std::string expected = readerMessage(cut);
  ASSERT_NE(expected.find("the file is truncated"), std::string::npos) << expected;

  const Outcome o = probe({cut.string()}, "truncated");
  EXPECT_EQ(o.code, 2) << o.describe();
  EXPECT_EQ(o.err, expected + "\n");  // the message alone: the window shows it as it is

  const Outcome missing = probe({"--", (dir / "-none.h5").string()}, "missing");
  EXPECT_EQ(missing.code, 2) << missing.describe();
  EXPECT_EQ(missing.err, (dir / "-none.h5").string() + ": no such file\n");
}

TEST(ProbeRun, LibraryCrashEndsItBySignal) {
  const Outcome o = probe({crashFile("fpe-chunk-set-info").string()}, "fpe");
  EXPECT_EQ(o.signal, SIGFPE) << o.describe() << "\n" << o.err;
}

TEST(ProbeRun, HugeAllocationsFromTheFileAreRefusedAtOnce) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the 4 GiB address-space cap is off under AddressSanitizer";
#endif
  // libhdf5 sizes these from the file (8 GiB, 4 GiB); under the helper's cap they fail at once.
  for (const char* name : {"oom-root-object-header", "oom-superblock-driver-info"}) {
    const Outcome o = probe({crashFile(name).string()}, name);
    EXPECT_EQ(o.code, 2) << name << ": " << o.describe() << "\n" << o.err;
    EXPECT_NE(o.err.find(crashFile(name).string() + ": cannot be opened as HDF5"), std::string::npos)
        << o.err;
    EXPECT_LT(o.seconds, 10) << name;
  }
}

TEST(ProbeRun, UsageErrorsExit64) {
  const Outcome none = probe({}, "usage-none");
  EXPECT_EQ(none.code, 64) << none.describe();
  EXPECT_NE(none.err.find("usage: centroid-probe-run"), std::string::npos) << none.err;
  EXPECT_EQ(probe({"a.h5", "b.h5"}, "usage-two").code, 64);
  EXPECT_EQ(probe({"--verbose"}, "usage-option").code, 64);
  const Outcome help = probe({"--help"}, "usage-help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("usage: centroid-probe-run"), std::string::npos) << help.out;
}
