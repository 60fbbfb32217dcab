// Clustering metrics on hand-worked tables. Expected values were derived by hand (shown below)
// and cross-checked with a throw-away python3 script using the textbook formulas (natural log,
// pair counts via C(n,2), brute-force best one-to-one map), not scikit-learn's code path.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

#include "core/metrics/Metrics.h"

namespace centroid {
namespace {

constexpr double kTol = 1e-12;

Metrics score(const std::vector<std::int32_t>& clusters, const std::vector<std::uint8_t>& labels, int k,
              int classes) {
  return evaluate(contingency(clusters, labels, k, classes));
}

TEST(Metrics, ContingencyCountsEveryPair) {
  const Contingency t = contingency({0, 0, 1, 2, 2, 2}, {1, 1, 0, 0, 1, 1}, 3, 2);
  EXPECT_EQ(t.at(0, 1), 2);
  EXPECT_EQ(t.at(1, 0), 1);
  EXPECT_EQ(t.at(2, 0), 1);
  EXPECT_EQ(t.at(2, 1), 2);
  EXPECT_EQ(t.at(0, 0), 0);
  EXPECT_EQ(t.clusterSize(2), 3);
  EXPECT_EQ(t.total(), 6);
}

TEST(Metrics, PerfectClusteringScoresOne) {
  const Metrics m = score({0, 0, 1, 1, 2, 2}, {0, 0, 1, 1, 2, 2}, 3, 3);
  EXPECT_DOUBLE_EQ(m.seedPurity, 1.0);
  EXPECT_DOUBLE_EQ(m.purity, 1.0);
  EXPECT_NEAR(m.nmi, 1.0, kTol);
  EXPECT_DOUBLE_EQ(m.ari, 1.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
  EXPECT_EQ(m.nonEmptyClusters, 3);
}

TEST(Metrics, PermutedClusterIdsChangeNothing) {
  // Cluster ids are arbitrary names: 2 -> class 0, 0 -> class 1, 1 -> class 2 is still perfect.
  const Metrics m = score({2, 2, 0, 0, 1, 1}, {0, 0, 1, 1, 2, 2}, 3, 3);
  EXPECT_DOUBLE_EQ(m.seedPurity, 1.0);
  EXPECT_DOUBLE_EQ(m.purity, 1.0);
  EXPECT_NEAR(m.nmi, 1.0, kTol);
  EXPECT_DOUBLE_EQ(m.ari, 1.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
}

TEST(Metrics, AllPointsInOneClusterOfMany) {
  // K = 3 but everything lands in cluster 0; classes 0,1,2 twice each.
  // seedPurity ignores the two empty clusters: 2/6. purity 2/6, best map 2/6.
  // NMI: the clustering has zero entropy, so MI = 0 -> 0 (sklearn returns 0, not NaN).
  // ARI: sum C(n_kc,2) = 3, rows C(6,2) = 15, cols 3*C(2,2) = 3, pairs 15:
  //      expected 15*3/15 = 3, max (15+3)/2 = 9 -> (3-3)/(9-3) = 0.
  const Metrics m = score({0, 0, 0, 0, 0, 0}, {0, 0, 1, 1, 2, 2}, 3, 3);
  EXPECT_DOUBLE_EQ(m.seedPurity, 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.purity, 1.0 / 3);
  EXPECT_DOUBLE_EQ(m.nmi, 0.0);
  EXPECT_DOUBLE_EQ(m.ari, 0.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0 / 3);
  EXPECT_EQ(m.nonEmptyClusters, 1);
}

TEST(Metrics, BothLabelingsTrivialIsAPerfectMatch) {
  // sklearn's special case: one class and one (non-empty) cluster -> NMI = ARI = 1.
  const Metrics m = score({1, 1, 1}, {4, 4, 4}, 3, 5);
  EXPECT_DOUBLE_EQ(m.nmi, 1.0);
  EXPECT_DOUBLE_EQ(m.ari, 1.0);
  EXPECT_DOUBLE_EQ(m.purity, 1.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 1.0);
}

TEST(Metrics, OneClassManyClusters) {
  // labels trivial, clusters not: sklearn NMI([0,0,0,0],[0,1,2,3]) = 0 and ARI = 0.
  const Metrics m = score({0, 1, 2, 3}, {0, 0, 0, 0}, 4, 1);
  EXPECT_DOUBLE_EQ(m.nmi, 0.0);
  EXPECT_DOUBLE_EQ(m.ari, 0.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.25);
  EXPECT_DOUBLE_EQ(m.seedPurity, 1.0);
}

TEST(Metrics, MoreClustersThanClasses) {
  // clusters {0,0 | 1 | 2,2 | 3} over classes {0,0,0 | 1,1,1}: every cluster is pure.
  // ACC: only two clusters can be mapped: 2 + 2 of 6 = 2/3 (the others count as wrong).
  // MI = 1/3 ln2 + 1/6 ln2 + 1/3 ln2 + 1/6 ln2 = ln2; H(classes) = ln2;
  // H(clusters) = 2/3 ln3 + 1/3 ln6 = ln3 + 1/3 ln2 -> NMI = 6 ln2 / (4 ln2 + 3 ln3).
  // ARI: cells 2, rows 2, cols 6, pairs 15: expected 0.8, max 4 -> 1.2/3.2 = 3/8.
  const Metrics m = score({0, 0, 1, 2, 2, 3}, {0, 0, 0, 1, 1, 1}, 4, 2);
  EXPECT_DOUBLE_EQ(m.seedPurity, 1.0);
  EXPECT_DOUBLE_EQ(m.purity, 1.0);
  EXPECT_NEAR(m.nmi, 6 * std::log(2.0) / (4 * std::log(2.0) + 3 * std::log(3.0)), kTol);
  EXPECT_NEAR(m.ari, 3.0 / 8, kTol);
  EXPECT_DOUBLE_EQ(m.accuracy, 2.0 / 3);
  EXPECT_EQ(m.nonEmptyClusters, 4);
}

TEST(Metrics, FewerClustersThanClasses) {
  // clusters {0,0,0,0 | 1,1} over classes {0,0 | 1,1 | 2,2}.
  // seedPurity (2/4 + 1)/2 = 3/4; purity (2+2)/6; ACC 2/3 (one class is left unmatched).
  // MI = 2/3 ln(3/2) + 1/3 ln3 = ln3 - 2/3 ln2; H(classes) = ln3; H(clusters) = ln3 - 2/3 ln2
  // -> NMI = (3 ln3 - 2 ln2) / (3 ln3 - ln2).
  // ARI: cells 3, rows 6+1 = 7, cols 3, pairs 15: expected 1.4, max 5 -> 1.6/3.6 = 4/9.
  const Metrics m = score({0, 0, 0, 0, 1, 1}, {0, 0, 1, 1, 2, 2}, 2, 3);
  EXPECT_DOUBLE_EQ(m.seedPurity, 0.75);
  EXPECT_DOUBLE_EQ(m.purity, 2.0 / 3);
  EXPECT_NEAR(m.nmi, (3 * std::log(3.0) - 2 * std::log(2.0)) / (3 * std::log(3.0) - std::log(2.0)), kTol);
  EXPECT_NEAR(m.ari, 4.0 / 9, kTol);
  EXPECT_DOUBLE_EQ(m.accuracy, 2.0 / 3);
}

TEST(Metrics, EmptyClusterIsIgnoredBySeedPurityOnly) {
  // K = 3, cluster 1 empty: clusters {0,0,0 | - | 2,2}, classes {0,0,1 | 1,1}.
  // seedPurity = (2/3 + 1) / 2 = 5/6 (scoring the empty cluster 0 would give 5/9).
  // MI = 4/5 ln(5/3) + 1/5 ln(5/9) = 0.2911; H(clusters) = H(classes) = 0.6730 -> 0.43254;
  // ARI: cells 1+1 = 2, rows 3+1, cols 1+3, pairs 10: expected 1.6, max 4 -> 0.4/2.4 = 1/6.
  const Metrics m = score({0, 0, 0, 2, 2}, {0, 0, 1, 1, 1}, 3, 2);
  EXPECT_DOUBLE_EQ(m.seedPurity, 5.0 / 6);
  EXPECT_DOUBLE_EQ(m.purity, 4.0 / 5);
  EXPECT_NEAR(m.nmi, 0.4325380677663126, 1e-12);
  EXPECT_NEAR(m.ari, 1.0 / 6, kTol);
  EXPECT_DOUBLE_EQ(m.accuracy, 4.0 / 5);
  EXPECT_EQ(m.nonEmptyClusters, 2);

  const auto rows = clusterRows(contingency({0, 0, 0, 2, 2}, {0, 0, 1, 1, 1}, 3, 2));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].size, 3);
  EXPECT_EQ(rows[0].majorityLabel, 0);
  EXPECT_DOUBLE_EQ(rows[0].purity, 2.0 / 3);
  EXPECT_EQ(rows[1].cluster, 1);
  EXPECT_EQ(rows[1].size, 0);
  EXPECT_EQ(rows[1].majorityLabel, -1);
  EXPECT_DOUBLE_EQ(rows[1].purity, 0.0);
  EXPECT_EQ(rows[2].majorityLabel, 1);
  EXPECT_DOUBLE_EQ(rows[2].purity, 1.0);
}

TEST(Metrics, HandWorkedExample) {
  // Table (rows = clusters, cols = classes), N = 9:
  //   k0: 2 0 0      row sums a = 2 3 4, col sums b = 3 3 3
  //   k1: 1 2 0
  //   k2: 0 1 3
  // MI = sum n/N ln(N n / (a b)) = 2/9 ln3 + 1/9 ln1 + 2/9 ln2 + 1/9 ln(3/4) + 1/3 ln(9/4)
  //    = ln3 - 2/3 ln2.
  // H(classes) = ln3; H(clusters) = ln9 - (2 ln2 + 3 ln3 + 4 ln4)/9 = 5/3 ln3 - 10/9 ln2.
  // NMI = MI / ((H + H)/2) = (9 ln3 - 6 ln2) / (12 ln3 - 5 ln2) = 0.5895098274473048.
  // ARI: sum C(n,2) = 1+1+3 = 5; sum C(a,2) = 1+3+6 = 10; sum C(b,2) = 9; C(9,2) = 36;
  //      expected 10*9/36 = 2.5, max (10+9)/2 = 9.5 -> (5-2.5)/(9.5-2.5) = 5/14.
  // seedPurity (1 + 2/3 + 3/4)/3 = 29/36; purity and ACC (2+2+3)/9 = 7/9.
  const Metrics m = score({0, 0, 1, 1, 1, 2, 2, 2, 2}, {0, 0, 0, 1, 1, 1, 2, 2, 2}, 3, 3);
  EXPECT_NEAR(m.nmi, (9 * std::log(3.0) - 6 * std::log(2.0)) / (12 * std::log(3.0) - 5 * std::log(2.0)),
              kTol);
  EXPECT_NEAR(m.nmi, 0.5895098274473048, kTol);
  EXPECT_NEAR(m.ari, 5.0 / 14, kTol);
  EXPECT_NEAR(m.seedPurity, 29.0 / 36, kTol);
  EXPECT_DOUBLE_EQ(m.purity, 7.0 / 9);
  EXPECT_DOUBLE_EQ(m.accuracy, 7.0 / 9);
}

TEST(Metrics, ScikitLearnDocExamples) {
  // From the docstrings: ARI([0,0,1,2],[0,0,1,1]) = 0.57..., = 4/7; v-measure (= arithmetic
  // NMI) 0.8; ARI([0,0,1,1],[0,1,0,1]) = -0.5 and its NMI is 0 (independent labelings).
  Metrics m = score({0, 0, 1, 1}, {0, 0, 1, 2}, 2, 3);
  EXPECT_NEAR(m.ari, 4.0 / 7, kTol);
  EXPECT_NEAR(m.nmi, 0.8, kTol);
  m = score({0, 1, 0, 1}, {0, 0, 1, 1}, 2, 2);
  EXPECT_NEAR(m.ari, -0.5, kTol);
  EXPECT_DOUBLE_EQ(m.nmi, 0.0);
}

TEST(Metrics, LargeTableDoesNotOverflow) {
  // N = 70000: ARI's pair products reach ~1e19, past int64. Expected values from exact
  // rational arithmetic: ARI = 6220900324440 / 13026358338889.
  const int n = 70000;
  std::vector<std::int32_t> a(n);
  std::vector<std::uint8_t> l(n);
  for (int i = 0; i < n; ++i) {
    a[i] = i % 7;
    l[i] = static_cast<std::uint8_t>(i % 3 ? i % 7 : (i / 7) % 10);
  }
  const Metrics m = score(a, l, 7, 10);
  EXPECT_NEAR(m.ari, 6220900324440.0 / 13026358338889.0, 1e-12);
  EXPECT_NEAR(m.nmi, 0.4434624841805082, 1e-10);
  EXPECT_NEAR(m.purity, 0.7, 1e-12);
  EXPECT_NEAR(m.accuracy, 0.7, 1e-12);
}

TEST(Metrics, InvalidInputThrows) {
  EXPECT_THROW(contingency({0, 1}, {0}, 2, 2), std::invalid_argument);       // size mismatch
  EXPECT_THROW(contingency({0, 2}, {0, 1}, 2, 2), std::invalid_argument);    // cluster >= K
  EXPECT_THROW(contingency({0, -1}, {0, 1}, 2, 2), std::invalid_argument);   // negative cluster
  EXPECT_THROW(contingency({0, 1}, {0, 10}, 2, 10), std::invalid_argument);  // label >= classes
  EXPECT_THROW(contingency({}, {}, 0, 2), std::invalid_argument);            // no clusters
  Contingency bad;
  bad.clusters = 2;
  bad.classes = 2;
  bad.counts = {1, 2, 3};
  EXPECT_THROW(nmi(bad), std::invalid_argument);
  EXPECT_THROW(hungarian({1, 2, 3}, 2, 2), std::invalid_argument);
  EXPECT_THROW(hungarian({1, std::nan(""), 3, 4}, 2, 2), std::invalid_argument);
}

TEST(Metrics, EmptyInputIsDefined) {
  // No points: sklearn calls two empty labelings a perfect match; the shares have no data.
  const Metrics m = score({}, {}, 3, 10);
  EXPECT_DOUBLE_EQ(m.nmi, 1.0);
  EXPECT_DOUBLE_EQ(m.ari, 1.0);
  EXPECT_DOUBLE_EQ(m.purity, 0.0);
  EXPECT_DOUBLE_EQ(m.accuracy, 0.0);
  EXPECT_EQ(m.nonEmptyClusters, 0);
}

double assignmentCost(const std::vector<double>& cost, int cols, const std::vector<int>& match) {
  double s = 0;
  for (size_t r = 0; r < match.size(); ++r)
    if (match[r] >= 0) s += cost[r * cols + match[r]];
  return s;
}

TEST(Hungarian, KnownSquareMatrix) {
  // Classic example: optimum 1 + 2 + 2 = 5 with rows -> columns 1, 0, 2.
  const std::vector<double> cost = {4, 1, 3, 2, 0, 5, 3, 2, 2};
  EXPECT_EQ(hungarian(cost, 3, 3), (std::vector<int>{1, 0, 2}));
}

TEST(Hungarian, WideAndTallMatrices) {
  // 2 x 3: rows take columns 1 and 2 (cost 1 + 1); column 0 stays free.
  EXPECT_EQ(hungarian({10, 1, 7, 2, 9, 1}, 2, 3), (std::vector<int>{1, 2}));
  // 3 x 2 (the transpose): row 0 is left out.
  EXPECT_EQ(hungarian({10, 2, 1, 9, 7, 1}, 3, 2), (std::vector<int>{-1, 0, 1}));
  EXPECT_EQ(hungarian({}, 0, 4), std::vector<int>{});
  EXPECT_EQ(hungarian({}, 2, 0), (std::vector<int>{-1, -1}));
}

TEST(Hungarian, MatchesBruteForceOnRandomMatrices) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> value(-20, 20);
  for (int trial = 0; trial < 200; ++trial) {
    const int rows = 1 + trial % 6;
    const int cols = 1 + (trial / 6) % 6;
    std::vector<double> cost(static_cast<size_t>(rows) * cols);
    for (double& c : cost) c = value(rng);
    const std::vector<int> match = hungarian(cost, rows, cols);
    // Each column used at most once, min(rows, cols) rows matched.
    std::vector<int> used(cols, 0);
    int matched = 0;
    for (int c : match)
      if (c >= 0) {
        ++used[c];
        ++matched;
      }
    ASSERT_EQ(matched, std::min(rows, cols));
    ASSERT_TRUE(std::all_of(used.begin(), used.end(), [](int u) { return u <= 1; }));
    // Brute force over column permutations (rows <= cols) or row permutations.
    double best = std::numeric_limits<double>::infinity();
    const int big = std::max(rows, cols);
    std::vector<int> perm(big);
    std::iota(perm.begin(), perm.end(), 0);
    do {
      double s = 0;
      for (int i = 0; i < std::min(rows, cols); ++i)
        s += rows <= cols ? cost[static_cast<size_t>(i) * cols + perm[i]]
                          : cost[static_cast<size_t>(perm[i]) * cols + i];
      best = std::min(best, s);
    } while (std::next_permutation(perm.begin(), perm.end()));
    ASSERT_DOUBLE_EQ(assignmentCost(cost, cols, match), best) << rows << " x " << cols << ", trial " << trial;
  }
}

TEST(Hungarian, LargeMatrixIsFast) {
  // O(n^3): 300 x 300 takes milliseconds; an exponential search would never finish.
  const int n = 300;
  std::vector<double> cost(static_cast<size_t>(n) * n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      cost[static_cast<size_t>(i) * n + j] = (i == (j + 17) % n) ? 0 : 1 + (i * 31 + j * 7) % 13;
  const std::vector<int> match = hungarian(cost, n, n);
  EXPECT_DOUBLE_EQ(assignmentCost(cost, n, match), 0.0);
}

}  // namespace
}  // namespace centroid
