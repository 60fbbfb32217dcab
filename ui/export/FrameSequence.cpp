// The shared picture sequence of the frame and animation exports (see FrameSequence.h).
#include "ui/export/FrameSequence.h"

#include <QObject>
#include <algorithm>

#include "ui/run/RunModel.h"
#include "ui/view/ScatterView.h"

namespace centroid::ui {
namespace {

// Points and centroids moved a fraction t of the way from `a` to `b` (same sizes), for the
// frames between two epochs; everything else (colours, epoch label) stays a's.
EpochFrame between(const EpochFrame& a, const EpochFrame& b, double t) {
  EpochFrame f = a;
  const auto ft = static_cast<float>(t);
  if (a.embedding.size() == b.embedding.size())
    for (std::size_t i = 0; i < f.embedding.size(); ++i)
      f.embedding[i] += (b.embedding[i] - a.embedding[i]) * ft;
  if (a.centroids.size() == b.centroids.size())
    for (std::size_t i = 0; i < f.centroids.size(); ++i)
      f.centroids[i] += (b.centroids[i] - a.centroids[i]) * ft;
  return f;
}

int perEpoch(const ExportJob& job) { return std::clamp(job.framesPerEpoch, 1, 100); }

}  // namespace

int sequenceLength(const ExportJob& job, int first, int last) {
  return last < first ? 0 : (last - first) * perEpoch(job) + 1;
}

ExportOutcome renderSequence(const ExportJob& job, int first, int last,
                             const std::function<bool(const QImage&, QString* error)>& take) {
  RunModel& run = *job.run;
  const int steps = perEpoch(job), total = sequenceLength(job, first, last);
  const int keep = run.currentIndex();
  int done = 0;
  ExportOutcome out{true, {}};
  EpochFramePtr current = run.frameAt(first);
  if (!current) out = {false, run.errorString()};
  for (int i = first; out.ok && current && i <= last; ++i) {
    const EpochFramePtr next = i < last ? run.frameAt(i + 1) : nullptr;
    if (i < last && !next) {
      out = {false, run.errorString()};
      break;
    }
    for (int s = 0; out.ok && s < (next ? steps : 1); ++s) {
      job.view->setFrame(s == 0 ? *current : between(*current, *next, double(s) / steps), false);
      QString error;
      if (!take(job.view->renderImage(std::clamp(job.scale, 1, 4)), &error)) {
        out = {false, error};
        break;
      }
      ++done;
      if (job.progress && !job.progress(done, total))
        out = {false, QObject::tr("Stopped after %1 of %2 frames").arg(done).arg(total), true};
    }
    current = next;
  }
  if (keep >= 0) run.setCurrentIndex(keep, false);  // back to the epoch the user was looking at
  return out;
}

}  // namespace centroid::ui
