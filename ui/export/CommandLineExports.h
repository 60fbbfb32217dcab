// The command line's exports that do not draw (--export-metrics, --export-clusters, --export-embedding), run
// on a run model with no window and no display: `centroid --open run.h5 --export-metrics m.csv
// --quit` works over ssh and in CI.
#pragma once

#include <QString>
#include <optional>

namespace centroid::ui {

struct CommandLineExports {
  QString run;               // the run file
  std::optional<int> epoch;  // the stored epoch numbered N; default the last
  QString metrics;           // --export-metrics path, or empty
  QString clusters;          // --export-clusters path, or empty
  QString embedding;         // --export-embedding path, or empty
  bool allEpochs = false;    // --epoch all: the embedding of every epoch
};

// Opens the run, writes each table through the export registry, and returns the exit code:
// 0 when all were written ("centroid: wrote <path>" on stdout for each), 2 otherwise, with one
// line per failure on stderr. Needs a QCoreApplication (the file is first read by the helper).
int runCommandLineExports(const CommandLineExports& request);

// One line on stderr, "centroid: <text>", whatever the text holds (line breaks become spaces):
// scripts read the last line as the reason. The command line's one way to complain.
void complainLine(QString text);

}  // namespace centroid::ui
