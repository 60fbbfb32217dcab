// Replays every fuzzing corpus file (tests/fuzz/corpus/) through the fuzz targets' code: the
// readers must refuse bad files with their own exception, never crash or throw anything else.
// Files whose names start with "valid-" must also read completely; "regress-" files (inputs that
// once crashed a reader) must be refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/FuzzTargets.h"

namespace centroid::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus(const std::string& name) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(CENTROID_SOURCE_DIR) / "tests/fuzz/corpus" / name))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::uint8_t> bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class Target>
void replay(const std::string& name, Target target, std::size_t minimumFiles) {
  const auto files = corpus(name);
  ASSERT_GE(files.size(), minimumFiles) << "corpus " << name << " went missing";
  int valid = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.string());
    // Printed first: a crash ends the process before gtest can say which file did it.
    std::cout << "replaying " << file.filename().string() << std::endl;
    const auto data = bytes(file);
    bool read = false;
    try {
      read = target(data.data(), data.size());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "unexpected exception: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "unexpected non-standard exception";
    }
    const std::string base = file.filename().string();
    if (base.rfind("valid-", 0) == 0) {
      EXPECT_TRUE(read) << "a valid file was refused";
      ++valid;
    }
    if (base.rfind("regress-", 0) == 0) {
      EXPECT_FALSE(read) << "a damaged file was read as sound";
    }
  }
  EXPECT_GE(valid, 1) << "corpus " << name << " has no valid- seed";
}

TEST(FuzzCorpus, IdxFilesOnlyThrowDataError) { replay("idx", &idx, 5); }

TEST(FuzzCorpus, RunFilesOnlyThrowRunFileError) { replay("runfile", &runFile, 2); }

}  // namespace
}  // namespace centroid::fuzz
