// Axis ranges and tick spacing for the charts, as plain functions: finite, ordered limits and a
// bounded number of ticks for any finite data, from the smallest subnormal to the largest double.
// Qt Charts lays out one tick per interval with no upper bound, so a range of 1e10 with an old
// interval of 0.2 asks it for 5e10 ticks (issue 14: the window died on a loss of 8e9).
#pragma once

namespace centroid::ui {

struct LinearScale {
  double min = 0, max = 1, step = 0.2;  // min < max, step > 0, (max - min) / step <= kMaxTicks
};

struct LogScale {
  double min = 0.1, max = 10;  // 0 < min < max, both finite
  double base = 10;            // a power of ten: one major tick per base, at most kMaxTicks
  int minorTicks = 8;          // 2..9 per decade when base is 10, none otherwise
};

constexpr int kMaxTicks = 12;
// Linear limits stay within +-kMaxAxisMagnitude (a quarter of the largest double).
constexpr double kMaxAxisMagnitude = 4.49423283715578976e307;

// The smallest of ..., 0.1, 0.2, 0.5, 1, 2, 5, 10, ... that is at least raw (> 0, finite).
double niceStep(double raw);

// Round limits around [lo, hi] with about `ticks` intervals (lo <= hi, both finite; a single
// value gets a range around it).
LinearScale niceLinearScale(double lo, double hi, int ticks = 5);

// Whole powers of the base around [lo, hi] (0 < lo <= hi, both finite).
LogScale niceLogScale(double lo, double hi);

}  // namespace centroid::ui
