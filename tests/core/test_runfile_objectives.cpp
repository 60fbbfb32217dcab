// Run files and objectives (format version 2): the objective and its options recorded and read
// back, the objective's own weights beside the encoder's, and version 1 files (before
// objectives) still opening as runs of the seed objective.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <string>

#include "core/runfile/RunFile.h"
#include "core/runfile/RunFileFormat.h"
#include "core/runfile_fixture.h"
#include "core/runfile_support.h"

namespace centroid::testing {
namespace {

TEST(RunFileObjectives, ObjectiveOptionsAndExtraWeightsRoundTrip) {
  const std::string path = tmpPath();
  TrainConfig c = testConfig();
  c.objective = "friendly";
  c.objectiveOptions = {{"balance", 3}, {"neighbours", 10}, {"temperature", 0.5}};
  c.precision = "bf16";
  std::vector<NamedArray> layout = testLayout();
  layout.push_back({"objective.centroids", {10, 3}, {}});
  std::vector<NamedArray> weights = testWeights(2);
  NamedArray centroids{"objective.centroids", {10, 3}, {}};
  for (int i = 0; i < 30; ++i) centroids.values.push_back(0.25f * static_cast<float>(i));
  weights.push_back(centroids);
  {
    RunWriter w(path, c, testView(50), layout, {}, "MNIST");
    w.append(testFrame(1, 50));
    w.setBest(1, weights);
    w.setStatus("completed", "");
  }
  RunReader r(path);
  EXPECT_EQ(r.attributes().at("format_version"), "2");
  EXPECT_EQ(r.config().objective, "friendly");
  EXPECT_EQ(r.config().objectiveOptions, c.objectiveOptions);
  EXPECT_EQ(r.config().precision, "bf16");
  // Files written before the precision setting trained in fp32.
  EXPECT_EQ(runfile::configFromJson(R"({"objective": "friendly"})").precision, "fp32");
  const std::vector<NamedArray> best = r.bestWeights();
  ASSERT_EQ(best.size(), layout.size());
  EXPECT_EQ(best.back().name, "objective.centroids");
  EXPECT_EQ(best.back().shape, centroids.shape);
  EXPECT_EQ(best.back().values, centroids.values);
}

TEST(RunFileObjectives, SeedRunsStoreNoExtraWeights) {
  const std::string path = tmpPath();
  writeRun(path, 50, 2);  // testConfig(): the default objective
  RunReader r(path);
  EXPECT_EQ(r.config().objective, "seed");
  EXPECT_TRUE(r.config().objectiveOptions.empty());
  for (const NamedArray& w : r.bestWeights())
    EXPECT_EQ(w.name.rfind("objective.", 0), std::string::npos) << w.name;
}

// A version 1 file as Centroid 0.1.0 wrote it: format_version 1, no objective in config_json.
TEST(RunFileObjectives, VersionOneFilesOpenAsSeedRuns) {
  const std::string path = tmpPath();
  writeRun(path, 50, 3);
  {
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(f, 0);
    const int one = 1;
    const hid_t a = H5Aopen(f, "format_version", H5P_DEFAULT);
    ASSERT_GE(a, 0);
    EXPECT_GE(H5Awrite(a, H5T_NATIVE_INT, &one), 0);
    H5Aclose(a);
    for (const char* name : {"objective", "objective_options"}) EXPECT_GE(H5Adelete(f, name), 0) << name;
    // config_json without the two keys (as version 1 wrote it), same string type.
    const hid_t cj = H5Aopen(f, "config_json", H5P_DEFAULT);
    const hid_t type = H5Aget_type(cj);
    char* text = nullptr;
    ASSERT_GE(H5Aread(cj, type, &text), 0);
    std::string json(text);
    H5free_memory(text);
    H5Aclose(cj);
    for (const std::string key :
         {",\"objective\":\"seed\"", ",\"objective_options\":null", ",\"objective_options\":{}"}) {
      if (const auto at = json.find(key); at != std::string::npos) json.erase(at, key.size());
    }
    ASSERT_EQ(json.find("objective"), std::string::npos) << json;
    EXPECT_GE(H5Adelete(f, "config_json"), 0);
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t out = H5Acreate2(f, "config_json", type, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* data = json.c_str();
    EXPECT_GE(H5Awrite(out, type, &data), 0);
    H5Aclose(out);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(f);
  }
  RunReader r(path);
  EXPECT_EQ(r.attributes().at("format_version"), "1");
  EXPECT_EQ(r.config().objective, "seed");
  EXPECT_TRUE(r.config().objectiveOptions.empty());
  EXPECT_EQ(r.epochCount(), 3);
  EXPECT_EQ(r.config().learningRate, testConfig().learningRate);
}

}  // namespace
}  // namespace centroid::testing
