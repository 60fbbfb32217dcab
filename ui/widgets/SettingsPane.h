// The Settings dock's content: the training controls (scrolling on small screens), or, while a
// saved run is on screen, that run's settings and state (RunSummaryPanel).
#pragma once

#include <QStackedWidget>

class QScrollArea;

namespace centroid::ui {

class ControlsPanel;
class RunSummaryPanel;

class SettingsPane : public QStackedWidget {
  Q_OBJECT

 public:
  SettingsPane(ControlsPanel* controls, RunSummaryPanel* summary, QWidget* parent = nullptr);

  void showControls() { setCurrentIndex(0); }
  void showRun() { setCurrentIndex(1); }
  int controlsWidth() const;  // what the controls need without a horizontal scroll bar
};

}  // namespace centroid::ui
