// The main window's menus, toolbar and shortcuts (File, Run, Replay, View, Help), and which of
// them a state of the window enables. Each action calls one of the window's public slots or
// moves the run's timeline.
#pragma once

#include <QList>
#include <QObject>

class QAction;

namespace centroid::ui {

class ExportMenu;
class MainWindow;
class RecentRuns;
class RunDisplay;
class TrainBoth;

class WindowActions : public QObject {
  Q_OBJECT

 public:
  // Builds the menu bar and the toolbar of `window` (after its docks exist: View lists them).
  WindowActions(MainWindow* window, RunDisplay* display, bool persistRecent);

  QAction* colorByLabel() const { return colorByLabel_; }
  QAction* colorByCluster() const { return colorByCluster_; }
  QAction* animate() const { return animate_; }
  QAction* stop() const { return stop_; }
  RecentRuns* recent() const { return recent_; }
  TrainBoth* trainBoth() const { return trainBoth_; }

  // training: a run trains into the window; canTrain: the controls are valid; runOpen: a run is
  // on the timeline; runReady: it can be exported or compared.
  void update(bool training, bool canTrain, bool runOpen, bool runReady);

 private:
  ExportMenu* addFileMenu(QAction* quit);  // File; returns its exports
  void addReplayMenu(QAction* before);
  void openDialog();     // File ▸ Open Run…
  void compareDialog();  // File ▸ Compare With…

  MainWindow* window_;
  RunDisplay* display_;
  QAction* train_ = nullptr;
  QAction* stop_ = nullptr;
  QAction* animate_ = nullptr;
  QAction* colorByLabel_ = nullptr;
  QAction* colorByCluster_ = nullptr;
  QAction* open_ = nullptr;
  QList<QAction*> replayActions_;    // enabled while a run is on the timeline
  QList<QAction*> needsRunActions_;  // enabled when there is a run to export or compare
  RecentRuns* recent_ = nullptr;
  TrainBoth* trainBoth_ = nullptr;
  bool persistRecent_;
};

}  // namespace centroid::ui
