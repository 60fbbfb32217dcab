// Where a training step's time goes, per ATen operator, from libtorch's autograd profiler
// (perf is not available on these machines).
#pragma once

#include <torch/csrc/autograd/profiler_legacy.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace centroid::bench {

struct OpTime {
  std::string name;
  double selfMs = 0;  // time inside this op minus the ops it called
  long calls = 0;
};

// Runs `work` under the legacy CPU profiler and returns self times, largest first. Self time
// (not inclusive) so that nested ops such as convolution -> mkldnn_convolution are not counted
// twice and the shares add up to the profiled time.
inline std::vector<OpTime> profileOps(const std::function<void()>& work, double* totalMs = nullptr) {
  using namespace torch::autograd::profiler;
  std::map<std::string, OpTime> byName;
  double sum = 0;
  {
    TLSLegacyProfilerGuard guard(
        torch::profiler::impl::ProfilerConfig(torch::profiler::impl::ProfilerState::CPU),
        [&](const thread_event_lists& lists) {
          for (const auto& events : lists) {
            struct Open {
              const LegacyEvent* push;
              double childUs;
            };
            std::vector<Open> stack;
            for (const auto& e : events) {
              if (e.kind() == EventKind::PushRange) {
                stack.push_back({&e, 0.0});
              } else if (e.kind() == EventKind::PopRange && !stack.empty()) {
                const Open top = stack.back();
                stack.pop_back();
                const double us = top.push->cpuElapsedUs(e);
                OpTime& t = byName[top.push->name()];
                t.name = top.push->name();
                t.selfMs += (us - top.childUs) / 1000.0;
                t.calls += 1;
                if (!stack.empty()) stack.back().childUs += us;
                else sum += us / 1000.0;
              }
            }
          }
        });
    work();
  }
  std::vector<OpTime> out;
  for (auto& [name, t] : byName) out.push_back(t);
  std::sort(out.begin(), out.end(), [](const OpTime& a, const OpTime& b) { return a.selfMs > b.selfMs; });
  if (totalMs) *totalMs = sum;
  return out;
}

}  // namespace centroid::bench
