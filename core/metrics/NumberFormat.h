// Numbers for people: plain decimals in the everyday range, scientific notation outside it, so
// that a loss of 4e34 reads "4.0000e+34" instead of 35 digits. One home for every table, console
// line and message that shows a value a run produced.
#pragma once

#include <string>

namespace centroid {

// `significant` digits (1..17). Plain decimals for 1e-3 <= |v| < 1e6 ("0.52341", "8.3012",
// "12346"), otherwise d.dddde±XX; "0" for zero, "nan", "inf", "-inf" for the rest.
std::string readableNumber(double v, int significant = 5);

// Empty while the loss is within three orders of magnitude of the run's first batch loss;
// otherwise one sentence for the user saying that the run diverges and what to try.
std::string divergenceWarning(double firstBatchLoss, double epochLoss, double learningRate);

}  // namespace centroid
