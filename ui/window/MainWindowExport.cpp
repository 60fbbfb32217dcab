// Main window, export: the 3-D view at 1x-4x, animation frames over all epochs, and the purity
// tables (per-epoch metrics, the shown epoch's clusters) as CSV or Markdown.
#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QStatusBar>
#include <algorithm>

#include "core/metrics/Tables.h"
#include "ui/export/Export.h"
#include "ui/window/MainWindow.h"
#include "ui/widgets/MainWindowWidgets.h"
#include "ui/run/RunModel.h"
#include "ui/widgets/Timeline.h"

namespace centroid::ui {
namespace {

QString exportFolder(const QString& runPath) {
  return runPath.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                           : QFileInfo(runPath).absolutePath();
}

}  // namespace

void MainWindow::addExportActions(QMenu* file) {
  QMenu* scaled = file->addMenu(tr("Export 3-D View &At"));
  for (int scale = 1; scale <= 4; ++scale) {
    QAction* a = scaled->addAction(tr("%1× the view's size…").arg(scale), this,
                                   [this, scale] { exportViewScaledDialog(scale); });
    a->setEnabled(view_ != nullptr);
  }
  QAction* frames = file->addAction(tr("Export &Animation Frames…"), this, &MainWindow::exportFramesDialog);
  frames->setToolTip(tr("One PNG per saved epoch, for a video or a slide"));
  frames->setEnabled(view_ != nullptr);
  if (view_) needsRunActions_ << frames;
  QAction* metrics = file->addAction(tr("Export &Metrics Table…"), this, [this] { exportTableDialog(true); });
  metrics->setToolTip(
      tr("Loss and clustering metrics of every epoch beside the baselines, as CSV or Markdown"));
  QAction* clusters =
      file->addAction(tr("Export &Cluster Table…"), this, [this] { exportTableDialog(false); });
  clusters->setToolTip(tr("The shown epoch's contingency matrix and per-cluster purity, as CSV or Markdown"));
  needsRunActions_ << metrics << clusters;
}

void MainWindow::exportViewScaledDialog(int scale) {
  const QString name = QStringLiteral("centroid-%1-%2x.png")
                           .arg(QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss"))
                           .arg(scale);
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export 3-D View"), QDir(exportFolder(runPath_)).filePath(name), tr("PNG images (*.png)"));
  if (!path.isEmpty()) exportViewImage(path, scale);
}

void MainWindow::exportTableDialog(bool metrics) {
  const QString base =
      runPath_.isEmpty() ? QStringLiteral("centroid") : QFileInfo(runPath_).completeBaseName();
  const QString name =
      metrics ? QStringLiteral("%1-metrics.csv").arg(base)
              : QStringLiteral("%1-clusters-epoch%2.csv").arg(base).arg(lastFrame_ ? lastFrame_->epoch : 0);
  const QString csv = tr("CSV (*.csv)"), md = tr("Markdown (*.md)");
  QString filter = csv;
  QString path =
      QFileDialog::getSaveFileName(this, metrics ? tr("Export Metrics Table") : tr("Export Cluster Table"),
                                   QDir(exportFolder(runPath_)).filePath(name), csv + ";;" + md, &filter);
  if (path.isEmpty()) return;
  TableFormat format;
  if (!tableFormatForPath(path.toStdString(), format)) path += filter == md ? ".md" : ".csv";
  metrics ? exportMetricsTable(path) : exportClusterTable(path);
}

void MainWindow::exportFramesDialog() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Folder for the Animation Frames"), exportFolder(runPath_));
  if (dir.isEmpty()) return;
  QProgressDialog progress(tr("Writing animation frames…"), tr("Cancel"), 0, 1, this);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);
  exportFrames(dir, 1, 1, [&progress](int done, int total) {
    progress.setMaximum(total);
    progress.setValue(done);
    return !progress.wasCanceled();
  });
}

ExportJob MainWindow::exportJob() const {
  ExportJob job;
  job.run = run_;
  job.view = view_;
  job.window = const_cast<MainWindow*>(this);
  return job;
}

bool MainWindow::runExport(const QString& id, const ExportJob& job, const QString& path) {
  const ExportOutcome out = centroid::ui::runExport(id, job, path);
  if (out.ok) statusBar()->showMessage(out.message);
  else if (out.cancelled) statusBar()->showMessage(out.message);
  else showError(out.message);
  return out.ok;
}

bool MainWindow::exportMetricsTable(const QString& path) { return runExport("metrics", exportJob(), path); }
bool MainWindow::exportClusterTable(const QString& path) { return runExport("clusters", exportJob(), path); }

bool MainWindow::exportViewImage(const QString& path, int scale) {
  ExportJob job = exportJob();
  job.scale = scale;
  return runExport("view", job, path);
}

bool MainWindow::exportWindowImage(const QString& path) { return runExport("window", exportJob(), path); }

bool MainWindow::exportFrames(const QString& dir, int scale, int framesPerEpoch,
                              const std::function<bool(int, int)>& progress) {
  if (training_) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its frames."));
    return false;
  }
  timeline_->setPlaying(false);
  ExportJob job = exportJob();
  job.scale = scale;
  job.framesPerEpoch = framesPerEpoch;
  job.progress = progress;
  return runExport("frames", job, dir);
}

}  // namespace centroid::ui
