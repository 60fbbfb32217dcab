// The main window: arranges the run's widgets (RunDisplay) around the 3-D view, the controls
// and the docks, and wires them to the training thread, the menus and the exports.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <functional>

#include "core/metrics/Types.h"
#include "ui/view/ScatterView.h"
#include "ui/run/MetaTypes.h"
#include "ui/run/TrainingThread.h"
#include "ui/window/RunDisplay.h"

class QDragEnterEvent;
class QDropEvent;

namespace centroid::ui {

class ClassFilter;
class TrainBoth;
class CompareWindow;
class ControlsPanel;
class MessageBanner;
class MetricsCharts;
class PointInspector;
class PurityPanel;
class RunDisplay;
class RunModel;
class RunProgress;
class RunSummaryPanel;
class SettingsPane;
class Timeline;
class TrainingThread;
class TrainWorker;
class WindowActions;
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
  // The run's widgets (RunDisplay.h).
  ScatterView* view() const { return display_->view(); }  // null when OpenGL is unavailable
  MetricsCharts* charts() const { return display_->charts(); }
  PurityPanel* purity() const { return display_->purity(); }
  RunProgress* runProgress() const { return display_->progress(); }
  Timeline* timeline() const { return display_->timeline(); }
  ClassFilter* classFilter() const { return display_->classFilter(); }
  PointInspector* inspector() const { return display_->inspector(); }
  RunSummaryPanel* runSummary() const { return display_->runSummary(); }
  TrainWorker* worker() const { return training_->worker(); }
  // The run on screen, training or saved: everything in the window observes this model.
  RunModel* run() const { return display_->run(); }
  CompareWindow* compareWindow() const;  // the open compare window, if any
  // A run is on the timeline and not training here (a saved one, or one that has ended).
  bool isReplaying() const;
  int selectedPoint() const { return display_->selectedPoint(); }  // last clicked view point, -1 if none
  QStringList recentRuns() const;

  bool isTraining() const { return training_->isTraining(); }
  quint64 currentRunId() const { return training_->currentRun(); }  // the worker's id of the run on screen
  QString runPath() const { return runPath_; }
  int epochsShown() const { return display_->epochsShown(); }
  QString bannerText() const;  // the error or note above the view; empty when none
  EpochFramePtr lastFrame() const { return display_->lastFrame(); }
  // GUI-thread time of the slowest per-epoch update (view, charts, table) of this run, in ms:
  // what a live run costs the GUI thread beyond the view's own animation frames.
  double slowestEpochUpdateMs() const { return display_->slowestEpochUpdateMs(); }

  // Whether the 3-D view can exist here (VtkOpenGLWidget::openGlAvailable).
  static bool openGlAvailable() { return ScatterView::openGlAvailable(); }

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

  // Replay and export. Each returns false with the reason in the banner; nothing throws and
  // the window stays usable.
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
  TrainBoth* trainBoth() const;

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
  void buildUi();
  void saveSettings();
  void restoreSettings();
  void updateActions();  // after the training state, the controls' validity or the run changed
  void updateTitle();
  void showError(const QString& text);
  void onRunShown(const QString& path);
  void onFinished(const TrainResult& result);
  void onFailed(const QString& message);
  // Exports through the registry (ui/export); the menu and its dialogs are ExportMenu.
  ExportJob exportJob() const;  // this window's run, view and window, the epoch on screen
  bool runExport(const QString& id, const ExportJob& job, const QString& path);  // outcome shown

  Options options_;
  TrainingThread* training_;  // the worker and its thread
  RunDisplay* display_;       // the run model and every widget that shows it
  ControlsPanel* controls_ = nullptr;
  SettingsPane* settings_ = nullptr;  // the controls, or a replayed run's settings
  WindowActions* actions_ = nullptr;
  QPointer<CompareWindow> compare_;
  QString runPath_;
};

}  // namespace centroid::ui
