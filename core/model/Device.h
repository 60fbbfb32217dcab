// Where training runs: "cpu", "cuda", "cuda:N", checked against what this machine has.
#pragma once

#include <string>

#include <torch/torch.h>

namespace centroid {

// ConfigError when the device is unknown or not available.
torch::Device parseDevice(const std::string& name);

}  // namespace centroid
