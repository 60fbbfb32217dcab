// k-means, PCA and the baseline rows: exact recovery on separated blobs, determinism, and the
// published MNIST figures (k-means on pixels NMI ~0.50, PCA(3)+k-means ~0.35) on 10k images.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <torch/torch.h>

#include "core/model/Baselines.h"
#include "core/data/Dataset.h"
#include "core/metrics/Metrics.h"

namespace centroid {
namespace {

std::vector<std::int32_t> toVector(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kInt32).contiguous();
  return {c.data_ptr<std::int32_t>(), c.data_ptr<std::int32_t>() + c.numel()};
}

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Five tight Gaussian blobs far apart in 20-D, 200 points each, shuffled.
void makeBlobs(torch::Tensor& x, std::vector<std::uint8_t>& labels) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(123);
  const int k = 5, per = 200, d = 20;
  const torch::Tensor centres = torch::randn({k, d}, gen) * 10;
  torch::Tensor lab = torch::arange(k).repeat_interleave(per);
  lab = lab.index_select(0, torch::randperm(k * per, gen));
  x = centres.index_select(0, lab) + 0.1 * torch::randn({k * per, d}, gen);
  labels.resize(k * per);
  for (int i = 0; i < k * per; ++i) labels[i] = static_cast<std::uint8_t>(lab[i].item<std::int64_t>());
}

TEST(KMeans, RecoversSeparatedBlobsExactly) {
  torch::Tensor x;
  std::vector<std::uint8_t> labels;
  makeBlobs(x, labels);
  const KMeansResult r = kmeans(x, 5, /*seed=*/1, /*restarts=*/2);
  ASSERT_EQ(r.centroids.sizes(), (torch::IntArrayRef{5, 20}));
  ASSERT_EQ(r.assignments.size(0), 1000);
  const Metrics m = evaluate(contingency(toVector(r.assignments), labels, 5, 5));
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  EXPECT_NEAR(m.nmi, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.ari, 1.0);
  // Inertia is the noise only: about 1000 points x 20 dims x 0.1^2.
  EXPECT_NEAR(r.inertia, 200.0, 30.0);
}

TEST(KMeans, SameSeedSameResult) {
  torch::Tensor x;
  std::vector<std::uint8_t> labels;
  makeBlobs(x, labels);
  x = x + torch::randn(x.sizes(), at::make_generator<at::CPUGeneratorImpl>(5)) * 5;  // overlapping now
  torch::manual_seed(1);
  const KMeansResult a = kmeans(x, 7, 42, 3);
  torch::manual_seed(999);  // the global seed must not matter
  const KMeansResult b = kmeans(x, 7, 42, 3);
  EXPECT_TRUE(torch::equal(a.assignments, b.assignments));
  EXPECT_TRUE(torch::equal(a.centroids, b.centroids));
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(KMeans, RejectsBadArguments) {
  const torch::Tensor x = torch::rand({10, 3});
  EXPECT_THROW(kmeans(x, 0, 0), std::invalid_argument);
  EXPECT_THROW(kmeans(x, 11, 0), std::invalid_argument);
  EXPECT_THROW(kmeans(x, 2, 0, 0), std::invalid_argument);
  EXPECT_THROW(kmeans(torch::rand({10}), 2, 0), std::invalid_argument);
  EXPECT_THROW(pcaProject(x, 4), std::invalid_argument);
  EXPECT_THROW(computeBaselines(x, {0, 1}, 2, 0), std::invalid_argument);
}

TEST(KMeans, DuplicatePointsLeaveNoClusterEmpty) {
  // Three distinct points, k = 3, many duplicates: k-means++ and empty-cluster relocation
  // must still give each distinct point its own cluster.
  const torch::Tensor x =
      torch::tensor({0.f, 0.f, 0.f, 0.f, 0.f, 1.f, 5.f, 5.f, 5.f}).reshape({9, 1}).contiguous();
  const KMeansResult r = kmeans(x, 3, 0, 1);
  EXPECT_EQ(std::get<0>(at::_unique(r.assignments)).numel(), 3);
  EXPECT_NEAR(r.inertia, 0.0, 1e-9);
}

TEST(Pca, FindsTheDominantAxesWithAFixedSign) {
  // Data stretched along (1,1,0)/sqrt2 (sd 10) and z (sd 3), little along (1,-1,0).
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  const torch::Tensor z = torch::randn({2000, 3}, gen) * torch::tensor({10.f, 3.f, 0.1f});
  const float s = 1.0f / std::sqrt(2.0f);
  const torch::Tensor basis = torch::tensor({s, s, 0.f, 0.f, 0.f, 1.f, s, -s, 0.f}).reshape({3, 3});
  const torch::Tensor x = torch::mm(z, basis) + 7;  // offset: pcaProject must centre
  const torch::Tensor p = pcaProject(x, 2);
  ASSERT_EQ(p.sizes(), (torch::IntArrayRef{2000, 2}));
  EXPECT_NEAR(p.mean(0).abs().max().item<float>(), 0.0f, 1e-3f);
  // Up to sign, the projections are the generating coordinates; the sign rule makes the
  // largest loading positive: for axis 1 both loadings are +-s (same sign), for axis 2 +z.
  const float c0 = torch::cosine_similarity(p.select(1, 0), z.select(1, 0), 0).item<float>();
  const float c1 = torch::cosine_similarity(p.select(1, 1), z.select(1, 1), 0).item<float>();
  EXPECT_GT(c0, 0.999f);
  EXPECT_GT(c1, 0.999f);
  EXPECT_TRUE(torch::equal(p, pcaProject(x, 2)));
}

TEST(Baselines, MnistFiguresMatchThePublishedOnes) {
  torch::set_num_threads(2);
  // MNIST from the default data folder (or $CENTROID_DATA_DIR), as the other real-data tests.
  const Dataset ds = loadDataset("mnist", "", /*maxTrain=*/10000, /*maxTest=*/1);
  const torch::Tensor images = ds.train.images.reshape({ds.train.size(), -1});
  const std::vector<std::uint8_t>& labels = ds.train.rawLabels;
  ASSERT_EQ(labels.size(), 10000u);

  auto t0 = std::chrono::steady_clock::now();
  const KMeansResult pixels = kmeans(images, 10, /*seed=*/0, /*restarts=*/2);
  const Metrics mp = evaluate(contingency(toVector(pixels.assignments), labels, 10, 10));
  const double tPixels = secondsSince(t0);

  t0 = std::chrono::steady_clock::now();
  const torch::Tensor projected = pcaProject(images, 3);
  const KMeansResult pca = kmeans(projected, 10, /*seed=*/0, /*restarts=*/2);
  const Metrics mq = evaluate(contingency(toVector(pca.assignments), labels, 10, 10));
  const double tPca = secondsSince(t0);

  std::printf("k-means on pixels: NMI %.4f ACC %.4f ARI %.4f purity %.4f seedPurity %.4f (%.1f s)\n", mp.nmi,
              mp.accuracy, mp.ari, mp.purity, mp.seedPurity, tPixels);
  std::printf("PCA(3) + k-means:  NMI %.4f ACC %.4f ARI %.4f purity %.4f seedPurity %.4f (%.1f s)\n", mq.nmi,
              mq.accuracy, mq.ari, mq.purity, mq.seedPurity, tPca);
  EXPECT_GE(mp.nmi, 0.42);
  EXPECT_LE(mp.nmi, 0.56);
  EXPECT_GE(mq.nmi, 0.28);
  EXPECT_LE(mq.nmi, 0.42);
  EXPECT_EQ(mp.nonEmptyClusters, 10);
  EXPECT_EQ(mq.nonEmptyClusters, 10);
}

TEST(Baselines, RowsAreNamedAndScored) {
  // Small and fast: the naming and wiring, not the figures (those are checked above).
  torch::Tensor x;
  std::vector<std::uint8_t> labels;
  makeBlobs(x, labels);
  const std::vector<BaselineRow> rows = computeBaselines(x.reshape({1000, 4, 5}), labels, 5, 0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].name, "k-means on pixels");
  EXPECT_EQ(rows[1].name, "PCA(3) + k-means");
  EXPECT_DOUBLE_EQ(rows[0].metrics.accuracy, 1.0);
  EXPECT_GT(rows[1].metrics.accuracy, 0.9);  // 3 of 20 dims still separate 5 distant blobs
}

}  // namespace
}  // namespace centroid
