// Helpers for the run-file tests: temporary paths, a sample run, comparisons, and a driver for
// the runfile_writer_child process.
#pragma once

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/runfile/RunFile.h"
#include "core/runfile_fixture.h"

extern char** environ;

namespace centroid::testing {

inline std::string tmpPath(const std::string& suffix = ".h5") {
  auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::filesystem::path p =
      std::filesystem::path(CENTROID_TEST_TMP) / (std::string("runfile-") + info->name() + suffix);
  std::filesystem::remove(p);
  return p.string();
}

// Writes a small complete run: `epochs` epochs, best = epoch 2, status completed.
inline void writeRun(const std::string& path, int points, int epochs) {
  RunWriter w(path, testConfig(), testView(points), testLayout(), testBaselines(), "Fashion-MNIST",
              {{"torch_version", "2.1.2"}, {"host", "test-host"}});
  for (int e = 1; e <= epochs; ++e) w.append(testFrame(e, points));
  w.setBest(2, testWeights(2));
  w.setStatus("completed", "max epochs reached");
}

inline void expectFrameEq(const EpochFrame& got, const EpochFrame& want) {
  EXPECT_EQ(got.epoch, want.epoch);
  EXPECT_EQ(got.loss, want.loss);
  EXPECT_EQ(got.seconds, want.seconds);
  EXPECT_EQ(got.dim, want.dim);
  EXPECT_EQ(got.clusters, want.clusters);
  EXPECT_EQ(got.embedding, want.embedding);
  EXPECT_EQ(got.centroids, want.centroids);
  EXPECT_EQ(got.assignments, want.assignments);
  EXPECT_EQ(got.metrics.seedPurity, want.metrics.seedPurity);
  EXPECT_EQ(got.metrics.purity, want.metrics.purity);
  EXPECT_EQ(got.metrics.nmi, want.metrics.nmi);
  EXPECT_EQ(got.metrics.ari, want.metrics.ari);
  EXPECT_EQ(got.metrics.accuracy, want.metrics.accuracy);
  EXPECT_EQ(got.metrics.nonEmptyClusters, want.metrics.nonEmptyClusters);
}

// Expects opening `path` to fail with a message holding `fragment` (and naming the file).
inline void expectOpenFails(const std::string& path, const std::string& fragment, bool follow = false) {
  try {
    RunReader r(path, follow);
    ADD_FAILURE() << path << " opened, expected: " << fragment;
  } catch (const RunFileError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
    EXPECT_EQ(message.rfind(path + ": ", 0), 0u) << message;
  }
}

// A running helper process from runfile_writer_child.cpp, with its stdout on a pipe.
class Child {
 public:
  Child(const std::string& path, int points, int epochs, int delayMs, bool markBest = false) {
    int fds[2];
    EXPECT_EQ(pipe(fds), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<std::string> args{RUNFILE_WRITER_CHILD, path, std::to_string(points), std::to_string(epochs),
                                  std::to_string(delayMs)};
    if (markBest) args.emplace_back("best");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    EXPECT_EQ(posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    fd_ = fds[0];
  }
  ~Child() {
    if (pid_ > 0) kill();
    close(fd_);
  }
  // Reads reports until `epochs` epochs (or "done") were reported; returns the last epoch seen.
  int waitFor(int epochs, bool untilDone = false) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      for (std::size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (line.rfind("epoch ", 0) == 0) reported_ = std::stoi(line.substr(6));
        if (line == "done") done_ = true;
      }
      if (untilDone ? done_ : reported_ >= epochs) return reported_;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char chunk[256];
        ssize_t n = read(fd_, chunk, sizeof chunk);
        if (n <= 0) break;  // the child exited
        buffer_.append(chunk, static_cast<std::size_t>(n));
      }
    }
    ADD_FAILURE() << "writer child reported " << reported_ << " epochs, waited for " << epochs;
    return reported_;
  }
  void kill() {
    ::kill(pid_, SIGKILL);
    wait();
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buffer_;
  int reported_ = 0;
  bool done_ = false;
};

}  // namespace centroid::testing
