// The exports that draw: the 3-D view at 1x-4x, the whole window, and one PNG per saved epoch
// (with in-between frames for a smooth video). Each renders with the window's view, so the
// camera is where the user left it.
#include <QDir>
#include <QImage>
#include <QObject>
#include <QWidget>
#include <algorithm>

#include "ui/export/Export.h"
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

ExportOutcome cannotWrite(const QString& path) {
  return {false, QObject::tr("Could not write the image %1.").arg(QDir::toNativeSeparators(path))};
}

// Shows the job's epoch in the view without a glide (so the image is the epoch itself, not a
// point in between); returns the frame to put back afterwards, or null when none is needed.
EpochFramePtr showEpoch(const ExportJob& job, QString* error) {
  if (!job.run || !job.run->isReady()) return nullptr;  // the empty view, as on screen
  RunModel& run = *job.run;
  const int index = exportIndex(job);
  const EpochFramePtr frame = index >= 0 ? run.frameAt(index) : nullptr;
  if (!frame) {
    if (index >= 0) *error = run.errorString();
    return nullptr;
  }
  if (!job.view) return nullptr;  // a window without the 3-D view
  job.view->setFrame(*frame, false);
  return index == run.currentIndex() ? nullptr : run.currentFrame();
}

class ViewImageExport : public Export {
 public:
  QString id() const override { return QStringLiteral("view"); }
  QString title() const override { return QObject::tr("3-D View"); }
  bool draws() const override { return true; }
  bool needsRun() const override { return false; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    QString error;
    const EpochFramePtr restore = showEpoch(job, &error);
    if (!error.isEmpty()) return {false, error};
    const QImage image = job.view->renderImage(std::clamp(job.scale, 1, 4));
    if (restore) job.view->setFrame(*restore, false);
    if (image.isNull() || !image.save(path, "PNG")) return cannotWrite(path);
    return {true, QObject::tr("Saved %1").arg(QDir::toNativeSeparators(path))};
  }
};

class WindowImageExport : public Export {
 public:
  QString id() const override { return QStringLiteral("window"); }
  QString title() const override { return QObject::tr("Window"); }
  bool draws() const override { return true; }
  bool needsRun() const override { return false; }
  bool needsView() const override { return false; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    if (!job.window) return {false, QObject::tr("No window to export.")};
    QString error;
    const EpochFramePtr restore = showEpoch(job, &error);
    if (!error.isEmpty()) return {false, error};
    const QImage image = job.window->grab().toImage();
    if (restore && job.view) job.view->setFrame(*restore, false);
    if (image.isNull() || !image.save(path, "PNG")) return cannotWrite(path);
    return {true, QObject::tr("Saved %1").arg(QDir::toNativeSeparators(path))};
  }
};

// path is a folder: frame-00001.png, ... at job.scale; job.framesPerEpoch frames per step.
class FramesExport : public Export {
 public:
  QString id() const override { return QStringLiteral("frames"); }
  QString title() const override { return QObject::tr("Animation Frames"); }
  bool draws() const override { return true; }
  ExportOutcome write(const ExportJob& job, const QString& dir) const override {
    RunModel& run = *job.run;
    const int epochs = run.epochCount();
    if (epochs == 0) return {false, QObject::tr("The run has no saved epoch to export.")};
    if (!QDir().mkpath(dir))
      return {false, QObject::tr("Could not create the folder %1.").arg(QDir::toNativeSeparators(dir))};
    const int perEpoch = std::clamp(job.framesPerEpoch, 1, 100);
    const int keep = run.currentIndex();
    // The camera does what it does on screen: it follows the cloud from epoch to epoch, unless
    // the user has turned or zoomed it, and then it stays where the user put it.
    const int total = (epochs - 1) * perEpoch + 1;
    int written = 0;
    ExportOutcome out{true, {}};
    EpochFramePtr current = run.frameAt(0);
    if (!current) out = {false, run.errorString()};
    for (int i = 0; out.ok && current && i < epochs; ++i) {
      const EpochFramePtr next = i + 1 < epochs ? run.frameAt(i + 1) : nullptr;
      if (i + 1 < epochs && !next) {
        out = {false, run.errorString()};
        break;
      }
      const int steps = next ? perEpoch : 1;
      for (int s = 0; out.ok && s < steps; ++s) {
        job.view->setFrame(s == 0 ? *current : between(*current, *next, double(s) / steps), false);
        const QImage image = job.view->renderImage(std::clamp(job.scale, 1, 4));
        const QString file =
            QDir(dir).filePath(QStringLiteral("frame-%1.png").arg(written + 1, 5, 10, QLatin1Char('0')));
        if (image.isNull() || !image.save(file, "PNG")) {
          out = cannotWrite(file);
          break;
        }
        ++written;
        if (job.progress && !job.progress(written, total)) {
          out = {false, QObject::tr("Stopped after %1 of %2 frames").arg(written).arg(total), true};
        }
      }
      current = next;
    }
    if (keep >= 0) run.setCurrentIndex(keep, false);  // back to the epoch the user was looking at
    if (out.ok)
      out.message = QObject::tr("Saved %1 frames to %2").arg(written).arg(QDir::toNativeSeparators(dir));
    return out;
  }
};

}  // namespace

std::unique_ptr<Export> makeViewImageExport() { return std::make_unique<ViewImageExport>(); }
std::unique_ptr<Export> makeWindowImageExport() { return std::make_unique<WindowImageExport>(); }
std::unique_ptr<Export> makeFramesExport() { return std::make_unique<FramesExport>(); }

}  // namespace centroid::ui
