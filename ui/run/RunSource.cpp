// The run source interface (see RunSource.h); its one out-of-line member anchors the vtable.
#include "ui/run/RunSource.h"

namespace centroid::ui {

RunSource::~RunSource() = default;

}  // namespace centroid::ui
