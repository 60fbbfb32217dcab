// Replay of a saved run: the open RunReader, the epoch on screen, a small frame cache and the
// timer that follows a run another process is still writing. No widgets: the window, the
// compare window and the command line drive the same object.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <map>
#include <memory>
#include <vector>

#include "core/runfile/RunFile.h"
#include "core/metrics/Types.h"
#include "ui/window/MetaTypes.h"

namespace centroid::ui {

// One thread (the GUI's): RunReader is not to be shared between threads.
//
// Scrubbing reads only the epoch asked for (RunReader::frame); the cache holds the current
// epoch and its two neighbours, so stepping back and forth or playing forward rarely waits on
// the disk, while a 70,000-point run never holds more than three frames (about 3 MB).
class ReplayController : public QObject {
  Q_OBJECT

 public:
  explicit ReplayController(QObject* parent = nullptr);
  ~ReplayController() override;

  // Opens a run file, reads its settings, view set, baselines and epoch summaries, and shows
  // the last epoch. On failure returns false with errorString() set (the RunFileError's
  // message: it names the file and the fault) and keeps the run that was open before.
  // A file still marked "running" is followed: new epochs appear as the writer appends them.
  //
  // The file is first read by the helper program centroid-probe-run, in a process of its own:
  // libhdf5 1.10.8 crashes on some crafted files, and such a file must cost that process, not
  // the window. It exits 0 (then the file is opened here), 2 (refused: its stderr is the
  // message, the one this process would give), dies by a signal ("crashed the HDF5 library")
  // or is killed after probeTimeoutMs() plus a second per 10 MB of file ("did not finish").
  // Blocks like the open itself.
  bool open(const QString& path);
  void close();
  bool isOpen() const { return reader_ != nullptr; }
  QString path() const { return path_; }
  QString errorString() const { return error_; }

  // The helper's path. Unless set here: $CENTROID_PROBE_RUN when set, else centroid-probe-run
  // next to the program. Empty, or no program there, opens files without the helper (as
  // before it existed; a missing program is warned about once).
  static void setProbeProgram(const QString& program);
  static QString probeProgram();
  static void setProbeTimeoutMs(int ms);  // default 15,000
  static int probeTimeoutMs();

  const TrainConfig& config() const;
  const std::map<std::string, std::string>& attributes() const;
  // The view set without its images (they are most of an open's time at 70,000 points): the
  // hover popup reads the one it shows with viewImage().
  ViewSetPtr viewSet() const { return viewSet_; }
  // The index-th view image, width x height bytes; empty when the run has none or it cannot be
  // read (then *error, if given, says why: a damaged image costs its popup, not the run).
  std::vector<std::uint8_t> viewImage(int index, QString* error = nullptr);
  const std::vector<BaselineRow>& baselines() const { return baselines_; }
  const std::vector<EpochSummary>& summaries() const { return summaries_; }
  QString status() const;        // "completed", "running", ...; empty when it cannot be read
  QString statusReason() const;  // "patience 5 reached", ...; may be empty
  int bestEpoch() const;

  int epochCount() const { return static_cast<int>(summaries_.size()); }
  int currentIndex() const { return current_; }  // -1 while no epoch is shown
  int currentEpoch() const;                      // its epoch number, 0 while none
  EpochFramePtr currentFrame() const;
  // The index-th stored epoch through the cache; null (errorString() says why) when it cannot
  // be read. Does not change the current epoch.
  EpochFramePtr frameAt(int index);
  // Index of the stored epoch numbered `epoch`, -1 if none.
  int indexOfEpoch(int epoch) const;

  // Makes `index` current and emits currentChanged. Out-of-range indexes are clamped. False
  // when the epoch cannot be read (error emitted; the previous epoch stays current).
  bool setCurrentIndex(int index, bool animate = false);

  // Following a live run.
  bool isFollowing() const { return followTimer_.isActive(); }
  void setFollowIntervalMs(int ms) { followTimer_.setInterval(ms); }
  // Looks for new epochs now (the timer calls this every ~500 ms); true when some appeared.
  bool poll();

  // Indexes held in the cache, ascending (for tests: never more than three).
  std::vector<int> cachedIndices() const;

 signals:
  void opened(const QString& path);
  void closed();
  void currentChanged(int index, centroid::ui::EpochFramePtr frame, bool animate);
  // The writer appended epochs: summaries() grew to `count`.
  void epochsAppended(int count);
  void followingChanged(bool following);
  void error(const QString& message);  // an epoch or refresh failed; the run stays open

 private:
  void trimCache();
  void prefetch();  // reads the neighbour in the direction of travel while the GUI is idle
  void stopFollowing();
  // Runs centroid-probe-run on `path`: true when the file may be opened here (or there is no
  // helper to ask), else false with error_ set.
  bool probe(const QString& path);

  std::unique_ptr<RunReader> reader_;
  QString path_;
  QString error_;
  ViewSetPtr viewSet_;
  std::vector<BaselineRow> baselines_;
  std::vector<EpochSummary> summaries_;
  std::map<int, EpochFramePtr> cache_;
  int current_ = -1;
  int direction_ = 1;  // of the last move, for prefetching
  QTimer followTimer_;
  QTimer prefetchTimer_;
};

}  // namespace centroid::ui
