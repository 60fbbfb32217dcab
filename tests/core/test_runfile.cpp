// Run files: round trip, SWMR following, a writer killed mid-run, failed writes, and speed.
// Damaged and foreign files: runfile_damaged_files.cpp.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"
#include "core/runfile/RunRepair.h"
#include "core/runfile_support.h"

namespace centroid {
namespace {

namespace fs = std::filesystem;
using namespace centroid::testing;

TEST(RunFile, RoundTrip) {
  const std::string path = tmpPath();
  const int points = 2000;
  writeRun(path, points, 3);

  RunReader r(path);
  EXPECT_EQ(r.path(), path);
  const auto& a = r.attributes();
  EXPECT_EQ(a.at("format"), "centroid-run");
  EXPECT_EQ(a.at("format_version"), "2");
  EXPECT_EQ(a.at("program"), "centroid 0.1.0");
  EXPECT_EQ(a.at("torch_version"), "2.1.2");
  EXPECT_EQ(a.at("dataset"), "Fashion-MNIST");
  EXPECT_EQ(a.at("host"), "test-host");
  EXPECT_TRUE(std::regex_match(a.at("created"), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")))
      << a.at("created");
  EXPECT_EQ(a.count("learning_rate"), 0u) << "settings belong to config(), not attributes()";

  const TrainConfig want = testConfig(), got = r.config();
  EXPECT_EQ(got.dataset, want.dataset);
  EXPECT_EQ(got.dataDir, want.dataDir);
  EXPECT_EQ(got.subset, want.subset);
  EXPECT_EQ(got.viewTrain, want.viewTrain);
  EXPECT_EQ(got.viewTest, want.viewTest);
  EXPECT_EQ(got.clusters, want.clusters);
  EXPECT_EQ(got.embedDim, want.embedDim);
  EXPECT_EQ(got.batchSize, want.batchSize);
  EXPECT_EQ(got.maxEpochs, want.maxEpochs);
  EXPECT_EQ(got.patience, want.patience);
  EXPECT_EQ(got.learningRate, want.learningRate);
  EXPECT_EQ(got.kmeansMaxIter, want.kmeansMaxIter);
  EXPECT_EQ(got.seed, want.seed);
  EXPECT_EQ(got.threads, want.threads);
  EXPECT_EQ(got.device, want.device);
  EXPECT_EQ(got.baselines, want.baselines);

  const ViewSet v = testView(points);
  EXPECT_EQ(r.viewSet().labels, v.labels);
  EXPECT_EQ(r.viewSet().indices, v.indices);
  EXPECT_EQ(r.viewSet().split, v.split);
  EXPECT_EQ(r.viewSet().images, v.images);
  EXPECT_EQ(r.viewSet().width, 28);
  EXPECT_EQ(r.viewSet().height, 28);
  EXPECT_EQ(r.viewSet().classNames, v.classNames);

  auto baselines = r.baselines();
  ASSERT_EQ(baselines.size(), 2u);
  EXPECT_EQ(baselines[1].name, "PCA(3) + k-means");
  EXPECT_EQ(baselines[1].metrics.nmi, testBaselines()[1].metrics.nmi);
  EXPECT_EQ(baselines[1].metrics.nonEmptyClusters, 9);

  ASSERT_EQ(r.epochCount(), 3);
  auto summaries = r.summaries();
  ASSERT_EQ(summaries.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EpochFrame written = testFrame(i + 1, points);
    EXPECT_EQ(summaries[i].epoch, i + 1);
    EXPECT_EQ(summaries[i].loss, written.loss);
    EXPECT_EQ(summaries[i].seconds, written.seconds);
    EXPECT_EQ(summaries[i].metrics.ari, written.metrics.ari);
    EXPECT_EQ(summaries[i].metrics.nonEmptyClusters, written.metrics.nonEmptyClusters);
    expectFrameEq(r.frame(i), written);
  }

  EXPECT_EQ(r.bestEpoch(), 2);
  auto best = r.bestWeights(), wantBest = testWeights(2);
  ASSERT_EQ(best.size(), wantBest.size());
  for (std::size_t i = 0; i < best.size(); ++i) {
    EXPECT_EQ(best[i].name, wantBest[i].name);  // the layout's order, not HDF5's name order
    EXPECT_EQ(best[i].shape, wantBest[i].shape);
    EXPECT_EQ(best[i].values, wantBest[i].values);
  }
  EXPECT_EQ(r.status(), "completed");
  EXPECT_EQ(r.statusReason(), "max epochs reached");
  EXPECT_FALSE(r.refresh());
}

TEST(RunFile, ViewImagesOnDemand) {
  // Opening a run reads the view set without its thumbnails; the hover popup reads one image at
  // a time; asking for them all later fills them in.
  const std::string path = tmpPath();
  const int points = 2000;
  writeRun(path, points, 1);
  const ViewSet want = testView(points);
  const std::size_t pixels = 28 * 28;
  RunReader r(path);
  const ViewSet& lean = r.viewSet(/*withImages=*/false);
  EXPECT_TRUE(lean.images.empty());
  EXPECT_EQ(lean.labels, want.labels);
  EXPECT_EQ(lean.split, want.split);
  EXPECT_EQ(lean.width, 28);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}, std::size_t{977}, std::size_t{points - 1}}) {
    const auto image = r.viewImage(i);
    ASSERT_EQ(image.size(), pixels) << i;
    EXPECT_TRUE(
        std::equal(image.begin(), image.end(), want.images.begin() + static_cast<std::ptrdiff_t>(i * pixels)))
        << "image " << i;
  }
  EXPECT_TRUE(r.viewImage(points).empty());
  EXPECT_TRUE(r.viewSet(false).images.empty());
  EXPECT_EQ(r.viewSet().images, want.images);  // now read in full, and kept
  EXPECT_EQ(r.viewImage(5), r.viewImage(5));
  EXPECT_EQ(r.viewImage(5).size(), pixels);

  // A run stored without images has none to give.
  const std::string bare = tmpPath("-bare.h5");
  { RunWriter w(bare, testConfig(), testView(50, /*images=*/false), testLayout(), {}, "MNIST"); }
  RunReader b(bare);
  EXPECT_TRUE(b.viewImage(0).empty());
  EXPECT_TRUE(b.viewSet().images.empty());
  EXPECT_EQ(b.viewSet().labels.size(), 50u);
}

TEST(RunFile, DamagedImagesCostOnlyTheirPopup) {
  // Zeros over the stored bytes of the second image chunk (images 512..1023): inflating it
  // fails. The run still opens and every epoch reads; only those images are refused.
  const std::string path = tmpPath();
  const int points = 2000;
  writeRun(path, points, 2);
  haddr_t address = HADDR_UNDEF;
  hsize_t size = 0;
  {
    h5::File file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
    h5::Dataset images(H5Dopen2(file.get(), "/view/images", H5P_DEFAULT));
    h5::Dataspace space(H5Dget_space(images.get()));
    hsize_t offset[3] = {};
    unsigned mask = 0;
    ASSERT_GE(H5Dget_chunk_info(images.get(), space.get(), 1, offset, &mask, &address, &size), 0);
    ASSERT_EQ(offset[0], 512u);
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(address));
    const std::string zeros(size, '\0');
    f.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  RunReader r(path);
  EXPECT_EQ(r.viewSet(false).labels.size(), static_cast<std::size_t>(points));
  expectFrameEq(r.frame(1), testFrame(2, points));
  EXPECT_EQ(r.viewImage(0).size(), 28u * 28u);
  EXPECT_EQ(r.viewImage(1500).size(), 28u * 28u);
  try {
    r.viewImage(600);
    ADD_FAILURE() << "a damaged image read back";
  } catch (const RunFileError& e) {
    EXPECT_NE(std::string(e.what()).find(path + ": reading view image 600 failed"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(r.viewSet(true), RunFileError);
  EXPECT_TRUE(r.viewSet(false).images.empty());
}

TEST(RunFile, SettingsAreAlsoRootAttributes) {
  const std::string path = tmpPath();
  writeRun(path, 10, 0);
  h5::QuietErrors quiet;
  h5::File f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT));
  ASSERT_TRUE(f);
  h5::Group root(H5Gopen2(f.get(), "/", H5P_DEFAULT));
  EXPECT_EQ(h5::readFloatAttribute(root.get(), "learning_rate"), 3.25e-4);
  EXPECT_EQ(h5::readIntAttribute(root.get(), "batch_size"), 128);
  EXPECT_EQ(h5::readIntAttribute(root.get(), "clusters"), 10);
  EXPECT_EQ(h5::readStringAttribute(root.get(), "dataset_setting"), "fashion-mnist");
  EXPECT_EQ(h5::readStringAttribute(root.get(), "dataset"), "Fashion-MNIST");
  EXPECT_EQ(h5::attributeClass(root.get(), "baselines"), H5T_ENUM);
  EXPECT_NE(h5::readStringAttribute(root.get(), "config_json").find("\"learning_rate\":0.000325"),
            std::string::npos);
}

TEST(RunFile, FreshRunHasDefaults) {
  const std::string path = tmpPath();
  { RunWriter w(path, TrainConfig{}, testView(5, false), testLayout(), {}, "MNIST"); }
  RunReader r(path);
  EXPECT_EQ(r.attributes().at("torch_version"), "unknown");
  EXPECT_EQ(r.epochCount(), 0);
  EXPECT_TRUE(r.summaries().empty());
  EXPECT_TRUE(r.baselines().empty());
  EXPECT_TRUE(r.viewSet().images.empty());
  EXPECT_EQ(r.bestEpoch(), 0);
  EXPECT_EQ(r.status(), "running");
  EXPECT_EQ(r.statusReason(), "");
  auto best = r.bestWeights();
  ASSERT_EQ(best.size(), 4u);
  EXPECT_EQ(best[3].name, "temperature");
  EXPECT_TRUE(best[3].shape.empty());
  EXPECT_EQ(best[3].values, std::vector<float>{0.f});
}

TEST(RunFile, FrameReadsTheRequestedEpoch) {
  const std::string path = tmpPath();
  writeRun(path, 300, 5);
  RunReader r(path);
  for (int i : {4, 0, 2}) expectFrameEq(r.frame(i), testFrame(i + 1, 300));
  EXPECT_THROW(r.frame(5), RunFileError);
  try {
    r.frame(-1);
  } catch (const RunFileError& e) {
    EXPECT_NE(std::string(e.what()).find("no epoch at index -1 (5 stored)"), std::string::npos) << e.what();
  }
}

TEST(RunFile, WriterRejectsMisfitInput) {
  const std::string path = tmpPath();
  RunWriter w(path, testConfig(), testView(20), testLayout(), {}, "MNIST");
  EpochFrame bad = testFrame(1, 19);
  try {
    w.append(bad);
    ADD_FAILURE() << "accepted 19 points for a view set of 20";
  } catch (const RunFileError& e) {
    EXPECT_NE(std::string(e.what()).find("57 embedding values, expected 20 x 3"), std::string::npos)
        << e.what();
  }
  auto weights = testWeights(1);
  weights[1].name = "conv9.bias";
  EXPECT_THROW(w.setBest(1, weights), RunFileError);
  w.append(testFrame(1, 20));
  EXPECT_THROW(RunWriter(tmpPath("-x.h5"), testConfig(), testView(2), {}, {}, "MNIST", {{"format", "x"}}),
               RunFileError);
  EXPECT_THROW(RunWriter(tmpPath("-y.h5"), testConfig(), testView(2), {{"a/b", {1}, {}}}, {}, "MNIST"),
               RunFileError);
}

TEST(RunFile, FollowerSeesNewEpochsAfterRefresh) {
  const std::string path = tmpPath();
  const int points = 500;
  Child child(path, points, 8, 40);
  int seen = child.waitFor(1);
  RunReader r(path, /*follow=*/true);
  int before = r.epochCount();
  EXPECT_GE(before, seen);
  EXPECT_EQ(r.status(), "running");
  child.waitFor(before + 2);
  EXPECT_TRUE(r.refresh());
  EXPECT_GE(r.epochCount(), before + 2);
  expectFrameEq(r.frame(r.epochCount() - 1), testFrame(r.epochCount(), points));
  child.waitFor(8, /*untilDone=*/true);
  EXPECT_EQ(WEXITSTATUS(child.wait()), 0);
  EXPECT_EQ(r.status(), "completed");  // read afresh, no refresh() needed
  r.refresh();
  EXPECT_EQ(r.epochCount(), 8);
  EXPECT_EQ(r.summaries().back().epoch, 8);
}

TEST(RunFile, FollowerInTheWritersProcess) {
  // The GUI may follow a run its own worker thread writes: HDF5 then shares the open file.
  const std::string path = tmpPath();
  RunWriter w(path, testConfig(), testView(50), testLayout(), {}, "MNIST");
  w.append(testFrame(1, 50));
  RunReader r(path, /*follow=*/true);
  EXPECT_EQ(r.epochCount(), 1);
  w.append(testFrame(2, 50));
  w.setStatus("cancelled", "stopped by the user");
  EXPECT_TRUE(r.refresh());
  EXPECT_EQ(r.epochCount(), 2);
  expectFrameEq(r.frame(1), testFrame(2, 50));
  EXPECT_EQ(r.status(), "cancelled");
}

TEST(RunFile, KilledWriterLeavesEveryReportedEpoch) {
  // The kill lands at a different point of an append in each round.
  for (int round = 0; round < 4; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string path = tmpPath("-" + std::to_string(round) + ".h5");
    const int points = 20000;
    Child child(path, points, 0, 0);
    int reported = child.waitFor(3 + round);
    usleep(static_cast<useconds_t>(round * 1700));
    child.kill();
    for (bool follow : {false, true}) {
      RunReader r(path, follow);
      // The writer keeps appending until the signal lands (on a loaded machine several epochs
      // after the report we read), so only the lower bound is fixed; every epoch present,
      // reported or not, must read back bit-exact below.
      ASSERT_GE(r.epochCount(), reported);
      EXPECT_EQ(r.status(), "running");
      auto summaries = r.summaries();
      for (int i = 0; i < r.epochCount(); ++i) {
        EXPECT_EQ(summaries[i].epoch, i + 1);
        expectFrameEq(r.frame(i), testFrame(i + 1, points));
      }
    }
  }
}

TEST(RunRepair, KilledWriterIsToldApartAndTheFileClosed) {
  const std::string path = tmpPath(".h5");
  {
    Child child(path, 500, 0, 5);
    child.waitFor(2);
    // While the writer runs: it is recognised and the file is not touched.
    const WriterInfo alive = writerInfo(path);
    EXPECT_EQ(alive.state, WriterState::Running);
    EXPECT_EQ(alive.host, writerHost());
    try {
      repairRun(path);
      ADD_FAILURE() << "repaired a file whose writer runs";
    } catch (const RunFileError& e) {
      EXPECT_NE(std::string(e.what()).find("still being written by process"), std::string::npos) << e.what();
    }
    child.kill();
  }
  const int epochs = RunReader(path).epochCount();
  ASSERT_GE(epochs, 2);
  {
    h5::QuietErrors quiet;
    EXPECT_LT(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), 0) << "a killed file opened without SWMR";
  }
  EXPECT_EQ(writerInfo(path).state, WriterState::Gone);
  const std::string said = repairRun(path);
  EXPECT_NE(said.find("repaired; status \"writer stopped\""), std::string::npos) << said;
  // Now a plain open works (what h5dump, HDFView and h5py without swmr=True do), and nothing
  // saved is lost.
  const hid_t plain = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(plain, 0);
  H5Fclose(plain);
  RunReader r(path);
  EXPECT_EQ(r.status(), "writer stopped");
  EXPECT_NE(r.statusReason().find("stopped without closing the file"), std::string::npos);
  EXPECT_EQ(r.epochCount(), epochs);
  for (int i = 0; i < epochs; ++i) expectFrameEq(r.frame(i), testFrame(i + 1, 500));
  // A second repair finds nothing to do.
  EXPECT_NE(repairRun(path).find("nothing to repair"), std::string::npos);
}

TEST(RunFile, KilledWriterNeverMislabelsBestWeights) {
  // The child marks every epoch best right after appending it, so a kill often lands while
  // the best weights are being replaced. Afterwards /best/epoch either names the epoch whose
  // weights are stored or is 0 (none), never a neighbour's.
  std::mt19937 rng(7);
  int withBest = 0;
  for (int round = 0; round < 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::string path = tmpPath("-best" + std::to_string(round) + ".h5");
    Child child(path, 50, 0, 0, /*markBest=*/true);
    child.waitFor(2);
    usleep(static_cast<useconds_t>(rng() % 4000));
    child.kill();
    RunReader r(path);
    const int best = r.bestEpoch();
    ASSERT_GE(best, 0);
    ASSERT_LE(best, r.epochCount());
    if (best == 0) continue;
    ++withBest;
    const auto stored = r.bestWeights();
    const auto expected = testWeights(best);
    ASSERT_EQ(stored.size(), expected.size());
    for (std::size_t a = 0; a < stored.size(); ++a)
      EXPECT_EQ(stored[a].values, expected[a].values) << stored[a].name;
  }
  EXPECT_GT(withBest, 0);  // the check above ran
}

TEST(RunFile, FailedWriteKeepsEarlierEpochs) {
  const std::string path = tmpPath();
  const int points = 3000;
  rlimit saved{};
  getrlimit(RLIMIT_FSIZE, &saved);
  auto oldHandler = signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG, like a full disk
  int stored = 0;
  std::string message;
  {
    RunWriter w(path, testConfig(), testView(points, false), testLayout(), {}, "MNIST");
    w.append(testFrame(1, points));
    w.append(testFrame(2, points));
    stored = 2;
    rlimit cap = saved;
    cap.rlim_cur = fs::file_size(path) + 3 * points * 3 * 4 / 2;  // room for about 1.5 epochs
    setrlimit(RLIMIT_FSIZE, &cap);
    try {
      for (int e = 3; e < 10; ++e, ++stored) w.append(testFrame(e, points));
    } catch (const RunFileError& e) {
      message = e.what();
    }
    // Lift the cap before closing. On a really full disk closing still works: HDF5's last step
    // extends the file to its allocated size, which makes a sparse tail needing no space (checked
    // by hand on a full tmpfs). The cap forbids even that, and would leave a file too short.
    setrlimit(RLIMIT_FSIZE, &saved);
  }
  signal(SIGXFSZ, oldHandler);
  ASSERT_FALSE(message.empty()) << "no write failed";
  EXPECT_NE(message.find("epoch " + std::to_string(stored + 1) + " not written"), std::string::npos)
      << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_NE(message.find("the " + std::to_string(stored) + " epochs stored before are intact"),
            std::string::npos)
      << message;
  RunReader r(path);
  ASSERT_EQ(r.epochCount(), stored);
  for (int i = 0; i < stored; ++i) expectFrameEq(r.frame(i), testFrame(i + 1, points));
}

TEST(RunFile, AppendTiming) {
  // Not a pass/fail benchmark: prints what one epoch costs, for docs/run-file.md.
  for (int points : {20000, 70000}) {
    const std::string path = tmpPath("-" + std::to_string(points) + ".h5");
    const int epochs = 10;
    std::vector<EpochFrame> frames;
    for (int e = 1; e <= epochs; ++e) frames.push_back(testFrame(e, points));
    RunWriter w(path, testConfig(), testView(points, false), testLayout(), {}, "MNIST");
    w.append(frames[0]);
    auto size0 = fs::file_size(path);
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpuStart = std::clock();  // wall time suffers when other builds share the cores
    for (int e = 1; e < epochs; ++e) w.append(frames[e]);
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    double cpuMs = 1000.0 * static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    double perEpoch = static_cast<double>(fs::file_size(path) - size0) / (epochs - 1);
    std::printf(
        "[ timing   ] %d x 3 floats: %.1f ms per epoch (%.1f ms CPU), %.0f KiB per epoch (raw %.0f KiB)\n",
        points, ms / (epochs - 1), cpuMs / (epochs - 1), perEpoch / 1024, points * (3 * 4 + 2) / 1024.0);
    EXPECT_LT(ms / (epochs - 1), 2000.0);
  }
}

}  // namespace
}  // namespace centroid
