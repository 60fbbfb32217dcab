// The k nearest neighbours of every training image, computed once before training: the
// friendly objective's signal that two images show the same digit.
#pragma once

#include <atomic>
#include <cstdint>

#include <torch/torch.h>

namespace centroid {

// Exact k nearest neighbours of every row of x (N x D float; self excluded), by squared
// Euclidean distance, `chunk` queries at a time (a chunk's N distances per row stay in memory).
// N x k int64 on x's device, nearest first. Stops early, returning an undefined tensor, when
// `stop` is set.
torch::Tensor nearestNeighbours(const torch::Tensor& x, int k, std::int64_t chunk = 2048,
                                const std::atomic<bool>* stop = nullptr);

// Share of neighbour pairs whose labels agree (labels: N int64): how trustworthy the graph is.
double neighbourAgreement(const torch::Tensor& neighbours, const torch::Tensor& labels);

}  // namespace centroid
