// The trainer on 2,000 real MNIST images: falling loss, shapes, reproducibility, cancellation,
// patience with best-weights restore, NaN failure, config errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "core/training/Trainer.h"

namespace centroid {
namespace {

TrainConfig smallConfig() {
  TrainConfig c;
  c.subset = 2000;
  c.viewTrain = 1000;
  c.viewTest = 500;
  c.threads = 2;
  c.maxEpochs = 2;
  c.seed = 1;
  return c;
}

struct Recorded {
  TrainResult result;
  std::vector<EpochFrame> frames;
  std::vector<std::pair<int, std::vector<NamedArray>>> best;
  int batchCalls = 0;
};

Recorded record(Trainer& trainer, const std::atomic<bool>* stop = nullptr,
                std::function<void(const BatchProgress&)> onBatch = {}) {
  Recorded r;
  Trainer::Callbacks cb;
  cb.onEpoch = [&](const EpochFrame& f) { r.frames.push_back(f); };
  cb.onBest = [&](int epoch, const std::vector<NamedArray>& w) { r.best.emplace_back(epoch, w); };
  cb.onBatch = [&](const BatchProgress& p) {
    ++r.batchCalls;
    if (onBatch) onBatch(p);
  };
  r.result = trainer.run(cb, stop);
  return r;
}

void expectSameFrame(const EpochFrame& a, const EpochFrame& b) {
  EXPECT_EQ(a.embedding, b.embedding);
  EXPECT_EQ(a.centroids, b.centroids);
  EXPECT_EQ(a.assignments, b.assignments);
  EXPECT_EQ(a.metrics.nmi, b.metrics.nmi);
}

TEST(Trainer, TwoEpochsFallingLossRightShapesAndReproducible) {
  Trainer trainer(smallConfig());
  EXPECT_EQ(trainer.trainImages(), 2000);
  const ViewSet& view = trainer.viewSet();
  ASSERT_EQ(view.labels.size(), 1500u);
  EXPECT_EQ(view.images.size(), 1500u * 28 * 28);
  EXPECT_EQ(view.split[999], 0);
  EXPECT_EQ(view.split[1000], 1);
  EXPECT_EQ(view.indices[1000], 0);
  EXPECT_EQ(view.classNames.size(), 10u);

  const Recorded r = record(trainer);
  EXPECT_EQ(r.result.status, TrainStatus::Completed) << r.result.reason;
  EXPECT_EQ(r.result.epochsRun, 2);
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_TRUE(std::isfinite(r.frames[0].loss));
  EXPECT_LT(r.frames[1].loss, r.frames[0].loss);
  EXPECT_GT(r.batchCalls, 0);
  for (const EpochFrame& f : r.frames) {
    EXPECT_EQ(f.dim, 3);
    EXPECT_EQ(f.points(), 1500);
    EXPECT_EQ(f.centroids.size(), 10u * 3);
    ASSERT_EQ(f.assignments.size(), 1500u);
    for (auto a : f.assignments) ASSERT_TRUE(a >= 0 && a < 10);
    for (float v : f.embedding) ASSERT_TRUE(std::isfinite(v));
    for (double m : {f.metrics.seedPurity, f.metrics.purity, f.metrics.nmi, f.metrics.accuracy}) {
      EXPECT_GE(m, 0.0);
      EXPECT_LE(m, 1.0);
    }
    EXPECT_GE(f.metrics.ari, -1.0);
    EXPECT_LE(f.metrics.ari, 1.0);
    EXPECT_GT(f.seconds, 0.0);
  }
  // The loss fell every epoch, so both were best; onBest delivers what weightLayout promised.
  ASSERT_EQ(r.best.size(), 2u);
  const auto layout = trainer.weightLayout();
  ASSERT_EQ(r.best[1].second.size(), layout.size());
  for (std::size_t i = 0; i < layout.size(); ++i) {
    EXPECT_EQ(r.best[1].second[i].name, layout[i].name);
    EXPECT_EQ(r.best[1].second[i].shape, layout[i].shape);
  }
  EXPECT_EQ(layout[0].name, "conv1.weight");

  // The same seed and threads give the same frames, bit for bit; another seed does not.
  Trainer again(smallConfig());
  const Recorded r2 = record(again);
  ASSERT_EQ(r2.frames.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(r.frames[i].loss, r2.frames[i].loss);
    expectSameFrame(r.frames[i], r2.frames[i]);
  }
  TrainConfig other = smallConfig();
  other.seed = 2;
  other.maxEpochs = 1;
  Trainer different(other);
  const Recorded r3 = record(different);
  ASSERT_EQ(r3.frames.size(), 1u);
  EXPECT_NE(r3.frames[0].embedding, r.frames[0].embedding);

  // Saved weights applied to the view images reproduce the trainer's own embedding.
  const auto embedded = embedImages(3, r.best[1].second, view.images, 1500);
  ASSERT_EQ(embedded.size(), r.frames[1].embedding.size());
  for (std::size_t i = 0; i < embedded.size(); ++i)
    ASSERT_NEAR(embedded[i], r.frames[1].embedding[i], 1e-5f) << i;
}

TEST(Trainer, CancelFromOnBatchStopsBeforeTheNextBatch) {
  Trainer trainer(smallConfig());
  // Were batch 2 to run, its injected NaN would fail the run instead of cancelling it.
  trainer.injectNaN(1, 2);
  std::atomic<bool> stop{false};
  const Recorded r = record(trainer, &stop, [&](const BatchProgress& p) {
    EXPECT_EQ(p.batch, 1);
    stop = true;
  });
  EXPECT_EQ(r.result.status, TrainStatus::Cancelled) << r.result.reason;
  EXPECT_EQ(r.batchCalls, 1);
  EXPECT_TRUE(r.frames.empty());
  EXPECT_EQ(r.result.epochsRun, 0);
  EXPECT_EQ(r.result.bestEpoch, 0);
}

TEST(Trainer, CancelFromAnotherThread) {
  TrainConfig c = smallConfig();
  c.maxEpochs = 1000;
  c.patience = 1000;
  Trainer trainer(c);
  std::atomic<bool> stop{false};
  std::atomic<bool> started{false};
  std::chrono::steady_clock::time_point stoppedAt;
  std::thread timer([&] {
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stoppedAt = std::chrono::steady_clock::now();
    stop = true;
  });
  const Recorded r = record(trainer, &stop, [&](const BatchProgress&) { started = true; });
  const auto returnedAt = std::chrono::steady_clock::now();
  timer.join();
  EXPECT_EQ(r.result.status, TrainStatus::Cancelled);
  EXPECT_LT(r.result.epochsRun, 1000);
  EXPECT_EQ(static_cast<int>(r.frames.size()), r.result.epochsRun);
  // A batch of 256 takes milliseconds, an epoch's frame a little more; generous for a busy machine.
  EXPECT_LT(std::chrono::duration<double>(returnedAt - stoppedAt).count(), 5.0);

  // A flag already set stops before the first batch.
  Trainer fresh(smallConfig());
  const Recorded none = record(fresh, &stop);
  EXPECT_EQ(none.result.status, TrainStatus::Cancelled);
  EXPECT_EQ(none.batchCalls, 0);
  EXPECT_TRUE(none.frames.empty());
}

TEST(Trainer, PatienceStopsAndRestoresBestWeights) {
  // With a learning rate this small the weights hardly move; the epoch loss then only wanders
  // with the shuffle, and soon fails to improve.
  TrainConfig c = smallConfig();
  c.learningRate = 1e-9;
  c.maxEpochs = 20;
  c.patience = 1;
  Trainer trainer(c);
  const Recorded r = record(trainer);
  ASSERT_EQ(r.result.status, TrainStatus::EarlyStopped) << r.result.reason;
  EXPECT_LT(r.result.epochsRun, 20);
  EXPECT_EQ(r.result.bestEpoch, r.result.epochsRun - 1);
  ASSERT_EQ(static_cast<int>(r.frames.size()), r.result.epochsRun);
  const EpochFrame& best = r.frames[r.result.bestEpoch - 1];
  EXPECT_EQ(r.result.bestLoss, best.loss);
  EXPECT_GE(r.frames.back().loss, best.loss);
  ASSERT_FALSE(r.best.empty());
  EXPECT_EQ(r.best.back().first, r.result.bestEpoch);

  const EpochFrame now = trainer.evaluate();
  EXPECT_EQ(now.epoch, r.result.epochsRun);
  expectSameFrame(now, best);
}

TEST(Trainer, InjectedNaNFailsWithoutAFrame) {
  TrainConfig c = smallConfig();
  c.maxEpochs = 3;
  Trainer trainer(c);
  trainer.injectNaN(2, 3);
  const Recorded r = record(trainer);
  EXPECT_EQ(r.result.status, TrainStatus::Failed);
  EXPECT_EQ(r.result.reason, "loss became NaN at epoch 2, batch 3");
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.frames[0].epoch, 1);
  EXPECT_EQ(r.result.bestEpoch, 1);
  // The failed batch left neither weights nor centroids behind: the best epoch is restored.
  expectSameFrame(trainer.evaluate(), r.frames[0]);
}

TEST(Trainer, ThrowingOnEpochFailsWithItsMessage) {
  Trainer trainer(smallConfig());
  Trainer::Callbacks cb;
  cb.onEpoch = [](const EpochFrame&) { throw std::runtime_error("run.h5: No space left on device"); };
  const TrainResult r = trainer.run(cb);
  EXPECT_EQ(r.status, TrainStatus::Failed);
  EXPECT_EQ(r.reason, "run.h5: No space left on device");
  EXPECT_EQ(r.epochsRun, 1);
}

TEST(Trainer, EvaluateBeforeTraining) {
  Trainer trainer(smallConfig());
  const EpochFrame f = trainer.evaluate();
  EXPECT_EQ(f.epoch, 0);
  EXPECT_EQ(f.points(), 1500);
  EXPECT_EQ(f.centroids.size(), 30u);
}

TEST(Trainer, InvalidConfigThrowsConfigError) {
  const auto expectConfigError = [](TrainConfig c, const char* what) {
    EXPECT_THROW(Trainer{c}, ConfigError) << what;
  };
  TrainConfig c = smallConfig();
  c.clusters = 1;
  expectConfigError(c, "K = 1");
  c = smallConfig();
  c.device = "tpu";
  expectConfigError(c, "unknown device");
  c.device = "cuda:99";
  expectConfigError(c, "missing CUDA device");
  c = smallConfig();
  c.precision = "fp16";
  expectConfigError(c, "unknown precision");
  c = smallConfig();
  c.subset = 5;
  expectConfigError(c, "K above the training images");
  c = smallConfig();
  c.viewTest = 20000;
  expectConfigError(c, "view set larger than the test split");
  try {
    c = smallConfig();
    c.learningRate = -1;
    Trainer t(c);
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("learning rate"), std::string::npos) << e.what();
  }
}

TEST(Trainer, Bf16PrecisionTrainsAsFp32Does) {
  // --precision bf16 (conv2 in bfloat16) on the same data and seed: same start, a falling loss
  // within a few percent of fp32's, fp32 weights for Adam, and a snapshot whose points stay
  // close to fp32's.
  TrainConfig c = smallConfig();
  c.maxEpochs = 2;
  Trainer fp32(c);
  c.precision = "bf16";
  Trainer bf16(c);
  const Recorded a = record(fp32), b = record(bf16);
  ASSERT_EQ(a.frames.size(), 2u);
  ASSERT_EQ(b.frames.size(), 2u);
  for (std::size_t e = 0; e < 2; ++e) {
    EXPECT_TRUE(std::isfinite(b.frames[e].loss));
    EXPECT_NEAR(b.frames[e].loss, a.frames[e].loss, 0.05 * a.frames[e].loss) << "epoch " << e + 1;
  }
  EXPECT_LT(b.frames[1].loss, b.frames[0].loss);
  EXPECT_NE(a.frames[1].embedding, b.frames[1].embedding);  // bf16 did run
  double worst = 0, spread = 0;
  for (std::size_t i = 0; i < a.frames[1].embedding.size(); ++i) {
    worst =
        std::max(worst, static_cast<double>(std::abs(a.frames[1].embedding[i] - b.frames[1].embedding[i])));
    spread = std::max(spread, static_cast<double>(std::abs(a.frames[1].embedding[i])));
  }
  EXPECT_LT(worst, 0.05 * spread);
  for (const NamedArray& w : b.best.back().second) EXPECT_FALSE(w.values.empty()) << w.name;
}

TEST(Trainer, EmbedImagesRejectsMismatchedWeights) {
  Trainer trainer(smallConfig());
  std::vector<NamedArray> weights = trainer.weightLayout();
  for (auto& w : weights) {
    std::int64_t n = 1;
    for (auto d : w.shape) n *= d;
    w.values.assign(static_cast<std::size_t>(n), 0.01f);
  }
  const std::vector<std::uint8_t> images(2 * 28 * 28, 128);
  EXPECT_EQ(embedImages(3, weights, images, 2).size(), 6u);
  EXPECT_THROW(embedImages(4, weights, images, 2), RunFileError);  // fc2 shaped for D = 3
  auto missing = weights;
  missing.erase(missing.begin() + 2);
  EXPECT_THROW(embedImages(3, missing, images, 2), RunFileError);
  EXPECT_THROW(embedImages(3, weights, images, 3), std::invalid_argument);
}

TEST(Environment, Versions) {
  EXPECT_EQ(torchVersion().rfind("1.", 0) == 0 || torchVersion().rfind("2.", 0) == 0, true);
  EXPECT_FALSE(centroidVersion().empty());
  tuneAllocator();
}

}  // namespace
}  // namespace centroid
