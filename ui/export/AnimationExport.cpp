// The run as an animation: the view's frames with the points gliding between epochs as in
// playback and the epoch/loss caption, encoded in-process to MP4 (H.264), WebM (VP9) or GIF
// (VideoEncoder). Nothing is left under the name when it fails or is cancelled.
#include <QDir>
#include <QObject>

#include "ui/export/Export.h"
#include "ui/export/FrameSequence.h"
#include "ui/export/VideoEncoder.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {
namespace {

class AnimationExport : public Export {
 public:
  QString id() const override { return QStringLiteral("animation"); }
  QString title() const override { return QObject::tr("Animation"); }
  bool draws() const override { return true; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    RunModel& run = *job.run;
    if (!VideoEncoder::supportedPath(path))
      return {false, QObject::tr("%1: the animation's format follows the extension; use .mp4, .webm or .gif.")
                         .arg(QDir::toNativeSeparators(path))};
    if (run.epochCount() == 0) return {false, QObject::tr("The run has no saved epoch to export.")};
    const int first = job.firstEpoch > 0 ? run.indexOfEpoch(job.firstEpoch) : 0;
    const int last = job.lastEpoch > 0 ? run.indexOfEpoch(job.lastEpoch) : run.epochCount() - 1;
    if (first < 0) return {false, run.missingEpochText(job.firstEpoch)};
    if (last < 0) return {false, run.missingEpochText(job.lastEpoch)};
    if (last < first)
      return {false,
              QObject::tr("--epochs %1:%2: the range is empty").arg(job.firstEpoch).arg(job.lastEpoch)};
    if (job.fps < 1 || job.fps > 120) return {false, QObject::tr("--fps %1: expected 1 to 120").arg(job.fps)};
    std::unique_ptr<VideoEncoder> encoder;
    ExportOutcome out = renderSequence(job, first, last, [&](const QImage& image, QString* error) {
      if (image.isNull()) return *error = QObject::tr("the view could not be drawn"), false;
      if (!encoder) encoder = VideoEncoder::open(path, image.width(), image.height(), job.fps, error);
      return encoder && encoder->add(image, error);
    });
    if (out.ok && !encoder->finish(&out.message)) out.ok = false;
    if (out.ok)
      out.message = QObject::tr("Saved %1 frames (%2 epochs) to %3")
                        .arg(encoder->framesWritten())
                        .arg(last - first + 1)
                        .arg(QDir::toNativeSeparators(path));
    return out;  // an unfinished encoder removes its partial file
  }
};

}  // namespace

std::unique_ptr<Export> makeAnimationExport() { return std::make_unique<AnimationExport>(); }

}  // namespace centroid::ui
