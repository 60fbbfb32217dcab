// Running the built programs from tests: output to files, exit code or signal, a hard time limit.
// Shared by tests/app and tests/reliability so every test reads a child's fate the same way.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace centroid::proc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Outcome {
  int code = -1;          // exit status, or 128 + the signal's number when a signal ended it
  int signal = 0;         // the signal that ended it; 0 when it exited
  bool timedOut = false;  // still running at the limit, so killed here
  double seconds = 0;     // from start (or from the caller's mark) to exit
  std::string out, err;   // what it wrote to stdout and stderr

  // A crash or a hang: what no input may ever cause.
  bool crashedOrHung() const { return timedOut || signal != 0 || code >= 128; }
  std::string describe() const {
    if (timedOut) return "hung: killed after the time limit";
    if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit " + std::to_string(code);
  }
};

struct Child {
  pid_t pid = -1;
  fs::path dir;  // holds out.txt and err.txt
  Clock::time_point started;
};

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh, empty folder under the build's test-tmp; the name keeps parallel tests apart.
inline fs::path freshDir(const std::string& name) {
  fs::path d = fs::path(CENTROID_TEST_TMP) / name;
  std::error_code ignored;
  fs::remove_all(d, ignored);
  fs::create_directories(d);
  return d;
}

// Starts `exe args...` with stdout and stderr going to dir/out.txt and dir/err.txt, and
// `env` ("NAME=value") added to this process's environment.
inline Child spawn(const std::string& exe, const std::vector<std::string>& args, const fs::path& dir,
                   const std::vector<std::string>& env = {}) {
  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> argStore{exe};
  argStore.insert(argStore.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argStore) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envStore = env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('=') + 1);
    bool overridden = false;
    for (const auto& mine : env) overridden = overridden || mine.rfind(name, 0) == 0;
    if (!overridden) envStore.push_back(entry);
  }
  std::vector<char*> envp;
  for (auto& e : envStore) envp.push_back(e.data());
  envp.push_back(nullptr);
  const std::string outPath = (dir / "out.txt").string(), errPath = (dir / "err.txt").string();

  // Unflushed output would be written twice: once here, once by the child's freopen.
  std::fflush(stdout);
  std::fflush(stderr);
  Child c;
  c.dir = dir;
  c.started = Clock::now();
  c.pid = fork();
  if (c.pid == 0) {
    if (!std::freopen(outPath.c_str(), "w", stdout) || !std::freopen(errPath.c_str(), "w", stderr))
      _exit(126);
    if (!std::freopen("/dev/null", "r", stdin)) _exit(126);
    execve(exe.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return c;
}

// Waits for the child to end; one still running after `limit` is SIGKILLed and reported as
// timed out. `since` (default: its start) is where Outcome::seconds counts from. Polls every
// 2 ms, which is also the resolution of `seconds`.
inline Outcome finish(const Child& c, std::chrono::milliseconds limit = std::chrono::minutes(10),
                      Clock::time_point since = {}) {
  if (since == Clock::time_point{}) since = c.started;
  Outcome o;
  int status = 0;
  const auto deadline = Clock::now() + limit;
  while (true) {
    const pid_t r = waitpid(c.pid, &status, WNOHANG);
    if (r == c.pid) break;
    if (r < 0) {
      o.code = -1;
      o.err = std::string("waitpid failed: ") + std::strerror(errno);
      return o;
    }
    if (Clock::now() >= deadline) {
      o.timedOut = true;
      kill(c.pid, SIGKILL);
      waitpid(c.pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  o.seconds = std::chrono::duration<double>(Clock::now() - since).count();
  if (WIFSIGNALED(status)) {
    o.signal = WTERMSIG(status);
    o.code = 128 + o.signal;
  } else {
    o.code = WEXITSTATUS(status);
  }
  o.out = slurp(c.dir / "out.txt");
  o.err = slurp(c.dir / "err.txt");
  return o;
}

// A child that a failing ASSERT must not leave running: SIGKILLed and reaped on scope exit
// unless finish() collected it first.
class ScopedChild {
 public:
  explicit ScopedChild(Child c) : c_(std::move(c)) {}
  ~ScopedChild() {
    if (done_) return;
    kill(c_.pid, SIGKILL);
    waitpid(c_.pid, nullptr, 0);
  }
  ScopedChild(const ScopedChild&) = delete;
  ScopedChild& operator=(const ScopedChild&) = delete;

  const Child& child() const { return c_; }
  pid_t pid() const { return c_.pid; }
  Outcome finish(std::chrono::milliseconds limit = std::chrono::minutes(10), Clock::time_point since = {}) {
    done_ = true;
    return proc::finish(c_, limit, since);
  }

 private:
  Child c_;
  bool done_ = false;
};

inline Outcome run(const std::string& exe, const std::vector<std::string>& args, const fs::path& dir,
                   std::chrono::milliseconds limit = std::chrono::minutes(10),
                   const std::vector<std::string>& env = {}) {
  return finish(spawn(exe, args, dir, env), limit);
}

// The lines of `text`, without their newlines; an unterminated last line counts.
inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace centroid::proc
