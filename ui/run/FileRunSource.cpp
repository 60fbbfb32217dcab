// A run file as a run source: the helper probe, the reader, following a growing file.
#include "ui/run/FileRunSource.h"

#include "core/runfile/RunRepair.h"

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

void FileRunSource::setProbeProgram(const QString& program) { g_probeProgram = program; }

QString FileRunSource::probeProgram() {
  if (g_probeProgram) return *g_probeProgram;
  if (qEnvironmentVariableIsSet("CENTROID_PROBE_RUN")) return qEnvironmentVariable("CENTROID_PROBE_RUN");
  if (!QCoreApplication::instance()) return {};
  return QCoreApplication::applicationDirPath() + QStringLiteral("/centroid-probe-run");
}

void FileRunSource::setProbeTimeoutMs(int ms) { g_probeTimeoutMs = std::max(1, ms); }

int FileRunSource::probeTimeoutMs() { return g_probeTimeoutMs; }

namespace {

// Runs centroid-probe-run on `path`: true when the file may be opened here (or there is no
// helper to ask), else false with *error set.
bool probe(const QString& path, QString* error) {
  const QString program = FileRunSource::probeProgram();
  if (program.isEmpty()) return true;  // turned off: opened here, as before the helper existed
  const QFileInfo info(program);
  if (!info.isFile() || !info.isExecutable()) {
    if (!g_warnedNoProbe) {
      g_warnedNoProbe = true;
      qWarning(
          "%s is missing: run files are opened without it, so a file that crashes libhdf5 "
          "crashes the window",
          qPrintable(program));
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
    *error = QObject::tr(
                 "%1: reading this file did not finish within %2 s; the file is damaged or was crafted "
                 "(libhdf5 can loop forever on such files), and was not opened")
                 .arg(path, QString::number(static_cast<double>(timeoutMs) / 1000.0, 'g', 4));
    return false;
  }
  if (helper.exitStatus() == QProcess::CrashExit) {
    // On Unix, Qt reports the number of the signal that ended the process as its exit code.
    *error = QObject::tr(
                 "%1: reading this file crashed the HDF5 library (%2); the file is damaged or was "
                 "crafted, and was not opened")
                 .arg(path, describeSignal(helper.exitCode()));
    return false;
  }
  const QString message = QString::fromLocal8Bit(helper.readAllStandardError()).trimmed();
  switch (helper.exitCode()) {
    case 0: return true;
    case 2:  // refused: the message names the file and the fault, as RunReader's here would
      *error = message.isEmpty() ? QObject::tr("%1: the file cannot be read").arg(path) : message;
      return false;
    default:  // a helper that does not match this program, or cannot load its libraries
      *error = QObject::tr("%1: checking the file with %2 failed (exit %3)%4")
                   .arg(path, program)
                   .arg(helper.exitCode())
                   .arg(message.isEmpty() ? QString() : QStringLiteral(": ") + message);
      return false;
  }
}

}  // namespace

std::unique_ptr<FileRunSource> FileRunSource::open(const QString& path, QString* error) {
  // A file that crashes libhdf5 crashes the helper instead of this window.
  if (!probe(path, error)) return nullptr;
  std::unique_ptr<FileRunSource> source(new FileRunSource);
  source->followTimer_.setInterval(kFollowIntervalMs);
  connect(&source->followTimer_, &QTimer::timeout, source.get(), [s = source.get()] { s->poll(); });
  try {
    // Asked before this process holds the file itself: HDF5 shares one open file within a
    // process, so afterwards the file would look closed whatever its writer did. A closed file
    // (the usual case) is told by one plain open; only a file still held for writing gets the
    // full check, which reads its attributes (as long as opening the run: bench_gui, "Open").
    const bool closed = writerClosed(path.toStdString());
    const WriterInfo writer = closed ? WriterInfo{} : writerInfo(path.toStdString());
    // follow = true: a file another process is still writing opens in SWMR-read mode so that
    // refresh() sees its new epochs (a finished file falls back to a plain read-only open).
    source->reader_ = std::make_unique<RunReader>(path.toStdString(), /*follow=*/true);
    source->viewSet_ = std::make_shared<const ViewSet>(source->reader_->viewSet(/*withImages=*/false));
    source->baselines_ = source->reader_->baselines();
    source->summaries_ = source->reader_->summaries();
    if (source->reader_->status() == "running") {
      // Followed only while its writer lives: a killed writer's file would be polled forever.
      source->writerGone_ = writer.state == WriterState::Gone;
      if (!source->writerGone_) source->followTimer_.start();
    }
  } catch (const std::exception& e) {
    // RunFileError names the file and the fault; anything else (bad_alloc on a huge, damaged
    // extent) gets the file's name in front so the message still says which file.
    const QString what = QString::fromUtf8(e.what());
    if (error)
      *error = dynamic_cast<const RunFileError*>(&e) ? what : QStringLiteral("%1: %2").arg(path, what);
    return nullptr;
  }
  source->path_ = path;
  return source;
}

FileRunSource::~FileRunSource() = default;

EpochFramePtr FileRunSource::readFrame(int index, QString* error) {
  if (index < 0 || index >= static_cast<int>(summaries_.size())) {
    if (error) *error = tr("%1: no epoch at index %2").arg(path_).arg(index);
    return nullptr;
  }
  try {
    return std::make_shared<const EpochFrame>(reader_->frame(static_cast<std::size_t>(index)));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return nullptr;
  }
}

std::vector<std::uint8_t> FileRunSource::viewImage(int index, QString* error) {
  if (index < 0) return {};
  try {
    return reader_->viewImage(static_cast<std::size_t>(index));
  } catch (const std::exception& e) {
    if (error) *error = QString::fromUtf8(e.what());
    return {};
  }
}

QString FileRunSource::status() const {
  try {
    return QString::fromStdString(reader_->status());
  } catch (const std::exception&) {
    return {};
  }
}

QString FileRunSource::statusReason() const {
  try {
    return QString::fromStdString(reader_->statusReason());
  } catch (const std::exception&) {
    return {};
  }
}

int FileRunSource::bestEpoch() const {
  try {
    return reader_->bestEpoch();
  } catch (const std::exception&) {
    return 0;
  }
}

bool FileRunSource::poll() {
  try {
    const bool stillRunning = reader_->status() == "running";
    // Refreshed after reading the status: a writer that appends its last epoch and then
    // reports "completed" between the two reads still has that epoch seen here.
    const bool grew = reader_->refresh();
    if (grew) {
      summaries_ = reader_->summaries();
      emit epochsAppended(static_cast<int>(summaries_.size()));
    }
    if (!stillRunning) stopFollowing();
    return grew;
  } catch (const std::exception& e) {
    stopFollowing();
    emit error(QString::fromUtf8(e.what()));
    return false;
  }
}

void FileRunSource::stopFollowing() {
  if (!followTimer_.isActive()) return;
  followTimer_.stop();
  emit growingChanged(false);
}

}  // namespace centroid::ui
