// bench_objectives: each objective trained with its own defaults (what `centroid-train
// --objective X` does with no other switch) over several seeds, scored on the view set's test
// points (images no objective trained on) against the nearest reported centroid, and on its
// training points; wall time including data loading and any preparation (the friendly
// objective's neighbour graph); epoch time of both objectives from the same run. Figures are
// printed beside the targets (issue 9: friendly ACC >= 0.95 and NMI >= 0.90, <= 10 minutes).
//   bench_objectives [--objectives seed,friendly] [--seeds 0,1,2] [--dataset mnist]
//                    [--epochs N] [--subset N] [--threads 2] [--option name=value ...]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "bench/BenchSupport.h"
#include "core/metrics/Metrics.h"
#include "core/objectives/Objectives.h"
#include "core/runfile/RunFile.h"
#include "core/training/Trainer.h"
#include "core/training/TrainingSession.h"

using namespace centroid;

namespace {

struct Score {
  std::string objective;
  std::uint64_t seed = 0;
  Metrics test, train;
  double minutes = 0, epochSeconds = 0;
  int epochs = 0;
  std::string status;
};

// Metrics of the points of one split (0 train, 1 test) of the last frame.
Metrics splitMetrics(const EpochFrame& f, const ViewSet& v, int split) {
  std::vector<std::int32_t> assignments;
  std::vector<std::uint8_t> labels;
  for (std::size_t i = 0; i < v.labels.size(); ++i) {
    if (v.split[i] != split) continue;
    assignments.push_back(f.assignments[i]);
    labels.push_back(v.labels[i]);
  }
  if (labels.empty()) return {};
  return evaluate(contingency(assignments, labels, f.clusters, 10));
}

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"bench_objectives: test-set quality and time of each objective with its defaults"};
  std::string objectivesArg = "seed,friendly", seedsArg = "0,1,2", dataset = "mnist";
  int epochs = 0, subset = 0, threads = 2;
  std::vector<std::string> options;
  cli.add_option("--objectives", objectivesArg, "Comma-separated objectives")->capture_default_str();
  cli.add_option("--seeds", seedsArg, "Comma-separated seeds")->capture_default_str();
  cli.add_option("--dataset", dataset, "mnist or fashion-mnist")->capture_default_str();
  cli.add_option("--epochs", epochs, "Epochs (0 = the objective's default)");
  cli.add_option("--subset", subset, "Training images (0 = all)");
  cli.add_option("--threads", threads, "Threads")->capture_default_str();
  cli.add_option("--option", options, "NAME=VALUE objective option (friendly only), repeatable");
  CLI11_PARSE(cli, argc, argv);
  tuneAllocator();

  fmt::print("CPU: {} ({} threads used)\n", bench::cpuModel(), threads);
  std::vector<Score> scores;
  for (const std::string& objective : splitList(objectivesArg)) {
    for (const std::string& seedText : splitList(seedsArg)) {
      TrainConfig c = defaultConfig(objective);
      c.dataset = dataset;
      c.seed = std::stoull(seedText);
      c.threads = threads;
      if (epochs > 0) c.maxEpochs = epochs;
      if (subset > 0) c.subset = subset;
      if (objective != "seed") {
        for (const std::string& kv : options) {
          const auto eq = kv.find('=');
          if (eq != std::string::npos) c.objectiveOptions[kv.substr(0, eq)] = std::stod(kv.substr(eq + 1));
        }
      }
      Score s{objective, c.seed, {}, {}, 0, 0, 0, {}};
      EpochFrame last;
      ViewSet view;
      double trainSeconds = 0;
      SessionCallbacks cb;
      cb.onReady = [&](const ViewSet& v, const std::vector<BaselineRow>&, const std::string&) { view = v; };
      cb.onEpoch = [&](const EpochFrame& f) {
        last = f;
        trainSeconds += f.seconds;
        fmt::print("  {} seed {} epoch {:>3}: {:.1f} s, NMI (view set) {:.3f}\n", objective, c.seed, f.epoch,
                   f.seconds, f.metrics.nmi);
        std::fflush(stdout);
      };
      const auto start = std::chrono::steady_clock::now();
      const std::string path = "/tmp/bench_objectives-" + objective + "-" + seedText + ".h5";
      const TrainResult r = trainToFile(c, path, cb);
      s.minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
      s.epochs = r.epochsRun;
      s.epochSeconds = r.epochsRun > 0 ? trainSeconds / r.epochsRun : 0;
      s.status = toString(r.status);
      // The best epoch's weights are the run's result; the last frame is of the last epoch, so
      // score the run's final state through the run file's best epoch when they differ.
      if (r.bestEpoch != last.epoch && r.bestEpoch > 0) {
        RunReader reader(path);
        last = reader.frame(r.bestEpoch - 1);
      }
      s.test = splitMetrics(last, view, 1);
      s.train = splitMetrics(last, view, 0);
      scores.push_back(s);
    }
  }

  fmt::print(
      "\n| objective | seed | test ACC | test NMI | test ARI | test seed purity | train ACC | epochs | "
      "s/epoch | minutes |\n");
  fmt::print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const Score& s : scores)
    fmt::print("| {} | {} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {:.3f} | {} | {:.2f} | {:.1f} |\n",
               s.objective, s.seed, s.test.accuracy, s.test.nmi, s.test.ari, s.test.seedPurity,
               s.train.accuracy, s.epochs, s.epochSeconds, s.minutes);
  std::map<std::string, std::vector<const Score*>> by;
  for (const Score& s : scores) by[s.objective].push_back(&s);
  fmt::print("\nmedians over seeds:\n");
  std::map<std::string, double> epochTime;
  for (auto& [name, list] : by) {
    auto median = [&](auto get) {
      std::vector<double> v;
      for (const Score* s : list) v.push_back(get(*s));
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double acc = median([](const Score& s) { return s.test.accuracy; });
    const double nmi = median([](const Score& s) { return s.test.nmi; });
    const double minutes = median([](const Score& s) { return s.minutes; });
    epochTime[name] = median([](const Score& s) { return s.epochSeconds; });
    fmt::print(
        "  {:<9} test ACC {:.3f} ({:.2f}x of 0.95)  test NMI {:.3f} ({:.2f}x of 0.90)  {:.1f} min ({:.2f}x "
        "of 10)\n",
        name, acc, acc / 0.95, nmi, nmi / 0.90, minutes, minutes / 10);
  }
  if (epochTime.count("seed") && epochTime.count("friendly") && epochTime["seed"] > 0)
    fmt::print("epoch time friendly / seed: {:.2f} s / {:.2f} s = {:.2f}x (same run)\n",
               epochTime["friendly"], epochTime["seed"], epochTime["friendly"] / epochTime["seed"]);
  return 0;
}
