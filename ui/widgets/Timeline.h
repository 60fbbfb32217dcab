// The replay timeline: a slider over the saved epochs, play/pause, step, speed and loop. It
// only asks for epochs (indexRequested); the replay controller decides what is shown.
#pragma once

#include <QTimer>
#include <QWidget>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QToolButton;

namespace centroid::ui {

class Timeline : public QWidget {
  Q_OBJECT

 public:
  // Playback speeds offered, in epochs per second at 1x (see epochIntervalMs).
  static constexpr double kSpeeds[] = {0.5, 1, 2, 4};
  // One epoch per second at 1x: long enough to see where points went, short enough that a
  // 30-epoch run plays in half a minute.
  static constexpr int kBaseIntervalMs = 1000;

  explicit Timeline(QWidget* parent = nullptr);

  // The epoch numbers of the stored epochs, in order (their count is the slider's range).
  // Keeps the current index when it is still valid.
  void setEpochs(const std::vector<int>& epochNumbers);
  // Moves the slider without emitting indexRequested (the controller reports where it is).
  void setCurrentIndex(int index);
  int currentIndex() const { return index_; }
  int count() const { return static_cast<int>(epochs_.size()); }

  bool isPlaying() const { return playTimer_.isActive(); }
  void setPlaying(bool playing);
  void togglePlaying() { setPlaying(!isPlaying()); }
  // Asks for the epoch `delta` steps away (wraps only when looping and playing).
  void step(int delta);

  double speed() const { return speed_; }
  void setSpeed(double speed);  // snapped to the nearest of kSpeeds
  bool loop() const;
  void setLoop(bool on);
  // Time per epoch at the current speed, and the view transition matched to it: most of the
  // interval, so each epoch rests briefly before the next glide starts.
  int epochIntervalMs() const;
  int transitionMs() const;

  // "live" badge while the run is followed.
  void setLive(bool live);
  bool isLive() const { return live_; }
  QString positionText() const;  // "epoch 7 (7 of 30)"

  QSlider* slider() const { return slider_; }
  QToolButton* playButton() const { return play_; }

 signals:
  // animate: glide there (playback, steps); false for slider drags, which jump.
  void indexRequested(int index, bool animate);
  void playingChanged(bool playing);

 private:
  void advance();  // playback tick
  void updateLabels();

  std::vector<int> epochs_;
  int index_ = -1;
  double speed_ = 1;
  bool live_ = false;
  QTimer playTimer_;
  QSlider* slider_;
  QToolButton* play_;
  QToolButton* back_;
  QToolButton* forward_;
  QComboBox* speedBox_;
  QCheckBox* loop_;
  QLabel* position_;
  QLabel* liveBadge_;
};

}  // namespace centroid::ui
