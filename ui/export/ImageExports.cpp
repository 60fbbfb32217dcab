// The exports that draw: the 3-D view at 1x-4x, the whole window, and one PNG per saved epoch
// (with in-between frames for a smooth video). Each renders with the window's view, so the
// camera is where the user left it.
#include <QDir>
#include <QImage>
#include <QObject>
#include <QWidget>
#include <algorithm>

#include "ui/export/Export.h"
#include "ui/export/FrameSequence.h"
#include "ui/run/RunModel.h"
#include "ui/view/ScatterView.h"

namespace centroid::ui {
namespace {

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
    const QImage image = VtkOpenGLWidget::grabWithViews(job.window);
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
    if (job.run->epochCount() == 0) return {false, QObject::tr("The run has no saved epoch to export.")};
    if (!QDir().mkpath(dir))
      return {false, QObject::tr("Could not create the folder %1.").arg(QDir::toNativeSeparators(dir))};
    int written = 0;
    ExportOutcome out =
        renderSequence(job, 0, job.run->epochCount() - 1, [&](const QImage& image, QString* error) {
          const QString file =
              QDir(dir).filePath(QStringLiteral("frame-%1.png").arg(written + 1, 5, 10, QLatin1Char('0')));
          if (image.isNull() || !image.save(file, "PNG")) {
            *error = cannotWrite(file).message;
            return false;
          }
          ++written;
          return true;
        });
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
