// The picture sequence the frame and animation exports share: the run's epochs drawn by the
// window's view, with in-between frames in which the points glide as in playback.
#pragma once

#include <QImage>
#include <QString>
#include <functional>

#include "ui/export/Export.h"

namespace centroid::ui {

// Renders stored epochs first..last (indexes) with job.view at job.scale, job.framesPerEpoch
// frames per step (the points moved linearly in between; the last epoch once), and hands each
// picture to `take`, which returns false (with *error set) to stop. job.progress(done, total)
// runs after each frame; false cancels (outcome.cancelled). The camera does what it does on
// screen. The run's current epoch is shown again afterwards.
ExportOutcome renderSequence(const ExportJob& job, int first, int last,
                             const std::function<bool(const QImage&, QString* error)>& take);

// How many pictures renderSequence makes for that range.
int sequenceLength(const ExportJob& job, int first, int last);

}  // namespace centroid::ui
