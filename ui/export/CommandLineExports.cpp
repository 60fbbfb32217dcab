// The table exports from the command line, without a window (see CommandLineExports.h).
#include "ui/export/CommandLineExports.h"

#include <cstdio>

#include "ui/export/Export.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {
void complainLine(QString text) {
  text.replace('\n', ' ');
  std::fprintf(stderr, "centroid: %s\n", qPrintable(text.simplified()));
}

int runCommandLineExports(const CommandLineExports& request) {
  RunModel run;
  if (!run.open(request.run)) {
    complainLine(run.errorString());
    return 2;
  }
  ExportJob job;
  job.run = &run;
  job.allEpochs = request.allEpochs;
  if (request.epoch) {
    job.index = run.indexOfEpoch(*request.epoch);
    if (job.index < 0) {
      complainLine(run.missingEpochText(*request.epoch));
      return 2;
    }
  }
  if ((!request.clusters.isEmpty() || !request.embedding.isEmpty()) && run.epochCount() == 0) {
    complainLine(QStringLiteral("%1: the run has no saved epoch to show").arg(request.run));
    return 2;
  }
  bool ok = true;
  const std::pair<const char*, QString> wanted[] = {
      {"metrics", request.metrics}, {"clusters", request.clusters}, {"embedding", request.embedding}};
  for (const auto& [id, path] : wanted) {
    if (path.isEmpty()) continue;
    const ExportOutcome out = runExport(QString::fromLatin1(id), job, path);
    if (out.ok) {
      std::printf("centroid: wrote %s\n", qPrintable(path));
    } else {
      complainLine(QStringLiteral("could not write %1: %2").arg(path, out.message));
      ok = false;
    }
  }
  std::fflush(stdout);
  return ok ? 0 : 2;
}

}  // namespace centroid::ui
