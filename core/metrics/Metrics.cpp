// Clustering metrics against true labels. NMI and ARI follow scikit-learn's
// normalized_mutual_info_score (arithmetic mean) and adjusted_rand_score, special cases included,
// so the figures here can be compared with published Python numbers.
#include "core/metrics/Metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace centroid {

namespace {

// Marginals over the non-empty rows/columns only: scikit-learn builds its contingency table from
// the labels that occur, so an empty cluster (or an absent class) must not count as a "cluster".
struct Marginals {
  std::vector<std::int64_t> rows;  // cluster sizes, K
  std::vector<std::int64_t> cols;  // class sizes, C
  std::int64_t n = 0;
  int nonEmptyRows = 0;
  int nonEmptyCols = 0;
};

Marginals marginals(const Contingency& t) {
  Marginals m;
  m.rows.assign(static_cast<size_t>(t.clusters), 0);
  m.cols.assign(static_cast<size_t>(t.classes), 0);
  for (int k = 0; k < t.clusters; ++k) {
    for (int c = 0; c < t.classes; ++c) {
      const std::int64_t v = t.at(k, c);
      m.rows[k] += v;
      m.cols[c] += v;
      m.n += v;
    }
  }
  for (auto v : m.rows) m.nonEmptyRows += v > 0 ? 1 : 0;
  for (auto v : m.cols) m.nonEmptyCols += v > 0 ? 1 : 0;
  return m;
}

// Entropy in nats of a labeling given its (possibly zero) counts.
double entropy(const std::vector<std::int64_t>& counts, std::int64_t n) {
  if (n <= 0) return 0;
  const double logN = std::log(static_cast<double>(n));
  double h = 0;
  for (auto v : counts) {
    if (v <= 0) continue;
    const double p = static_cast<double>(v) / static_cast<double>(n);
    h -= p * (std::log(static_cast<double>(v)) - logN);
  }
  return h;
}

void checkShape(const Contingency& t) {
  if (t.clusters < 0 || t.classes < 0 ||
      t.counts.size() != static_cast<size_t>(t.clusters) * static_cast<size_t>(t.classes))
    throw std::invalid_argument("contingency: counts hold " + std::to_string(t.counts.size()) +
                                " cells, expected clusters x classes = " + std::to_string(t.clusters) +
                                " x " + std::to_string(t.classes));
}

}  // namespace

std::int64_t Contingency::clusterSize(int k) const {
  std::int64_t s = 0;
  for (int c = 0; c < classes; ++c) s += at(k, c);
  return s;
}

std::int64_t Contingency::total() const {
  std::int64_t s = 0;
  for (auto v : counts) s += v;
  return s;
}

Contingency contingency(const std::vector<std::int32_t>& assignments, const std::vector<std::uint8_t>& labels,
                        int clusters, int classes) {
  if (assignments.size() != labels.size())
    throw std::invalid_argument("metrics: " + std::to_string(assignments.size()) + " assignments but " +
                                std::to_string(labels.size()) + " labels");
  if (clusters < 1)
    throw std::invalid_argument("metrics: need at least one cluster, got " + std::to_string(clusters));
  if (classes < 1)
    throw std::invalid_argument("metrics: need at least one class, got " + std::to_string(classes));
  Contingency t;
  t.clusters = clusters;
  t.classes = classes;
  t.counts.assign(static_cast<size_t>(clusters) * classes, 0);
  for (size_t i = 0; i < labels.size(); ++i) {
    const int k = assignments[i];
    const int c = labels[i];
    if (k < 0 || k >= clusters)
      throw std::invalid_argument("metrics: point " + std::to_string(i) + " is assigned to cluster " +
                                  std::to_string(k) + ", outside [0, " + std::to_string(clusters) + ")");
    if (c >= classes)
      throw std::invalid_argument("metrics: point " + std::to_string(i) + " has label " + std::to_string(c) +
                                  ", outside [0, " + std::to_string(classes) + ")");
    ++t.counts[static_cast<size_t>(k) * classes + c];
  }
  return t;
}

double seedPurity(const Contingency& t) {
  checkShape(t);
  double sum = 0;
  int nonEmpty = 0;
  for (int k = 0; k < t.clusters; ++k) {
    std::int64_t size = 0, best = 0;
    for (int c = 0; c < t.classes; ++c) {
      size += t.at(k, c);
      best = std::max(best, t.at(k, c));
    }
    if (size == 0) continue;  // the post skips empty clusters rather than scoring them 0
    sum += static_cast<double>(best) / static_cast<double>(size);
    ++nonEmpty;
  }
  return nonEmpty > 0 ? sum / nonEmpty : 0.0;
}

double purity(const Contingency& t) {
  checkShape(t);
  std::int64_t hits = 0, n = 0;
  for (int k = 0; k < t.clusters; ++k) {
    std::int64_t best = 0;
    for (int c = 0; c < t.classes; ++c) {
      best = std::max(best, t.at(k, c));
      n += t.at(k, c);
    }
    hits += best;
  }
  return n > 0 ? static_cast<double>(hits) / static_cast<double>(n) : 0.0;
}

double nmi(const Contingency& t) {
  checkShape(t);
  const Marginals m = marginals(t);
  // scikit-learn: both labelings a single cluster (or no data at all) is a perfect match.
  if ((m.nonEmptyRows == 1 && m.nonEmptyCols == 1) || (m.nonEmptyRows == 0 && m.nonEmptyCols == 0))
    return 1.0;
  // One side trivial, the other not: MI is 0, and so is NMI.
  if (m.nonEmptyRows == 1 || m.nonEmptyCols == 1) return 0.0;

  // Same term-wise form and eps clipping as sklearn's mutual_info_score, so independent
  // labelings give exactly 0 rather than a rounding residue.
  const double n = static_cast<double>(m.n);
  const double logN = std::log(n);
  const double eps = std::numeric_limits<double>::epsilon();
  double mi = 0;
  for (int k = 0; k < t.clusters; ++k) {
    for (int c = 0; c < t.classes; ++c) {
      const std::int64_t v = t.at(k, c);
      if (v == 0) continue;
      const double p = static_cast<double>(v) / n;
      const double outer = static_cast<double>(m.rows[k]) * static_cast<double>(m.cols[c]);
      const double term = p * (std::log(static_cast<double>(v)) - logN) + p * (-std::log(outer) + 2 * logN);
      if (std::abs(term) >= eps) mi += term;
    }
  }
  mi = std::max(mi, 0.0);
  if (mi == 0) return 0.0;
  const double normaliser = 0.5 * (entropy(m.rows, m.n) + entropy(m.cols, m.n));
  return mi / normaliser;
}

double ari(const Contingency& t) {
  checkShape(t);
  const Marginals m = marginals(t);
  // sklearn's pair confusion matrix (ordered pairs, hence the factor 2 below). The products
  // reach ~N^4 (2e19 at N = 70000), beyond int64, so they are formed in long double.
  std::int64_t sumSquares = 0, rowSq = 0, colSq = 0;
  for (auto v : t.counts) sumSquares += v * v;
  for (auto v : m.rows) rowSq += v * v;
  for (auto v : m.cols) colSq += v * v;
  const std::int64_t n = m.n;
  const std::int64_t tp = sumSquares - n;
  const std::int64_t fp = rowSq - sumSquares;  // together in a cluster, different classes
  const std::int64_t fn = colSq - sumSquares;  // same class, split across clusters
  const std::int64_t tn = n * n - fp - fn - sumSquares;
  if (fn == 0 && fp == 0) return 1.0;  // full agreement or no data
  using LD = long double;
  const LD num = 2.0L * (static_cast<LD>(tp) * tn - static_cast<LD>(fn) * fp);
  const LD den = static_cast<LD>(tp + fn) * static_cast<LD>(fn + tn) +
                 static_cast<LD>(tp + fp) * static_cast<LD>(fp + tn);
  return static_cast<double>(num / den);
}

double hungarianAccuracy(const Contingency& t) {
  checkShape(t);
  const std::int64_t n = t.total();
  if (n == 0 || t.clusters == 0 || t.classes == 0) return 0.0;
  // Maximise matched counts = minimise their negation; clusters left without a class (K > C)
  // and classes left without a cluster (K < C) simply contribute nothing.
  std::vector<double> cost(t.counts.size());
  for (size_t i = 0; i < cost.size(); ++i) cost[i] = -static_cast<double>(t.counts[i]);
  const std::vector<int> match = hungarian(cost, t.clusters, t.classes);
  std::int64_t hits = 0;
  for (int k = 0; k < t.clusters; ++k)
    if (match[k] >= 0) hits += t.at(k, match[k]);
  return static_cast<double>(hits) / static_cast<double>(n);
}

Metrics evaluate(const Contingency& t) {
  Metrics r;
  r.seedPurity = seedPurity(t);
  r.purity = purity(t);
  r.nmi = nmi(t);
  r.ari = ari(t);
  r.accuracy = hungarianAccuracy(t);
  for (int k = 0; k < t.clusters; ++k) r.nonEmptyClusters += t.clusterSize(k) > 0 ? 1 : 0;
  return r;
}

std::vector<ClusterRow> clusterRows(const Contingency& t) {
  checkShape(t);
  std::vector<ClusterRow> rows(static_cast<size_t>(t.clusters));
  for (int k = 0; k < t.clusters; ++k) {
    ClusterRow& r = rows[k];
    r.cluster = k;
    std::int64_t size = 0, best = 0;
    for (int c = 0; c < t.classes; ++c) {
      const std::int64_t v = t.at(k, c);
      size += v;
      if (v > best) {  // strict: ties go to the lowest label, so the table is stable
        best = v;
        r.majorityLabel = c;
      }
    }
    r.size = static_cast<int>(size);
    r.purity = size > 0 ? static_cast<double>(best) / static_cast<double>(size) : 0.0;
  }
  return rows;
}

// Kuhn-Munkres with row/column potentials (the O(n^2 m) shortest-augmenting-path form) for
// n <= m; a tall matrix is solved transposed. Each of the n phases grows one augmenting path
// with Dijkstra-like relaxations over the m columns, so the whole is O(n^2 m) <= O(max^3).
std::vector<int> hungarian(const std::vector<double>& cost, int rows, int cols) {
  if (rows < 0 || cols < 0 || cost.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
    throw std::invalid_argument("hungarian: cost holds " + std::to_string(cost.size()) +
                                " values, expected " + std::to_string(rows) + " x " + std::to_string(cols));
  for (double v : cost)
    if (!std::isfinite(v)) throw std::invalid_argument("hungarian: cost matrix holds a non-finite value");
  std::vector<int> result(static_cast<size_t>(rows), -1);
  if (rows == 0 || cols == 0) return result;

  const bool transposed = rows > cols;
  const int n = transposed ? cols : rows;  // n <= m
  const int m = transposed ? rows : cols;
  auto a = [&](int i, int j) {  // 1-based, in the (n x m) orientation
    return transposed ? cost[static_cast<size_t>(j - 1) * cols + (i - 1)]
                      : cost[static_cast<size_t>(i - 1) * cols + (j - 1)];
  };

  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> u(n + 1, 0), v(m + 1, 0);
  std::vector<int> p(m + 1, 0), way(m + 1, 0);  // p[j]: row matched to column j (0 = none)
  std::vector<double> minv(m + 1);
  std::vector<char> used(m + 1);
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::fill(minv.begin(), minv.end(), inf);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[j0] = 1;
      const int i0 = p[j0];
      double delta = inf;
      int j1 = 0;
      for (int j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double cur = a(i0, j) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (int j = 0; j <= m; ++j) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] != 0);
    do {  // flip the augmenting path
      const int j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 != 0);
  }

  for (int j = 1; j <= m; ++j) {
    if (p[j] == 0) continue;
    if (transposed) result[j - 1] = p[j] - 1;  // original row j-1 gets original column p[j]-1
    else result[p[j] - 1] = j - 1;
  }
  return result;
}

}  // namespace centroid
