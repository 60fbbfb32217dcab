// bench_gui's instruments: an application that times every top-level event on the GUI thread,
// the GUI thread's scheduler counters, Xvfb's CPU time, peak memory, percentiles. Qt only;
// include after bench/BenchSupport.h (torch's headers must come before Qt's `slots` macro).
#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QMetaEnum>
#include <QString>
#include <QThread>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <dirent.h>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace centroid::bench {

// Nanoseconds on one clock shared by every instrument here.
inline qint64 nowNs() {
  static QElapsedTimer clock = [] {
    QElapsedTimer t;
    t.start();
    return t;
  }();
  return clock.nsecsElapsed();
}

// One event the GUI thread handled at the top level of an event loop.
struct EventRecord {
  qint64 start = 0, end = 0;  // nowNs()
  QString what;               // receiver class, object name, event type; plus a label if one was set
};

// Times each top-level event of the GUI thread (events delivered from inside another are part
// of it). Only events of at least minMs are kept, so the cost is two clock reads per event. A
// slot may set label to say what the event was doing (e.g. "MainWindow::onEpoch"): a queued call's
// receiver and type alone do not say which slot ran.
class TimedApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool recording = false;
  double minMs = 3;
  std::vector<EventRecord> events;
  QString label;
  // Paint events per widget class (count, ms), while countPaints is on.
  bool countPaints = false;
  std::map<QString, std::pair<int, double>> paints;

  bool notify(QObject* receiver, QEvent* event) override {
    // Other threads' event loops (the training worker's) come through here too.
    if (QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    if (countPaints && event->type() == QEvent::Paint) {  // at any depth: the repaint manager nests them
      const QString cls = receiver->metaObject()->className();
      const qint64 start = nowNs();
      const bool r = QApplication::notify(receiver, event);
      auto& [count, ms] = paints[cls];
      ++count, ms += static_cast<double>(nowNs() - start) / 1e6;
      return r;
    }
    if (depth_ > 0 || !recording) {
      ++depth_;
      const bool r = QApplication::notify(receiver, event);
      --depth_;
      return r;
    }
    ++depth_;
    label.clear();
    const qint64 start = nowNs();
    const QEvent::Type type = event->type();
    const char* cls = receiver->metaObject()->className();
    const QString name = receiver->objectName();
    const bool r = QApplication::notify(receiver, event);  // receiver may be gone afterwards
    const qint64 end = nowNs();
    --depth_;
    if (static_cast<double>(end - start) / 1e6 >= minMs) {
      const char* t = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
      QString what = QStringLiteral("%1%2 %3").arg(cls, name.isEmpty() ? QString() : "(" + name + ")",
                                                   t ? QString(t) : QString::number(type));
      if (!label.isEmpty()) what += ": " + label;
      events.push_back({start, end, what});
    }
    return r;
  }

 private:
  int depth_ = 0;
};

// The calling thread's scheduler counters (/proc/thread-self/schedstat): nanoseconds on a CPU
// and waiting in the run queue (runnable, but the cores were busy).
struct SchedStat {
  long long onCpu = 0, waiting = 0;
};
inline SchedStat threadSchedStat() {
  SchedStat s;
  std::ifstream f("/proc/thread-self/schedstat");
  f >> s.onCpu >> s.waiting;
  return s;
}

// The Xvfb serving $DISPLAY: its CPU seconds (it draws for us, so it is not "other" load).
inline double xvfbSeconds() {
  static int pid = [] {
    const char* display = std::getenv("DISPLAY");
    if (!display) return -1;
    DIR* proc = opendir("/proc");
    if (!proc) return -1;
    int found = -1;
    while (dirent* e = readdir(proc)) {
      const int p = std::atoi(e->d_name);
      if (p <= 0) continue;
      std::ifstream f("/proc/" + std::string(e->d_name) + "/cmdline");
      std::string cmd((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      std::vector<std::string> args;
      std::stringstream in(cmd);
      for (std::string a; std::getline(in, a, '\0');) args.push_back(a);
      if (!args.empty() && args[0].find("Xvfb") != std::string::npos &&
          std::find(args.begin(), args.end(), std::string(display)) != args.end())
        found = p;
    }
    closedir(proc);
    return found;
  }();
  if (pid < 0) return 0;
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(f, line);
  std::istringstream in(line.substr(line.rfind(')') + 2));  // fields after "pid (comm)"
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// A field of /proc/self/status in MiB (VmHWM: peak resident memory; VmRSS: now).
inline double statusMiB(const char* field) {
  std::ifstream f("/proc/self/status");
  for (std::string line; std::getline(f, line);)
    if (line.rfind(field, 0) == 0) return std::atof(line.c_str() + std::string(field).size() + 1) / 1024.0;
  return -1;
}

inline double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, i == 0 ? 0 : i - 1)];
}

}  // namespace centroid::bench
