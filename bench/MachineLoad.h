// What else the machine was doing while a benchmark ran, and what it is: every figure is
// printed with them. Torch-free, for the GUI benchmarks too.
#pragma once

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

namespace centroid::bench {

// The 1-minute load average: other engineers compile on the same two cores, so every figure is
// printed with the load it was taken under.
inline double loadAverage() {
  std::ifstream f("/proc/loadavg");
  double l = -1;
  f >> l;
  return l;
}

// How busy other processes kept the cores between two snapshots: all CPU time the kernel counted
// minus our own and our waited-for children's (the peer). Unlike the load average, which lags by
// a minute, this covers exactly the measured interval.
struct CpuSnapshot {
  double busy = 0;  // seconds of CPU time the whole machine spent outside idle
  double own = 0;   // seconds of CPU time of this process and its reaped children
  std::chrono::steady_clock::time_point at;
};

inline CpuSnapshot cpuSnapshot() {
  CpuSnapshot s;
  s.at = std::chrono::steady_clock::now();
  std::ifstream f("/proc/stat");
  std::string line, cpu;
  std::getline(f, line);
  std::istringstream in(line);
  long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  s.busy = static_cast<double>(user + nice + system + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  rusage self{}, kids{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &kids);
  s.own = seconds(self.ru_utime) + seconds(self.ru_stime) + seconds(kids.ru_utime) + seconds(kids.ru_stime);
  return s;
}

// Share (0..1) of all cores that other processes used between a and b.
inline double othersShare(const CpuSnapshot& a, const CpuSnapshot& b) {
  const double wall = std::chrono::duration<double>(b.at - a.at).count();
  const double cores = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  if (wall <= 0) return 0;
  return std::clamp(((b.busy - a.busy) - (b.own - a.own)) / (wall * cores), 0.0, 1.0);
}

inline std::string cpuModel() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

}  // namespace centroid::bench
