// The widgets that show one run, kept in step with its RunModel: the banner, the 3-D view (or a
// placeholder without OpenGL), the class filter and the timeline in the centre; the charts, the
// cluster tables, the run summary and the progress strip for the window to place; the point
// inspector. The same for a training and a saved run: both reach it only through the model.
#pragma once

#include <QObject>
#include <QString>
#include <string>

#include "core/metrics/Types.h"
#include "ui/run/MetaTypes.h"

class QLabel;
class QWidget;

namespace centroid::ui {

class ClassFilter;
class MessageBanner;
class MetricsCharts;
class PointInspector;
class PurityPanel;
class RunModel;
class RunProgress;
class RunSummaryPanel;
class ScatterView;
class Timeline;

class RunDisplay : public QObject {
  Q_OBJECT

 public:
  // with3d: a ScatterView; otherwise a placeholder that says why there is none. `window` is
  // the inspector's parent (the popup stays above it).
  RunDisplay(bool with3d, QWidget* window);
  ~RunDisplay() override;

  RunModel* run() const { return run_; }
  QWidget* centre() const { return centre_; }  // banner, view, class filter, timeline
  MessageBanner* banner() const { return banner_; }
  ScatterView* view() const { return view_; }  // null without OpenGL
  MetricsCharts* charts() const { return charts_; }
  PurityPanel* purity() const { return purity_; }
  Timeline* timeline() const { return timeline_; }
  ClassFilter* classFilter() const { return classFilter_; }
  PointInspector* inspector() const { return inspector_; }
  RunSummaryPanel* runSummary() const { return runSummary_; }
  RunProgress* progress() const { return progress_; }

  // The window's training state: a training's newest epoch glides at the view's own pace and
  // moves the progress strip; its start and end are the window's to tell.
  void setTraining(bool training) { training_ = training; }
  void setAnimate(bool animate) { animate_ = animate; }
  // A new training: charts, tables and view cleared, the progress strip started.
  void beginTraining(const TrainConfig& config);
  void clear();  // the run was closed: nothing on screen

  int epochsShown() const { return epochsShown_; }
  EpochFramePtr lastFrame() const { return lastFrame_; }
  int selectedPoint() const { return selectedPoint_; }  // last clicked view point, -1 if none
  double slowestEpochUpdateMs() const { return slowestEpochUpdateMs_; }

 signals:
  void statusMessage(const QString& text, int timeoutMs = 0);
  void epochShown(int epoch);          // a training's newest epoch is on screen
  void frameShown(int epoch);          // any epoch is on screen
  void pointSelected(int index);       // a click on a view point
  void runShown(const QString& path);  // a newly opened run is on every widget

 private:
  void showMethod(const std::string& objective);  // the loss chart's title, the table's row name
  void onOpened();
  void onFrame(int index, const EpochFramePtr& frame, bool animate);
  void onEpochsAppended(int count);
  void onFollowingChanged(bool following);
  void showHover(int index);
  void selectPoint(int index);

  RunModel* run_;
  QWidget* centre_;
  MessageBanner* banner_;
  ScatterView* view_ = nullptr;
  QLabel* placeholder_ = nullptr;
  ClassFilter* classFilter_;
  Timeline* timeline_;
  MetricsCharts* charts_;
  PurityPanel* purity_;
  RunSummaryPanel* runSummary_;
  RunProgress* progress_;
  PointInspector* inspector_;

  bool training_ = false;
  bool animate_ = true;
  ViewSetPtr viewSet_;
  EpochFramePtr lastFrame_;
  int epochsShown_ = 0;
  int selectedPoint_ = -1;
  int liveTransitionMs_ = 600;  // the view's own transition, restored after a replay
  double slowestEpochUpdateMs_ = 0;
};

}  // namespace centroid::ui
