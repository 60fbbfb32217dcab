// Device names to torch devices, with messages a user can act on.
#include "core/model/Device.h"

#include "core/metrics/Types.h"

namespace centroid {

torch::Device parseDevice(const std::string& name) {
  if (name == "cpu") return torch::Device(torch::kCPU);
  if (name.rfind("cuda", 0) != 0)
    throw ConfigError("device: unknown device \"" + name + "\"; use cpu, cuda or cuda:N");
  torch::Device device(torch::kCPU);
  try {
    device = torch::Device(name);
  } catch (const std::exception&) {
    throw ConfigError("device: cannot parse \"" + name + "\"; use cpu, cuda or cuda:N");
  }
  if (!torch::cuda::is_available())
    throw ConfigError("device: " + name +
                      " was asked for, but no CUDA device is usable here "
                      "(no GPU, no driver, or a libtorch built without CUDA); use --device cpu");
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (device.has_index() && device.index() >= count)
    throw ConfigError("device: " + name + " does not exist; this machine has " + std::to_string(count) +
                      " CUDA device(s), cuda:0 to cuda:" + std::to_string(count - 1));
  return device;
}

}  // namespace centroid
