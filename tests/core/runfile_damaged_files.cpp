// Run files that are not, or no longer, readable runs: each must fail with a RunFileError whose
// message names the file and says what is wrong, never crash or hang.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"
#include "core/runfile_support.h"

namespace centroid {
namespace {

namespace fs = std::filesystem;
using namespace centroid::testing;

TEST(RunFile, TruncatedFile) {
  const std::string good = tmpPath("-good.h5"), cut = tmpPath();
  writeRun(good, 2000, 2);
  fs::copy_file(good, cut);
  fs::resize_file(cut, fs::file_size(good) / 2);
  expectOpenFails(cut, "the file is truncated (");
  expectOpenFails(cut, "the file is truncated (", /*follow=*/true);
}

TEST(RunFile, CutShortCopyOfAKilledWritersFile) {
  // Such a file is still marked as being written, so HDF5 skips its length check and meets the
  // missing bytes only while reading: every read must fail cleanly, and quickly.
  const std::string path = tmpPath("-source.h5"), cut = tmpPath();
  {
    Child child(path, 2000, 0, 0);
    child.waitFor(3);
    child.kill();
  }
  auto start = std::chrono::steady_clock::now();
  for (int percent : {2, 30, 60, 95}) {
    SCOPED_TRACE(std::to_string(percent) + "%");
    fs::remove(cut);
    fs::copy_file(path, cut);
    fs::resize_file(cut, fs::file_size(path) * percent / 100);
    try {
      RunReader r(cut);
      r.viewSet();
      r.summaries();
      for (int i = 0; i < r.epochCount(); ++i) r.frame(i);
      r.bestWeights();
    } catch (const RunFileError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(cut + ": ", 0), 0u) << e.what();
    }
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
}

TEST(RunFile, WriterKilledWhileCreating) {
  // Before SWMR starts the file is marked as open for plain writing; a writer that dies then
  // leaves it so. Simulated by a child that creates an HDF5 file and exits without closing it.
  const std::string path = tmpPath();
  pid_t pid = fork();
  if (pid == 0) {
    h5::QuietErrors quiet;
    h5::PropList fapl = h5::fileAccess(H5F_LIBVER_LATEST);
    hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    h5::writeAttribute(f, "format", "centroid-run");
    H5Fflush(f, H5F_SCOPE_GLOBAL);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  expectOpenFails(path, "its writer stopped while creating the file, before any epoch was stored");
  expectOpenFails(path, "its writer stopped while creating the file", /*follow=*/true);
}

TEST(RunFile, WriterKilledRightAfterCreatingTheFile) {
  // Killed between H5Fcreate and the first flush: only the superblock is on disk (48 bytes),
  // promising a longer file. HDF5 says "truncated"; the reader says what happened (a kill in
  // Kills.EveryKillLeavesNoFileOrAReadableRun landed there).
  const std::string path = tmpPath();
  pid_t pid = fork();
  if (pid == 0) {
    h5::QuietErrors quiet;
    h5::PropList fapl = h5::fileAccess(H5F_LIBVER_LATEST);
    H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    _exit(0);  // no flush, no close
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_EQ(WEXITSTATUS(status), 0);
  ASSERT_LT(fs::file_size(path), 100u) << "more than the superblock reached the disk";
  expectOpenFails(path, "its writer stopped while creating the file, before any epoch was stored");
  expectOpenFails(path, "its writer stopped while creating the file", /*follow=*/true);

  // The same bytes with the "open for writing" mark cleared (superblock flags at byte 11; the
  // checksum no longer matches) are not reported as a writer's unfinished file.
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(11);
  f.put('\0');
  f.close();
  try {
    RunReader r(path);
    ADD_FAILURE() << "opened";
  } catch (const RunFileError& e) {
    EXPECT_EQ(std::string(e.what()).find("stopped while creating"), std::string::npos) << e.what();
  }
}

TEST(RunFile, ForeignHdf5File) {
  const std::string path = tmpPath();
  {
    h5::QuietErrors quiet;
    h5::File f(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    ASSERT_TRUE(f);
    double data[4] = {1, 2, 3, 4};
    h5::createDataset(f.get(), "temperatures", H5T_IEEE_F64LE, {4}, H5T_NATIVE_DOUBLE, data);
  }
  expectOpenFails(path, "not a Centroid run file (no 'format' attribute)");
  expectOpenFails(path, "not a Centroid run file (no 'format' attribute)", /*follow=*/true);
}

TEST(RunFile, NewerFormatVersion) {
  const std::string path = tmpPath();
  writeRun(path, 10, 1);
  {
    h5::QuietErrors quiet;
    h5::File f(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT));
    ASSERT_TRUE(f);
    h5::Attribute a(H5Aopen_by_name(f.get(), "/", "format_version", H5P_DEFAULT, H5P_DEFAULT));
    std::int32_t newer = kRunFormatVersion + 1;
    ASSERT_GE(H5Awrite(a.get(), H5T_NATIVE_INT32, &newer), 0);
  }
  expectOpenFails(path, "written by a newer Centroid (format 3, this reads 2)");
}

TEST(RunFile, EmptyFile) {
  const std::string path = tmpPath();
  std::ofstream(path).close();
  expectOpenFails(path, "the file is empty");
}

TEST(RunFile, NotAnHdf5File) {
  const std::string path = tmpPath();
  std::ofstream(path) << "epoch,loss\n1,0.5\n" << std::string(4096, '#');
  expectOpenFails(path, "not an HDF5 file");
}

TEST(RunFile, DamagedGlobalHeap) {
  // HDF5 1.10 loops forever on a zeroed object header in the global heap (where text attributes
  // live) and reads past its buffers on an oversized object or a reference to a missing one;
  // the reader must refuse all three before HDF5 gets there.
  const std::string good = tmpPath("-good.h5");
  writeRun(good, 100, 2);
  std::ifstream in(good, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), {});
  const std::size_t heap = bytes.find("GCOL");
  ASSERT_NE(heap, std::string::npos);
  auto patched = [&](const std::string& suffix, std::size_t at, const std::string& patch) {
    std::string b = bytes;
    b.replace(at, patch.size(), patch);
    const std::string path = tmpPath(suffix);
    std::ofstream(path, std::ios::binary) << b;
    return path;
  };
  expectOpenFails(patched("-zeroed.h5", heap + 16, std::string(16, '\0')),
                  "damaged file: the global heap at byte");
  expectOpenFails(patched("-oversized.h5", heap + 24, std::string("\0\0\0\0\0\0\x10\0", 8)),
                  "holds an object of 4503599627370496 bytes");
  {
    // The first reference of /view/class_names names object 0x7f7f7f7f, which HDF5 would look
    // up without a bounds check.
    h5::QuietErrors quiet;
    h5::File f(H5Fopen(good.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    h5::Dataset names(H5Dopen2(f.get(), "/view/class_names", H5P_DEFAULT));
    const haddr_t at = H5Dget_offset(names.get());
    ASSERT_NE(at, HADDR_UNDEF);
    expectOpenFails(patched("-reference.h5", at + 12, "\x7f\x7f\x7f\x7f"),
                    "damaged file: the text reference at byte");
  }
  EXPECT_NO_THROW(RunReader r(good); r.viewSet());
}

TEST(RunFile, MissingFile) {
  expectOpenFails(tmpPath(), "no such file");
  expectOpenFails(CENTROID_TEST_TMP, "is a folder");
}

}  // namespace
}  // namespace centroid
