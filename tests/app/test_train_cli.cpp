// centroid-train end to end: exit codes, one-line reasons, JSON summary, run file, Ctrl-C.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/runfile/RunFile.h"
#include "core/training/TrainingSession.h"
#include "support/Process.h"

namespace fs = std::filesystem;
using centroid::proc::Outcome;
using centroid::proc::slurp;

namespace {

fs::path tmpDir(const std::string& name) { return centroid::proc::freshDir("cli-" + name); }

centroid::proc::Child spawn(const std::vector<std::string>& args, const fs::path& dir) {
  return centroid::proc::spawn(CENTROID_TRAIN_EXE, args, dir);
}

Outcome run(const std::vector<std::string>& args, const std::string& name) {
  return centroid::proc::finish(spawn(args, tmpDir(name)));
}

// A small real run: 600 MNIST images, 400 view points.
std::vector<std::string> smallRun(const fs::path& out, int epochs) {
  return {"--subset", "600",      "--view-train",         "300",       "--view-test", "100", "--batch-size",
          "100",      "--epochs", std::to_string(epochs), "--threads", "1",           "-o",  out.string()};
}

}  // namespace

struct BadArgument {
  std::string name;  // test name; also keeps parallel runs in separate folders
  std::vector<std::string> args;
  std::string message;
};

class TrainCliBadArguments : public ::testing::TestWithParam<BadArgument> {};

TEST_P(TrainCliBadArguments, ExitTwoWithOneLineReason) {
  const Outcome o = run(GetParam().args, "bad-" + GetParam().name);
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find(GetParam().message), std::string::npos) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TrainCliBadArguments,
    ::testing::Values(BadArgument{"OneCluster", {"--clusters", "1"}, "K must be at least 2"},
                      BadArgument{"ZeroLearningRate", {"--lr", "0"}, "learning rate"},
                      BadArgument{"NegativeLearningRate", {"--lr", "-1e-3"}, "learning rate"},
                      BadArgument{"ZeroEpochs", {"--epochs", "0"}, "epochs"},
                      BadArgument{"NonNumericEpochs", {"--epochs", "abc"}, "--epochs"},
                      BadArgument{"MoreClustersThanBatch",
                                  {"--clusters", "300", "--batch-size", "256"},
                                  "must not exceed the batch size"},
                      BadArgument{"UnknownOption", {"--no-such-option"}, "no-such-option"},
                      BadArgument{"MissingDatasetFolder",
                                  {"--dataset", "/nonexistent/folder", "-o", "/tmp/x.h5"},
                                  "/nonexistent/folder"}),
    [](const ::testing::TestParamInfo<BadArgument>& p) { return p.param.name; });

TEST(TrainCli, ReadOnlyOutputFolderIsABadInput) {
  if (geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  const fs::path dir = tmpDir("readonly");
  fs::create_directories(dir / "ro");
  chmod((dir / "ro").c_str(), 0555);
  const Outcome o = run(smallRun(dir / "ro" / "run.h5", 1), "readonly-run");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("run.h5"), std::string::npos) << o.err;
}

TEST(TrainCli, OutputUnderARegularFileIsABadInput) {
  const fs::path dir = tmpDir("underfile");
  std::ofstream(dir / "plain.txt") << "not a folder";
  const Outcome o = run(smallRun(dir / "plain.txt" / "run.h5", 1), "underfile-run");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("run.h5"), std::string::npos) << o.err;
}

TEST(TrainCli, OutputInAMissingFolderIsABadInput) {
  const fs::path dir = tmpDir("missing");
  const Outcome o = run(smallRun(dir / "no" / "such" / "run.h5", 1), "missing-run");
  EXPECT_EQ(o.code, 2) << o.err;
  EXPECT_NE(o.err.find("run.h5"), std::string::npos) << o.err;
}

TEST(TrainCli, TrainsWritesRunFileAndJson) {
  const fs::path dir = tmpDir("json");
  auto args = smallRun(dir / "run.h5", 2);
  args.push_back("--json");
  const Outcome o = run(args, "json-run");
  ASSERT_EQ(o.code, 0) << o.err;
  const auto j = nlohmann::json::parse(o.out);  // stdout holds only the JSON
  EXPECT_EQ(j["status"], "completed");
  EXPECT_EQ(j["epochs_run"], 2);
  ASSERT_EQ(j["epochs"].size(), 2u);
  for (const auto& e : j["epochs"]) {
    EXPECT_TRUE(std::isfinite(e["loss"].get<double>()));
    EXPECT_GE(e["nmi"].get<double>(), 0.0);
    EXPECT_LE(e["accuracy"].get<double>(), 1.0);
  }
  // Progress went to stderr, as plain lines (not a terminal).
  EXPECT_NE(o.err.find("epoch   2"), std::string::npos) << o.err;
  EXPECT_EQ(o.err.find('\r'), std::string::npos);

  centroid::RunReader reader((dir / "run.h5").string());
  EXPECT_EQ(reader.epochCount(), 2);
  EXPECT_EQ(reader.status(), "completed");
  EXPECT_EQ(reader.viewSet().labels.size(), 400u);
  EXPECT_EQ(reader.config().subset, 600);
  const auto summaries = reader.summaries();
  EXPECT_DOUBLE_EQ(summaries[1].loss, j["epochs"][1]["loss"].get<double>());
  EXPECT_GE(reader.bestEpoch(), 1);
  EXPECT_FALSE(reader.bestWeights().empty());
}

TEST(TrainCli, ExistingOutputIsRefusedUnlessForced) {
  const fs::path dir = tmpDir("existing");
  const fs::path out = dir / "run.h5";
  std::ofstream(out) << "a run someone cares about";
  const Outcome refused = run(smallRun(out, 1), "existing-refused");
  EXPECT_EQ(refused.code, 2) << refused.err;
  EXPECT_NE(refused.err.find("a file of that name exists; pass --force"), std::string::npos) << refused.err;
  EXPECT_EQ(slurp(out), "a run someone cares about");  // untouched
  auto args = smallRun(out, 1);
  args.push_back("--force");
  const Outcome forced = run(args, "existing-forced");
  ASSERT_EQ(forced.code, 0) << forced.err;
  EXPECT_EQ(centroid::RunReader(out.string()).status(), "completed");
  // --repair on a run closed properly changes nothing and says so; on a missing file, exit 2.
  const Outcome repair = run({"--repair", out.string()}, "existing-repair");
  EXPECT_EQ(repair.code, 0) << repair.err;
  EXPECT_NE(repair.out.find("nothing to repair"), std::string::npos) << repair.out;
  const Outcome missing = run({"--repair", (dir / "no-such.h5").string()}, "existing-repair-missing");
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no-such.h5"), std::string::npos) << missing.err;
}

TEST(TrainCli, GeneratedNamesNeverCollide) {
  // Runs started in the same second (a sweep) reserve their names: -2, -3, ... and no failed
  // start leaves an empty file behind.
  const fs::path dir = tmpDir("names");
  centroid::TrainConfig c;
  std::set<std::string> names;
  for (int i = 0; i < 3; ++i) names.insert(centroid::defaultRunPath(c, dir.string()));
  EXPECT_EQ(names.size(), 3u);
  for (const auto& n : names) EXPECT_TRUE(fs::exists(n)) << n << " was not reserved";
  const Outcome bad = run({"--dataset", (dir / "no-data").string(), "--runs-dir", dir.string()}, "names-bad");
  EXPECT_EQ(bad.code, 2);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 3u) << "a failed start left a file";
}

TEST(TrainCli, TablePrintsEveryEpochAndBaselines) {
  const fs::path dir = tmpDir("table");
  auto args = smallRun(dir / "run.h5", 1);
  args.push_back("--baselines");
  const Outcome o = run(args, "table-run");
  ASSERT_EQ(o.code, 0) << o.err;
  for (const char* s : {"Seed purity", "NMI", "ARI", "ACC", "k-means on pixels", "PCA(3) + k-means", "1 *"})
    EXPECT_NE(o.out.find(s), std::string::npos) << s << "\n" << o.out;
}

TEST(TrainCli, NaNLossExitsThreeAndKeepsSavedEpochs) {
  const fs::path dir = tmpDir("nan");
  auto args = smallRun(dir / "run.h5", 3);
  args.insert(args.end(), {"--inject-nan-epoch", "2", "--inject-nan-batch", "3"});
  const Outcome o = run(args, "nan-run");
  EXPECT_EQ(o.code, 3) << o.err;
  EXPECT_NE(o.err.find("NaN"), std::string::npos) << o.err;
  centroid::RunReader reader((dir / "run.h5").string());
  EXPECT_EQ(reader.epochCount(), 1);
  EXPECT_EQ(reader.status(), "failed");
  EXPECT_NE(reader.statusReason().find("NaN"), std::string::npos);
}

TEST(TrainCli, InterruptExits130AndKeepsSavedEpochs) {
  const fs::path dir = tmpDir("sigint");
  const fs::path file = dir / "run.h5";
  const auto child = spawn(smallRun(file, 1000), dir);
  // Wait for the first finished epoch (a plain progress line on stdout).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (slurp(dir / "out.txt").find("epoch   1") == std::string::npos) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "no epoch finished in time";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(child.pid, SIGINT);
  const Outcome o = centroid::proc::finish(child);
  EXPECT_EQ(o.code, 130) << o.err;
  centroid::RunReader reader(file.string());
  EXPECT_GE(reader.epochCount(), 1);
  EXPECT_EQ(reader.status(), "cancelled");
  EXPECT_NO_THROW(reader.frame(reader.epochCount() - 1));
}
