// The live training window: controls on the left, the 3-D view in the centre, charts and the
// purity panel in docks, progress in the status bar; owns the training thread.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

#include "core/metrics/Types.h"
#include "ui/view/ScatterView.h"
#include "ui/run/MetaTypes.h"

class QAction;
class QActionGroup;
class QDragEnterEvent;
class QDropEvent;
class QLabel;
class QMenu;
class QSettings;
class QStackedWidget;
class QToolBar;
class QVBoxLayout;

namespace centroid::ui {

class ClassFilter;
class TrainBoth;
class CompareWindow;
class ControlsPanel;
class MessageBanner;
class MetricsCharts;
class PointInspector;
class PurityPanel;
class RunModel;
class RunProgress;
class RunSummaryPanel;
class Timeline;
class TrainWorker;
struct ExportJob;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  struct Options {
    // Read the controls and window layout from QSettings now, and write them back on close.
    // Scripted runs (--quit) turn this off so they neither depend on nor change what the
    // user last typed.
    bool useSettings = true;
    // Skip the OpenGL probe and show the placeholder instead of the 3-D view.
    bool disable3d = false;
  };

  explicit MainWindow(QWidget* parent = nullptr);
  explicit MainWindow(const Options& options, QWidget* parent = nullptr);
  ~MainWindow() override;  // stops a run and waits for the training thread

  ControlsPanel* controls() const { return controls_; }
  ScatterView* view() const { return view_; }  // null when OpenGL is unavailable
  MetricsCharts* charts() const { return charts_; }
  PurityPanel* purity() const { return purity_; }
  RunProgress* runProgress() const { return progress_; }
  TrainWorker* worker() const { return worker_; }
  // The run on screen, training or saved: everything in the window observes this model.
  RunModel* run() const { return run_; }
  Timeline* timeline() const { return timeline_; }
  ClassFilter* classFilter() const { return classFilter_; }
  PointInspector* inspector() const { return inspector_; }
  RunSummaryPanel* runSummary() const { return runSummary_; }
  CompareWindow* compareWindow() const;  // the open compare window, if any
  // A run is on the timeline and not training here (a saved one, or one that has ended).
  bool isReplaying() const;
  int selectedPoint() const { return selectedPoint_; }  // last clicked view point, -1 if none
  QStringList recentRuns() const { return recentRuns_; }

  bool isTraining() const { return training_; }
  quint64 currentRunId() const { return currentRun_; }  // the worker's id of the run on screen
  QString runPath() const { return runPath_; }
  int epochsShown() const { return epochsShown_; }
  QString bannerText() const;  // the error or note above the view; empty when none
  EpochFramePtr lastFrame() const { return lastFrame_; }
  // GUI-thread time of the slowest per-epoch update (view, charts, table) of this run, in ms:
  // what a live run costs the GUI thread beyond the view's own animation frames.
  double slowestEpochUpdateMs() const { return slowestEpochUpdateMs_; }

  // True when a context of the default format can be created on this platform (and the
  // platform is not one whose QOpenGLWidget is known to crash).
  static bool openGlAvailable();

 public slots:
  // Starts a run with the controls' settings; false (with the reason in the banner) when the
  // settings are invalid or a run is going.
  bool startTraining();
  // Starts a run with `config`, bypassing the controls' inline checks (not validate()):
  // scripts, and tests that want the core's own errors.
  bool startTraining(const centroid::TrainConfig& config);
  void stopTraining();
  void resetView();
  void setColorBy(centroid::ui::ScatterView::ColorBy mode);
  // PNG of the 3-D view (rendered offscreen at scale x its size) or of the whole window.
  bool exportViewImage(const QString& path, int scale = 1);
  bool exportWindowImage(const QString& path);

  // Replay (MainWindowReplay.cpp) and export (MainWindow.cpp). Each returns false with the
  // reason in the banner; nothing throws and the window stays usable.
  bool openRun(const QString& path);  // refused while training
  void closeRun();                    // back to the empty controls (not while training)
  // Per-epoch metrics beside the baselines, and the shown epoch's contingency matrix with
  // per-cluster purity; CSV or Markdown by the file's extension (.csv, .md).
  bool exportMetricsTable(const QString& path);
  bool exportClusterTable(const QString& path);
  // Every view point's index, split, label, cluster and coordinates, of the shown epoch or of
  // every epoch; CSV or NumPy .npy by the extension.
  bool exportEmbedding(const QString& path, bool allEpochs = false);
  // The run as MP4, WebM or GIF (by the extension): framesPerEpoch frames per step at fps,
  // epochs first..last (epoch numbers; 0 = from the first / to the last).
  bool exportAnimation(const QString& path, int fps = 30, int framesPerEpoch = 15, int scale = 1,
                       int firstEpoch = 0, int lastEpoch = 0,
                       const std::function<bool(int, int)>& progress = {});
  // One PNG per saved epoch (frame-00001.png, ...) at scale x the view's size; with
  // framesPerEpoch > 1, that many frames per step, the points moved linearly in between.
  // progress(done, total) is called after each frame; returning false stops the export.
  bool exportFrames(const QString& dir, int scale = 1, int framesPerEpoch = 1,
                    const std::function<bool(int, int)>& progress = {});
  // Opens a window with this run and `path` side by side; null (banner says why) on failure.
  CompareWindow* compareWith(const QString& path);
  // Two files side by side (left, right), whatever is on screen; null with the reason shown.
  CompareWindow* compareRuns(const QString& left, const QString& right);
  // Run ▸ Train Both Objectives: the post's objective, then the friendly one, then Compare.
  TrainBoth* trainBoth() const { return trainBoth_; }

 signals:
  void runStarted(QString runPath);
  void epochShown(int epoch);
  void runFinished(centroid::TrainResult result);  // Completed, EarlyStopped, Cancelled, Failed
  void runFailed(QString message);                 // could not start, or threw
  void runEnded(bool ok);                          // after either of the two above
  void runOpened(QString path);                    // a saved run is on the timeline
  void replayFrameShown(int epoch);                // the timeline moved to this epoch
  void pointSelected(int index);                   // a click on a view point

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void buildUi(const Options& options);
  void createActions();  // MainWindowActions.cpp
  void saveSettings();
  void restoreSettings();
  void setTraining(bool training);
  void updateTitle();
  void stopWorkerThread();
  void showError(const QString& text);
  void showMethod(const std::string& objective);  // the loss chart's title, the table's row name

  // MainWindowReplay.cpp
  void buildReplayUi(QVBoxLayout* centre);
  QWidget* settingsPane(QWidget* controls);  // the controls, or a replayed run's settings
  void addOpenActions(QMenu* file);
  void addReplayMenu();
  void onRunOpened();
  void onFrame(int index, const EpochFramePtr& frame, bool animate);
  void onEpochsAppended(int count);
  void onFollowingChanged(bool following);
  void updateReplayActions();
  void rememberRun(const QString& path);
  void rebuildRecentMenu();
  void showHover(int index);
  void selectPoint(int index);
  void openDialog();
  void compareDialog();
  // Exports through the registry (ui/export); the menu and its dialogs are ExportMenu.
  ExportJob exportJob() const;  // this window's run, view and window, the epoch on screen
  bool runExport(const QString& id, const ExportJob& job, const QString& path);  // outcome shown

  // A signal belongs to the run on screen: its id, and that run has not ended yet (the
  // worker's signals of one run arrive in order, so nothing legitimate follows its end).
  bool isCurrent(quint64 id) const { return training_ && id == currentRun_; }
  // From the worker (queued); each first checks isCurrent(). The run's data itself reaches the
  // window through the run model (a LiveRunSource), as a saved run's does.
  void onProgress(quint64 id, const BatchProgress& p);
  void onMessage(quint64 id, const QString& text);
  void onFinished(quint64 id, const TrainResult& result);
  void onFailed(quint64 id, const QString& message);

  Options options_;
  QThread thread_;
  TrainWorker* worker_ = nullptr;  // lives on thread_; deleted after the thread ends
  quint64 currentRun_ = 0;         // signals from any other run id are stale
  bool training_ = false;
  QString runPath_;
  int epochsShown_ = 0;
  double slowestEpochUpdateMs_ = 0;
  ViewSetPtr viewSet_;
  EpochFramePtr lastFrame_;

  ControlsPanel* controls_ = nullptr;
  ScatterView* view_ = nullptr;
  QLabel* placeholder_ = nullptr;
  MetricsCharts* charts_ = nullptr;
  PurityPanel* purity_ = nullptr;
  MessageBanner* banner_ = nullptr;
  RunProgress* progress_ = nullptr;

  QAction* trainAction_ = nullptr;
  QAction* stopAction_ = nullptr;
  QAction* animateAction_ = nullptr;
  QActionGroup* colorGroup_ = nullptr;
  QAction* colorByLabel_ = nullptr;
  QAction* colorByCluster_ = nullptr;
  QMenu* viewMenu_ = nullptr;

  // The run on screen and what moves through it.
  RunModel* run_ = nullptr;
  Timeline* timeline_ = nullptr;
  ClassFilter* classFilter_ = nullptr;
  PointInspector* inspector_ = nullptr;
  RunSummaryPanel* runSummary_ = nullptr;
  QStackedWidget* settingsStack_ = nullptr;
  QPointer<CompareWindow> compare_;
  TrainBoth* trainBoth_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  QAction* openAction_ = nullptr;
  QList<QAction*> replayActions_;    // enabled only while a run is replayed
  QList<QAction*> needsRunActions_;  // enabled when there is a run to export or compare
  QStringList recentRuns_;
  int liveTransitionMs_ = 600;  // the view's own transition, restored after a replay
  int selectedPoint_ = -1;
};

}  // namespace centroid::ui
