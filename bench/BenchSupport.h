// bench_train's measuring parts: a replica of the trainer's step with per-phase timers, the
// inference sweep, the Python peer, and machine facts. Header-only: one benchmark uses it.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "bench/MachineLoad.h"
#include "core/model/Encoder.h"
#include "core/objectives/seed/KMeansLoss.h"

namespace centroid::bench {

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// What differs between the variants --explore compares; the default is the trainer's step.
struct Variant {
  bool channelsLast = false;  // weights and input batches in NHWC
  bool unfused = false;       // Encoder::setFused(false): conv1, max-pool and ReLU as torch ops
  bool tensorLoop = false;    // KMeansLoss::setTensorLoop(true): the Lloyd loop as ATen calls
  bool linearFc = false;      // Encoder::setFcAsConv(false): fc1/fc2 as torch::linear (system BLAS)
};

// What a run leaves behind, for checks that need trained weights (the bf16 snapshot idea).
struct TrainedState {
  Encoder encoder{nullptr};
  torch::Tensor centroids;
};

// Seconds spent in each part of a training step, summed over the timed batches.
struct StepTimes {
  double gather = 0, forward = 0, kmeans = 0, kmeansBackward = 0, backward = 0, step = 0, total = 0;
  long images = 0;
  int batches = 0;
  long lloydIterations = 0;
  double lastLoss = 0;
  double perEpoch(double part, long epochImages) const { return images ? part * epochImages / images : 0; }
};

// The trainer's step (core/Trainer.cpp: gather with index_select_out, Encoder, KMeansLoss with
// carried centroids, one item() sync, Adam) with timers between the phases. On the CPU every op
// runs synchronously, so wall-clock timers attribute time exactly. The backward pass is split
// in two with the same total work: gradient of the loss w.r.t. the encoder's outputs (the
// k-means part), then the encoder's own backward from there.
inline StepTimes trainBatches(const torch::Tensor& train, std::int64_t batchSize, int warmup, int maxBatches,
                              std::uint64_t seed, Variant v = {}, TrainedState* keep = nullptr) {
  torch::manual_seed(seed);
  Encoder encoder(3);
  encoder->setFused(!v.unfused);
  encoder->setFcAsConv(!v.linearFc);
  if (v.channelsLast) {
    torch::NoGradGuard noGrad;
    for (auto& p : encoder->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  encoder->train();
  torch::optim::Adam optimizer(encoder->parameters(), torch::optim::AdamOptions(1e-4));
  KMeansLoss kmeans(10, 50);
  kmeans.setTensorLoop(v.tensorLoop);
  torch::Tensor batch = torch::empty({0}, train.options());
  const std::int64_t n = train.size(0);
  StepTimes t;
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed + 1);
  torch::Tensor order = torch::randperm(n, gen, torch::kLong);
  std::int64_t first = 0;
  const int total =
      warmup + (maxBatches > 0 ? maxBatches : static_cast<int>((n + batchSize - 1) / batchSize));
  for (int b = 0; b < total; ++b) {
    const bool timed = b >= warmup;
    if (first >= n || b == warmup) {  // a fresh shuffle for the timed epoch, as every epoch gets
      order = torch::randperm(n, gen, torch::kLong);
      first = 0;
    }
    const auto t0 = Clock::now();
    at::index_select_out(batch, train, 0, order.narrow(0, first, std::min(batchSize, n - first)));
    first += batchSize;
    torch::Tensor input = v.channelsLast ? batch.contiguous(torch::MemoryFormat::ChannelsLast) : batch;
    const auto t1 = Clock::now();
    torch::Tensor out = encoder->forward(input);
    const auto t2 = Clock::now();
    const KMeansLossResult r = kmeans.forward(out);
    const double value = r.loss.item<double>();
    const auto t3 = Clock::now();
    optimizer.zero_grad();
    const torch::Tensor gradOut = torch::autograd::grad({r.loss}, {out})[0];
    const auto t4 = Clock::now();
    out.backward(gradOut);
    const auto t5 = Clock::now();
    optimizer.step();
    const auto t6 = Clock::now();
    if (!timed) continue;
    const auto sec = [](Clock::time_point a, Clock::time_point z) {
      return std::chrono::duration<double>(z - a).count();
    };
    t.gather += sec(t0, t1);
    t.forward += sec(t1, t2);
    t.kmeans += sec(t2, t3);
    t.kmeansBackward += sec(t3, t4);
    t.backward += sec(t4, t5);
    t.step += sec(t5, t6);
    t.total += sec(t0, t6);
    t.images += batch.size(0);
    t.batches += 1;
    t.lloydIterations += r.iterations;
    t.lastLoss = value;
  }
  if (keep) {
    keep->encoder = encoder;
    keep->centroids = kmeans.centroids();
  }
  return t;
}

// Seconds to embed `images` with the trainer's own embed() loop at the given batch size.
template <typename EmbedFn>
double timeEmbedding(EmbedFn&& embedFn, int repeats) {
  std::vector<double> s;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    embedFn();
    s.push_back(since(t0));
  }
  return *std::min_element(s.begin(), s.end());
}

// The Python peer, run as a child process; its last JSON line, or nullopt with the reason.
struct PeerResult {
  nlohmann::json json;
  std::string error = "not run";
  bool ok() const { return error.empty() && json.is_object(); }
};

inline bool pythonHasTorch(const std::string& python) {
  const std::string cmd = python + " -c 'import torch, numpy' >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// The first interpreter that can import torch and numpy: a pyenv shim named python3 may shadow
// the system interpreter that Debian's python3-torch is installed for.
inline std::string findPython(const std::string& asked) {
  if (!asked.empty()) return asked;
  for (const char* c : {"python3", "/usr/bin/python3"})
    if (pythonHasTorch(c)) return c;
  return "";
}

inline PeerResult runPeer(const std::string& python, const std::string& script, const std::string& args,
                          bool tuned) {
  // The peer's allocator is set by its environment, as a Python user would set it; our own
  // mallopt() calls do not reach a child process.
  const std::string env =
      tuned ? "env GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4000000000 "
            : "env -u GLIBC_TUNABLES ";
  const std::string cmd = env + python + " " + script + " " + args + " 2>&1";
  PeerResult r;
  r.error.clear();
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    r.error = "cannot start: " + cmd;
    return r;
  }
  std::string out, last;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe)) {
    out += buf.data();
    if (buf[0] == '{') last = buf.data();
  }
  const int rc = pclose(pipe);
  if (rc != 0 || last.empty()) {
    r.error = "`" + cmd + "` failed (status " + std::to_string(rc) + "): " + out.substr(0, 400);
    return r;
  }
  try {
    r.json = nlohmann::json::parse(last);
  } catch (const std::exception& e) {
    r.error = std::string("unreadable peer output: ") + e.what();
  }
  return r;
}

}  // namespace centroid::bench
