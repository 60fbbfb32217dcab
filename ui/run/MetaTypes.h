// Qt meta-types for the core value types that cross the worker thread in queued signals.
#pragma once

#include <QMetaType>
#include <memory>
#include <vector>

#include "core/metrics/Types.h"

namespace centroid::ui {

// Frames and view sets are large (a 70k-point view set holds 55 MB of thumbnails); queued
// signals copy their arguments, so these travel as shared pointers to immutable data.
using EpochFramePtr = std::shared_ptr<const EpochFrame>;
using ViewSetPtr = std::shared_ptr<const ViewSet>;

// Registers every type below with Qt's meta-type system; cheap and idempotent. Qt 6 usually
// registers signal argument types by itself, but string-based connections and QSignalSpy
// need the registration to have happened before the first emit.
void registerMetaTypes();

}  // namespace centroid::ui

Q_DECLARE_METATYPE(centroid::TrainConfig)
Q_DECLARE_METATYPE(centroid::EpochFrame)
Q_DECLARE_METATYPE(centroid::BatchProgress)
Q_DECLARE_METATYPE(centroid::ViewSet)
Q_DECLARE_METATYPE(centroid::TrainResult)
Q_DECLARE_METATYPE(std::vector<centroid::BaselineRow>)
Q_DECLARE_METATYPE(centroid::ui::EpochFramePtr)
Q_DECLARE_METATYPE(centroid::ui::ViewSetPtr)
