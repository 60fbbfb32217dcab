// The training loop: data set-up, shuffled mini-batches, the objective's loss, Adam, patience,
// cancellation and failure handling.
#include "core/training/Trainer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include "core/data/Dataset.h"
#include "core/objectives/Objectives.h"
#include "core/metrics/NumberFormat.h"
#include "core/training/TrainerImpl.h"

namespace centroid {

namespace {

using Clock = std::chrono::steady_clock;

// About ten progress reports a second: enough for a smooth bar, few enough not to flood a GUI.
constexpr auto kReportInterval = std::chrono::milliseconds(100);

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

TrainConfig checked(TrainConfig c) {
  if (std::string fault = c.validate(); !fault.empty()) throw ConfigError(fault);
  return c;
}

}  // namespace

Trainer::Impl::Impl(TrainConfig c, std::unique_ptr<Objective> given) : config(checked(std::move(c))) {
  device = parseDevice(config.device);
  threads = config.threads > 0 ? config.threads
                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  applyThreads();

  const int maxTrain = config.subset > 0 ? std::max(config.subset, config.viewTrain) : 0;
  Dataset data = loadDataset(config.dataset, config.dataDir, maxTrain, config.viewTest);
  const int available = data.train.size();
  const int trainCount = config.subset > 0 ? config.subset : available;
  const auto tooMany = [&](const std::string& what, int asked, int has, const char* split) {
    return ConfigError(what + ": asks for " + std::to_string(asked) + " images but " + data.name +
                       " holds only " + std::to_string(has) + " " + split + " images");
  };
  if (config.subset > available) throw tooMany("subset", config.subset, available, "training");
  if (config.viewTrain > available) throw tooMany("view set", config.viewTrain, available, "training");
  if (config.viewTest > data.test.size())
    throw tooMany("view set", config.viewTest, data.test.size(), "test");
  if (config.clusters > trainCount)
    throw ConfigError("clusters: K (" + std::to_string(config.clusters) + ") must not exceed the " +
                      std::to_string(trainCount) + " training images");

  train = data.train.images.narrow(0, 0, trainCount).contiguous().to(device);
  viewImages = torch::cat({data.train.images.narrow(0, 0, config.viewTrain),
                           data.test.images.narrow(0, 0, config.viewTest)})
                   .to(device);

  const std::size_t pixels = static_cast<std::size_t>(data.train.height) * data.train.width;
  view.width = data.train.width;
  view.height = data.train.height;
  view.classNames = data.classNames;
  const auto addView = [&](const Split& split, int count, std::uint8_t splitId) {
    for (int i = 0; i < count; ++i) {
      view.labels.push_back(split.rawLabels[i]);
      view.indices.push_back(i);
      view.split.push_back(splitId);
    }
    view.images.insert(view.images.end(), split.rawImages.begin(),
                       split.rawImages.begin() + static_cast<std::ptrdiff_t>(count * pixels));
  };
  addView(data.train, config.viewTrain, 0);
  addView(data.test, config.viewTest, 1);
  int maxLabel = 0;
  for (auto l : view.labels) maxLabel = std::max<int>(maxLabel, l);
  classes = std::max(static_cast<int>(view.classNames.size()), maxLabel + 1);

  // Seeded right before the weights are drawn, so a run is reproducible from its config alone.
  torch::manual_seed(config.seed);
  encoder = Encoder(config.embedDim);
  encoder->to(device);
  encoder->setBf16(config.precision == "bf16");
  // After the encoder: an objective that draws random numbers must not change its weights.
  objective = given ? std::move(given) : makeObjective(config);
  optimizer =
      std::make_unique<torch::optim::Adam>(allParameters(), torch::optim::AdamOptions(config.learningRate));
}

Trainer::Trainer(TrainConfig config) : impl_(std::make_unique<Impl>(std::move(config), nullptr)) {}
Trainer::Trainer(TrainConfig config, std::unique_ptr<Objective> objective)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(objective))) {}
Trainer::~Trainer() = default;

const TrainConfig& Trainer::config() const { return impl_->config; }
const ViewSet& Trainer::viewSet() const { return impl_->view; }
int Trainer::trainImages() const { return static_cast<int>(impl_->train.size(0)); }

void Trainer::injectNaN(int epoch, int batch) {
  impl_->nanEpoch = epoch;
  impl_->nanBatch = batch;
}

TrainResult Trainer::run(const Callbacks& callbacks, const std::atomic<bool>* stop) {
  Impl& s = *impl_;
  s.applyThreads();
  TrainResult result;
  const std::int64_t n = s.train.size(0);
  const std::int64_t batchSize = s.config.batchSize;
  const int batches = static_cast<int>((n + batchSize - 1) / batchSize);
  torch::Tensor batch = torch::empty({0}, s.train.options());  // reused: index_select_out fills it
  auto lastReport = Clock::now() - kReportInterval;
  int sinceBest = 0;
  bool finished = false;
  double firstBatchLoss = std::numeric_limits<double>::quiet_NaN();
  bool warnedDivergence = false;

  const auto fail = [&](std::string reason) {
    result.status = TrainStatus::Failed;
    result.reason = std::move(reason);
    finished = true;
  };

  if (!s.prepared) {
    const ObjectiveContext context{
        s.config, s.train, callbacks.onMessage ? callbacks.onMessage : [](const std::string&) {}, stop};
    s.objective->prepare(s.encoder, context);
    // A stop during preparation may leave it incomplete: prepared again next time. The epoch
    // loop below sees the flag before its first batch and reports the cancellation as always.
    s.prepared = !(stop && stop->load());
  }

  for (int e = 0; e < s.config.maxEpochs && !finished; ++e) {
    const int epoch = s.epoch + 1;
    s.encoder->train();
    // A fresh generator per epoch: the order depends on seed and epoch only, not on what ran before.
    auto generator =
        at::make_generator<at::CPUGeneratorImpl>(s.config.seed + static_cast<std::uint64_t>(epoch));
    const torch::Tensor order = torch::randperm(n, generator, torch::kLong).to(s.device);

    const auto start = Clock::now();
    double lossSum = 0;
    for (int b = 0; b < batches; ++b) {
      if (stop && stop->load(std::memory_order_relaxed)) {
        result.status = TrainStatus::Cancelled;
        result.reason = "cancelled during epoch " + std::to_string(epoch);
        finished = true;
        break;
      }
      const std::int64_t first = b * batchSize;
      const std::int64_t len = std::min(batchSize, n - first);
      // Sized first: index_select_out then writes in place (resize_ keeps the larger storage).
      batch.resize_({len, s.train.size(1), s.train.size(2), s.train.size(3)});
      at::index_select_out(batch, s.train, 0, order.narrow(0, first, len));
      const double lr =
          s.objective->learningRate(epoch, b, batches, s.config.maxEpochs, s.config.learningRate);
      for (auto& group : s.optimizer->param_groups())
        static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
      const std::vector<torch::Tensor> carried = s.objective->state();
      const torch::Tensor indices = order.narrow(0, first, len);
      torch::Tensor loss = s.objective->loss(s.encoder, ObjectiveBatch{batch, indices, epoch, b, batches});
      if (epoch == s.nanEpoch && b + 1 == s.nanBatch) loss = loss + std::numeric_limits<double>::quiet_NaN();
      // The one synchronisation per batch: the value feeds the NaN check and the running loss.
      const double value = loss.item<double>();
      if (!std::isfinite(value)) {
        // Undo the batch's state update (the seed's centroids) too; no optimiser step is taken.
        s.objective->setState(carried);
        fail(std::string("loss became ") + (std::isnan(value) ? "NaN" : "infinite") + " at epoch " +
             std::to_string(epoch) + ", batch " + std::to_string(b + 1));
        break;
      }
      s.optimizer->zero_grad();
      loss.backward();
      s.optimizer->step();
      lossSum += value;
      if (std::isnan(firstBatchLoss)) firstBatchLoss = value;

      const auto now = Clock::now();
      if (callbacks.onBatch && (now - lastReport >= kReportInterval || b + 1 == batches)) {
        lastReport = now;
        BatchProgress p;
        p.epoch = epoch;
        p.batch = b + 1;
        p.batches = batches;
        const double elapsed = secondsSince(start);
        p.imagesPerSecond = elapsed > 0 ? static_cast<double>(first + len) / elapsed : 0;
        p.loss = lossSum / (b + 1);
        callbacks.onBatch(p);
      }
    }
    if (finished) break;  // the partial epoch is discarded: no frame, no best update

    const double seconds = secondsSince(start);
    const double epochLoss = lossSum / batches;
    s.epoch = epoch;
    s.currentLoss = epochLoss;
    result.epochsRun += 1;
    try {
      const EpochFrame frame = s.frame(epoch, epochLoss, seconds);
      if (callbacks.onEpoch) callbacks.onEpoch(frame);
      if (!warnedDivergence && callbacks.onWarning) {
        if (const std::string w = divergenceWarning(firstBatchLoss, epochLoss, s.config.learningRate);
            !w.empty()) {
          warnedDivergence = true;
          callbacks.onWarning(w);
        }
      }
      if (s.bestEpoch == 0 || epochLoss < s.bestLoss) {
        s.snapshotBest(epoch, epochLoss);
        sinceBest = 0;
        if (callbacks.onBest) callbacks.onBest(epoch, s.weights());
      } else if (++sinceBest >= s.config.patience) {
        result.status = TrainStatus::EarlyStopped;
        result.reason = "patience " + std::to_string(s.config.patience) +
                        " reached: no lower loss since epoch " + std::to_string(s.bestEpoch);
        finished = true;
      }
    } catch (const std::exception& ex) {
      fail(ex.what());
    } catch (...) {
      fail("epoch " + std::to_string(epoch) + ": unknown error in a callback");
    }
  }
  if (!finished) result.reason = "reached the epoch limit (" + std::to_string(s.config.maxEpochs) + ")";

  s.restoreBest();
  result.bestEpoch = s.bestEpoch;
  result.bestLoss = s.bestLoss;
  return result;
}

}  // namespace centroid
