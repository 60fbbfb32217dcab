// bench_train: training and inference speed on full MNIST against the Python peer, the
// snapshot overhead, and the machine's FMA peak; prints one table of figures, targets, ratios.
// --bf16 also trains ours with TrainConfig::precision "bf16" (conv2 in bfloat16) beside fp32.
#include <fmt/format.h>
#include <torch/torch.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "bench/BenchSupport.h"
#include "bench/Explore.h"
#include "bench/FmaPeak.h"
#include "core/data/Dataset.h"
#include "core/model/CpuFeatures.h"
#include "core/runfile/RunFile.h"
#include "core/training/Trainer.h"
#include "core/training/TrainerImpl.h"
#include "core/training/TrainingSession.h"

#ifndef CENTROID_BENCH_DIR
#define CENTROID_BENCH_DIR "bench"
#endif

namespace cb = centroid::bench;
using cb::Clock;
using cb::since;

namespace {

// Cost of the model (docs/benchmarks.md, "Cost of the model").
constexpr double kTrainFlopsPerImage = 7.02e6;  // forward + backward
constexpr double kInferFlopsPerImage = 2.47e6;  // forward
// --quick: epochs cut to this many images and scaled up to 60k (the view set stays 20k).
constexpr int kQuickImages = 15000;
// Issue 11's targets, as shares of the machine's measured FP32 FMA peak (2 threads).
constexpr double kTrainPeakTarget = 0.60;
constexpr double kSnapshotPeakTarget = 0.70;

struct Options {
  int threads = 2;
  int epochs = 1;
  bool quick = false;
  bool noTune = false;
  bool noPeer = false;
  bool explore = false;
  bool bf16 = false;
  bool narrow = false;
  std::uint64_t seed = 0;
  std::string dataDir;
  std::string python;
};

// One batch size through the product's own code path: trainToFile (Trainer::run + RunWriter),
// as centroid-train and the GUI run it.
struct ProductRun {
  double epochSeconds = 0;  // full-epoch seconds, fastest of the epochs after the first
  double meanSeconds = 0;   // and their mean
  double overhead = 0;      // per epoch: end of the last batch -> frame saved (snapshot + append)
  double snapshot = 0;      // Trainer::evaluate() alone (the same frame() code), median of 3
  double append = 0;        // RunWriter::append of that frame alone, median of 3
  int viewPoints = 0;       // images the snapshot embeds
  std::string error;
};

ProductRun runProduct(const Options& o, int batch, int images, const std::string& precision = "fp32") {
  namespace fs = std::filesystem;
  centroid::TrainConfig c;
  c.dataset = "mnist";
  c.dataDir = o.dataDir;
  c.batchSize = batch;
  c.maxEpochs = 1 + o.epochs;  // the first epoch warms up (kernel selection, first allocations)
  c.patience = c.maxEpochs;
  c.threads = o.threads;
  c.seed = o.seed;
  c.subset = o.quick ? kQuickImages : 0;
  c.precision = precision;
  const std::string tag = std::to_string(getpid()) + "-" + std::to_string(batch) + "-" + precision;
  const fs::path runPath = fs::temp_directory_path() / ("centroid-bench-" + tag + ".h5");
  const fs::path appendPath = fs::temp_directory_path() / ("centroid-bench-append-" + tag + ".h5");

  ProductRun r;
  std::vector<double> seconds, overheads, snaps, appends;
  Clock::time_point lastBatch = Clock::now();
  centroid::SessionCallbacks cbs;
  // The trainer always reports an epoch's last batch, so this marks the end of its steps.
  cbs.onBatch = [&](const centroid::BatchProgress& p) {
    if (p.batch == p.batches) lastBatch = Clock::now();
  };
  cbs.onEpoch = [&](const centroid::EpochFrame& f) {
    overheads.push_back(since(lastBatch));
    seconds.push_back(f.seconds);
  };
  cbs.beforeTraining = [&](centroid::Trainer& t) {
    r.viewPoints = static_cast<int>(t.viewSet().labels.size());
    centroid::EpochFrame f;
    for (int i = 0; i < 3; ++i) {
      const auto t0 = Clock::now();
      f = t.evaluate();
      snaps.push_back(since(t0));
    }
    centroid::RunWriter w(appendPath.string(), t.config(), t.viewSet(), t.weightLayout(), {}, "mnist");
    for (int i = 0; i < 3; ++i) {
      f.epoch = i + 1;
      const auto t0 = Clock::now();
      w.append(f);
      appends.push_back(since(t0));
    }
  };
  try {
    const centroid::TrainResult res = centroid::trainToFile(c, runPath.string(), cbs);
    if (res.status == centroid::TrainStatus::Failed) r.error = res.reason;
  } catch (const std::exception& e) {
    r.error = e.what();
  }
  std::error_code ec;
  fs::remove(runPath, ec);
  fs::remove(appendPath, ec);
  if (seconds.size() < 2) {
    if (r.error.empty()) r.error = "fewer than two epochs ran";
    return r;
  }
  const double scale = static_cast<double>(images) / (o.quick ? kQuickImages : images);
  // The fastest epoch, not the mean: other processes on the shared cores only ever add time.
  const std::vector<double> timed(seconds.begin() + 1, seconds.end());
  r.epochSeconds = *std::min_element(timed.begin(), timed.end()) * scale;
  r.meanSeconds =
      std::accumulate(timed.begin(), timed.end(), 0.0) / static_cast<double>(timed.size()) * scale;
  r.overhead = cb::median(std::vector<double>(overheads.begin() + 1, overheads.end()));
  r.snapshot = cb::median(snaps);
  r.append = cb::median(appends);
  return r;
}

std::string peerArgs(const Options& o, const std::string& folder, int batch, int epochs) {
  return fmt::format("--data {} --threads {} --seed {} --epochs {} --images {} --batches {}", folder,
                     o.threads, o.seed, epochs, o.quick ? kQuickImages : 0, batch);
}

double peerSeconds(const cb::PeerResult& p, int batch) {
  if (!p.ok()) return 0;
  const auto it = p.json.find(std::to_string(batch));
  return it == p.json.end() ? 0 : it->at("best_seconds_per_epoch").get<double>();
}

std::string secs(double s) { return s > 0 ? fmt::format("{:.2f} s", s) : "-"; }

// One row: figure, our value, comparison, target, ratio, status.
void row(const std::string& what, const std::string& ours, const std::string& compared,
         const std::string& target, const std::string& ratio, const std::string& status) {
  fmt::print("{:<40} {:>12} {:>24} {:>22} {:>8} {:>6}\n", what, ours, compared, target, ratio, status);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Centroid training benchmark: figures against the Python peer and the machine's peak"};
  app.add_option("--threads", o.threads, "intra-op threads for ours and the peer")->check(CLI::Range(1, 256));
  app.add_option("--epochs", o.epochs,
                 "timed epochs per batch size after one warm-up epoch; the fastest counts")
      ->check(CLI::Range(1, 100));
  app.add_flag("--quick", o.quick, "cut every epoch to 15,000 images and scale up (smoke test, noisier)");
  app.add_flag("--no-tune", o.noTune, "leave glibc malloc at its defaults (skip centroid::tuneAllocator)");
  app.add_flag("--no-peer", o.noPeer, "do not run bench/peer_train.py");
  app.add_flag("--explore", o.explore, "also measure the speed-up ideas and print an operator profile");
  app.add_flag("--narrow-kernels", o.narrow, "fused conv1 kernels in 8 lanes even on AVX-512 (A/B)");
  app.add_flag("--bf16", o.bf16, "also train ours in --precision bf16 (conv2 in bfloat16) and compare");
  app.add_option("--seed", o.seed, "torch and shuffle seed");
  app.add_option("--data-dir", o.dataDir, "where mnist/ lies (default: the trainer's search)");
  app.add_option("--python", o.python,
                 "interpreter with torch and numpy (default: first of python3, /usr/bin/python3)");
  CLI11_PARSE(app, argc, argv);

  torch::set_num_threads(o.threads);
  const bool wide = centroid::setWideFusedKernels(!o.narrow);
  torch::manual_seed(static_cast<std::uint64_t>(o.seed));
  const double loadStart = cb::loadAverage();
  fmt::print("bench_train: {} | {} logical CPUs | libtorch {} | threads {} | allocator {} | {}\n",
             cb::cpuModel(), sysconf(_SC_NPROCESSORS_ONLN), centroid::torchVersion(), o.threads,
             o.noTune ? "default" : "tuned",
             o.quick ? "quick (15k-image epochs, scaled)" : "full 60k epochs");
  const std::string bf16Isa = centroid::nativeBf16Instructions();
  fmt::print("fused conv1 kernels: {} lanes\n", wide ? 16 : 8);
  fmt::print("bfloat16 instructions: {}\n",
             bf16Isa.empty() ? "none (no avx512_bf16 or amx_bf16: bf16 would be emulated)" : bf16Isa);
  fmt::print("load average at start: {:.2f}\n", loadStart);
  const cb::CpuSnapshot runStart = cb::cpuSnapshot();

  const auto t0 = Clock::now();
  const centroid::Dataset data = centroid::loadDataset("mnist", o.dataDir);
  const torch::Tensor train = data.train.images.contiguous();
  const int n = static_cast<int>(train.size(0));
  fmt::print("MNIST from {}: {} training images loaded in {:.2f} s\n", data.folder, n, since(t0));

  cb::ExploreSettings ex;
  ex.threads = o.threads;
  ex.seed = o.seed;
  std::vector<double> untuned;
  if (o.explore && !o.noTune) cb::exploreAllocatorUntuned(train, ex, untuned);
  if (!o.noTune) centroid::tuneAllocator();

  const cb::FmaPeak peak = cb::measureFmaPeak();
  const double avx2Peak = cb::measureAvx2Peak(2);
  const double peakN = o.threads == 1 ? peak.gflops1 : peak.gflops2;

  // Ours and the peer alternate per batch size, so each compared pair is measured minutes
  // apart at most and sees the same neighbours on the shared cores.
  std::string python, script;
  if (!o.noPeer) {
    python = cb::findPython(o.python);
    script = std::string(CENTROID_BENCH_DIR) + "/peer_train.py";
    if (python.empty()) fmt::print("peer: no python3 here can import torch and numpy (use --python)\n");
  }
  std::map<int, ProductRun> product;
  std::map<int, cb::PeerResult> peerDefault, peerTuned;
  std::map<int, double> othersOurs, othersPeer;  // other processes' share of the cores meanwhile
  for (int bs : {256, 5000}) {
    fmt::print("batch {}: ours (trainToFile, 1 warm-up + {} timed epoch(s))...\n", bs, o.epochs);
    std::fflush(stdout);
    const cb::CpuSnapshot a = cb::cpuSnapshot();
    product[bs] = runProduct(o, bs, n);
    const cb::CpuSnapshot b = cb::cpuSnapshot();
    othersOurs[bs] = cb::othersShare(a, b);
    if (!product[bs].error.empty()) fmt::print("  FAILED: {}\n", product[bs].error);
    if (python.empty()) continue;
    const std::string args = peerArgs(o, data.folder, bs, o.epochs);
    fmt::print("batch {}: peer {} {} {} (tuned malloc)...\n", bs, python, script, args);
    std::fflush(stdout);
    peerTuned[bs] = cb::runPeer(python, script, args, true);
    othersPeer[bs] = cb::othersShare(b, cb::cpuSnapshot());
    if (!peerTuned[bs].ok()) fmt::print("  peer FAILED: {}\n", peerTuned[bs].error);
  }
  std::map<int, ProductRun> productBf16;
  for (int bs : o.bf16 ? std::vector<int>{256, 5000} : std::vector<int>{}) {
    fmt::print("batch {}: ours in bf16 (trainToFile --precision bf16)...\n", bs);
    std::fflush(stdout);
    productBf16[bs] = runProduct(o, bs, n, "bf16");
    if (!productBf16[bs].error.empty()) fmt::print("  FAILED: {}\n", productBf16[bs].error);
  }
  const double loadOurs = cb::loadAverage();

  // Per-phase split through the replica of the step (same Encoder, KMeansLoss, Adam).
  const cb::CpuSnapshot phasesStart = cb::cpuSnapshot();
  std::map<int, cb::StepTimes> phases;
  for (int bs : {256, 5000}) phases[bs] = cb::trainBatches(train, bs, 2, bs == 256 ? 60 : 3, o.seed);
  const cb::CpuSnapshot inferStart = cb::cpuSnapshot();
  const double othersPhases = cb::othersShare(phasesStart, inferStart);

  // Inference: the trainer's embed() over all training images at several batch sizes.
  std::map<int, double> infer;
  {
    centroid::Encoder enc(3);
    const torch::Tensor imgs = o.quick ? train.narrow(0, 0, kQuickImages) : train;
    centroid::embed(enc, imgs.narrow(0, 0, 2000), 2000);  // first-call set-up outside the timing
    for (int bs : {256, 1000, 2000, 5000})
      infer[bs] = cb::timeEmbedding([&] { centroid::embed(enc, imgs, bs); }, 2) * n / imgs.size(0);
  }
  const double othersInfer = cb::othersShare(inferStart, cb::cpuSnapshot());
  // The default-malloc peer last, one epoch: it is context, not a target, and the slowest part.
  for (int bs : python.empty() ? std::vector<int>{} : std::vector<int>{256, 5000}) {
    fmt::print("batch {}: peer with default malloc...\n", bs);
    std::fflush(stdout);
    peerDefault[bs] = cb::runPeer(python, script, peerArgs(o, data.folder, bs, 1), false);
    if (!peerDefault[bs].ok()) fmt::print("  peer FAILED: {}\n", peerDefault[bs].error);
  }
  const double loadEnd = cb::loadAverage();

  // ---- the table ----
  fmt::print("\n");
  row("figure", "ours", "Python peer (def / tuned)", "target", "ratio", "status");
  fmt::print("{}\n", std::string(117, '-'));
  for (int bs : {256, 5000}) {
    const double ours = product[bs].epochSeconds;
    const double pd = peerSeconds(peerDefault[bs], bs), pt = peerSeconds(peerTuned[bs], bs);
    const double ratio = ours > 0 && pt > 0 ? pt / ours : 0;
    row(fmt::format("train s/epoch, batch {}", bs), secs(ours), fmt::format("{} / {}", secs(pd), secs(pt)),
        ">= 1.5x tuned peer", ratio > 0 ? fmt::format("{:.2f}x", ratio) : "-",
        ratio > 0 ? (ratio >= 1.5 ? "MET" : "MISSED") : "n/a");
    const auto peerMean = [&](const cb::PeerResult& r) {
      return r.ok() ? r.json.at(std::to_string(bs)).at("seconds_per_epoch").get<double>() : 0.0;
    };
    row(fmt::format("  mean of the {} timed epoch(s)", o.epochs), secs(product[bs].meanSeconds),
        fmt::format("{} (tuned)", secs(peerMean(peerTuned[bs]))), "(info: best counts)", "", "");
    row(fmt::format("  others' use of the cores, batch {}", bs), fmt::format("{:.0f}%", 100 * othersOurs[bs]),
        fmt::format("{:.0f}%", 100 * othersPeer[bs]), "(noise: want ~0%)", "", "");
    row(fmt::format("  vs default-malloc peer, batch {}", bs), "", secs(pd), "(info)",
        ours > 0 && pd > 0 ? fmt::format("{:.2f}x", pd / ours) : "-", "");
    if (peerTuned[bs].ok()) {
      const auto& ph = peerTuned[bs].json.at(std::to_string(bs)).at("phases_per_epoch");
      row(fmt::format("  tuned peer's phases, batch {}", bs), "",
          fmt::format("fwd {:.2f} loss {:.2f}", ph.at("forward").get<double>(), ph.at("loss").get<double>()),
          fmt::format("bwd {:.2f} adam {:.2f}", ph.at("backward").get<double>(), ph.at("step").get<double>()),
          "", "");
    }
    row(fmt::format("train images/s, batch {}", bs), ours > 0 ? fmt::format("{:.0f}", n / ours) : "-",
        pt > 0 ? fmt::format("{:.0f} (tuned)", n / pt) : "-", "", "", "");
  }
  // Against the peak: the targets hold on any machine, where seconds hold on one.
  const auto peakShare = [&](double flops, double seconds) {
    return seconds > 0 && peakN > 0 ? flops / seconds / 1e9 / peakN : 0.0;
  };
  const auto peakRow = [&](const std::string& what, double share, double target) {
    row(what, fmt::format("{:.1f}%", 100 * share),
        fmt::format("{:.0f} GFLOP/s of {:.0f}", share * peakN, peakN),
        fmt::format(">= {:.0f}% of peak", 100 * target), fmt::format("{:.2f}x", share / target),
        share > 0 ? (share >= target ? "MET" : "MISSED") : "n/a");
  };
  for (int bs : {256, 5000})
    peakRow(fmt::format("train, % of FP32 peak, batch {}", bs),
            peakShare(kTrainFlopsPerImage * n, product[bs].epochSeconds), kTrainPeakTarget);
  // The snapshot embeds the view set (20k images: 49 GFLOP) and scores it; its floor is that
  // arithmetic at the peak, whatever an epoch costs.
  const ProductRun& p256 = product[256];
  const double snapFlops = kInferFlopsPerImage * p256.viewPoints;
  peakRow(fmt::format("snapshot, % of FP32 peak ({:.0f} GFLOP)", snapFlops / 1e9),
          peakShare(snapFlops, p256.snapshot), kSnapshotPeakTarget);
  row(fmt::format("  snapshot (evaluate, {}k view)", p256.viewPoints / 1000), secs(p256.snapshot),
      fmt::format("floor {:.3f} s", peakN > 0 ? snapFlops / 1e9 / peakN : 0), "(info)", "", "");
  for (int bs : {256, 5000}) {
    const ProductRun& p = product[bs];
    const double pct = p.epochSeconds > 0 ? 100 * p.overhead / p.epochSeconds : 0;
    row(fmt::format("  snapshot+append, % of epoch {}", bs), fmt::format("{:.2f}%", pct),
        fmt::format("{:.3f} s per epoch", p.overhead), "(info)", "", "");
  }
  row("  RunWriter::append of that frame", fmt::format("{:.3f} s", p256.append), "", "(info)", "", "");
  for (const auto& [bs, b] : productBf16) {
    const double fp32 = product[bs].epochSeconds;
    row(fmt::format("bf16 train s/epoch, batch {}", bs), secs(b.epochSeconds),
        fmt::format("fp32 {}", secs(fp32)), "(opt-in: info)",
        b.epochSeconds > 0 && fp32 > 0 ? fmt::format("{:.2f}x", fp32 / b.epochSeconds) : "-", "");
  }
  if (productBf16.count(256))
    row("bf16 snapshot (evaluate)", secs(productBf16[256].snapshot),
        fmt::format("fp32 {}", secs(p256.snapshot)), "(opt-in: info)",
        productBf16[256].snapshot > 0 ? fmt::format("{:.2f}x", p256.snapshot / productBf16[256].snapshot)
                                      : "-",
        "");
  int bestInfer = 2000;
  for (const auto& [bs, s] : infer)
    if (s < infer[bestInfer]) bestInfer = bs;
  for (const auto& [bs, s] : infer)
    row(fmt::format("inference images/s, batch {}{}", bs, bs == bestInfer ? " *" : ""),
        fmt::format("{:.0f}", n / s), fmt::format("{:.2f} s per 60k", s), bs == bestInfer ? "fastest" : "",
        "", "");
  row("  others' use of the cores, inference", fmt::format("{:.0f}%", 100 * othersInfer), "",
      "(noise: want ~0%)", "", "");
  for (int bs : {256, 5000}) {
    const cb::StepTimes& t = phases[bs];
    const double share = t.total > 0 ? 100 * (t.kmeans + t.kmeansBackward) / t.total : 0;
    row(fmt::format("k-means share of a step, batch {}", bs), fmt::format("{:.1f}%", share),
        fmt::format("fwd {:.0f}+bwd {:.0f} ms/epoch", 1000 * t.perEpoch(t.kmeans, n),
                    1000 * t.perEpoch(t.kmeansBackward, n)),
        "(info)", "", "");
    row(fmt::format("  phases/epoch, batch {}", bs), fmt::format("{:.2f} s", t.perEpoch(t.total, n)),
        fmt::format("enc fwd {:.2f} bwd {:.2f}", t.perEpoch(t.forward, n), t.perEpoch(t.backward, n)),
        fmt::format("gather {:.2f} adam {:.2f}", t.perEpoch(t.gather, n), t.perEpoch(t.step, n)),
        fmt::format("{:.1f} it", t.batches ? static_cast<double>(t.lloydIterations) / t.batches : 0), "");
  }
  row("  others' use of the cores, phases", fmt::format("{:.0f}%", 100 * othersPhases), "",
      "(noise: want ~0%)", "", "");
  row(fmt::format("FP32 FMA peak, {} 1 thread", peak.isa), fmt::format("{:.0f}", peak.gflops1), "GFLOP/s", "",
      "", "");
  row(fmt::format("FP32 FMA peak, {} 2 threads", peak.isa), fmt::format("{:.0f}", peak.gflops2), "GFLOP/s",
      "", "", "");
  row("FP32 FMA peak, avx2 2 threads", fmt::format("{:.0f}", avx2Peak), "GFLOP/s", "", "", "");
  for (int bs : {256, 5000}) {
    const double s = product[bs].epochSeconds;
    const double gf = s > 0 ? kTrainFlopsPerImage * n / s / 1e9 : 0;
    row(fmt::format("training conv GFLOP/s, batch {}", bs), fmt::format("{:.0f}", gf),
        fmt::format("{:.1f}% of {}-thread peak", peakN > 0 ? 100 * gf / peakN : 0, o.threads),
        "(7.02 MFLOP/img)", "", "");
  }
  {
    const double gf = kInferFlopsPerImage * n / infer[bestInfer] / 1e9;
    row(fmt::format("inference GFLOP/s, batch {}", bestInfer), fmt::format("{:.0f}", gf),
        fmt::format("{:.1f}% of {}-thread peak", peakN > 0 ? 100 * gf / peakN : 0, o.threads),
        "(2.47 MFLOP/img)", "", "");
  }
  fmt::print("{}\n", std::string(117, '-'));
  fmt::print("load average: {:.2f} at start, {:.2f} after training, {:.2f} at the end ({} logical CPUs)\n",
             loadStart, loadOurs, loadEnd, sysconf(_SC_NPROCESSORS_ONLN));
  fmt::print("other processes used {:.0f}% of the cores over the whole run\n",
             100 * cb::othersShare(runStart, cb::cpuSnapshot()));
  if (!python.empty())
    fmt::print(
        "ratios compare with the tuned peer (GLIBC_TUNABLES malloc settings), measured in this invocation\n");

  if (o.explore) {
    cb::runExplore(train, torch::cat({train.narrow(0, 0, 10000), data.test.images.narrow(0, 0, 10000)}), ex,
                   untuned);
    fmt::print("load average at the end: {:.2f}\n", cb::loadAverage());
  }
  // A failed training run leaves its rows empty; the exit status makes that visible to scripts.
  for (const auto& runs : {product, productBf16})
    for (const auto& [bs, p] : runs)
      if (!p.error.empty()) return 1;
  return 0;
}
