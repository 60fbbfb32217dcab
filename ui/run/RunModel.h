// One run, whatever its source: a training in progress (LiveRunSource) or a run file, which
// may still be growing (FileRunSource). The epoch on screen, a small frame cache and following
// the newest epoch live here; the main window, the compare window, the exports and the command
// line all observe this one object. No widgets.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <vector>

#include "core/metrics/Types.h"
#include "ui/run/MetaTypes.h"
#include "ui/run/RunSource.h"

namespace centroid::ui {

// One thread (the GUI's): RunReader is not to be shared between threads.
//
// Scrubbing reads only the epoch asked for (RunSource::readFrame); the cache holds the current
// epoch and its two neighbours, so stepping back and forth or playing forward rarely waits on
// the disk, while a 70,000-point run file never has more than three frames read (about 3 MB).
//
// Following: whoever watches the newest epoch keeps watching the newest as epochs arrive (the
// view glides to each); whoever went back to an older one is left there until they go to the
// last epoch again (End, or the timeline's end).
class RunModel : public QObject {
  Q_OBJECT

 public:
  explicit RunModel(QObject* parent = nullptr);
  ~RunModel() override;

  // Opens a run file (FileRunSource::open: the helper probe, then the reader) and shows its last
  // epoch. On failure returns false with errorString() set (it names the file and the fault)
  // and keeps the run that was open before.
  bool open(const QString& path);
  // Any source: the run on screen is replaced. opened() follows once the source is ready (at
  // once for a file; after loading the data for a training).
  void setSource(std::unique_ptr<RunSource> source);
  RunSource* source() const { return source_.get(); }
  void close();
  bool isOpen() const { return source_ != nullptr; }
  bool isReady() const { return source_ && source_->isReady(); }
  QString path() const { return source_ ? source_->path() : QString(); }
  QString errorString() const { return error_; }

  const TrainConfig& config() const;
  const std::map<std::string, std::string>& attributes() const;
  // The view set; a file's comes without its images (they are most of an open's time at
  // 70,000 points): the hover popup reads the one it shows with viewImage().
  ViewSetPtr viewSet() const { return source_ ? source_->viewSet() : nullptr; }
  // The index-th view image, width x height bytes; empty when the run has none or it cannot be
  // read (then *error, if given, says why: a damaged image costs its popup, not the run).
  std::vector<std::uint8_t> viewImage(int index, QString* error = nullptr);
  const std::vector<BaselineRow>& baselines() const;
  const std::vector<EpochSummary>& summaries() const;
  QString status() const;        // "completed", "running", ...; empty when it cannot be read
  QString statusReason() const;  // "patience 5 reached", ...; may be empty
  int bestEpoch() const;

  int epochCount() const { return static_cast<int>(summaries().size()); }
  int currentIndex() const { return current_; }  // -1 while no epoch is shown
  int currentEpoch() const;                      // its epoch number, 0 while none
  EpochFramePtr currentFrame() const;
  // The index-th stored epoch through the cache; null (errorString() says why) when it cannot
  // be read. Does not change the current epoch.
  EpochFramePtr frameAt(int index);
  // Index of the stored epoch numbered `epoch`, -1 if none.
  int indexOfEpoch(int epoch) const;
  // Why `epoch` cannot be shown: "the run has epochs 1 to 5" (or "the run has no saved epoch").
  QString missingEpochText(int epoch) const;
  // The newest epoch is on screen, so new ones will be shown as they come.
  bool isAtNewest() const { return current_ < 0 || current_ == epochCount() - 1; }

  // Makes `index` current and emits currentChanged. Out-of-range indexes are clamped. False
  // when the epoch cannot be read (error emitted; the previous epoch stays current).
  bool setCurrentIndex(int index, bool animate = false);

  // More epochs may come: a training in progress or a file still being written.
  bool isFollowing() const { return source_ && source_->isGrowing(); }
  // A file source's polling (tests; the default is twice a second). No effect on other sources.
  void setFollowIntervalMs(int ms);
  // A file source looks for new epochs now; true when some appeared.
  bool poll();

  // Indexes held in the cache, ascending (for tests: never more than three).
  std::vector<int> cachedIndices() const;

 signals:
  void opened(const QString& path);  // a run is ready: settings, view set, baselines
  void closed();
  void currentChanged(int index, centroid::ui::EpochFramePtr frame, bool animate);
  // The source appended epochs: summaries() grew to `count`.
  void epochsAppended(int count);
  void followingChanged(bool following);
  void error(const QString& message);  // an epoch or refresh failed; the run stays open

 private:
  void onReady();
  void onAppended(int count);
  void trimCache();
  void prefetch();  // reads the neighbour in the direction of travel while the GUI is idle

  std::unique_ptr<RunSource> source_;
  QString error_;
  std::map<int, EpochFramePtr> cache_;
  int current_ = -1;
  int known_ = 0;      // epochs the model has announced (epochsAppended)
  int direction_ = 1;  // of the last move, for prefetching
  QTimer prefetchTimer_;
};

}  // namespace centroid::ui
