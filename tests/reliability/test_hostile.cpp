// Hostile inputs (datasets in hostile_idx.cpp, run files in hostile_runfiles.cpp, settings and
// output paths here): exit 2 and a one-line reason holding the case's message; a signal, an exit
// code of 128 or more, or still running after 60 s fails the case. Each case also leaves
// test-tmp/hostile/<group>/<case>/row.md, the line docs/reliability.md's table is built from.
#include <fstream>
#include <memory>

#include "support/Process.h"
#include "tests/reliability/Hostile.h"
#include "tests/reliability/Tmpfs.h"

namespace centroid::reliability {
namespace {

std::string markdownCell(std::string s) {
  for (std::size_t at = 0; (at = s.find('|', at)) != std::string::npos; at += 2) s.replace(at, 1, "\\|");
  return s;
}

}  // namespace

TEST_P(HostileInput, ExitsTwoWithItsMessage) {
  const HostileCase& c = GetParam();
  std::string group = ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name();
  group = group.substr(0, group.find('/'));  // "Idx", "RunFile" or "Setting"
  const fs::path dir = proc::freshDir("hostile/" + group + "/" + c.name);
  Prepared p = c.setup(dir);
  if (!p.skip.empty()) GTEST_SKIP() << p.skip;

  std::string exe = CENTROID_TRAIN_EXE, prefix = "centroid-train: ";
  if (c.program == Program::Gui) {
#ifdef CENTROID_GUI_EXE
    exe = CENTROID_GUI_EXE;
    prefix = "centroid: ";
    // Qt's offscreen platform needs no display; the window then runs without its 3-D view.
    p.env.push_back("QT_QPA_PLATFORM=offscreen");
#else
    GTEST_SKIP() << "the centroid window is not built (CENTROID_BUILD_GUI=OFF)";
#endif
  }
  const proc::Outcome o = proc::run(exe, p.args, dir, std::chrono::seconds(60), p.env);
  ASSERT_FALSE(o.timedOut) << "hung: still running after 60 s\n" << o.err;
  ASSERT_EQ(o.signal, 0) << "crashed: " << o.describe() << "\n" << o.err;
  EXPECT_LT(o.code, 128) << o.err;
  EXPECT_EQ(o.code, 2) << o.err;

  // The reason: the stderr line holding the message (Qt may add its own notes).
  std::string reason;
  for (const auto& line : proc::lines(o.err)) {
    if (line.find(c.message) != std::string::npos) reason = line;
  }
  EXPECT_NE(reason, "") << "expected \"" << c.message << "\" in:\n" << o.err;
  EXPECT_EQ(reason.rfind(prefix, 0), 0u) << reason;
  if (c.program == Program::Train) {
    EXPECT_EQ(proc::lines(o.err).size(), 1u) << o.err;
  }

  // Paths inside the case's folder would only make the table longer.
  const std::string root = dir.string() + "/";
  for (std::size_t at; (at = reason.find(root)) != std::string::npos;) reason.replace(at, root.size(), "");
  std::ofstream(dir / "row.md") << "| " << group << " | " << c.name << " | " << markdownCell(c.input)
                                << (p.note.empty() ? "" : " (" + markdownCell(p.note) + ")") << " | "
                                << o.code << " | `" << markdownCell(reason) << "` |\n";
}

namespace {

HostileCase trainCase(std::string name, std::string input, std::function<Prepared(const fs::path&)> setup,
                      std::string message) {
  return {std::move(name), std::move(input), Program::Train, std::move(setup), std::move(message)};
}

// The run file goes to `out` (relative to the case's folder) on a valid dataset.
std::function<Prepared(const fs::path&)> outputAt(std::string out) {
  return [out](const fs::path& dir) {
    writeDataset(dir);
    return Prepared{trainArgs(dir, {{"-o", (dir / out).string()}})};
  };
}

// A read-only folder root cannot write to: a tmpfs mounted read-only. Where mounting is not
// allowed, a path under /proc, where nobody can create files, stands in (noted in the table).
Prepared readOnlyOutput(const fs::path& dir) {
  writeDataset(dir);
  auto mount = std::make_shared<TmpfsMount>(dir / "ro", "size=64k", /*readOnly=*/true);
  Prepared p;
  if (mount->mounted()) {
    p.args = trainArgs(dir, {{"-o", (dir / "ro" / "run.h5").string()}});
    p.keep = mount;
  } else {
    p.args = trainArgs(dir, {{"-o", "/proc/centroid-run.h5"}});
    p.note = "stand-in: " + mount->error() + ", so the output is /proc/centroid-run.h5";
  }
  return p;
}

Prepared cudaDevice(const fs::path& dir) {
  writeDataset(dir);
  Prepared p{trainArgs(dir, {{"--device", "cuda"}})};
  // With an NVIDIA driver, a CUDA build of libtorch would take the device and train.
  std::error_code ec;
  if (fs::exists("/proc/driver/nvidia/version", ec)) p.skip = "this machine has an NVIDIA driver";
  return p;
}

Prepared guiSetting(const fs::path& dir, std::vector<std::string> args) {
  writeDataset(dir);
  args.insert(args.end(), {"--no-3d", "--quit", "--runs-dir", (dir / "runs").string()});
  return Prepared{std::move(args)};
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(
    Setting, HostileInput,
    ::testing::Values(
        settingCase("LearningRateZero", "--lr 0", {{"--lr", "0"}},
                    "learning rate: must be a positive number, got 0"),
        settingCase("LearningRateNegative", "--lr -1e-3", {{"--lr", "-1e-3"}},
                    "learning rate: must be a positive number, got -0.001"),
        settingCase("LearningRateTinyNegative", "--lr -1e-9", {{"--lr", "-1e-9"}},
                    "learning rate: must be a positive number, got -1e-09"),
        settingCase("LearningRateNaN", "--lr nan", {{"--lr", "nan"}},
                    "learning rate: must be a positive number, got nan"),
        settingCase("LearningRateInfinite", "--lr inf", {{"--lr", "inf"}},
                    "learning rate: must be a positive number, got inf"),
        settingCase("OneCluster", "--clusters 1", {{"--clusters", "1"}},
                    "clusters: K must be at least 2, got 1"),
        settingCase("MoreClustersThanBatch", "--clusters 60 --batch-size 50", {{"--clusters", "60"}},
                    "clusters: K (60) must not exceed the batch size (50)"),
        settingCase("ZeroEpochs", "--epochs 0", {{"--epochs", "0"}}, "epochs: must be at least 1, got 0"),
        settingCase("NegativePatience", "--patience -3", {{"--patience", "-3"}},
                    "patience: must be at least 1, got -3"),
        settingCase("NonNumericValue", "--batch-size lots", {{"--batch-size", "lots"}}, "--batch-size"),
        settingCase("NumberTooBig", "--epochs 99999999999", {{"--epochs", "99999999999"}}, "--epochs"),
        settingCase("ViewSetOver70000", "--view-train 60000 --view-test 10001",
                    {{"--view-train", "60000"}, {"--view-test", "10001"}}, "view set: at most 70000 images"),
        settingCase("ViewSetLargerThanData", "--view-train 1000 on 300 training images",
                    {{"--view-train", "1000"}}, "view set: asks for 1000 images but"),
        settingCase("SubsetLargerThanData", "--subset 5000 on 300 training images", {{"--subset", "5000"}},
                    "subset: asks for 5000 images but"),
        settingCase("MissingDatasetFolder", "--dataset /nonexistent/mnist-copy",
                    {{"--dataset", "/nonexistent/mnist-copy"}},
                    "dataset folder /nonexistent/mnist-copy: no such folder"),
        settingCase("UnknownDatasetName", "--dataset imagenet", {{"--dataset", "imagenet"}},
                    "or use --dataset mnist or fashion-mnist"),
        settingCase("UnknownDevice", "--device tpu", {{"--device", "tpu"}}, "device: unknown device \"tpu\""),
        settingCase("UnknownPrecision", "--precision fp16", {{"--precision", "fp16"}}, "--precision"),
        trainCase("CudaWithoutCuda", "--device cuda on a machine without CUDA", cudaDevice,
                  "no CUDA device is usable here"),
        trainCase("OutputInMissingFolder", "-o no/such/folder/run.h5", outputAt("no/such/folder/run.h5"),
                  "no/such/folder/run.h5: creating the run file failed"),
        trainCase("OutputUnderRegularFile", "-o data/train-labels-idx1-ubyte/run.h5",
                  outputAt("data/train-labels-idx1-ubyte/run.h5"), "creating the run file failed"),
        trainCase("OutputIsAFolder", "-o data (an existing folder)", outputAt("data"),
                  "creating the run file failed"),
        trainCase("ReadOnlyOutput", "-o on a read-only tmpfs (as root)", readOnlyOutput,
                  "creating the run file failed"),
        HostileCase{"GuiLearningRateNaN", "centroid --lr nan", Program::Gui,
                    [](const fs::path& d) {
                      return guiSetting(d, {"--lr", "nan"});
                    },
                    "learning rate: must be a positive number, got nan"},
        HostileCase{"GuiUnknownPrecision", "centroid --precision fp16", Program::Gui,
                    [](const fs::path& d) {
                      return guiSetting(d, {"--precision", "fp16"});
                    },
                    "--precision: expected fp32 or bf16, got \"fp16\""},
        HostileCase{"GuiMissingDataset", "centroid --train --dataset /nonexistent/data", Program::Gui,
                    [](const fs::path& d) {
                      return guiSetting(d, {"--train", "--dataset", "/nonexistent/data"});
                    },
                    "/nonexistent/data"}),
    caseName);

HostileCase settingCase(std::string name, std::string input, std::map<std::string, std::string> changes,
                        std::string message) {
  auto setup = [changes = std::move(changes)](const fs::path& dir) {
    writeDataset(dir);
    return Prepared{trainArgs(dir, changes)};
  };
  return {std::move(name), std::move(input), Program::Train, setup, std::move(message)};
}

}  // namespace centroid::reliability
