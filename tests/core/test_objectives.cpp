// The objective interface and the friendly objective's parts: loss terms on hand-computed cases
// and against finite differences, the neighbour graph, the distortions, the registry, and the
// trainer driving a fake objective.
#include <gtest/gtest.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "core/objectives/Objective.h"
#include "core/objectives/Objectives.h"
#include "core/objectives/friendly/Augment.h"
#include "core/objectives/friendly/FriendlyObjective.h"
#include "core/objectives/friendly/NeighbourGraph.h"
#include "core/training/Trainer.h"

namespace centroid {
namespace {

torch::Tensor t2(std::vector<double> v, std::int64_t rows, std::int64_t cols) {
  return torch::tensor(v, torch::kFloat64).view({rows, cols});
}

// Central differences of f at x against autograd, every element.
void expectGradientMatches(const std::function<torch::Tensor(const torch::Tensor&)>& f, torch::Tensor x) {
  x = x.to(torch::kFloat64).detach().requires_grad_(true);
  const torch::Tensor analytic = torch::autograd::grad({f(x)}, {x})[0];
  const double h = 1e-6;
  auto flat = x.detach().clone().flatten();
  for (std::int64_t i = 0; i < flat.numel(); ++i) {
    auto plus = flat.clone(), minus = flat.clone();
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (f(plus.view_as(x)).item<double>() - f(minus.view_as(x)).item<double>()) / (2 * h);
    EXPECT_NEAR(analytic.flatten()[i].item<double>(), numeric, 1e-6 + 1e-5 * std::abs(numeric))
        << "element " << i;
  }
}

TEST(FriendlyTerms, SoftAssignmentsByHand) {
  // z at 0; centroids at distance 1 and 2 (squared 1 and 4), temperature 1: softmax(-1, -4).
  const torch::Tensor p = softAssignments(t2({0, 0}, 1, 2), t2({1, 0, 0, 2}, 2, 2), 1.0);
  const double e1 = std::exp(-1.0), e4 = std::exp(-4.0);
  EXPECT_NEAR(p[0][0].item<double>(), e1 / (e1 + e4), 1e-12);
  EXPECT_NEAR(p[0][1].item<double>(), e4 / (e1 + e4), 1e-12);
  // Temperature 2 halves the exponents.
  const torch::Tensor q = softAssignments(t2({0, 0}, 1, 2), t2({1, 0, 0, 2}, 2, 2), 2.0);
  EXPECT_NEAR(q[0][0].item<double>(), std::exp(-0.5) / (std::exp(-0.5) + std::exp(-2.0)), 1e-12);
}

TEST(FriendlyTerms, AgreementByHand) {
  // Row 1: both sure of cluster 0 -> -log 1 = 0. Row 2: (0.5, 0.5) and (0.2, 0.8) -> -log 0.5.
  const torch::Tensor pa = t2({1, 0, 0.5, 0.5}, 2, 2), pn = t2({1, 0, 0.2, 0.8}, 2, 2);
  EXPECT_NEAR(agreementLoss(pa, pn).item<double>(), -std::log(0.5) / 2, 1e-12);
}

TEST(FriendlyTerms, NegativeEntropyOfTheMean) {
  // Two points sure of different clusters: the mean is uniform, the value -log 2 (its minimum).
  EXPECT_NEAR(negativeEntropyOfMean(t2({1, 0, 0, 1}, 2, 2)).item<double>(), -std::log(2.0), 1e-12);
  // Both in one cluster: a giant cluster, the value 0 (its maximum).
  EXPECT_NEAR(negativeEntropyOfMean(t2({1, 0, 1, 0}, 2, 2)).item<double>(), 0.0, 1e-7);
}

TEST(FriendlyTerms, CauchyInfoNceByHand) {
  // a = (0), (3); b = (0), (3) in 1-D. Logits -log(1 + d^2): [[0, -log 10], [-log 10, 0]].
  const torch::Tensor a = t2({0, 3}, 2, 1);
  const double l = -std::log(10.0);
  const double rowLoss = -(0 - std::log(std::exp(0) + std::exp(l)));  // each row, each direction
  EXPECT_NEAR(cauchyInfoNce(a, a).item<double>(), rowLoss, 1e-12);
}

TEST(FriendlyTerms, GradientsMatchFiniteDifferences) {
  torch::manual_seed(3);
  const torch::Tensor mu = torch::randn({4, 3}, torch::kFloat64);
  const torch::Tensor zn = torch::randn({5, 3}, torch::kFloat64);
  const torch::Tensor pn = softAssignments(zn, mu, 0.7);
  expectGradientMatches(
      [&](const torch::Tensor& z) { return agreementLoss(softAssignments(z, mu, 0.7), pn); },
      torch::randn({5, 3}));
  expectGradientMatches(
      [&](const torch::Tensor& m) { return negativeEntropyOfMean(softAssignments(zn, m, 0.7)); },
      torch::randn({4, 3}));
  expectGradientMatches([&](const torch::Tensor& z) { return cauchyInfoNce(z, zn); }, torch::randn({5, 3}));
}

TEST(NeighbourGraph, ExactNeighboursOnALine) {
  // Points 0, 1, 3, 7 on a line: neighbours of 0 are 1 then 3; of 7 are 3 then 1.
  const torch::Tensor x = torch::tensor({0.f, 1.f, 3.f, 7.f}).view({4, 1});
  for (const std::int64_t chunk : {1, 3, 100}) {  // chunking must not change the result
    const torch::Tensor nb = nearestNeighbours(x, 2, chunk);
    EXPECT_EQ(nb[0][0].item<long>(), 1);
    EXPECT_EQ(nb[0][1].item<long>(), 2);
    EXPECT_EQ(nb[3][0].item<long>(), 2);
    EXPECT_EQ(nb[3][1].item<long>(), 1);
    EXPECT_EQ(nb[2][0].item<long>(), 1);
  }
  const torch::Tensor labels = torch::tensor({0, 0, 1, 1});
  // Pairs: 0->1 (same), 0->2, 1->0 (same), 1->2, 2->1, 2->0, 3->2 (same), 3->1: 3 of 8 agree.
  EXPECT_NEAR(neighbourAgreement(nearestNeighbours(x, 2), labels), 3.0 / 8, 1e-12);
  EXPECT_THROW(nearestNeighbours(x, 4), std::invalid_argument);
}

TEST(Augment, NoDistortionKeepsTheImageAndDrawsAreSeeded) {
  torch::manual_seed(0);
  const torch::Tensor img = torch::rand({3, 1, 28, 28});
  at::Generator g1 = at::make_generator<at::CPUGeneratorImpl>(7),
                g2 = at::make_generator<at::CPUGeneratorImpl>(7);
  const torch::Tensor same = augment(img, AugmentOptions{0, 0, 0}, g1);
  EXPECT_LT((same - img).abs().max().item<double>(), 1e-5);
  const torch::Tensor a = augment(img, AugmentOptions{}, g1), b = augment(img, AugmentOptions{}, g2);
  const torch::Tensor b2 = augment(img, AugmentOptions{}, g2);
  // g2 is one draw behind g1: its second draw is g1's second.
  EXPECT_TRUE(torch::equal(a, b2));
  EXPECT_FALSE(torch::equal(b, b2));
  EXPECT_GT((a - img).abs().max().item<double>(), 0.05);  // distorted
}

TEST(Augment, ShiftStaysWithinItsPixels) {
  // One lit pixel, shifts only: over 200 draws its centre of mass moves by at most `shift`
  // pixels, and by more than one pixel in some.
  torch::Tensor img = torch::zeros({200, 1, 28, 28});
  img.index_put_({torch::indexing::Slice(), 0, 14, 14}, 1.0);
  at::Generator g = at::make_generator<at::CPUGeneratorImpl>(1);
  const torch::Tensor out = augment(img, AugmentOptions{0, 0, 2}, g);
  const torch::Tensor cols = torch::arange(28, torch::kFloat32);
  const torch::Tensor mass = out.sum({1, 2, 3});
  const torch::Tensor cx = (out.sum({1, 2}) * cols).sum(1) / mass;
  EXPECT_LE((cx - 14).abs().max().item<double>(), 2.0 + 1e-4);
  EXPECT_GT((cx - 14).abs().max().item<double>(), 1.0);
}

namespace {
// x drift of the ink per row (its second moment in x and y over that in y): a digit's slant.
double slantOf(const torch::Tensor& img) {
  const torch::Tensor x = img.view({28, 28});
  const torch::Tensor ys = torch::arange(28, torch::kFloat32).view({28, 1});
  const torch::Tensor xs = torch::arange(28, torch::kFloat32).view({1, 28});
  const double m = x.sum().item<double>();
  const double cy = (x * ys).sum().item<double>() / m, cx = (x * xs).sum().item<double>() / m;
  const double myy = (x * (ys - cy) * (ys - cy)).sum().item<double>() / m;
  return (x * (xs - cx) * (ys - cy)).sum().item<double>() / m / myy;
}

// A bar from (row 4, column 14 - 10 s) to (row 23, column 14 + 10 s), two pixels wide.
torch::Tensor slantedBar(double s) {
  torch::Tensor img = torch::zeros({1, 1, 28, 28});
  for (int r = 4; r < 24; ++r) {
    const int c = static_cast<int>(std::lround(14 + s * (r - 13.5)));
    img.index_put_({0, 0, r, c}, 1.0);
    img.index_put_({0, 0, r, c + 1}, 1.0);
  }
  return img;
}
}  // namespace

TEST(Augment, DeskewStraightensASlantedStrokeAndKeepsItsInk) {
  const torch::Tensor bars = torch::cat({slantedBar(0.4), slantedBar(-0.3), slantedBar(0)});
  const torch::Tensor out = deskew(bars);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(slantOf(out[i]), 0.0, 0.03) << "bar " << i << " was " << slantOf(bars[i]);
    EXPECT_NEAR(out[i].sum().item<double>(), bars[i].sum().item<double>(),
                0.1 * bars[i].sum().item<double>());
  }
  EXPECT_NEAR(slantOf(bars[0]), 0.4, 0.03);
  EXPECT_TRUE(torch::allclose(out[2], bars[2], 1e-5, 1e-5));  // upright stays as it is
}

TEST(Augment, ShearSlantsWithinItsRange) {
  const torch::Tensor bars = slantedBar(0).expand({200, 1, 28, 28}).contiguous();
  at::Generator g = at::make_generator<at::CPUGeneratorImpl>(3);
  const torch::Tensor out = augment(bars, AugmentOptions{0, 0, 0, 0.3}, g);
  double most = 0;
  for (int i = 0; i < 200; ++i) {
    const double s = std::abs(slantOf(out[i]));
    EXPECT_LE(s, 0.3 + 0.03) << i;
    most = std::max(most, s);
  }
  EXPECT_GT(most, 0.2);
  EXPECT_EQ(FriendlyOptions::from({{"shear", 0.3}, {"deskew", 1}}).distortion.shear, 0.3);
  EXPECT_TRUE(FriendlyOptions::from({{"deskew", 1}}).deskew);
  EXPECT_THROW(FriendlyOptions::from({{"shear", -1}}), ConfigError);
}

TEST(Objectives, RegistryNamesDefaultsAndErrors) {
  ASSERT_GE(objectives().size(), 2u);
  EXPECT_STREQ(objectives().front().name, "seed");  // the post's method stays the default
  EXPECT_EQ(TrainConfig{}.objective, "seed");
  const TrainConfig seed = defaultConfig("seed");
  EXPECT_EQ(seed.learningRate, TrainConfig{}.learningRate);
  EXPECT_EQ(seed.maxEpochs, TrainConfig{}.maxEpochs);
  EXPECT_TRUE(seed.objectiveOptions.empty());
  const TrainConfig friendly = defaultConfig("friendly");
  EXPECT_EQ(friendly.objective, "friendly");
  EXPECT_EQ(friendly.objectiveOptions.count("neighbours"), 1u);
  EXPECT_THROW(defaultConfig("nope"), ConfigError);
  // Switching keeps data, view, model size and seed; the training defaults come along.
  TrainConfig mine;
  mine.subset = 777;
  mine.clusters = 12;
  mine.seed = 9;
  const TrainConfig switched = withObjective(mine, "friendly");
  EXPECT_EQ(switched.objective, "friendly");
  EXPECT_EQ(switched.subset, 777);
  EXPECT_EQ(switched.clusters, 12);
  EXPECT_EQ(switched.seed, 9u);
  EXPECT_EQ(switched.learningRate, friendly.learningRate);
  EXPECT_EQ(switched.maxEpochs, friendly.maxEpochs);
  EXPECT_EQ(switched.objectiveOptions, friendly.objectiveOptions);
  EXPECT_EQ(withObjective(switched, "seed").learningRate, TrainConfig{}.learningRate);
  EXPECT_TRUE(withObjective(switched, "seed").objectiveOptions.empty());
  TrainConfig bad = friendly;
  bad.objectiveOptions["no_such_option"] = 1;
  EXPECT_THROW(makeObjective(bad), ConfigError);
  bad = friendly;
  bad.objectiveOptions["temperature"] = -1;
  EXPECT_THROW(makeObjective(bad), ConfigError);
}

// A fake objective: the squared norm of the outputs, pulled towards fixed centroids it reports,
// one learnable scalar, a state it counts batches in, and extra weights.
class FakeObjective : public Objective {
 public:
  explicit FakeObjective(int k, int d)
      : scale_(torch::ones({1}).requires_grad_(true)), centroids_(torch::zeros({k, d})) {
    for (int i = 0; i < k; ++i) centroids_[i][0] = static_cast<float>(i);
  }
  void prepare(Encoder&, const ObjectiveContext& c) override {
    ++prepared;
    trainImages = c.train.size(0);
    c.say("fake preparation");
  }
  std::vector<torch::Tensor> parameters() override { return {scale_}; }
  double learningRate(int epoch, int, int, int, double base) const override { return base / epoch; }
  torch::Tensor loss(Encoder& encoder, const ObjectiveBatch& b) override {
    ++batches;
    seen += b.indices.size(0);
    count_ = count_ + 1;
    if (nanAt == batches) return torch::full({}, std::nan(""));
    return (encoder->forward(b.images) * scale_).pow(2).mean() + (scale_ - 2).pow(2).sum();
  }
  torch::Tensor centroids() const override { return centroids_; }
  std::vector<torch::Tensor> state() const override { return {count_.clone()}; }
  void setState(const std::vector<torch::Tensor>& s) override { count_ = s[0].clone(); }
  std::vector<NamedArray> extraWeights() const override {
    return {{"objective.scale", {1}, {scale_.item<float>()}}};
  }

  int prepared = 0, batches = 0, nanAt = 0;
  std::int64_t seen = 0, trainImages = 0;
  torch::Tensor scale_, centroids_, count_ = torch::zeros({1});
};

TEST(Objectives, TrainerDrivesAnyObjective) {
  TrainConfig c;
  c.subset = 600;
  c.viewTrain = 300;
  c.viewTest = 0;
  c.batchSize = 100;
  c.maxEpochs = 2;
  c.patience = 5;
  c.clusters = 4;
  c.threads = 1;
  auto owned = std::make_unique<FakeObjective>(4, 3);
  FakeObjective* fake = owned.get();
  Trainer trainer(c, std::move(owned));
  // The layout names the objective's weights after the encoder's.
  const std::vector<NamedArray> layout = trainer.weightLayout();
  ASSERT_EQ(layout.back().name, "objective.scale");
  std::vector<EpochFrame> frames;
  std::vector<std::string> notes;
  std::vector<NamedArray> best;
  Trainer::Callbacks cb;
  cb.onEpoch = [&](const EpochFrame& f) { frames.push_back(f); };
  cb.onMessage = [&](const std::string& m) { notes.push_back(m); };
  cb.onBest = [&](int, const std::vector<NamedArray>& w) { best = w; };
  const TrainResult r = trainer.run(cb);
  EXPECT_EQ(r.epochsRun, 2);
  EXPECT_EQ(fake->prepared, 1);
  EXPECT_EQ(fake->trainImages, 600);
  EXPECT_EQ(fake->batches, 12);
  EXPECT_EQ(fake->seen, 1200);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "fake preparation");
  ASSERT_EQ(frames.size(), 2u);
  // The view assigns to the centroids the objective reports.
  EXPECT_EQ(frames[1].centroids, std::vector<float>({0, 0, 0, 1, 0, 0, 2, 0, 0, 3, 0, 0}));
  // The optimiser stepped the objective's own parameter towards 2 (Adam, lr 1e-4 then 5e-5).
  EXPECT_GT(fake->scale_.item<float>(), 1.0f);
  ASSERT_EQ(best.back().name, "objective.scale");
  // A second run continues: no second preparation.
  trainer.run(cb);
  EXPECT_EQ(fake->prepared, 1);
}

TEST(Objectives, NaNLossRestoresTheObjectivesState) {
  TrainConfig c;
  c.subset = 300;
  c.viewTrain = 100;
  c.viewTest = 0;
  c.batchSize = 100;
  c.clusters = 4;
  c.threads = 1;
  auto owned = std::make_unique<FakeObjective>(4, 3);
  FakeObjective* fake = owned.get();
  fake->nanAt = 2;
  Trainer trainer(c, std::move(owned));
  const TrainResult r = trainer.run({});
  EXPECT_EQ(r.status, TrainStatus::Failed);
  EXPECT_NE(r.reason.find("NaN at epoch 1, batch 2"), std::string::npos) << r.reason;
  // Batch 1 counted, batch 2's count undone with its loss.
  EXPECT_EQ(fake->count_.item<float>(), 1.0f);
}

}  // namespace
}  // namespace centroid

namespace centroid {
namespace {

// The method that works against the one that fails, on the same 4,000 real MNIST images, seed
// and view set (1,000 test images neither saw): a small real version of bench_objectives.
// Measured when written: friendly NMI 0.36 after 6 epochs, seed 0.19-0.24 (release build); the
// sanitizer build's arithmetic differs: friendly 0.347, seed 0.252. With shear, the deskewed
// graph and the learning-rate warm-up (session 5): friendly 0.402, seed 0.256 (release).
TEST(Objectives, FriendlyBeatsTheSeedObjectiveOnRealDigits) {
  const auto nmiOf = [](const char* objective, int batch) {
    TrainConfig c = defaultConfig(objective);
    c.subset = 4000;
    c.viewTrain = 0;
    c.viewTest = 1000;
    c.maxEpochs = 6;
    c.patience = 6;
    c.batchSize = batch;
    c.threads = 2;
    c.seed = 3;
    Trainer trainer(c);
    EpochFrame last;
    Trainer::Callbacks cb;
    cb.onEpoch = [&](const EpochFrame& f) { last = f; };
    const TrainResult r = trainer.run(cb);
    EXPECT_EQ(r.epochsRun, 6) << objective << ": " << r.reason;
    return last.metrics.nmi;
  };
  const double seed = nmiOf("seed", 256), friendly = nmiOf("friendly", 64);
  std::cout << "NMI on 1,000 test images: seed " << seed << ", friendly " << friendly << "\n";
  EXPECT_GT(friendly, 0.30);
  EXPECT_GT(friendly, seed + 0.08) << "seed " << seed << ", friendly " << friendly;
  EXPECT_GT(friendly, 1.3 * seed) << "seed " << seed << ", friendly " << friendly;
}

}  // namespace
}  // namespace centroid
