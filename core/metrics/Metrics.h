// Clustering metrics against true labels: contingency matrix, purity (the post's and the
// standard one), NMI, ARI, Hungarian accuracy. Plain C++, no torch.
#pragma once

#include <cstdint>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid {

// counts[k * classes + c] = number of points assigned to cluster k with label c.
struct Contingency {
  int clusters = 0;
  int classes = 0;
  std::vector<std::int64_t> counts;

  std::int64_t at(int k, int c) const { return counts[static_cast<size_t>(k) * classes + c]; }
  std::int64_t clusterSize(int k) const;
  std::int64_t total() const;
};

// assignments in [0, clusters), labels in [0, classes). Throws std::invalid_argument on
// mismatched sizes or out-of-range values.
Contingency contingency(const std::vector<std::int32_t>& assignments, const std::vector<std::uint8_t>& labels,
                        int clusters, int classes);

double seedPurity(const Contingency& t);  // mean over non-empty clusters of majority share
double purity(const Contingency& t);      // sum_k max_c n_kc / N
double nmi(const Contingency& t);         // I / ((H(U)+H(V))/2); 1 when both are single-cluster
double ari(const Contingency& t);
double hungarianAccuracy(const Contingency& t);  // best one-to-one cluster->class map, K != classes allowed

Metrics evaluate(const Contingency& t);
std::vector<ClusterRow> clusterRows(const Contingency& t);

// Optimal assignment (minimum cost) for a rows x cols cost matrix, rows <= cols or not.
// Returns for each row the assigned column, or -1 when rows > cols and the row is left out.
std::vector<int> hungarian(const std::vector<double>& cost, int rows, int cols);

}  // namespace centroid
