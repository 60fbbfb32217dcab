// Replay controller: opening a run file, moving between its epochs, following a live writer.
#include "ui/window/ReplayController.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QProcess>
#include <algorithm>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <optional>

namespace centroid::ui {
namespace {

constexpr int kFollowIntervalMs = 500;  // a new epoch takes seconds; twice a second feels live
constexpr int kPrefetchDelayMs = 40;    // after the new epoch's first frame reached the screen
// The helper reads a valid run in milliseconds; libhdf5 loops forever on some damaged files.
constexpr int kDefaultProbeTimeoutMs = 15000;
// Plus a second per 10 MB of file: RunReader reads the whole file on open (its global-heap
// check), and a large run on a slow disk or a network share must not be taken for a hang.
constexpr qint64 kProbeBytesPerExtraSecond = 10'000'000;

std::optional<QString> g_probeProgram;  // set by setProbeProgram
int g_probeTimeoutMs = kDefaultProbeTimeoutMs;
bool g_warnedNoProbe = false;

// "signal 8, SIGFPE": the signals a library crash ends with, by name.
QString describeSignal(int number) {
  const char* name = nullptr;
  switch (number) {
    case SIGFPE: name = "SIGFPE"; break;
    case SIGSEGV: name = "SIGSEGV"; break;
    case SIGBUS: name = "SIGBUS"; break;
    case SIGILL: name = "SIGILL"; break;
    case SIGABRT: name = "SIGABRT"; break;
    case SIGTRAP: name = "SIGTRAP"; break;
    case SIGKILL: name = "SIGKILL"; break;
    default: break;
  }
  if (number <= 0) return QStringLiteral("killed by a signal");
  return name ? QStringLiteral("signal %1, %2").arg(number).arg(QLatin1String(name))
              : QStringLiteral("signal %1").arg(number);
}

}  // namespace

void ReplayController::setProbeProgram(const QString& program) { g_probeProgram = program; }

QString ReplayController::probeProgram() {
  if (g_probeProgram) return *g_probeProgram;
  if (qEnvironmentVariableIsSet("CENTROID_PROBE_RUN")) return qEnvironmentVariable("CENTROID_PROBE_RUN");
  if (!QCoreApplication::instance()) return {};
  return QCoreApplication::applicationDirPath() + QStringLiteral("/centroid-probe-run");
}

void ReplayController::setProbeTimeoutMs(int ms) { g_probeTimeoutMs = std::max(1, ms); }

int ReplayController::probeTimeoutMs() { return g_probeTimeoutMs; }

bool ReplayController::probe(const QString& path) {
  const QString program = probeProgram();
  if (program.isEmpty()) return true;  // turned off: opened here, as before the helper existed
  const QFileInfo info(program);
  if (!info.isFile() || !info.isExecutable()) {
    if (!g_warnedNoProbe) {
      g_warnedNoProbe = true;
      qWarning("%s is missing: run files are opened without it, so a file that crashes libhdf5 "
               "crashes the window", qPrintable(program));
    }
    return true;
  }

  const qint64 timeoutMs =
      g_probeTimeoutMs + QFileInfo(path).size() / kProbeBytesPerExtraSecond * 1000;  // 0 when unreadable
  QProcess helper;
  helper.setProgram(program);
  helper.setArguments({QStringLiteral("--"), path});
  helper.setStandardInputFile(QProcess::nullDevice());
  helper.setStandardOutputFile(QProcess::nullDevice());
  QElapsedTimer clock;
  clock.start();
  helper.start(QIODevice::ReadOnly);
  if (!helper.waitForStarted(static_cast<int>(std::min<qint64>(timeoutMs, 30000)))) {
    qWarning("could not start %s (%s): opening %s without it", qPrintable(program),
             qPrintable(helper.errorString()), qPrintable(path));
    return true;
  }
  const qint64 left = std::max<qint64>(1, timeoutMs - clock.elapsed());
  if (!helper.waitForFinished(static_cast<int>(std::min<qint64>(left, INT_MAX))) &&
      helper.state() != QProcess::NotRunning) {
    helper.kill();
    helper.waitForFinished(2000);
    error_ = tr("%1: reading this file did not finish within %2 s; the file is damaged or was crafted "
                "(libhdf5 can loop forever on such files), and was not opened")
                 .arg(path, QString::number(static_cast<double>(timeoutMs) / 1000.0, 'g', 4));
    return false;
  }
  if (helper.exitStatus() == QProcess::CrashExit) {
    // On Unix, Qt reports the number of the signal that ended the process as its exit code.
    error_ = tr("%1: reading this file crashed the HDF5 library (%2); the file is damaged or was "
                "crafted, and was not opened")
                 .arg(path, describeSignal(helper.exitCode()));
    return false;
  }
  const QString message = QString::fromLocal8Bit(helper.readAllStandardError()).trimmed();
  switch (helper.exitCode()) {
    case 0:
      return true;
    case 2:  // refused: the message names the file and the fault, as RunReader's here would
      error_ = message.isEmpty() ? tr("%1: the file cannot be read").arg(path) : message;
      return false;
    default:  // a helper that does not match this program, or cannot load its libraries
      error_ = tr("%1: checking the file with %2 failed (exit %3)%4")
                   .arg(path, program)
                   .arg(helper.exitCode())
                   .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message);
      return false;
  }
}

ReplayController::ReplayController(QObject* parent) : QObject(parent) {
  registerMetaTypes();
  followTimer_.setInterval(kFollowIntervalMs);
  connect(&followTimer_, &QTimer::timeout, this, [this] { poll(); });
  prefetchTimer_.setSingleShot(true);
  prefetchTimer_.setInterval(kPrefetchDelayMs);
  connect(&prefetchTimer_, &QTimer::timeout, this, &ReplayController::prefetch);
}

ReplayController::~ReplayController() = default;

bool ReplayController::open(const QString& path) {
  // A file that crashes libhdf5 crashes the helper instead of this window.
  if (!probe(path)) return false;
  // Everything is read into locals first: a bad file must leave the run on screen untouched.
  std::unique_ptr<RunReader> reader;
  ViewSetPtr view;
  std::vector<BaselineRow> baselines;
  std::vector<EpochSummary> summaries;
  std::string status;
  try {
    // follow = true: a file another process is still writing opens in SWMR-read mode so that
    // refresh() sees its new epochs (a finished file falls back to a plain read-only open).
    reader = std::make_unique<RunReader>(path.toStdString(), /*follow=*/true);
    view = std::make_shared<const ViewSet>(reader->viewSet(/*withImages=*/false));
    baselines = reader->baselines();
    summaries = reader->summaries();
    status = reader->status();
  } catch (const std::exception& e) {
    // RunFileError names the file and the fault; anything else (bad_alloc on a huge, damaged
    // extent) gets the file's name in front so the message still says which file.
    const QString what = QString::fromUtf8(e.what());
    error_ = dynamic_cast<const RunFileError*>(&e) ? what : QStringLiteral("%1: %2").arg(path, what);
    return false;
  }
  close();
  reader_ = std::move(reader);
  path_ = path;
  viewSet_ = std::move(view);
  baselines_ = std::move(baselines);
  summaries_ = std::move(summaries);
  error_.clear();
  emit opened(path_);
  if (!summaries_.empty()) setCurrentIndex(epochCount() - 1, false);
  if (status == "running") {
    followTimer_.start();
    emit followingChanged(true);
  }
  return true;
}

std::vector<std::uint8_t> ReplayController::viewImage(int index, QString* error) {
  if (!reader_ || index < 0) return {};
  try {
    return reader_->viewImage(static_cast<std::size_t>(index));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return {};
  }
}

void ReplayController::close() {
  if (!reader_) return;
  stopFollowing();
  prefetchTimer_.stop();
  cache_.clear();
  reader_.reset();
  viewSet_.reset();
  baselines_.clear();
  summaries_.clear();
  current_ = -1;
  path_.clear();
  emit closed();
}

const TrainConfig& ReplayController::config() const {
  static const TrainConfig none;
  return reader_ ? reader_->config() : none;
}

const std::map<std::string, std::string>& ReplayController::attributes() const {
  static const std::map<std::string, std::string> none;
  return reader_ ? reader_->attributes() : none;
}

QString ReplayController::status() const {
  if (!reader_) return {};
  try {
    return QString::fromStdString(reader_->status());
  } catch (const std::exception&) {
    return {};
  }
}

QString ReplayController::statusReason() const {
  if (!reader_) return {};
  try {
    return QString::fromStdString(reader_->statusReason());
  } catch (const std::exception&) {
    return {};
  }
}

int ReplayController::bestEpoch() const {
  if (!reader_) return 0;
  try {
    return reader_->bestEpoch();
  } catch (const std::exception&) {
    return 0;
  }
}

int ReplayController::currentEpoch() const {
  return current_ >= 0 && current_ < epochCount() ? summaries_[static_cast<std::size_t>(current_)].epoch : 0;
}

EpochFramePtr ReplayController::currentFrame() const {
  auto it = cache_.find(current_);
  return it == cache_.end() ? nullptr : it->second;
}

int ReplayController::indexOfEpoch(int epoch) const {
  for (int i = 0; i < epochCount(); ++i)
    if (summaries_[static_cast<std::size_t>(i)].epoch == epoch) return i;
  return -1;
}

EpochFramePtr ReplayController::frameAt(int index) {
  if (!reader_ || index < 0 || index >= epochCount()) {
    error_ = reader_ ? tr("%1: no epoch at index %2").arg(path_).arg(index) : tr("no run file is open");
    return nullptr;
  }
  if (auto it = cache_.find(index); it != cache_.end()) return it->second;
  EpochFramePtr frame;
  try {
    frame = std::make_shared<const EpochFrame>(reader_->frame(index));
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
    return nullptr;
  }
  cache_[index] = frame;
  trimCache();
  return frame;
}

bool ReplayController::setCurrentIndex(int index, bool animate) {
  if (!reader_ || epochCount() == 0) return false;
  index = std::clamp(index, 0, epochCount() - 1);
  const int previous = current_;
  const EpochFramePtr frame = frameAt(index);
  if (!frame) {
    emit error(error_);
    return false;
  }
  if (previous >= 0 && index != previous) direction_ = index > previous ? 1 : -1;
  current_ = index;
  cache_[index] = frame;  // trimmed away if it was far from the old current epoch
  trimCache();
  emit currentChanged(index, frame, animate);
  prefetchTimer_.start();
  return true;
}

void ReplayController::trimCache() {
  for (auto it = cache_.begin(); it != cache_.end();) {
    if (current_ >= 0 && std::abs(it->first - current_) <= 1)
      ++it;
    else
      it = cache_.erase(it);
  }
}

void ReplayController::prefetch() {
  const int next = current_ + direction_;
  if (!reader_ || current_ < 0 || next < 0 || next >= epochCount() || cache_.count(next)) return;
  try {
    cache_[next] = std::make_shared<const EpochFrame>(reader_->frame(next));
  } catch (const std::exception&) {
    // Reported when the user actually goes there; a prefetch is only a guess.
  }
}

bool ReplayController::poll() {
  if (!reader_) return false;
  try {
    const bool stillRunning = reader_->status() == "running";
    // Refreshed after reading the status: a writer that appends its last epoch and then
    // reports "completed" between the two reads still has that epoch seen here.
    const bool grew = reader_->refresh();
    if (grew) {
      const int before = epochCount();
      const bool atEnd = current_ < 0 || current_ == before - 1;
      summaries_ = reader_->summaries();
      emit epochsAppended(epochCount());
      // Someone watching the newest epoch keeps watching the newest; someone looking back
      // at an older one is left there.
      if (atEnd) setCurrentIndex(epochCount() - 1, /*animate=*/true);
    }
    if (!stillRunning) stopFollowing();
    return grew;
  } catch (const std::exception& e) {
    error_ = QString::fromUtf8(e.what());
    stopFollowing();
    emit error(error_);
    return false;
  }
}

void ReplayController::stopFollowing() {
  if (!followTimer_.isActive()) return;
  followTimer_.stop();
  emit followingChanged(false);
}

std::vector<int> ReplayController::cachedIndices() const {
  std::vector<int> out;
  for (const auto& [index, frame] : cache_) out.push_back(index);
  return out;
}

}  // namespace centroid::ui
