// The run progress strip of the status bar.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <QWidget>

#include "core/metrics/Types.h"

class QLabel;
class QProgressBar;

namespace centroid::ui {

// Epoch within run, batch within epoch, images per second and time left, for the status bar.
// Batch reports (about ten a second from the trainer) are shown at most every
// kBatchRefreshMs, the latest one winning: under software OpenGL every repaint of the window
// recomposes all of it (18-19 ms of the GUI thread plus Mesa's threads), and at ten a second
// those repaints took enough of the two cores to make training in the window 1.5x slower than
// centroid-train (docs/benchmarks.md, "Replay and GUI").
class RunProgress : public QWidget {
  Q_OBJECT

 public:
  explicit RunProgress(QWidget* parent = nullptr);

  void begin(int maxEpochs);
  void batch(const centroid::BatchProgress& p);
  void epochDone(int epoch);
  void end();

  QProgressBar* epochBar() const { return epochBar_; }
  QProgressBar* batchBar() const { return batchBar_; }
  QString timeLeftText() const;

  // "12 s", "3 min 10 s", "1 h 05 min".
  static QString formatDuration(double seconds);
  static constexpr int kBatchRefreshMs = 500;

 private:
  void showBatch();  // last_ on the bars and labels
  void updateEta();

  QProgressBar* epochBar_;
  QProgressBar* batchBar_;
  QLabel* rate_;
  QLabel* eta_;
  QElapsedTimer clock_;       // started at the first batch, so data loading is not counted
  double firstBatchAt_ = -1;  // seconds on clock_
  double lastEpochAt_ = -1;
  int maxEpochs_ = 0;
  int epochsDone_ = 0;
  centroid::BatchProgress last_;
  QTimer refresh_;        // single shot: the earliest time the next batch may be shown
  bool pending_ = false;  // a report arrived while refresh_ ran
};

}  // namespace centroid::ui
