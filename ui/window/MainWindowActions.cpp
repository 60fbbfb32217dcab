// Main window actions: menus, toolbar, shortcuts and the export dialogs.
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStyle>
#include <QToolBar>

#include "core/training/Trainer.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/window/ExportMenu.h"
#include "ui/window/MainWindow.h"
#include "ui/window/TrainBoth.h"

namespace centroid::ui {

void MainWindow::createActions() {
  QStyle* st = style();
  trainAction_ = new QAction(st->standardIcon(QStyle::SP_MediaPlay), tr("&Train"), this);
  trainAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  trainAction_->setToolTip(tr("Start a run with the settings on the left (Ctrl+T)"));
  connect(trainAction_, &QAction::triggered, this, qOverload<>(&MainWindow::startTraining));

  stopAction_ = new QAction(st->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), this);
  stopAction_->setShortcut(QKeySequence(Qt::Key_Escape));
  stopAction_->setToolTip(tr("Stop after the current batch; saved epochs are kept (Esc)"));
  connect(stopAction_, &QAction::triggered, this, &MainWindow::stopTraining);

  auto* resetAction = new QAction(st->standardIcon(QStyle::SP_BrowserReload), tr("&Reset View"), this);
  resetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  resetAction->setToolTip(tr("Fit every point into the view again (Ctrl+R)"));
  connect(resetAction, &QAction::triggered, this, &MainWindow::resetView);

  // Colour by label shows whether clusters match digits; by cluster shows what k-means sees.
  colorGroup_ = new QActionGroup(this);
  colorByLabel_ = new QAction(tr("Colour by &Label"), colorGroup_);
  colorByLabel_->setShortcut(QKeySequence(Qt::Key_L));
  colorByLabel_->setToolTip(tr("Colour points by their true class (L)"));
  colorByCluster_ = new QAction(tr("Colour by &Cluster"), colorGroup_);
  colorByCluster_->setShortcut(QKeySequence(Qt::Key_C));
  colorByCluster_->setToolTip(tr("Colour points by their nearest centroid (C)"));
  for (QAction* a : {colorByLabel_, colorByCluster_}) a->setCheckable(true);
  colorByLabel_->setChecked(true);
  connect(colorByLabel_, &QAction::triggered, this, [this] { setColorBy(ScatterView::ColorBy::Label); });
  connect(colorByCluster_, &QAction::triggered, this, [this] { setColorBy(ScatterView::ColorBy::Cluster); });

  animateAction_ = new QAction(tr("&Animate Transitions"), this);
  animateAction_->setCheckable(true);
  animateAction_->setChecked(true);
  animateAction_->setToolTip(tr("Let points glide to their new places after each epoch"));

  auto* exports = new ExportMenu(this);  // File ▸ Export …, through the export registry
  for (QAction* a : {resetAction, colorByLabel_, colorByCluster_}) a->setEnabled(view_ != nullptr);

  auto* quit = new QAction(tr("&Quit"), this);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);
  connect(quit, &QAction::triggered, this, &QWidget::close);

  QMenu* file = menuBar()->addMenu(tr("&File"));
  addOpenActions(file);  // Open, Open Recent, Compare With (MainWindowReplay.cpp)
  file->addSeparator();
  exports->addTo(file);
  needsRunActions_ << exports->runActions();
  file->addSeparator();
  file->addAction(quit);
  trainBoth_ = new TrainBoth(this);
  auto* both = new QAction(tr("Train &Both Objectives"), this);
  both->setToolTip(
      tr("Train the post's k-means loss, then the k-means-friendly objective, on the same "
         "data and seed, and show them side by side"));
  connect(both, &QAction::triggered, trainBoth_, [this] { trainBoth_->start(); });
  connect(this, &MainWindow::runStarted, both, [both] { both->setEnabled(false); });
  connect(this, &MainWindow::runEnded, both, [both] { both->setEnabled(true); });
  QMenu* run = menuBar()->addMenu(tr("&Run"));
  run->addAction(trainAction_);
  run->addAction(both);
  run->addAction(stopAction_);
  viewMenu_ = menuBar()->addMenu(tr("&View"));
  addReplayMenu();  // before View
  viewMenu_->addAction(resetAction);
  viewMenu_->addSeparator();
  viewMenu_->addAction(colorByLabel_);
  viewMenu_->addAction(colorByCluster_);
  viewMenu_->addAction(animateAction_);
  viewMenu_->addSeparator();
  for (QDockWidget* d : findChildren<QDockWidget*>()) viewMenu_->addAction(d->toggleViewAction());
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About Centroid"), this, [this] {
    // The one modal box, and only on request: nothing automatic ever waits on it.
    QMessageBox::about(this, tr("About Centroid"),
                       tr("<b>Centroid %1</b><p>Trains a small CNN on MNIST with k-means as the "
                          "loss and shows the embedding move in 3-D while it learns.</p>"
                          "<p>libtorch %2, Qt %3.</p>")
                           .arg(QString::fromStdString(centroidVersion()),
                                QString::fromStdString(torchVersion()), qVersion()));
  });

  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName("mainToolBar");
  bar->setMovable(false);
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addAction(trainAction_);
  bar->addAction(stopAction_);
  bar->addSeparator();
  bar->addAction(resetAction);
  bar->addAction(colorByLabel_);
  bar->addAction(colorByCluster_);
  bar->addSeparator();
  bar->addAction(exports->viewAction());
}

}  // namespace centroid::ui
