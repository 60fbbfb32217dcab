// Datasets: folders of written IDX files (search order, checks, messages) and the real
// MNIST / Fashion-MNIST files (scripts/setup.sh puts them in place).
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/data/Dataset.h"
#include "core/data/Idx.h"
#include "core/metrics/Types.h"

namespace centroid {
namespace {

namespace fs = std::filesystem;

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << "message: " << (haystack)

std::string errorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const DataError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("<not a DataError> ") + e.what();
  }
  return "<no error>";
}

// Sets (or unsets) an environment variable for one scope; the search order reads
// $CENTROID_DATA_DIR, and a developer's own setting must not leak into these tests.
class EnvGuard {
 public:
  EnvGuard(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~EnvGuard() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  EnvGuard(const EnvGuard&) = delete;
  EnvGuard& operator=(const EnvGuard&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

IdxArray images(std::uint32_t n, std::uint32_t h = 28, std::uint32_t w = 28, int seed = 0) {
  IdxArray a;
  a.dims = {n, h, w};
  a.data.resize(std::size_t{n} * h * w);
  for (std::size_t i = 0; i < a.data.size(); ++i)
    a.data[i] = static_cast<std::uint8_t>((i * 13 + seed) % 256);
  return a;
}

IdxArray labels(std::uint32_t n) {
  IdxArray a;
  a.dims = {n};
  for (std::uint32_t i = 0; i < n; ++i) a.data.push_back(static_cast<std::uint8_t>((i * 7 + 3) % 10));
  return a;
}

class DatasetFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(CENTROID_TEST_TMP) / ("test_dataset-" + std::to_string(::getpid()) + "-" +
                                          info->test_suite_name() + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A folder with the four files: nTrain/nTest items, gzip for the files named in `gz`.
  std::string writeFolder(const std::string& sub, std::uint32_t nTrain = 50, std::uint32_t nTest = 20,
                          const std::vector<std::string>& gz = {}) {
    const fs::path folder = dir_ / sub;
    fs::create_directories(folder);
    const auto put = [&](const std::string& base, const IdxArray& a) {
      const bool zip = std::find(gz.begin(), gz.end(), base) != gz.end();
      writeIdx((folder / (zip ? base + ".gz" : base)).string(), a, zip);
    };
    put("train-images-idx3-ubyte", images(nTrain, 28, 28, 1));
    put("train-labels-idx1-ubyte", labels(nTrain));
    put("t10k-images-idx3-ubyte", images(nTest, 28, 28, 2));
    put("t10k-labels-idx1-ubyte", labels(nTest));
    return folder.string();
  }

  fs::path dir_;
};

#ifdef CENTROID_TEST_NO_DEFAULT_DATA
// Built as test_dataset_nodefault, whose Dataset.cpp has an empty default data folder: the only
// way to see the built-in names fail without moving the real data away from other tests.

TEST(DatasetNotFound, MnistListsWhereItLookedAndHowToFix) {
  const fs::path env = fs::path(CENTROID_TEST_TMP) / ("test_dataset-env-" + std::to_string(::getpid()));
  fs::create_directories(env / "mnist");
  EnvGuard guard("CENTROID_DATA_DIR", env.c_str());
  const std::string given = (fs::path(CENTROID_TEST_TMP) / "no-such-data-dir").string();
  const std::string msg = errorOf([&] { loadDataset("mnist", given); });
  fs::remove_all(env);
  EXPECT_EQ(msg.rfind("dataset mnist: not found. Looked in:\n", 0), 0u) << msg;
  EXPECT_HAS(msg, "\n  " + given + "/mnist: no such folder\n  " + given + ": no such folder\n");
  EXPECT_HAS(msg, "\n  " + (env / "mnist").string() +
                      ": lacks train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                      "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz)\n");
  EXPECT_HAS(msg, "\n  " CENTROID_DEFAULT_DATA_DIR "/mnist: no such folder\n");
  EXPECT_HAS(msg, "Run scripts/setup.sh");
  EXPECT_HAS(msg, "pass --data-dir");
}

TEST(DatasetNotFound, FashionStillFoundInTheSystemFolder) {
  EnvGuard guard("CENTROID_DATA_DIR", nullptr);
  EXPECT_EQ(resolveDatasetFolder("fashion-mnist", ""), "/usr/share/datasets/fashion-mnist");
}

#else
// --- Folder datasets made of written IDX files -------------------------------------------------

TEST_F(DatasetFiles, FolderOfWrittenFiles) {
  const std::string folder = writeFolder("set");
  const Dataset ds = loadDataset(folder, "");
  EXPECT_EQ(ds.name, folder);
  EXPECT_EQ(ds.folder, folder);
  ASSERT_EQ(ds.train.size(), 50);
  ASSERT_EQ(ds.test.size(), 20);
  EXPECT_EQ(ds.train.images.sizes(), (std::vector<std::int64_t>{50, 1, 28, 28}));
  EXPECT_EQ(ds.test.images.sizes(), (std::vector<std::int64_t>{20, 1, 28, 28}));
  EXPECT_EQ(ds.train.images.scalar_type(), torch::kFloat32);
  EXPECT_EQ(ds.train.labels.scalar_type(), torch::kInt64);
  EXPECT_EQ(ds.train.height, 28);
  EXPECT_EQ(ds.train.width, 28);

  const IdxArray expected = images(50, 28, 28, 1);
  EXPECT_EQ(ds.train.rawImages, expected.data);
  EXPECT_EQ(ds.train.rawLabels, labels(50).data);
  // Pixel (image 3, row 5, column 7) as float is the byte / 255.
  const std::size_t at = 3 * 784 + 5 * 28 + 7;
  EXPECT_FLOAT_EQ(ds.train.images[3][0][5][7].item<float>(), expected.data[at] / 255.0f);
  EXPECT_EQ(ds.train.images.max().item<float>(), 1.0f);  // the pattern includes 255
  EXPECT_EQ(ds.train.images.min().item<float>(), 0.0f);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ds.test.labels[i].item<std::int64_t>(), (i * 7 + 3) % 10);
  EXPECT_EQ(ds.classNames, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
}

TEST_F(DatasetFiles, GzipAndRawFilesMixed) {
  const std::string folder =
      writeFolder("mixed", 30, 10, {"train-images-idx3-ubyte", "t10k-labels-idx1-ubyte"});
  ASSERT_TRUE(fs::exists(folder + "/train-images-idx3-ubyte.gz"));
  const Dataset ds = loadDataset(folder, "");
  EXPECT_EQ(ds.train.size(), 30);
  EXPECT_EQ(ds.test.size(), 10);
  EXPECT_EQ(ds.train.rawImages, images(30, 28, 28, 1).data);
  EXPECT_EQ(ds.test.rawLabels, labels(10).data);
}

TEST_F(DatasetFiles, RawPreferredOverGzipWhenBothExist) {
  const std::string folder = writeFolder("both", 30, 10);
  writeIdx(folder + "/train-images-idx3-ubyte.gz", images(30, 28, 28, 99), true);
  EXPECT_EQ(loadDataset(folder, "").train.rawImages, images(30, 28, 28, 1).data);
}

TEST_F(DatasetFiles, MaxItemsSubset) {
  const std::string folder = writeFolder("subset", 50, 20, {"t10k-images-idx3-ubyte"});
  const Dataset ds = loadDataset(folder, "", 7, 4);
  EXPECT_EQ(ds.train.size(), 7);
  EXPECT_EQ(ds.test.size(), 4);
  EXPECT_EQ(ds.train.images.size(0), 7);
  EXPECT_EQ(ds.test.images.size(0), 4);
  const IdxArray all = images(20, 28, 28, 2);
  EXPECT_EQ(ds.test.rawImages, std::vector<std::uint8_t>(all.data.begin(), all.data.begin() + 4 * 784));
}

TEST_F(DatasetFiles, NegativeLimitsRejected) {
  const std::string folder = writeFolder("neg");
  EXPECT_HAS(errorOf([&] { loadDataset(folder, "", -1, 0); }), "item limits must be 0 (all) or positive");
}

TEST_F(DatasetFiles, CountMismatchNamesBothFiles) {
  const std::string folder = writeFolder("mismatch");
  writeIdx(folder + "/train-labels-idx1-ubyte", labels(49));
  const std::string expected =
      "train-images-idx3-ubyte holds 50 images but train-labels-idx1-ubyte holds 49 labels; they must match";
  EXPECT_EQ(errorOf([&] { loadDataset(folder, ""); }), expected);
  EXPECT_EQ(errorOf([&] { loadDataset(folder, "", 10); }), expected) << "a subset read must not hide it";
}

TEST_F(DatasetFiles, WrongImageShapeSaysWhatItIs) {
  const std::string folder = writeFolder("shape");
  IdxArray flat = images(50);
  flat.dims = {50, 784};
  writeIdx(folder + "/train-images-idx3-ubyte", flat);
  EXPECT_EQ(errorOf([&] { loadDataset(folder, ""); }),
            "train-images-idx3-ubyte: expected images shaped N x 28 x 28, found 50 x 784");
  writeIdx(folder + "/train-images-idx3-ubyte", images(50, 32, 32));
  EXPECT_HAS(errorOf([&] { loadDataset(folder, "", 5); }), "found 50 x 32 x 32");
}

TEST_F(DatasetFiles, LabelsMustBeOneDimensional) {
  const std::string folder = writeFolder("labels2d");
  IdxArray l = labels(20);
  l.dims = {20, 1};
  writeIdx(folder + "/t10k-labels-idx1-ubyte", l);
  EXPECT_EQ(errorOf([&] { loadDataset(folder, ""); }),
            "t10k-labels-idx1-ubyte: expected a 1-D array of labels, found 20 x 1");
}

TEST_F(DatasetFiles, LabelOutOfRange) {
  const std::string folder = writeFolder("range");
  IdxArray l = labels(50);
  l.data[3] = 12;
  writeIdx(folder + "/train-labels-idx1-ubyte.gz", l, true);
  fs::remove(folder + "/train-labels-idx1-ubyte");
  EXPECT_EQ(errorOf([&] { loadDataset(folder, ""); }),
            "train-labels-idx1-ubyte.gz: label 12 at index 3 is out of range; expected 0 to 9");
}

TEST_F(DatasetFiles, CorruptFileIsNamed) {
  const std::string folder = writeFolder("corrupt");
  fs::resize_file(folder + "/t10k-images-idx3-ubyte", 16 + 784 * 19);
  EXPECT_EQ(errorOf([&] { loadDataset(folder, ""); }),
            "t10k-images-idx3-ubyte: header says 20 items, file holds 19");
}

TEST_F(DatasetFiles, MissingFolderSaysHowToFix) {
  const std::string folder = (dir_ / "nowhere").string();
  const std::string msg = errorOf([&] { loadDataset(folder, ""); });
  EXPECT_HAS(msg, "dataset folder " + folder + ": no such folder");
  EXPECT_HAS(msg, "Pass a folder holding train-images-idx3-ubyte");
  EXPECT_HAS(msg, "--dataset mnist");
}

TEST_F(DatasetFiles, FolderMissingAFileListsIt) {
  const std::string folder = writeFolder("partial");
  fs::remove(folder + "/t10k-labels-idx1-ubyte");
  const std::string msg = errorOf([&] { resolveDatasetFolder(folder, ""); });
  EXPECT_HAS(msg, folder + ": lacks t10k-labels-idx1-ubyte (raw or .gz)");
}

// --- Search order for the built-in names --------------------------------------------------------

TEST_F(DatasetFiles, DataDirAsRootOrAsTheFolderItself) {
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  const std::string folder = writeFolder("root/mnist", 12, 6);
  const std::string root = (dir_ / "root").string();
  EXPECT_EQ(resolveDatasetFolder("mnist", root), folder);
  EXPECT_EQ(resolveDatasetFolder("mnist", folder), folder);
  const Dataset ds = loadDataset("mnist", root);
  EXPECT_EQ(ds.name, "mnist");
  EXPECT_EQ(ds.train.size(), 12) << "the synthetic set, not the real one";
  EXPECT_EQ(ds.classNames.at(9), "9");
}

TEST_F(DatasetFiles, EnvironmentVariableBeforeDefault) {
  const std::string folder = writeFolder("envroot/fashion-mnist", 8, 4);
  EnvGuard env("CENTROID_DATA_DIR", (dir_ / "envroot").c_str());
  EXPECT_EQ(resolveDatasetFolder("fashion-mnist", ""), folder);
  // An explicit dataDir comes first.
  const std::string explicitFolder = writeFolder("explicit/fashion-mnist", 9, 4);
  EXPECT_EQ(resolveDatasetFolder("fashion-mnist", (dir_ / "explicit").string()), explicitFolder);
  const Dataset ds = loadDataset("fashion-mnist", "");
  EXPECT_EQ(ds.train.size(), 8);
  EXPECT_EQ(ds.classNames.at(0), "T-shirt/top");
}

TEST_F(DatasetFiles, IncompleteDataDirFallsThroughToTheNextPlace) {
  EnvGuard env("CENTROID_DATA_DIR", (dir_ / "envroot").c_str());
  const std::string good = writeFolder("envroot/mnist", 5, 5);
  const std::string partial = writeFolder("given/mnist", 5, 5);
  fs::remove(partial + "/train-images-idx3-ubyte");
  EXPECT_EQ(resolveDatasetFolder("mnist", (dir_ / "given").string()), good);
}

TEST_F(DatasetFiles, UserDataFolderBeforeTheBuildsOwn) {
  // An installed program finds MNIST without the source tree: $XDG_DATA_HOME/centroid first.
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  EnvGuard xdg("XDG_DATA_HOME", (dir_ / "xdg").c_str());
  const std::string folder = writeFolder("xdg/centroid/mnist", 7, 3);
  EXPECT_EQ(userDataDir(), (dir_ / "xdg" / "centroid").string());
  EXPECT_EQ(resolveDatasetFolder("mnist", ""), folder);
  EXPECT_EQ(loadDataset("mnist", "").train.size(), 7) << "the user's set, not the build's real one";
  // The given folder and $CENTROID_DATA_DIR still come first.
  const std::string given = writeFolder("given2/mnist", 4, 2);
  EXPECT_EQ(resolveDatasetFolder("mnist", (dir_ / "given2").string()), given);
  // Without XDG_DATA_HOME the XDG default, ~/.local/share/centroid.
  EnvGuard noXdg("XDG_DATA_HOME", nullptr);
  EnvGuard home("HOME", (dir_ / "home").c_str());
  EXPECT_EQ(userDataDir(), (dir_ / "home" / ".local" / "share" / "centroid").string());
}

TEST(DatasetPlaces, InstalledFolderIsBesideTheProgram) {
  // <prefix>/bin/<program> looks in <prefix>/share/centroid; this test runs from build/tests/.
  EXPECT_EQ(installedDataDir(),
            (fs::path(CENTROID_BINARY_DIR) / "share" / "centroid").lexically_normal().string());
}

TEST_F(DatasetFiles, EmptyNameRejected) {
  EXPECT_HAS(errorOf([] { resolveDatasetFolder("", ""); }), "dataset: no name given");
}

// --- The real files -------------------------------------------------------------------------------

TEST(DatasetReal, Mnist) {
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  EnvGuard xdg("XDG_DATA_HOME", CENTROID_TEST_TMP "/no-user-data");  // a user's own copy must not count
  const Dataset ds = loadDataset("mnist", "");
  EXPECT_EQ(ds.folder, (fs::path(CENTROID_DEFAULT_DATA_DIR) / "mnist").lexically_normal().string());
  ASSERT_EQ(ds.train.size(), 60000);
  ASSERT_EQ(ds.test.size(), 10000);
  EXPECT_EQ(ds.train.images.sizes(), (std::vector<std::int64_t>{60000, 1, 28, 28}));
  EXPECT_EQ(ds.test.images.sizes(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
  EXPECT_EQ(ds.train.labels[0].item<std::int64_t>(), 5);
  EXPECT_EQ(ds.test.labels[0].item<std::int64_t>(), 7);
  EXPECT_EQ(ds.train.images.min().item<float>(), 0.0f);
  EXPECT_EQ(ds.train.images.max().item<float>(), 1.0f);
  // The well-known MNIST training mean (0.1307), and the exact sum of the first image's bytes.
  EXPECT_NEAR(ds.train.images.mean().item<double>(), 1567298545.0 / 255 / 47040000, 1e-5);
  EXPECT_NEAR(ds.train.images[0].sum().item<double>(), 27525.0 / 255, 1e-3);
  const auto counts = torch::bincount(ds.train.labels);
  const std::vector<std::int64_t> expected{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
  ASSERT_EQ(counts.size(0), 10);
  for (int k = 0; k < 10; ++k) EXPECT_EQ(counts[k].item<std::int64_t>(), expected[k]) << "class " << k;
  EXPECT_EQ(ds.classNames.at(5), "5");
  EXPECT_EQ(ds.train.rawImages.size(), std::size_t{60000} * 784);
}

TEST(DatasetReal, MnistSubsetIsThePrefix) {
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  const Dataset ds = loadDataset("mnist", "", 1000, 300);
  ASSERT_EQ(ds.train.size(), 1000);
  ASSERT_EQ(ds.test.size(), 300);
  EXPECT_EQ(ds.train.images.size(0), 1000);
  EXPECT_EQ(ds.train.labels[0].item<std::int64_t>(), 5);
  const IdxArray first = readIdx(ds.folder + "/train-labels-idx1-ubyte", 1000);
  EXPECT_EQ(ds.train.rawLabels, first.data);
  EXPECT_EQ(first.fileItems, 60000u);
  EXPECT_NEAR(ds.train.images[0].sum().item<double>(), 27525.0 / 255, 1e-3);
}

TEST(DatasetReal, FashionMnistFromSystemFolder) {
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  const Dataset ds = loadDataset("fashion-mnist", "");
  EXPECT_EQ(ds.folder, "/usr/share/datasets/fashion-mnist");
  ASSERT_EQ(ds.train.size(), 60000);
  ASSERT_EQ(ds.test.size(), 10000);
  EXPECT_EQ(ds.train.images.sizes(), (std::vector<std::int64_t>{60000, 1, 28, 28}));
  const auto first = ds.train.labels[0].item<std::int64_t>();
  EXPECT_EQ(first, 9);
  EXPECT_EQ(ds.classNames.at(first), "Ankle boot");
  EXPECT_EQ(ds.classNames.size(), 10u);
  EXPECT_EQ(ds.classNames.at(0), "T-shirt/top");
  EXPECT_NEAR(ds.train.images.mean().item<double>(), 3431114169.0 / 255 / 47040000, 1e-5);
  const auto counts = torch::bincount(ds.test.labels);
  for (int k = 0; k < 10; ++k) EXPECT_EQ(counts[k].item<std::int64_t>(), 1000) << "class " << k;
}

TEST(DatasetReal, FashionMnistSubsetFromGzip) {
  EnvGuard env("CENTROID_DATA_DIR", nullptr);
  const Dataset ds = loadDataset("fashion-mnist", "", 100, 10);
  EXPECT_EQ(ds.train.size(), 100);
  EXPECT_EQ(ds.test.size(), 10);
  EXPECT_EQ(ds.test.labels[0].item<std::int64_t>(), 9);
  EXPECT_NEAR(ds.train.images[0].sum().item<double>(), 76247.0 / 255, 1e-3);
}

#endif  // CENTROID_TEST_NO_DEFAULT_DATA

}  // namespace
}  // namespace centroid
