// Extreme but valid settings (issue 14): learning rates that make the loss 1e9..1e34, embedding
// sizes 1, 2 and 16, K equal to the batch size. The window trains each and takes a screenshot,
// then opens the file again, draws it and exports its tables; the headless trainer's table stays
// aligned. And a run file whose loss series holds the extremes of a double, written here through
// the HDF5 API, opens and exports. A crash or hang anywhere fails the test.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cfloat>
#include <cmath>
#include <fstream>
#include <ostream>
#include <string>
#include <vector>

#include "support/Png.h"
#include "support/Process.h"
#include "tests/reliability/RunCheck.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using centroid::proc::Outcome;

namespace {

struct Extreme {
  const char* name;
  std::vector<std::string> settings;
};

// For gtest's test listing: the case's name, not its bytes.
void PrintTo(const Extreme& x, std::ostream* os) { *os << x.name; }

std::vector<Extreme> extremes() {
  return {{"lr1", {"--lr", "1"}},
          {"lr50", {"--lr", "50"}},
          {"lr1000", {"--lr", "1000"}},
          {"dim1", {"--dim", "1"}},
          {"dim2", {"--dim", "2"}},
          {"dim16", {"--dim", "16"}},
          {"k_equals_batch", {"--clusters", "100", "--batch-size", "100"}}};
}

std::vector<std::string> smallGuiRun(std::vector<std::string> args) {
  for (const char* a : {"--epochs", "2", "--subset", "500", "--points", "600", "--threads", "1"})
    args.push_back(a);
  return args;
}

// A PNG that a viewer can open: the signature and some bytes beyond it.
void expectPng(const fs::path& p) { centroid::proc::expectPng(p, 2000); }

void expectNoCrash(const Outcome& o, const std::string& what) {
  ASSERT_FALSE(o.crashedOrHung()) << what << ": " << o.describe() << "\n" << o.err;
}

// Opens the file in the window (drawn and exported) as a user opening a sweep's result would.
void reopen(const fs::path& file, const fs::path& dir) {
  fs::create_directories(dir / "reopen");
  const Outcome o =
      centroid::proc::run(CENTROID_GUI_EXE,
                          {"--open", file.string(), "--window-screenshot", (dir / "reopened.png").string(),
                           "--export-metrics", (dir / "metrics.csv").string(), "--quit"},
                          dir / "reopen", 120s);
  expectNoCrash(o, "reopening " + file.string());
  EXPECT_EQ(o.code, 0) << o.err;
  expectPng(dir / "reopened.png");
  const std::string csv = centroid::proc::slurp(dir / "metrics.csv");
  EXPECT_NE(csv.find("method,epoch,loss"), std::string::npos) << csv;
}

// Overwrites every stored loss with `values` (as many rows as the file holds).
void writeLosses(const fs::path& file, const std::vector<double>& values) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  const hid_t d = H5Dopen2(f, "/series/loss/value", H5P_DEFAULT);
  ASSERT_GE(d, 0);
  const hid_t space = H5Dget_space(d);
  hsize_t rows = 0;
  H5Sget_simple_extent_dims(space, &rows, nullptr);
  H5Sclose(space);
  std::vector<double> data(rows);
  for (hsize_t i = 0; i < rows; ++i) data[i] = values[i % values.size()];
  EXPECT_GE(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data.data()), 0);
  H5Dclose(d);
  H5Fclose(f);
}

}  // namespace

class ExtremeSetting : public ::testing::TestWithParam<Extreme> {};

TEST_P(ExtremeSetting, WindowTrainsShowsAndReopens) {
  const Extreme& x = GetParam();
  const fs::path dir = centroid::proc::freshDir(std::string("extremes-") + x.name);
  std::vector<std::string> args = {"--train",
                                   "--quit",
                                   "--runs-dir",
                                   (dir / "runs").string(),
                                   "--window-screenshot",
                                   (dir / "trained.png").string()};
  args.insert(args.end(), x.settings.begin(), x.settings.end());
  const Outcome o = centroid::proc::run(CENTROID_GUI_EXE, smallGuiRun(args), dir, 240s);
  expectNoCrash(o, x.name);
  // 3 only where training legitimately fails (a NaN loss); never a crash.
  EXPECT_TRUE(o.code == 0 || o.code == 3) << o.describe() << "\n" << o.err;
  expectPng(dir / "trained.png");

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir / "runs"))
    if (e.path().extension() == ".h5") files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);
  const centroid::reliability::RunCheck check = centroid::reliability::checkRun(files[0].string());
  ASSERT_TRUE(check.readable()) << check.openError;
  EXPECT_TRUE(check.faults.empty()) << check.faultText();
  EXPECT_GE(check.epochs, o.code == 0 ? 2 : 0);
  reopen(files[0], dir);
}

INSTANTIATE_TEST_SUITE_P(Sweep, ExtremeSetting, ::testing::ValuesIn(extremes()),
                         [](const auto& p) { return std::string(p.param.name); });

// The headless trainer at learning rate 1000: losses near 1e34 in readable notation, every row of
// the closing table as wide as its header, and a warning that the run diverges (not a stop).
TEST(Extremes, TrainerTableStaysAlignedAndSaysTheRunDiverges) {
  const fs::path dir = centroid::proc::freshDir("extremes-cli");
  const fs::path file = dir / "big.h5";
  const Outcome o = centroid::proc::run(CENTROID_TRAIN_EXE,
                                        {"--lr", "1000", "--epochs", "2", "--subset", "1000", "--view-train",
                                         "500", "--view-test", "200", "--threads", "1", "-o", file.string()},
                                        dir, 180s);
  expectNoCrash(o, "centroid-train --lr 1000");
  ASSERT_EQ(o.code, 0) << o.err;
  EXPECT_NE(o.out.find("warning: The loss grew from"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("lower learning rate"), std::string::npos) << o.out;
  const std::vector<std::string> lines = centroid::proc::lines(o.out);
  std::size_t header = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (lines[i].rfind("Method ", 0) == 0 && lines[i].find("Seed purity") != std::string::npos) header = i;
  ASSERT_LT(header, lines.size()) << o.out;
  int rows = 0;
  for (std::size_t i = header + 1; i < lines.size() && !lines[i].empty() && lines[i][0] != '*'; ++i, ++rows) {
    EXPECT_EQ(lines[i].size(), lines[header].size()) << "misaligned row: " << lines[i];
    EXPECT_NE(lines[i].find("e+"), std::string::npos) << "a huge loss in fixed notation: " << lines[i];
  }
  EXPECT_EQ(rows, 2) << o.out;
  reopen(file, dir);
}

// Losses no training produces but a file may hold: the extremes of a double.
TEST(Extremes, RunFileWithExtremeLossSeriesOpensAndExports) {
  const fs::path dir = centroid::proc::freshDir("extremes-file");
  const fs::path file = dir / "extreme.h5";
  const Outcome o =
      centroid::proc::run(CENTROID_TRAIN_EXE,
                          {"--epochs", "6", "--patience", "10", "--subset", "500", "--view-train", "300",
                           "--view-test", "100", "--threads", "1", "-o", file.string()},
                          dir, 180s);
  ASSERT_EQ(o.code, 0) << o.err;
  writeLosses(file, {DBL_MAX, DBL_TRUE_MIN, 1e300, -1e23, 0.0, 4e34});
  reopen(file, dir);
  const std::string csv = centroid::proc::slurp(dir / "metrics.csv");
  EXPECT_NE(csv.find("1.7976931348623157e+308"), std::string::npos) << csv;
  EXPECT_NE(csv.find("5e-324"), std::string::npos) << csv;
  // The Markdown table rounds for people.
  const Outcome md = centroid::proc::run(
      CENTROID_GUI_EXE,
      {"--open", file.string(), "--export-metrics", (dir / "metrics.md").string(), "--quit"}, dir, 120s);
  expectNoCrash(md, "markdown export");
  const std::string text = centroid::proc::slurp(dir / "metrics.md");
  EXPECT_NE(text.find("1.798e+308"), std::string::npos) << text;
  EXPECT_EQ(text.find("000000000000"), std::string::npos) << text;
}
