// The window's export menu and its dialogs (see ExportMenu.h).
#include "ui/window/ExportMenu.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QStyle>

#include "core/metrics/Tables.h"
#include "ui/window/MainWindow.h"

namespace centroid::ui {
namespace {

QString stamp() { return QDateTime::currentDateTime().toString("yyyyMMdd-HHmmss"); }

}  // namespace

ExportMenu::ExportMenu(MainWindow* window) : QObject(window), window_(window) {
  viewAction_ =
      new QAction(window->style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Export 3-D View…"), this);
  viewAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
  viewAction_->setToolTip(tr("Save the 3-D view as a PNG at twice its size (Ctrl+E)"));
  viewAction_->setEnabled(window->view() != nullptr);
  connect(viewAction_, &QAction::triggered, this, [this] { viewDialog(2); });  // crisp in slides
}

void ExportMenu::addTo(QMenu* file) {
  const bool hasView = window_->view() != nullptr;
  file->addAction(viewAction_);
  QMenu* scaled = file->addMenu(tr("Export 3-D View &At"));
  for (int scale = 1; scale <= 4; ++scale)
    scaled->addAction(tr("%1× the view's size…").arg(scale), this, [this, scale] { viewDialog(scale); })
        ->setEnabled(hasView);
  QAction* frames = file->addAction(tr("Export &Animation Frames…"), this, &ExportMenu::framesDialog);
  frames->setToolTip(tr("One PNG per saved epoch, for a video or a slide"));
  frames->setEnabled(hasView);
  QAction* animation = file->addAction(tr("Export A&nimation…"), this, &ExportMenu::animationDialog);
  animation->setToolTip(tr("The run as an MP4, WebM or GIF: the points glide from epoch to epoch"));
  animation->setEnabled(hasView);
  if (hasView) runActions_ << frames << animation;
  QAction* metrics = file->addAction(tr("Export &Metrics Table…"), this, [this] { tableDialog(true); });
  metrics->setToolTip(
      tr("Loss and clustering metrics of every epoch beside the baselines, as CSV or Markdown"));
  QAction* clusters = file->addAction(tr("Export &Cluster Table…"), this, [this] { tableDialog(false); });
  clusters->setToolTip(tr("The shown epoch's contingency matrix and per-cluster purity, as CSV or Markdown"));
  QMenu* embedding = file->addMenu(tr("Export &Embedding"));
  embedding->setToolTip(tr("Every view point's coordinates, label and cluster, as CSV or NumPy .npy"));
  QAction* one = embedding->addAction(tr("Shown Epoch…"), this, [this] { embeddingDialog(false); });
  QAction* all = embedding->addAction(tr("All Epochs…"), this, [this] { embeddingDialog(true); });
  runActions_ << metrics << clusters << one << all;
  QAction* windowImage = file->addAction(tr("Export &Window…"), this, &ExportMenu::windowDialog);
  windowImage->setToolTip(tr("Save a PNG of the whole window"));
}

QString ExportMenu::folder() const {
  const QString run = window_->runPath();
  return run.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::PicturesLocation)
                       : QFileInfo(run).absolutePath();
}

QString ExportMenu::baseName() const {
  const QString run = window_->runPath();
  return run.isEmpty() ? QStringLiteral("centroid") : QFileInfo(run).completeBaseName();
}

void ExportMenu::viewDialog(int scale) {
  const QString name = QStringLiteral("centroid-%1-%2x.png").arg(stamp()).arg(scale);
  const QString path = QFileDialog::getSaveFileName(window_, tr("Export 3-D View"),
                                                    QDir(folder()).filePath(name), tr("PNG images (*.png)"));
  if (!path.isEmpty()) window_->exportViewImage(path, scale);
}

void ExportMenu::windowDialog() {
  const QString name = QStringLiteral("centroid-window-%1.png").arg(stamp());
  const QString path = QFileDialog::getSaveFileName(window_, tr("Export Window"),
                                                    QDir(folder()).filePath(name), tr("PNG images (*.png)"));
  if (!path.isEmpty()) window_->exportWindowImage(path);
}

void ExportMenu::framesDialog() {
  const QString dir =
      QFileDialog::getExistingDirectory(window_, tr("Folder for the Animation Frames"), folder());
  if (dir.isEmpty()) return;
  QProgressDialog progress(tr("Writing animation frames…"), tr("Cancel"), 0, 1, window_);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);
  window_->exportFrames(dir, 1, 1, [&progress](int done, int total) {
    progress.setMaximum(total);
    progress.setValue(done);
    return !progress.wasCanceled();
  });
}

void ExportMenu::animationDialog() {
  const QString mp4 = tr("MP4 video (*.mp4)"), webm = tr("WebM video (*.webm)"),
                gif = tr("GIF animation (*.gif)");
  QString filter = mp4;
  QString path = QFileDialog::getSaveFileName(window_, tr("Export Animation"),
                                              QDir(folder()).filePath(baseName() + ".mp4"),
                                              mp4 + ";;" + webm + ";;" + gif, &filter);
  if (path.isEmpty()) return;
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != "mp4" && suffix != "webm" && suffix != "gif")
    path += filter == gif ? ".gif" : filter == webm ? ".webm" : ".mp4";
  QProgressDialog progress(tr("Encoding the animation…"), tr("Cancel"), 0, 1, window_);
  progress.setWindowModality(Qt::WindowModal);
  progress.setMinimumDuration(300);
  window_->exportAnimation(path, 30, 15, 1, 0, 0, [&progress](int done, int total) {
    progress.setMaximum(total);
    progress.setValue(done);
    return !progress.wasCanceled();
  });
}

void ExportMenu::tableDialog(bool metrics) {
  const int epoch = window_->lastFrame() ? window_->lastFrame()->epoch : 0;
  const QString name = metrics ? QStringLiteral("%1-metrics.csv").arg(baseName())
                               : QStringLiteral("%1-clusters-epoch%2.csv").arg(baseName()).arg(epoch);
  const QString csv = tr("CSV (*.csv)"), md = tr("Markdown (*.md)");
  QString filter = csv;
  QString path =
      QFileDialog::getSaveFileName(window_, metrics ? tr("Export Metrics Table") : tr("Export Cluster Table"),
                                   QDir(folder()).filePath(name), csv + ";;" + md, &filter);
  if (path.isEmpty()) return;
  TableFormat format;
  if (!tableFormatForPath(path.toStdString(), format)) path += filter == md ? ".md" : ".csv";
  metrics ? window_->exportMetricsTable(path) : window_->exportClusterTable(path);
}

void ExportMenu::embeddingDialog(bool allEpochs) {
  const int epoch = window_->lastFrame() ? window_->lastFrame()->epoch : 0;
  const QString name = allEpochs ? QStringLiteral("%1-embedding.csv").arg(baseName())
                                 : QStringLiteral("%1-embedding-epoch%2.csv").arg(baseName()).arg(epoch);
  const QString csv = tr("CSV (*.csv)"), npy = tr("NumPy (*.npy)");
  QString filter = csv;
  QString path = QFileDialog::getSaveFileName(window_, tr("Export Embedding"), QDir(folder()).filePath(name),
                                              csv + ";;" + npy, &filter);
  if (path.isEmpty()) return;
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix != "csv" && suffix != "npy") path += filter == npy ? ".npy" : ".csv";
  window_->exportEmbedding(path, allEpochs);
}

}  // namespace centroid::ui
