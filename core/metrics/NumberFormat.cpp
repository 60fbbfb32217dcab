// Readable numbers and the divergence warning (see NumberFormat.h).
#include "core/metrics/NumberFormat.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace centroid {

std::string readableNumber(double v, int significant) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (v == 0) return "0";
  significant = std::clamp(significant, 1, 17);
  char buf[64];
  const double a = std::abs(v);
  if (a >= 1e-3 && a < 1e6) {
    const int exponent = static_cast<int>(std::floor(std::log10(a)));
    const int decimals = std::max(0, significant - 1 - exponent);
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  } else {
    std::snprintf(buf, sizeof buf, "%.*e", significant - 1, v);
  }
  return buf;
}

std::string divergenceWarning(double firstBatchLoss, double epochLoss, double learningRate) {
  constexpr double kFactor = 1000;  // three orders of magnitude
  if (!std::isfinite(firstBatchLoss) || !std::isfinite(epochLoss)) return {};
  const double reference = std::max(std::abs(firstBatchLoss), 1e-12);
  if (std::abs(epochLoss) < kFactor * reference) return {};
  const double ratio = std::abs(epochLoss) / reference;
  return "The loss grew from " + readableNumber(firstBatchLoss, 3) + " (first batch) to " +
         readableNumber(epochLoss, 3) + ", " + readableNumber(ratio, 2) +
         " times as large: training is diverging. Try a lower learning rate (now " +
         readableNumber(learningRate, 3) + ", e.g. " + readableNumber(learningRate / 100, 3) + ").";
}

}  // namespace centroid
