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

#include "core/objectives/Objectives.h"
#include "core/metrics/Metrics.h"
#include "core/runfile/RunFile.h"
#include "core/metrics/Tables.h"
#include "ui/window/MainWindow.h"
#include "ui/window/MainWindowWidgets.h"
#include "ui/run/RunModel.h"
#include "ui/window/Timeline.h"

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

bool MainWindow::exportMetricsTable(const QString& path) {
  TableFormat format;
  if (!tableFormatForPath(path.toStdString(), format)) {
    showError(tr("%1: the table format follows the extension; use .csv or .md.")
                  .arg(QDir::toNativeSeparators(path)));
    return false;
  }
  if (!run_->isReady()) {
    showError(tr("No run to export: train one or open a saved run first."));
    return false;
  }
  // The run model holds every epoch so far, whether the run is training or saved.
  const std::vector<EpochSummary>& epochs = run_->summaries();
  const std::vector<BaselineRow>& baselines = run_->baselines();
  const std::string objective = run_->config().objective;
  try {
    writeTextFile(path.toStdString(), centroid::render(metricsTable(epochs, baselines, methodLabel(objective)), format));
  } catch (const std::exception& e) {
    showError(tr("Could not export the metrics table.\n%1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  statusBar()->showMessage(
      tr("Saved the metrics of %1 epochs to %2").arg(epochs.size()).arg(QDir::toNativeSeparators(path)));
  return true;
}

bool MainWindow::exportClusterTable(const QString& path) {
  TableFormat format;
  if (!tableFormatForPath(path.toStdString(), format)) {
    showError(tr("%1: the table format follows the extension; use .csv or .md.")
                  .arg(QDir::toNativeSeparators(path)));
    return false;
  }
  if (!lastFrame_ || !viewSet_) {
    showError(tr("No epoch on screen to export: train one or open a saved run first."));
    return false;
  }
  try {
    const EpochFrame& f = *lastFrame_;
    const auto& labels = viewSet_->labels;
    int classes = static_cast<int>(viewSet_->classNames.size());
    for (std::uint8_t l : labels) classes = std::max(classes, l + 1);
    int clusters = f.clusters;
    for (std::int32_t a : f.assignments) clusters = std::max(clusters, a + 1);
    const Contingency table = contingency(f.assignments, labels, clusters, classes);
    writeTextFile(path.toStdString(), centroid::render(clusterTable(table, viewSet_->classNames), format));
  } catch (const std::exception& e) {  // a damaged run's assignments, or an unwritable file
    showError(tr("Could not export the cluster table.\n%1").arg(QString::fromUtf8(e.what())));
    return false;
  }
  statusBar()->showMessage(
      tr("Saved the clusters of epoch %1 to %2").arg(lastFrame_->epoch).arg(QDir::toNativeSeparators(path)));
  return true;
}

bool MainWindow::exportFrames(const QString& dir, int scale, int framesPerEpoch,
                              const std::function<bool(int, int)>& progress) {
  if (!view_) {
    showError(tr("No 3-D view to export: OpenGL is unavailable."));
    return false;
  }
  if (training_) {  // each new epoch would move the view under the export
    showError(tr("Wait for the run to end (or stop it) before exporting its frames."));
    return false;
  }
  if (!run_->isReady()) {
    showError(tr("Open a saved run first: the frames are its epochs."));
    return false;
  }
  const int epochs = run_->epochCount();
  if (epochs == 0) {
    showError(tr("The run has no saved epoch to export."));
    return false;
  }
  if (!QDir().mkpath(dir)) {
    showError(tr("Could not create the folder %1.").arg(QDir::toNativeSeparators(dir)));
    return false;
  }
  framesPerEpoch = std::clamp(framesPerEpoch, 1, 100);
  timeline_->setPlaying(false);
  const int keep = run_->currentIndex();
  // The camera does what it does on screen: it follows the cloud from epoch to epoch, unless
  // the user has turned or zoomed it, and then it stays where the user put it.
  EpochFramePtr next;
  const int total = (epochs - 1) * framesPerEpoch + 1;
  int written = 0;
  bool ok = true;
  EpochFramePtr current = run_->frameAt(0);
  for (int i = 0; ok && current && i < epochs; ++i) {
    next = i + 1 < epochs ? run_->frameAt(i + 1) : nullptr;
    const int steps = next ? framesPerEpoch : 1;
    for (int s = 0; ok && s < steps; ++s) {
      view_->setFrame(s == 0 ? *current : between(*current, *next, double(s) / steps), false);
      const QImage image = view_->renderImage(scale);
      const QString file =
          QDir(dir).filePath(QStringLiteral("frame-%1.png").arg(written + 1, 5, 10, QLatin1Char('0')));
      if (image.isNull() || !image.save(file, "PNG")) {
        showError(tr("Could not write the image %1.").arg(QDir::toNativeSeparators(file)));
        ok = false;
        break;
      }
      ++written;
      if (progress && !progress(written, total)) ok = false;
    }
    if (i + 1 < epochs && !next) {
      showError(run_->errorString());
      ok = false;
    }
    current = next;
  }
  run_->setCurrentIndex(keep, false);  // back to the epoch the user was looking at
  if (ok)
    statusBar()->showMessage(tr("Saved %1 frames to %2").arg(written).arg(QDir::toNativeSeparators(dir)));
  else if (written < total && progress && banner_->text().isEmpty())
    statusBar()->showMessage(tr("Stopped after %1 of %2 frames").arg(written).arg(total));
  return ok;
}

}  // namespace centroid::ui
