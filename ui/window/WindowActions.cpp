// The main window's menus, toolbar and shortcuts (see WindowActions.h).
#include "ui/window/WindowActions.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QStyle>
#include <QToolBar>

#include "core/training/Trainer.h"
#include "ui/run/RunModel.h"
#include "ui/view/ScatterView.h"
#include "ui/widgets/ControlsPanel.h"
#include "ui/widgets/Timeline.h"
#include "ui/window/ExportMenu.h"
#include "ui/window/FocusKeys.h"
#include "ui/window/MainWindow.h"
#include "ui/window/RecentRuns.h"
#include "ui/window/RunDisplay.h"
#include "ui/window/TrainBoth.h"

namespace centroid::ui {

WindowActions::WindowActions(MainWindow* window, RunDisplay* display, bool persistRecent)
    : QObject(window), window_(window), display_(display), persistRecent_(persistRecent) {
  QStyle* st = window->style();
  train_ = new QAction(st->standardIcon(QStyle::SP_MediaPlay), tr("&Train"), window);
  train_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
  train_->setToolTip(tr("Start a run with the settings on the left (Ctrl+T)"));
  connect(train_, &QAction::triggered, window, qOverload<>(&MainWindow::startTraining));

  stop_ = new QAction(st->standardIcon(QStyle::SP_MediaStop), tr("&Stop"), window);
  stop_->setShortcut(QKeySequence(Qt::Key_Escape));
  stop_->setToolTip(tr("Stop after the current batch; saved epochs are kept (Esc)"));
  connect(stop_, &QAction::triggered, window, &MainWindow::stopTraining);

  auto* resetAction = new QAction(st->standardIcon(QStyle::SP_BrowserReload), tr("&Reset View"), window);
  resetAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  resetAction->setToolTip(tr("Fit every point into the view again (Ctrl+R)"));
  connect(resetAction, &QAction::triggered, window, &MainWindow::resetView);

  // Colour by label shows whether clusters match digits; by cluster shows what k-means sees.
  auto* colorGroup = new QActionGroup(window);
  colorByLabel_ = new QAction(tr("Colour by &Label"), colorGroup);
  colorByLabel_->setShortcut(QKeySequence(Qt::Key_L));
  colorByLabel_->setToolTip(tr("Colour points by their true class (L)"));
  colorByCluster_ = new QAction(tr("Colour by &Cluster"), colorGroup);
  colorByCluster_->setShortcut(QKeySequence(Qt::Key_C));
  colorByCluster_->setToolTip(tr("Colour points by their nearest centroid (C)"));
  for (QAction* a : {colorByLabel_, colorByCluster_}) a->setCheckable(true);
  colorByLabel_->setChecked(true);
  connect(colorByLabel_, &QAction::triggered, window,
          [window] { window->setColorBy(ScatterView::ColorBy::Label); });
  connect(colorByCluster_, &QAction::triggered, window,
          [window] { window->setColorBy(ScatterView::ColorBy::Cluster); });

  animate_ = new QAction(tr("&Animate Transitions"), window);
  animate_->setCheckable(true);
  animate_->setChecked(true);
  animate_->setToolTip(tr("Let points glide to their new places after each epoch"));
  connect(animate_, &QAction::toggled, display, &RunDisplay::setAnimate);
  for (QAction* a : {resetAction, colorByLabel_, colorByCluster_}) a->setEnabled(display->view() != nullptr);

  auto* quit = new QAction(tr("&Quit"), window);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);
  connect(quit, &QAction::triggered, window, &QWidget::close);
  ExportMenu* exports = addFileMenu(quit);

  trainBoth_ = new TrainBoth(window);
  auto* both = new QAction(tr("Train &Both Objectives"), window);
  both->setToolTip(
      tr("Train the post's k-means loss, then the k-means-friendly objective, on the same "
         "data and seed, and show them side by side"));
  connect(both, &QAction::triggered, trainBoth_, [this] { trainBoth_->start(); });
  connect(window, &MainWindow::runStarted, both, [both] { both->setEnabled(false); });
  connect(window, &MainWindow::runEnded, both, [both] { both->setEnabled(true); });
  QMenuBar* bar = window->menuBar();
  QMenu* run = bar->addMenu(tr("&Run"));
  run->addAction(train_);
  run->addAction(both);
  run->addAction(stop_);
  QMenu* view = bar->addMenu(tr("&View"));
  addReplayMenu(view->menuAction());
  view->addAction(resetAction);
  view->addSeparator();
  view->addAction(colorByLabel_);
  view->addAction(colorByCluster_);
  view->addAction(animate_);
  view->addSeparator();
  for (QDockWidget* d : window->findChildren<QDockWidget*>()) view->addAction(d->toggleViewAction());
  QMenu* help = bar->addMenu(tr("&Help"));
  help->addAction(tr("&About Centroid"), window, [window] {
    // The one modal box, and only on request: nothing automatic ever waits on it.
    QMessageBox::about(window, tr("About Centroid"),
                       tr("<b>Centroid %1</b><p>Trains a small CNN on MNIST with k-means as the "
                          "loss and shows the embedding move in 3-D while it learns.</p>"
                          "<p>libtorch %2, Qt %3.</p>")
                           .arg(QString::fromStdString(centroidVersion()),
                                QString::fromStdString(torchVersion()), qVersion()));
  });

  QToolBar* tools = window->addToolBar(tr("Main"));
  tools->setObjectName("mainToolBar");
  tools->setMovable(false);
  tools->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  tools->addAction(train_);
  tools->addAction(stop_);
  tools->addSeparator();
  tools->addAction(resetAction);
  tools->addAction(colorByLabel_);
  tools->addAction(colorByCluster_);
  tools->addSeparator();
  tools->addAction(exports->viewAction());
}

ExportMenu* WindowActions::addFileMenu(QAction* quit) {
  QMenu* file = window_->menuBar()->addMenu(tr("&File"));
  open_ = new QAction(window_->style()->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open Run…"), window_);
  open_->setShortcut(QKeySequence::Open);
  open_->setToolTip(tr("Replay a saved run file (.h5), or follow one that is still being written (Ctrl+O)"));
  connect(open_, &QAction::triggered, this, &WindowActions::openDialog);
  file->addAction(open_);
  recent_ = new RecentRuns(persistRecent_, file->addMenu(tr("Open &Recent")), this);
  connect(recent_, &RecentRuns::openRequested, window_, &MainWindow::openRun);
  auto* compare = new QAction(tr("Co&mpare With…"), window_);
  compare->setToolTip(tr("Show this run and another side by side, on one timeline"));
  connect(compare, &QAction::triggered, this, &WindowActions::compareDialog);
  file->addAction(compare);
  needsRunActions_ << compare;
  auto* close = new QAction(tr("&Close Run"), window_);
  close->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
  close->setToolTip(tr("Leave the replay and return to the training controls (Ctrl+W)"));
  connect(close, &QAction::triggered, window_, &MainWindow::closeRun);
  file->addAction(close);
  replayActions_ << close;
  file->addSeparator();
  auto* exports = new ExportMenu(window_);  // File ▸ Export …, through the export registry
  exports->addTo(file);
  needsRunActions_ << exports->runActions();
  file->addSeparator();
  file->addAction(quit);
  return exports;
}

void WindowActions::addReplayMenu(QAction* before) {
  QMenu* menu = new QMenu(tr("&Replay"), window_);
  window_->menuBar()->insertMenu(before, menu);
  // Window-wide shortcuts, so ← → and Space work wherever the focus is in the window, except
  // in widgets that use those keys themselves: text fields, tables, buttons (FocusKeys).
  new FocusKeys(window_);
  Timeline* timeline = display_->timeline();
  RunModel* run = display_->run();
  auto add = [&](const QString& text, const QKeySequence& key, auto slot) {
    auto* a = new QAction(text, window_);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    connect(a, &QAction::triggered, window_, slot);
    menu->addAction(a);
    window_->addAction(a);  // shortcuts work while the menu bar is hidden too
    replayActions_ << a;
    return a;
  };
  add(tr("&Play / Pause"), QKeySequence(Qt::Key_Space), [timeline] {
    timeline->togglePlaying();
  })->setObjectName("playPause");
  add(tr("&Previous Epoch"), QKeySequence(Qt::Key_Left), [timeline] {
    timeline->step(-1);
  })->setObjectName("stepBack");
  add(tr("&Next Epoch"), QKeySequence(Qt::Key_Right), [timeline] {
    timeline->step(1);
  })->setObjectName("stepForward");
  add(tr("&First Epoch"), QKeySequence(Qt::Key_Home), [run] { run->setCurrentIndex(0); });
  add(tr("&Last Epoch"), QKeySequence(Qt::Key_End), [run] { run->setCurrentIndex(run->epochCount() - 1); });
}

void WindowActions::openDialog() {
  const QStringList recent = recent_->paths();
  const QString start =
      recent.isEmpty() ? window_->controls()->runsFolder() : QFileInfo(recent.first()).path();
  const QString path = QFileDialog::getOpenFileName(window_, tr("Open Run"), start,
                                                    tr("Centroid runs (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) window_->openRun(path);
}

void WindowActions::compareDialog() {
  const QString start = QFileInfo(window_->runPath()).path();
  const QString path = QFileDialog::getOpenFileName(window_, tr("Compare With"), start,
                                                    tr("Centroid runs (*.h5 *.hdf5);;All files (*)"));
  if (!path.isEmpty()) window_->compareWith(path);
}

void WindowActions::update(bool training, bool canTrain, bool runOpen, bool runReady) {
  train_->setEnabled(!training && canTrain);
  stop_->setEnabled(training);
  // The timeline's actions work on any run on screen, a training one included.
  for (QAction* a : replayActions_) a->setEnabled(runOpen);
  // A training run can be exported and compared as it grows (its frames wait for its end).
  for (QAction* a : needsRunActions_) a->setEnabled(runReady);
  // Opening a run replaces what is on screen: not while a run trains into it.
  open_->setEnabled(!training);
  recent_->setOpenAllowed(!training);
}

}  // namespace centroid::ui
