// The two objectives in the window, driven from the command line as a user's script would:
// --objective friendly trains and records it, --train-both trains the seed objective then the
// friendly one and shows them side by side, --compare puts two saved runs on one timeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "core/runfile/RunFile.h"
#include "support/Png.h"
#include "support/Process.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using centroid::proc::Outcome;

namespace {

std::vector<std::string> tiny(std::vector<std::string> args) {
  for (const char* a : {"--subset", "600", "--points", "600", "--threads", "1", "--quit"}) args.push_back(a);
  return args;
}

std::vector<fs::path> runFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".h5") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

void expectPng(const fs::path& p) { centroid::proc::expectPng(p, 5000); }

}  // namespace

TEST(ObjectivesInTheWindow, FriendlyObjectiveIsRecordedInTheRunFile) {
  const fs::path dir = centroid::proc::freshDir("gui-objective-friendly");
  const Outcome o = centroid::proc::run(
      CENTROID_GUI_EXE,
      tiny({"--objective", "friendly", "--train", "--epochs", "2", "--runs-dir", (dir / "runs").string()}),
      dir, 240s);
  ASSERT_EQ(o.code, 0) << o.describe() << "\n" << o.err;
  const auto files = runFiles(dir / "runs");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_NE(files[0].filename().string().find("-friendly-"), std::string::npos) << files[0];
  centroid::RunReader r(files[0].string());
  EXPECT_EQ(r.config().objective, "friendly");
  EXPECT_EQ(r.config().learningRate, 1e-3);  // its own default, not the seed's 1e-4
  EXPECT_EQ(r.epochCount(), 2);
  bool centroids = false;
  for (const auto& w : r.bestWeights()) centroids = centroids || w.name == "objective.centroids";
  EXPECT_TRUE(centroids);
}

TEST(ObjectivesInTheWindow, TrainBothThenCompareTheSavedPair) {
  const fs::path dir = centroid::proc::freshDir("gui-train-both");
  const Outcome o =
      centroid::proc::run(CENTROID_GUI_EXE,
                          tiny({"--train-both", "--epochs", "2", "--runs-dir", (dir / "runs").string(),
                                "--screenshot", (dir / "both.png").string()}),
                          dir, 400s);
  ASSERT_EQ(o.code, 0) << o.describe() << "\n" << o.err;
  expectPng(dir / "both.png");
  const auto files = runFiles(dir / "runs");
  ASSERT_EQ(files.size(), 2u);
  std::vector<std::string> objectives;
  for (const auto& f : files) {
    centroid::RunReader r(f.string());
    objectives.push_back(r.config().objective);
    EXPECT_EQ(r.epochCount(), 2) << f;
    EXPECT_EQ(r.config().seed, 0u);
    EXPECT_EQ(r.config().subset, 600);
  }
  std::sort(objectives.begin(), objectives.end());
  EXPECT_EQ(objectives, (std::vector<std::string>{"friendly", "seed"}));

  // The saved pair again, at epoch 1, as `centroid --compare` scripts it.
  const std::string seedRun = files[0].string().find("friendly") == std::string::npos ? files[0] : files[1];
  const std::string friendlyRun = seedRun == files[0].string() ? files[1] : files[0];
  const Outcome c = centroid::proc::run(CENTROID_GUI_EXE,
                                        {"--compare", seedRun, friendlyRun, "--epoch", "1", "--screenshot",
                                         (dir / "compare.png").string(), "--quit"},
                                        dir, 120s);
  ASSERT_EQ(c.code, 0) << c.describe() << "\n" << c.err;
  expectPng(dir / "compare.png");

  // Mistakes get one line and exit 2.
  const Outcome one = centroid::proc::run(CENTROID_GUI_EXE, {"--compare", seedRun, "--quit"}, dir, 60s);
  EXPECT_EQ(one.code, 2) << one.err;
  EXPECT_NE(one.err.find("expects two run files"), std::string::npos) << one.err;
  const Outcome late = centroid::proc::run(
      CENTROID_GUI_EXE, {"--compare", seedRun, friendlyRun, "--epoch", "99", "--quit"}, dir, 60s);
  EXPECT_EQ(late.code, 2) << late.err;
  EXPECT_NE(late.err.find("neither run stored that epoch"), std::string::npos) << late.err;
}
