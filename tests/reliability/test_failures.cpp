// centroid-train when training cannot go on: the disk fills up (exit 3), the loss turns NaN
// (exit 3), the user presses Ctrl-C (exit 130 within a second). Each time every epoch saved
// before reads back and the file says how the run ended.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <iostream>
#include <string>
#include <thread>

#include "support/Process.h"
#include "tests/reliability/RunCheck.h"
#include "tests/reliability/Tmpfs.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using centroid::proc::Clock;
using centroid::proc::Outcome;

using centroid::reliability::reportedEpochs;

namespace {

std::vector<std::string> smallRun(const fs::path& file, int epochs) {
  return {"--subset",     "1000",       "--view-train", "500", "--view-test", "200",
          "--batch-size", "100",        "--threads",    "1",   "--epochs",    std::to_string(epochs),
          "-o",           file.string()};
}

void expectOneLine(const Outcome& o) { EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err; }

}  // namespace

TEST(Failures, FullDiskExitsThreeAndKeepsEveryEpochWrittenBefore) {
  const fs::path dir = centroid::proc::freshDir("failures-fulldisk");
  const fs::path disk = dir / "disk";
  const centroid::reliability::TmpfsMount mount(disk, "size=3m");
  if (!mount.mounted()) GTEST_SKIP() << mount.error();

  // 2,000 view points of 64 dimensions: ~430 KB of embedding per epoch, so the view set's
  // thumbnails and six or so epochs fit in 3 MiB and a later epoch does not.
  const fs::path file = disk / "run.h5";
  const Outcome o =
      centroid::proc::run(CENTROID_TRAIN_EXE,
                          {"--subset", "500", "--view-train", "2000", "--view-test", "0", "--dim", "64",
                           "--batch-size", "100", "--threads", "1", "--epochs", "60", "-o", file.string()},
                          dir, 120s);
  ASSERT_FALSE(o.crashedOrHung()) << o.describe() << "\n" << o.err;
  EXPECT_EQ(o.code, 3) << o.err;
  expectOneLine(o);
  EXPECT_NE(o.err.find("centroid-train: training failed: "), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("No space left on device"), std::string::npos) << o.err;

  const int reported = reportedEpochs(o.out);
  EXPECT_GE(reported, 2) << "the disk should hold a few epochs before it fills";
  const std::string intact = reported == 1
                                 ? "the 1 epoch stored before is intact"
                                 : "the " + std::to_string(reported) + " epochs stored before are intact";
  EXPECT_NE(o.err.find(intact), std::string::npos) << o.err;

  const auto c = centroid::reliability::checkRun(file.string());
  ASSERT_TRUE(c.readable()) << c.openError;
  EXPECT_EQ(c.faultText(), "");
  EXPECT_EQ(c.epochs, reported);
  // The status sits in space allocated when the file was created, so even a full disk takes it.
  EXPECT_EQ(c.status, "failed");
  EXPECT_NE(c.reason.find("No space left on device"), std::string::npos) << c.reason;
  std::cout << "full disk: " << c.epochs << " epochs stored and read back, " << c.partialRows
            << " partial rows; status '" << c.status << "'; stderr: " << o.err;
}

TEST(Failures, NaNLossExitsThreeAndKeepsEarlierEpochs) {
  const fs::path dir = centroid::proc::freshDir("failures-nan");
  const fs::path file = dir / "run.h5";
  auto args = smallRun(file, 6);
  args.insert(args.end(), {"--inject-nan-epoch", "3", "--inject-nan-batch", "4"});
  const Outcome o = centroid::proc::run(CENTROID_TRAIN_EXE, args, dir, 120s);
  ASSERT_FALSE(o.crashedOrHung()) << o.describe() << "\n" << o.err;
  EXPECT_EQ(o.code, 3) << o.err;
  expectOneLine(o);
  EXPECT_NE(o.err.find("loss became NaN at epoch 3, batch 4"), std::string::npos) << o.err;

  const auto c = centroid::reliability::checkRun(file.string());
  ASSERT_TRUE(c.readable()) << c.openError;
  EXPECT_EQ(c.faultText(), "");
  EXPECT_EQ(c.epochs, 2);
  EXPECT_EQ(c.partialRows, 0);
  EXPECT_EQ(c.status, "failed");
  EXPECT_NE(c.reason.find("NaN"), std::string::npos) << c.reason;
  EXPECT_GE(c.bestEpoch, 1);
}

// Ctrl-C at several moments: while the data loads (before the file exists), early in an epoch,
// in the middle of one and near its end (where the frame is computed and saved).
struct Interrupt {
  std::string name;
  int afterEpochs;  // -1: as soon as "loading" is printed
  std::chrono::milliseconds delay;
};

void PrintTo(const Interrupt& i, std::ostream* os) { *os << i.name; }

class StopInterrupt : public ::testing::TestWithParam<Interrupt> {};

TEST_P(StopInterrupt, ExitsWithin1sKeepsEpochsAndSaysCancelled) {
  const Interrupt& p = GetParam();
  const fs::path dir = centroid::proc::freshDir("failures-sigint-" + p.name);
  const fs::path file = dir / "run.h5";
  centroid::proc::ScopedChild child(centroid::proc::spawn(CENTROID_TRAIN_EXE, smallRun(file, 1000), dir));
  const fs::path out = dir / "out.txt";
  const auto deadline = Clock::now() + 60s;
  auto ready = [&] {
    const std::string text = centroid::proc::slurp(out);
    return p.afterEpochs < 0 ? text.find("loading") != std::string::npos
                             : reportedEpochs(text) >= p.afterEpochs;
  };
  while (!ready()) {
    ASSERT_LT(Clock::now(), deadline) << "the moment to interrupt never came";
    std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(p.delay);
  const int before = reportedEpochs(centroid::proc::slurp(out));
  const auto signalled = Clock::now();
  ASSERT_EQ(kill(child.pid(), SIGINT), 0);
  const Outcome o = child.finish(10s, signalled);
  ASSERT_FALSE(o.timedOut) << "still running 10 s after SIGINT";
  EXPECT_EQ(o.signal, 0) << o.describe();
  EXPECT_EQ(o.code, 130) << o.err;
  EXPECT_LT(o.seconds, 1.0) << "from kill() to waitpid()";
  std::cout << p.name << ": exited " << o.code << " " << static_cast<int>(o.seconds * 1000)
            << " ms after SIGINT\n";

  const auto c = centroid::reliability::checkRun(file.string());
  ASSERT_TRUE(c.readable()) << c.openError;
  EXPECT_EQ(c.faultText(), "");
  EXPECT_GE(c.epochs, before);
  EXPECT_EQ(c.partialRows, 0);
  EXPECT_EQ(c.status, "cancelled");
  EXPECT_NE(c.reason.find("cancelled during epoch"), std::string::npos) << c.reason;
}

INSTANTIATE_TEST_SUITE_P(Moments, StopInterrupt,
                         ::testing::Values(Interrupt{"WhileLoading", -1, 0ms},
                                           Interrupt{"EarlyInEpoch", 2, 10ms}, Interrupt{"MidEpoch", 2, 90ms},
                                           Interrupt{"LateInEpoch", 2, 170ms}),
                         [](const ::testing::TestParamInfo<Interrupt>& p) { return p.param.name; });
