// Two runs side by side: two 3-D views on one timeline, so the same epoch of two settings
// (learning rate, K, seed) can be compared point for point.
#pragma once

#include <QString>
#include <QWidget>
#include <array>
#include <vector>

#include "ui/view/ScatterView.h"
#include "ui/run/MetaTypes.h"

class QLabel;

namespace centroid::ui {

class RunModel;
class Timeline;

class CompareWindow : public QWidget {
  Q_OBJECT

 public:
  // A top-level window (Qt::Window) owned by `parent`, deleted when closed.
  explicit CompareWindow(QWidget* parent = nullptr);
  ~CompareWindow() override;

  // Opens both runs; false with errorString() naming the file and the fault when either
  // cannot be read (nothing is shown then).
  bool open(const QString& left, const QString& right);
  QString errorString() const { return error_; }

  // The shared timeline runs over the union of both runs' epoch numbers; a run that stopped
  // earlier keeps showing its last epoch (its caption says so).
  Timeline* timeline() const { return timeline_; }
  ScatterView* view(int side) const { return sides_[side].view; }  // null without OpenGL
  RunModel* run(int side) const { return sides_[side].run; }
  QString caption(int side) const;
  void setColorBy(ScatterView::ColorBy mode);
  // Shows the index-th epoch of the union in both views.
  void showIndex(int index, bool animate = false);
  // Shows the epoch numbered `epoch` (a run that stopped earlier shows its last); false when
  // neither run stored it.
  bool showEpoch(int epoch);
  // The cameras are linked: turning or zooming one view turns and zooms the other. Only the
  // direction, the view-up and the zoom relative to each view's own fit travel: two runs'
  // clouds differ in size and place, so the same camera position would frame one badly.
  bool camerasLinked() const { return camerasLinked_; }
  void resetCameras();  // both views frame their clouds again

 private:
  struct Side {
    RunModel* run = nullptr;
    ScatterView* view = nullptr;
    QLabel* caption = nullptr;
  };
  void rebuildEpochs();
  void showSide(int side, int epoch, bool animate);
  void linkCameras();
  void syncCamera(int from);  // from's direction, up and relative zoom onto the other view

  std::array<Side, 2> sides_;
  Timeline* timeline_ = nullptr;
  std::vector<int> epochs_;  // union of both runs' epoch numbers, ascending
  QString error_;
  bool camerasLinked_ = false;
  // Each view's camera distance while it last framed its cloud by itself: the zoom reference.
  std::array<double, 2> fitDistance_{0, 0};
};

}  // namespace centroid::ui
