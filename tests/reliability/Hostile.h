// Hostile-input cases: each builds its bad input in its own folder, runs centroid-train or the
// centroid window on it, and expects exit 2 with its own message (never a crash or a hang).
// The cases live in hostile_idx.cpp, hostile_runfiles.cpp and test_hostile.cpp.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace centroid::reliability {

namespace fs = std::filesystem;

enum class Program { Train, Gui };

struct Prepared {
  std::vector<std::string> args;
  std::vector<std::string> env;  // "NAME=value", added to the program's environment
  std::shared_ptr<void> keep;    // held until the case ends, e.g. a mount to undo
  std::string skip;              // non-empty: why this case cannot run here
  std::string note;              // what is really tested, when it differs from the case's name
};

struct HostileCase {
  std::string name;   // the ctest case; also its folder under test-tmp/hostile/<group>/
  std::string input;  // the bad input in a few words, for docs/reliability.md
  Program program;
  std::function<Prepared(const fs::path& dir)> setup;
  std::string message;  // what the one-line reason must contain
};

// Keeps gtest from dumping the std::function's bytes in test names and failures.
inline void PrintTo(const HostileCase& c, std::ostream* os) { *os << c.name; }

inline std::string caseName(const ::testing::TestParamInfo<HostileCase>& info) { return info.param.name; }

class HostileInput : public ::testing::TestWithParam<HostileCase> {};

// --- Building inputs -------------------------------------------------------------------------

using Bytes = std::vector<std::uint8_t>;

void writeBytes(const fs::path& path, const Bytes& bytes);
Bytes readBytes(const fs::path& path);
Bytes gzip(const Bytes& raw);

// An IDX file: big-endian magic, dimensions, then the data.
Bytes idx(std::uint32_t magic, const std::vector<std::uint32_t>& dims, const Bytes& data);
Bytes idxImages(std::uint32_t count, std::uint32_t side = 28);  // magic 0x803, noise pixels
Bytes idxLabels(std::uint32_t count);                           // magic 0x801, labels 0..9

inline constexpr std::uint32_t kTrainCount = 300, kTestCount = 100;
inline constexpr const char* kTrainImages = "train-images-idx3-ubyte";
inline constexpr const char* kTrainLabels = "train-labels-idx1-ubyte";
inline constexpr const char* kTestImages = "t10k-images-idx3-ubyte";
inline constexpr const char* kTestLabels = "t10k-labels-idx1-ubyte";

// dir/data holding a valid synthetic dataset (300 train, 100 test images); returns the folder.
fs::path writeDataset(const fs::path& dir);

// centroid-train on dir/data, small and quick, writing dir/run.h5; `changes` replace or add
// options ({"--lr", "0"}).
std::vector<std::string> trainArgs(const fs::path& dir,
                                   const std::map<std::string, std::string>& changes = {});

// A case that writes a valid dataset, lets `damage` spoil it and trains on it.
HostileCase datasetCase(std::string name, std::string input, std::function<void(const fs::path& data)> damage,
                        std::string message);
// A case that passes `changes` to centroid-train on a valid dataset.
HostileCase settingCase(std::string name, std::string input, std::map<std::string, std::string> changes,
                        std::string message);

}  // namespace centroid::reliability
