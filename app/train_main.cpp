// centroid-train: the headless trainer. Trains, writes the same run file as the GUI, prints a
// table. Exit codes: 0 done, 2 bad arguments or inputs, 3 training failed, 130 interrupted.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/TrainCli.h"
#include "app/TrainReport.h"
#include "core/runfile/RunRepair.h"
#include "core/training/Trainer.h"
#include "core/training/TrainingSession.h"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onSignal(int) {
  g_stop.store(true);
  // A second Ctrl-C falls back to the default action (kill at once).
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace centroid;
  app::TrainOptions opt;
  if (const int code = app::parseTrainOptions(argc, argv, opt); code >= 0) return code;
  if (!opt.repair.empty()) {
    try {
      std::cout << "centroid-train: " << repairRun(opt.repair, opt.force) << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "centroid-train: " << e.what() << "\n";
      return 2;
    }
  }
  tuneAllocator();

  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);

  std::FILE* human = opt.quiet ? nullptr : (opt.json ? stderr : stdout);
  app::ProgressPrinter progress(human, opt.config.maxEpochs);
  std::vector<EpochSummary> rows;
  std::vector<BaselineRow> baselines;
  std::string runFile;

  SessionCallbacks cb;
  cb.onMessage = [&](const std::string& m) { progress.message(m); };
  cb.onWarning = [&](const std::string& m) { progress.message("warning: " + m); };
  cb.onReady = [&](const ViewSet& view, const std::vector<BaselineRow>& b, const std::string& path) {
    baselines = b;
    runFile = path;
    progress.message("run file " + path + " (" + std::to_string(view.labels.size()) + " view points)");
  };
  cb.onBatch = [&](const BatchProgress& p) { progress.batch(p); };
  cb.onEpoch = [&](const EpochFrame& f) {
    rows.push_back({f.epoch, f.loss, f.seconds, f.metrics});
    progress.epoch(rows.back());
  };
  if (opt.injectNanEpoch > 0)
    cb.beforeTraining = [&](Trainer& t) { t.injectNaN(opt.injectNanEpoch, std::max(1, opt.injectNanBatch)); };

  std::error_code exists;
  // A folder or an unwritable place is the writer's to explain; an existing run is refused here.
  if (!opt.output.empty() && !opt.force && std::filesystem::exists(opt.output, exists) &&
      !std::filesystem::is_directory(opt.output, exists)) {
    std::cerr << "centroid-train: " << opt.output
              << ": a file of that name exists; pass --force to replace it, or choose another -o\n";
    return 2;
  }
  TrainResult result;
  try {
    const std::string path = opt.output.empty() ? defaultRunPath(opt.config, opt.runsDir) : opt.output;
    result = trainToFile(opt.config, path, cb, &g_stop);
  } catch (const std::exception& e) {
    // Config, data and run-file errors before training: one line, exit 2.
    progress.finish();
    std::cerr << "centroid-train: " << e.what() << "\n";
    return 2;
  }
  progress.finish();

  if (human) {
    std::fprintf(human, "\n%s",
                 app::formatTable(rows, result.bestEpoch, baselines, opt.config.objective).c_str());
    std::fprintf(human, "%s%s%s\nrun file: %s\n", toString(result.status), result.reason.empty() ? "" : ": ",
                 result.reason.c_str(), runFile.c_str());
  }
  if (opt.json) std::cout << app::formatJson(result, runFile, rows, baselines, opt.config) << std::endl;

  switch (result.status) {
    case TrainStatus::Completed:
    case TrainStatus::EarlyStopped: return 0;
    case TrainStatus::Cancelled: return 130;
    case TrainStatus::Failed:
      std::cerr << "centroid-train: training failed: " << result.reason << "\n";
      return 3;
  }
  return 3;
}
