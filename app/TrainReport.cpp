// What centroid-train prints (see TrainReport.h).
#include "app/TrainReport.h"

#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/metrics/NumberFormat.h"
#include "core/metrics/Tables.h"
#include "core/objectives/Objectives.h"

namespace centroid::app {

ProgressPrinter::ProgressPrinter(std::FILE* out, int maxEpochs)
    : out_(out), tty_(out && isatty(fileno(out))), maxEpochs_(maxEpochs) {}

void ProgressPrinter::batch(const BatchProgress& p) {
  if (!out_ || !tty_) return;  // plain output gets one line per epoch, not per batch
  const int width = 30;
  const int filled = p.batches > 0 ? width * p.batch / p.batches : 0;
  const std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
  fmt::print(out_, "\r\x1b[2Kepoch {}/{} [{}] {}/{}  {:.0f} img/s  loss {}", p.epoch, maxEpochs_, bar,
             p.batch, p.batches, p.imagesPerSecond, readableNumber(p.loss));
  std::fflush(out_);
  barShown_ = true;
}

void ProgressPrinter::epoch(const EpochSummary& r) {
  if (!out_) return;
  if (barShown_) fmt::print(out_, "\r\x1b[2K");
  barShown_ = false;
  fmt::print(out_, "epoch {:>3}  loss {}  {:.1f} s  seed purity {:.3f}  NMI {:.3f}  ACC {:.3f}\n", r.epoch,
             readableNumber(r.loss), r.seconds, r.metrics.seedPurity, r.metrics.nmi, r.metrics.accuracy);
  std::fflush(out_);
}

void ProgressPrinter::message(const std::string& text) {
  if (!out_) return;
  if (barShown_) fmt::print(out_, "\r\x1b[2K");
  barShown_ = false;
  fmt::print(out_, "{}\n", text);
  std::fflush(out_);
}

void ProgressPrinter::finish() {
  if (out_ && barShown_) fmt::print(out_, "\r\x1b[2K");
  barShown_ = false;
}

std::string formatTable(const std::vector<EpochSummary>& rows, int bestEpoch,
                        const std::vector<BaselineRow>& baselines, const std::string& objective) {
  // The window's and the exports' table (core/metrics/Tables), in the terminal's rendering.
  Table table = metricsTable(rows, baselines, methodLabel(objective));
  const std::string best = std::to_string(bestEpoch);
  if (bestEpoch > 0)  // every epoch gets the marker's width, so the numbers stay aligned
    for (auto& row : table.rows)
      if (!row[1].exact.empty()) row[1].display += row[1].exact == best ? " *" : "  ";
  std::string s = toText(table);
  if (bestEpoch > 0) s += "* best epoch (lowest loss): its weights are the run's result\n";
  return s;
}

namespace {
nlohmann::json metricsJson(const Metrics& m) {
  return {{"seed_purity", m.seedPurity},
          {"purity", m.purity},
          {"nmi", m.nmi},
          {"ari", m.ari},
          {"accuracy", m.accuracy},
          {"non_empty_clusters", m.nonEmptyClusters}};
}
}  // namespace

std::string formatJson(const TrainResult& result, const std::string& runFile,
                       const std::vector<EpochSummary>& rows, const std::vector<BaselineRow>& baselines,
                       const TrainConfig& config) {
  nlohmann::json j;
  j["status"] = toString(result.status);
  j["reason"] = result.reason;
  j["run_file"] = runFile;
  j["epochs_run"] = result.epochsRun;
  j["best_epoch"] = result.bestEpoch;
  j["best_loss"] = result.bestLoss;
  j["dataset"] = config.dataset;
  j["objective"] = config.objective;
  j["clusters"] = config.clusters;
  j["learning_rate"] = config.learningRate;
  j["batch_size"] = config.batchSize;
  j["seed"] = config.seed;
  auto& epochs = j["epochs"] = nlohmann::json::array();
  for (const EpochSummary& r : rows) {
    nlohmann::json e = metricsJson(r.metrics);
    e["epoch"] = r.epoch;
    e["loss"] = r.loss;
    e["seconds"] = r.seconds;
    epochs.push_back(e);
  }
  auto& base = j["baselines"] = nlohmann::json::array();
  for (const BaselineRow& b : baselines) {
    nlohmann::json e = metricsJson(b.metrics);
    e["name"] = b.name;
    base.push_back(e);
  }
  return j.dump(2);
}

}  // namespace centroid::app
