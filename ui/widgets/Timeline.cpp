// Replay timeline widget and its playback clock.
#include "ui/widgets/Timeline.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <algorithm>
#include <cmath>
#include <iterator>

namespace centroid::ui {

Timeline::Timeline(QWidget* parent) : QWidget(parent) {
  setObjectName("timeline");
  auto button = [this](QStyle::StandardPixmap icon, const QString& tip) {
    auto* b = new QToolButton;
    b->setIcon(style()->standardIcon(icon));
    b->setToolTip(tip);
    b->setAutoRaise(true);
    return b;
  };
  back_ = button(QStyle::SP_MediaSeekBackward, tr("Previous epoch (←)"));
  play_ = button(QStyle::SP_MediaPlay, tr("Play the epochs in order (Space)"));
  forward_ = button(QStyle::SP_MediaSeekForward, tr("Next epoch (→)"));
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setToolTip(tr("Drag to scrub through the saved epochs"));
  slider_->setPageStep(5);
  slider_->setFocusPolicy(Qt::NoFocus);  // ← → belong to the window's step actions
  position_ = new QLabel;
  position_->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("epoch 888 (888 of 888)")));
  speedBox_ = new QComboBox;
  speedBox_->setToolTip(tr("Playback speed (1× is one epoch a second)"));
  for (double s : kSpeeds) speedBox_->addItem(QStringLiteral("%1×").arg(s), s);
  speedBox_->setCurrentIndex(1);
  loop_ = new QCheckBox(tr("Loop"));
  loop_->setToolTip(tr("Start again at the first epoch after the last"));
  liveBadge_ = new QLabel(tr("● live"));
  liveBadge_->setToolTip(
      tr("The run is still being written; new epochs join the timeline as they are saved"));
  liveBadge_->setStyleSheet("color: #c5221f; font-weight: bold;");
  liveBadge_->setVisible(false);

  auto* h = new QHBoxLayout(this);
  h->setContentsMargins(6, 2, 6, 2);
  h->addWidget(back_);
  h->addWidget(play_);
  h->addWidget(forward_);
  h->addWidget(slider_, 1);
  h->addWidget(position_);
  h->addWidget(liveBadge_);
  h->addWidget(speedBox_);
  h->addWidget(loop_);

  playTimer_.setInterval(epochIntervalMs());
  connect(&playTimer_, &QTimer::timeout, this, &Timeline::advance);
  connect(play_, &QToolButton::clicked, this, &Timeline::togglePlaying);
  connect(back_, &QToolButton::clicked, this, [this] { step(-1); });
  connect(forward_, &QToolButton::clicked, this, [this] { step(1); });
  connect(slider_, &QSlider::valueChanged, this, [this](int value) {
    if (value == index_) return;
    index_ = value;
    updateLabels();
    emit indexRequested(value, false);
  });
  connect(speedBox_, &QComboBox::currentIndexChanged, this,
          [this](int i) { setSpeed(speedBox_->itemData(i).toDouble()); });
  setEpochs({});
}

void Timeline::setEpochs(const std::vector<int>& epochNumbers) {
  epochs_ = epochNumbers;
  if (epochs_.empty()) {
    index_ = -1;
    setPlaying(false);
  } else {
    index_ = std::clamp(index_, 0, count() - 1);
  }
  const QSignalBlocker block(slider_);
  slider_->setRange(0, std::max(0, count() - 1));
  slider_->setValue(std::max(index_, 0));
  for (QWidget* w : {static_cast<QWidget*>(slider_), static_cast<QWidget*>(play_),
                     static_cast<QWidget*>(back_), static_cast<QWidget*>(forward_)})
    w->setEnabled(count() > 1);
  updateLabels();
}

void Timeline::setCurrentIndex(int index) {
  if (epochs_.empty()) return;
  index_ = std::clamp(index, 0, count() - 1);
  const QSignalBlocker block(slider_);
  slider_->setValue(index_);
  updateLabels();
}

void Timeline::setPlaying(bool playing) {
  if (playing == isPlaying()) return;
  if (playing) {
    if (count() < 2) return;
    // Play at the end starts over: the obvious wish when the last run of play stopped there.
    if (index_ >= count() - 1) {
      index_ = 0;
      setCurrentIndex(0);
      emit indexRequested(0, false);
    }
    playTimer_.start(epochIntervalMs());
  } else {
    playTimer_.stop();
  }
  play_->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  play_->setToolTip(playing ? tr("Pause (Space)") : tr("Play the epochs in order (Space)"));
  emit playingChanged(playing);
}

void Timeline::step(int delta) {
  if (epochs_.empty()) return;
  int next = index_ + delta;
  if (next < 0 || next >= count()) {
    if (!(loop() && isPlaying())) next = std::clamp(next, 0, count() - 1);
    else next = (next % count() + count()) % count();
  }
  if (next == index_) return;
  // A wrap from the last epoch to the first jumps: gliding every point back across the whole
  // run would show a motion that never happened.
  const bool animate = std::abs(next - index_) == 1;
  setCurrentIndex(next);
  emit indexRequested(next, animate);
}

void Timeline::advance() {
  if (index_ >= count() - 1 && !loop()) {
    setPlaying(false);
    return;
  }
  step(1);
  if (index_ >= count() - 1 && !loop()) setPlaying(false);
}

void Timeline::setSpeed(double speed) {
  auto nearest = std::min_element(std::begin(kSpeeds), std::end(kSpeeds), [speed](double a, double b) {
    return std::abs(a - speed) < std::abs(b - speed);
  });
  speed_ = *nearest;
  const QSignalBlocker block(speedBox_);
  speedBox_->setCurrentIndex(static_cast<int>(nearest - std::begin(kSpeeds)));
  playTimer_.setInterval(epochIntervalMs());
}

bool Timeline::loop() const { return loop_->isChecked(); }
void Timeline::setLoop(bool on) { loop_->setChecked(on); }
int Timeline::epochIntervalMs() const { return static_cast<int>(std::lround(kBaseIntervalMs / speed_)); }
int Timeline::transitionMs() const { return epochIntervalMs() * 4 / 5; }

void Timeline::setLive(bool live) {
  live_ = live;
  liveBadge_->setVisible(live);
}

QString Timeline::positionText() const { return position_->text(); }

void Timeline::updateLabels() {
  if (epochs_.empty() || index_ < 0) {
    position_->setText(tr("no epoch saved yet"));
    return;
  }
  position_->setText(
      tr("epoch %1 (%2 of %3)").arg(epochs_[static_cast<std::size_t>(index_)]).arg(index_ + 1).arg(count()));
}

}  // namespace centroid::ui
