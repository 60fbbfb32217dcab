// One training run written to one run file (see TrainingSession.h).
#include "core/training/TrainingSession.h"

#include <chrono>
#include <ctime>
#include <filesystem>
#include <cstring>
#include <cerrno>
#include <unistd.h>
#include <fcntl.h>
#include <iomanip>
#include <map>
#include <sstream>

#include "core/runfile/RunFile.h"
#include "core/training/Trainer.h"

namespace centroid {

TrainResult trainToFile(const TrainConfig& config, const std::string& runPath,
                        const SessionCallbacks& callbacks, const std::atomic<bool>* stop) {
  const auto say = [&](const std::string& m) {
    if (callbacks.onMessage) callbacks.onMessage(m);
  };
  // A failure before the run file exists leaves no file: not the empty one defaultRunPath
  // reserved for the name, either.
  struct Reservation {
    const std::string& path;
    bool keep = false;
    ~Reservation() {
      std::error_code ec;
      if (!keep && std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0)
        std::filesystem::remove(path, ec);
    }
  } reservation{runPath};
  say("loading " + config.dataset);
  Trainer trainer(config);  // throws ConfigError / DataError before anything is written

  std::vector<BaselineRow> baselines;
  if (config.baselines) {
    say("computing baselines (k-means on pixels, PCA(3) + k-means)");
    baselines = trainer.baselines();
  }

  const std::map<std::string, std::string> provenance = {{"torch_version", torchVersion()}};
  RunWriter writer(runPath, config, trainer.viewSet(), trainer.weightLayout(), baselines, config.dataset,
                   provenance);
  reservation.keep = true;
  if (callbacks.onReady) callbacks.onReady(trainer.viewSet(), baselines, runPath);

  Trainer::Callbacks tc;
  // A write failure (full disk, removed folder) throws out of onEpoch: the trainer turns it
  // into status Failed with this message, and the epochs appended before stay readable.
  tc.onEpoch = [&](const EpochFrame& frame) {
    writer.append(frame);
    if (callbacks.onEpoch) callbacks.onEpoch(frame);
  };
  tc.onBatch = callbacks.onBatch;
  tc.onWarning = callbacks.onWarning;
  tc.onMessage = callbacks.onMessage;
  tc.onBest = [&](int epoch, const std::vector<NamedArray>& weights) { writer.setBest(epoch, weights); };

  if (callbacks.beforeTraining) callbacks.beforeTraining(trainer);
  say("training");
  TrainResult result = trainer.run(tc, stop);
  try {
    writer.setStatus(toString(result.status), result.reason);
  } catch (const RunFileError& e) {
    // The status marker is a nicety; a full disk must not hide the run's own outcome.
    if (result.status != TrainStatus::Failed) {
      result.status = TrainStatus::Failed;
      result.reason = e.what();
    }
  }
  return result;
}

std::string defaultRunPath(const TrainConfig& config, const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw RunFileError(folder + ": cannot create the runs folder (" + ec.message() + ")");

  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  std::string dataset = fs::path(config.dataset).filename().string();
  if (dataset.empty()) dataset = "data";
  std::ostringstream lr;
  lr << config.learningRate;
  std::ostringstream name;
  name << std::put_time(&tm, "%Y%m%d-%H%M%S") << '-' << dataset;
  if (config.objective != "seed") name << '-' << config.objective;  // seed runs keep their old names
  name << "-k" << config.clusters << "-lr" << lr.str();
  // Runs started within the same second get distinct names, also from several processes at once
  // (a sweep): each name is reserved by creating the file exclusively; the writer then replaces
  // the empty file.
  for (int i = 1; i < 10000; ++i) {
    const fs::path path =
        fs::path(folder) / (name.str() + (i == 1 ? std::string() : "-" + std::to_string(i)) + ".h5");
    const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::close(fd);
      return path.string();
    }
    if (errno != EEXIST)
      throw RunFileError(path.string() + ": cannot create the run file (" + std::strerror(errno) + ")");
  }
  throw RunFileError(folder + ": no free run-file name for " + name.str());
}

}  // namespace centroid
