// A run file as a run source: the open RunReader, and the timer that follows a file another
// process is still writing.
#pragma once

#include <QString>
#include <QTimer>
#include <memory>

#include "core/runfile/RunFile.h"
#include "ui/run/RunSource.h"

namespace centroid::ui {

class FileRunSource : public RunSource {
  Q_OBJECT

 public:
  // Opens a run file and reads its settings, view set (without images), baselines and epoch
  // summaries. Null with *error naming the file and the fault when it cannot be read.
  // A file still marked "running" is followed: new epochs appear as the writer appends them.
  //
  // The file is first read by the helper program centroid-probe-run, in a process of its own:
  // libhdf5 1.10.8 crashes on some crafted files, and such a file must cost that process, not
  // the window. It exits 0 (then the file is opened here), 2 (refused: its stderr is the
  // message, the one this process would give), dies by a signal ("crashed the HDF5 library")
  // or is killed after probeTimeoutMs() plus a second per 10 MB of file ("did not finish").
  // Blocks like the open itself.
  static std::unique_ptr<FileRunSource> open(const QString& path, QString* error);
  ~FileRunSource() override;

  // The helper's path. Unless set here: $CENTROID_PROBE_RUN when set, else centroid-probe-run
  // next to the program. Empty, or no program there, opens files without the helper (as
  // before it existed; a missing program is warned about once).
  static void setProbeProgram(const QString& program);
  static QString probeProgram();
  static void setProbeTimeoutMs(int ms);  // default 15,000
  static int probeTimeoutMs();

  QString path() const override { return path_; }
  const TrainConfig& config() const override { return reader_->config(); }
  const std::map<std::string, std::string>& attributes() const override { return reader_->attributes(); }
  ViewSetPtr viewSet() const override { return viewSet_; }
  const std::vector<BaselineRow>& baselines() const override { return baselines_; }
  const std::vector<EpochSummary>& summaries() const override { return summaries_; }
  EpochFramePtr readFrame(int index, QString* error) override;
  std::vector<std::uint8_t> viewImage(int index, QString* error) override;
  bool isGrowing() const override { return followTimer_.isActive(); }
  QString status() const override;
  QString statusReason() const override;
  int bestEpoch() const override;

  // Marked "running", but its writer (on this host) is gone: killed or crashed. Not followed;
  // centroid-train --repair closes it.
  bool writerGone() const { return writerGone_; }

  void setFollowIntervalMs(int ms) { followTimer_.setInterval(ms); }
  // Looks for new epochs now (the timer calls this every ~500 ms); true when some appeared.
  bool poll();

 private:
  FileRunSource() = default;
  void stopFollowing();

  std::unique_ptr<RunReader> reader_;
  QString path_;
  ViewSetPtr viewSet_;
  std::vector<BaselineRow> baselines_;
  std::vector<EpochSummary> summaries_;
  QTimer followTimer_;
  bool writerGone_ = false;
};

}  // namespace centroid::ui
