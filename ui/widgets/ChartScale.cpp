// Axis limits that stay finite and tick counts that stay bounded, whatever the data.
#include "ui/widgets/ChartScale.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace centroid::ui {
namespace {

// Spans below this are drawn as this: nobody reads ticks at 1e-300, and smaller steps
// underflow to zero (an interval of 0 is an endless tick loop).
constexpr double kMinSpan = 1e-290;

double clampFinite(double v) { return std::clamp(v, -DBL_MAX, DBL_MAX); }

}  // namespace

double niceStep(double raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double decade = std::pow(10.0, std::floor(std::log10(raw)));
  if (!(decade > 0)) return raw;  // below the smallest power of ten a double holds
  for (const double f : {1.0, 2.0, 5.0}) {
    const double step = f * decade;
    if (std::isfinite(step) && step >= raw * (1 - 1e-9)) return step;
  }
  return clampFinite(10 * decade);
}

LinearScale niceLinearScale(double lo, double hi, int ticks) {
  // Qt Charts divides by the span and steps through it (an axis ending at -DBL_MAX hung its
  // minor-tick layout): limits stay within kMaxAxisMagnitude, rounding included. Points beyond
  // are drawn off the plot's edge.
  lo = std::clamp(lo, -kMaxAxisMagnitude, kMaxAxisMagnitude);
  hi = std::clamp(std::max(lo, hi), lo, kMaxAxisMagnitude);
  ticks = std::clamp(ticks, 1, kMaxTicks);
  if (hi - lo < kMinSpan) {  // false for an overflowing (infinite) difference
    // One value (or nearly): a range of half its size around it, or -0.5..0.5 around zero.
    const double half = std::max(std::abs(lo) / 2, lo == 0 && hi == 0 ? 0.5 : kMinSpan);
    lo = clampFinite(lo - half);
    hi = clampFinite(hi + half);
  }
  // hi / ticks - lo / ticks, not (hi - lo) / ticks: the difference of two huge values overflows.
  double step = niceStep(hi / ticks - lo / ticks);
  LinearScale s;
  s.min = std::max(std::floor(lo / step) * step, -kMaxAxisMagnitude);
  s.max = std::min(std::ceil(hi / step) * step, kMaxAxisMagnitude);
  // Rounding of enormous limits can leave more intervals than asked for: widen the step.
  while ((s.max / step - s.min / step) > kMaxTicks) step = clampFinite(step * 2);
  s.step = step;
  if (!(s.min < s.max)) s.max = s.min + std::max(step, kMinSpan);
  return s;
}

LogScale niceLogScale(double lo, double hi) {
  lo = std::clamp(lo, DBL_TRUE_MIN, DBL_MAX);
  hi = std::clamp(std::max(lo, hi), lo, DBL_MAX);
  const double eLo = std::floor(std::log10(lo));
  const double eHi = std::ceil(std::log10(hi));
  // One tick per decade up to kMaxTicks - 1 decades, then one per several decades.
  const double decades = std::max(1.0, eHi - eLo);
  const double perTick = std::ceil(decades / (kMaxTicks - 1));
  LogScale s;
  s.base = std::pow(10.0, perTick);
  s.minorTicks = perTick == 1 ? 8 : 0;
  const double tickLo = std::floor(eLo / perTick) * perTick;
  const double tickHi = std::max(std::ceil(eHi / perTick) * perTick, tickLo + perTick);
  // A hair wider, so that rounding in pow/log cannot drop the end labels; beyond the range of
  // doubles the data's own extremes are the limits.
  s.min = std::pow(10.0, tickLo) * 0.999;
  s.max = std::pow(10.0, tickHi) * 1.001;
  if (!(s.min > 0) || !std::isfinite(s.min)) s.min = lo;
  if (!std::isfinite(s.max)) s.max = DBL_MAX;
  if (!(s.min < s.max)) s.min = s.max / 10;
  return s;
}

}  // namespace centroid::ui
