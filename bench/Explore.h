// bench_train --explore: the speed-up ideas, each measured against the trainer's own step in
// the same process, and an operator profile of the step. Not part of the headline table.
#pragma once

#include <fmt/format.h>
#include <torch/torch.h>

#include <vector>

#include "bench/BenchSupport.h"
#include "bench/OpProfile.h"
#include "core/training/TrainerImpl.h"

namespace centroid::bench {

struct ExploreSettings {
  int threads = 2;
  std::uint64_t seed = 0;
  int batches256 = 60;  // timed batches per variant: about 15k images, a quarter epoch
  int batches5000 = 3;
};

inline int batchesFor(const ExploreSettings& s, std::int64_t bs) {
  return bs == 256 ? s.batches256 : s.batches5000;
}

inline double epochSecondsOf(const torch::Tensor& train, std::int64_t bs, const ExploreSettings& s,
                             Variant v = {}, TrainedState* keep = nullptr) {
  const StepTimes t = trainBatches(train, bs, 2, batchesFor(s, bs), s.seed, v, keep);
  return t.perEpoch(t.total, train.size(0));
}

// Before tuneAllocator(): the same step with glibc's default malloc, so the allocator effect
// is measured in-process rather than from a second invocation.
inline void exploreAllocatorUntuned(const torch::Tensor& train, const ExploreSettings& s,
                                    std::vector<double>& untuned) {
  for (std::int64_t bs : {256, 5000}) untuned.push_back(epochSecondsOf(train, bs, s));
}

// "before -> after": the speed-up is before / after, so > 1 means the change helps.
inline void printRow(const std::string& what, double before, double after) {
  fmt::print("  {:<52} {:>8.2f} s {:>8.2f} s {:>7.2f}x\n", what, before, after, before / after);
}

// The view-set embedding as embed() does it, optionally with conv2 in bfloat16 (oneDNN runs it
// on AMX/AVX512-BF16 where the CPU has them) and with fc1/fc2 as convolutions (the encoder's
// CPU path) or as torch::linear.
inline torch::Tensor embedVariant(Encoder& enc, const torch::Tensor& images, std::int64_t batch, bool bf16,
                                  bool fcAsConv) {
  c10::InferenceMode guard;
  enc->eval();
  auto p = enc->named_parameters();
  const auto type = bf16 ? torch::kBFloat16 : torch::kFloat;
  const torch::Tensor w2 = p["conv2.weight"].to(type).contiguous(torch::MemoryFormat::ChannelsLast);
  const torch::Tensor b2 = p["conv2.bias"].to(type);
  const torch::Tensor w3 = p["fc1.weight"], w4 = p["fc2.weight"];
  const std::int64_t n = images.size(0);
  torch::Tensor out = torch::empty({n, enc->embedDim()}, images.options());
  for (std::int64_t first = 0; first < n; first += batch) {
    const std::int64_t len = std::min(batch, n - first);
    torch::Tensor x = enc->stage1(images.narrow(0, first, len)).to(type);
    x = torch::max_pool2d(torch::conv2d(x, w2, b2), 2).to(torch::kFloat).relu_();
    if (fcAsConv) {
      x = torch::conv2d(x, w3.view({w3.size(0), 16, 4, 4}), p["fc1.bias"]).relu_();
      x = torch::conv2d(x, w4.view({w4.size(0), w4.size(1), 1, 1}), p["fc2.bias"]).flatten(1);
    } else {
      x = torch::linear(torch::linear(x.flatten(1), w3, p["fc1.bias"]).relu_(), w4, p["fc2.bias"]);
    }
    out.narrow(0, first, len).copy_(x);
  }
  return out;
}

inline void runExplore(const torch::Tensor& train, const torch::Tensor& view, const ExploreSettings& s,
                       const std::vector<double>& untuned) {
  const CpuSnapshot start = cpuSnapshot();
  fmt::print(
      "\nExplore (seconds per 60k epoch, scaled from {} batches of 256 / {} of 5000; "
      "speed-up = before / after)\n",
      s.batches256, s.batches5000);
  fmt::print("  {:<52} {:>10} {:>10} {:>8}\n", "change (before -> after)", "before", "after", "speed-up");
  TrainedState trained;
  const std::vector<double> base = {epochSecondsOf(train, 256, s, {}, &trained),
                                    epochSecondsOf(train, 5000, s)};
  const auto at = [&](std::int64_t bs) { return base[bs == 256 ? 0 : 1]; };
  for (int i = 0; i < 2 && i < static_cast<int>(untuned.size()); ++i)
    printRow(fmt::format("glibc malloc default -> tuneAllocator, batch {}", i ? 5000 : 256), untuned[i],
             base[i]);
  for (std::int64_t bs : {256, 5000}) {
    Variant v;
    v.unfused = true;
    printRow(fmt::format("torch conv1/pool/ReLU -> fused kernel, batch {}", bs),
             epochSecondsOf(train, bs, s, v), at(bs));
  }
  for (std::int64_t bs : {256, 5000}) {
    Variant v;
    v.tensorLoop = true;
    printRow(fmt::format("Lloyd loop as ATen calls -> host loop, batch {}", bs),
             epochSecondsOf(train, bs, s, v), at(bs));
  }
  // Threads per batch size: small batches may not feed two threads.
  for (std::int64_t bs : {256, 5000}) {
    for (int th : {1, 2}) {
      if (th == s.threads) continue;
      torch::set_num_threads(th);
      const double t = epochSecondsOf(train, bs, s);
      torch::set_num_threads(s.threads);
      printRow(fmt::format("threads {} -> {}, batch {}", s.threads, th, bs), at(bs), t);
    }
  }
  for (std::int64_t bs : {256, 5000}) {
    Variant v;
    v.linearFc = true;
    printRow(fmt::format("fc1/fc2: torch::linear -> conv2d, batch {}", bs), epochSecondsOf(train, bs, s, v),
             at(bs));
  }
  {
    // Same function: outputs and gradients of both forwards on one batch.
    Encoder e(3);
    const torch::Tensor x = train.narrow(0, 0, 512);
    const auto forward = [&](bool asConv) {
      e->setFcAsConv(asConv);
      return e->forward(x);
    };
    const torch::Tensor a = forward(false), b = forward(true);
    const auto grads = [&](const torch::Tensor& out) {
      e->zero_grad();
      out.pow(2).sum().backward();
      return e->named_parameters()["fc1.weight"].grad().clone();
    };
    const torch::Tensor ga = grads(a), gb = grads(b);
    fmt::print("  {:<52} max |out diff| {:.1e}, max |fc1 grad diff| {:.1e} (of {:.1e})\n",
               "  (fc as conv: same values?)", (a - b).abs().max().item<double>(),
               (ga - gb).abs().max().item<double>(), ga.abs().max().item<double>());
  }
  for (std::int64_t bs : {256, 5000}) {
    Variant v;
    v.channelsLast = true;
    printRow(fmt::format("NCHW -> channels-last weights and input, batch {}", bs), at(bs),
             epochSecondsOf(train, bs, s, v));
  }

  // The k-means loss alone, on fixed outputs: the loop's cost without the encoder's noise.
  fmt::print("\n  k-means loss alone (fixed random outputs, K 10, D 3; ms per call)\n");
  fmt::print("  {:<10} {:>12} {:>12} {:>10} {:>12} {:>14}\n", "batch", "ATen loop", "host loop", "speed-up",
             "iterations", "loss |diff|");
  for (std::int64_t bs : {256, 5000}) {
    torch::manual_seed(s.seed);
    const torch::Tensor x = (torch::randn({bs, 3}) * 0.1).requires_grad_(true);
    const torch::Tensor c0 = x.slice(0, 0, 10).detach().clone() + 0.01;
    KMeansLoss host(10, 50), aten(10, 50);
    aten.setTensorLoop(true);
    const KMeansLossResult a = aten.compute(x, c0), b = host.compute(x, c0);
    const double diff = std::abs(a.loss.item<double>() - b.loss.item<double>());
    const int reps = bs == 256 ? 200 : 40;
    const auto timeIt = [&](KMeansLoss& km) {
      std::vector<double> v;
      for (int r = 0; r < 5; ++r) {
        const auto t0 = Clock::now();
        for (int i = 0; i < reps; ++i) km.compute(x, c0).loss.item<double>();
        v.push_back(since(t0) / reps * 1000);
      }
      return median(v);
    };
    const double ta = timeIt(aten), tb = timeIt(host);
    fmt::print("  {:<10} {:>12.3f} {:>12.3f} {:>9.1f}x {:>6} / {:<5} {:>14.2e}\n", bs, ta, tb, ta / tb,
               a.iterations, b.iterations, diff);
  }

  // Snapshots: inference mode (what embed() uses) against a plain no-grad guard, alternated
  // after a warm-up so that neither pays the first call's kernel set-up.
  Encoder& enc = trained.encoder;
  const auto noGradEmbed = [&] {
    torch::NoGradGuard g;
    enc->eval();
    for (std::int64_t f = 0; f < view.size(0); f += 2000)
      enc->forward(view.narrow(0, f, std::min<std::int64_t>(2000, view.size(0) - f)));
  };
  embed(enc, view, 2000);
  noGradEmbed();
  std::vector<double> inf, nograd;
  for (int r = 0; r < 3; ++r) {
    inf.push_back(timeEmbedding([&] { embed(enc, view, 2000); }, 1));
    nograd.push_back(timeEmbedding(noGradEmbed, 1));
  }
  fmt::print("\n  snapshot embedding of {} view images (best of 3):\n", view.size(0));
  const double tInf = *std::min_element(inf.begin(), inf.end());
  const double tNoGrad = *std::min_element(nograd.begin(), nograd.end());
  fmt::print("    NoGradGuard {:.3f} s -> InferenceMode (embed) {:.3f} s: {:.2f}x\n", tNoGrad, tInf,
             tNoGrad / tInf);
  for (std::int64_t bs : {256, 500, 1000, 2000, 4000})
    fmt::print("    embed() at batch {}: {:.3f} s\n", bs, timeEmbedding([&] { embed(enc, view, bs); }, 3));
  // What bf16 costs in accuracy, on weights trained for a quarter epoch: the coordinates' error
  // against their spread, and how many view points change their nearest centroid.
  const torch::Tensor ref = embed(enc, view, 2000);
  const torch::Tensor refNearest = nearestCentroid(ref, trained.centroids);
  for (bool bf16 : {false, true}) {
    for (bool fc : {false, true}) {
      for (std::int64_t bs : {500, 2000}) {
        const torch::Tensor e = embedVariant(enc, view, bs, bf16, fc);
        const double t = timeEmbedding([&] { embedVariant(enc, view, bs, bf16, fc); }, 3);
        const double moved =
            nearestCentroid(e, trained.centroids).ne(refNearest).to(torch::kDouble).mean().item<double>();
        fmt::print(
            "    conv2 {}, fc as {}, batch {:>4}: {:.3f} s ({:.2f}x embed at 2000); max |error| {:.1e} "
            "(smallest axis spread {:.1e}); {:.2f}% of points change cluster\n",
            bf16 ? "bf16" : "fp32", fc ? "conv  " : "linear", bs, t, tInf / t,
            (e - ref).abs().max().item<double>(), ref.std(0).min().item<double>(), 100 * moved);
      }
    }
  }

  // Where the time goes: self time per operator over a few batches of the trainer's step.
  for (std::int64_t bs : {256, 5000}) {
    const int batches = bs == 256 ? 20 : 2;
    trainBatches(train, bs, 1, 1, s.seed);  // warm caches and kernels outside the profile
    double totalMs = 0;
    const auto ops = profileOps([&] { trainBatches(train, bs, 0, batches, s.seed); }, &totalMs);
    fmt::print("\n  profile, batch {} ({} batches, {:.0f} ms in ops): self time per operator\n", bs, batches,
               totalMs);
    for (std::size_t i = 0; i < ops.size() && i < 12; ++i)
      fmt::print("    {:<58} {:>9.1f} ms {:>5.1f}% {:>7} calls\n", ops[i].name.substr(0, 58), ops[i].selfMs,
                 100 * ops[i].selfMs / totalMs, ops[i].calls);
  }
  fmt::print("\n  other processes used {:.0f}% of the cores during the exploration\n",
             100 * othersShare(start, cpuSnapshot()));
}

}  // namespace centroid::bench
