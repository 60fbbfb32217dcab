// Qt-side helpers shared by test_replay and test_inspect: the fixture's sizes, what the view
// shows, points that stand alone on screen, and synthetic mouse events.
#pragma once

#include <QApplication>
#include <QLineF>
#include <QMouseEvent>

#include "tests/ui/ReplayFixture.h"
#include "ui/view/ScatterView.h"
#include "ui/window/MainWindow.h"

namespace centroid::replaytest {

// The run every test replays: 300 points (i % 10 labels), 6 epochs.
inline constexpr int kPoints = 300;
inline constexpr int kEpochs = 6;

inline ui::MainWindow::Options scripted() {
  ui::MainWindow::Options o;
  o.useSettings = false;
  return o;
}

// The view draws the frame's own coordinates for D = 3 (no projection): compare exactly.
inline bool showsEpoch(const ui::ScatterView* view, int epoch) {
  return view->displayedPositions() == fixtureFrame(epoch, kPoints).embedding;
}

// A point whose screen position no other point shares (within the pick radius), so a pick
// there can only mean this one.
inline int isolatedPoint(ui::ScatterView* view, int from = 0) {
  for (int i = from; i < view->pointCount(); ++i) {
    const QPointF p = view->projectedPoint(i);
    if (p.x() < 20 || p.y() < 20 || p.x() > view->width() - 20 || p.y() > view->height() - 20) continue;
    bool alone = true;
    for (int j = 0; j < view->pointCount() && alone; ++j)
      if (j != i && QLineF(p, view->projectedPoint(j)).length() < 12) alone = false;
    if (alone) return i;
  }
  return -1;
}

inline void sendMouse(QWidget* w, QEvent::Type type, const QPointF& pos,
                      Qt::MouseButton button = Qt::NoButton) {
  const Qt::MouseButtons buttons = type == QEvent::MouseButtonPress ? Qt::MouseButtons(button) : Qt::NoButton;
  QMouseEvent e(type, pos, w->mapToGlobal(pos), button, buttons, Qt::NoModifier);
  QApplication::sendEvent(w, &e);
}

}  // namespace centroid::replaytest