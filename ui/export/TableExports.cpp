// The two table exports, CSV or Markdown by the file's extension: the metrics of every epoch
// beside the baselines, and one epoch's contingency matrix with per-cluster purity. Neither
// draws: both run without a display and without the window. The tables themselves are
// core/metrics/Tables' (the one table writer).
#include <QDir>
#include <QObject>
#include <algorithm>

#include "core/metrics/Metrics.h"
#include "core/metrics/Tables.h"
#include "core/objectives/Objectives.h"
#include "ui/export/Export.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {
namespace {

bool formatFor(const QString& path, TableFormat& format, ExportOutcome& outcome) {
  if (tableFormatForPath(path.toStdString(), format)) return true;
  outcome.message = QObject::tr("%1: the table format follows the extension; use .csv or .md.")
                        .arg(QDir::toNativeSeparators(path));
  return false;
}

class MetricsTableExport : public Export {
 public:
  QString id() const override { return QStringLiteral("metrics"); }
  QString title() const override { return QObject::tr("Metrics Table"); }
  bool draws() const override { return false; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    ExportOutcome out;
    TableFormat format;
    if (!formatFor(path, format, out)) return out;
    const RunModel& run = *job.run;
    try {
      const std::string method = methodLabel(run.config().objective);
      writeTextFile(path.toStdString(),
                    render(metricsTable(run.summaries(), run.baselines(), method), format));
    } catch (const std::exception& e) {
      out.message = QObject::tr("Could not export the metrics table.\n%1").arg(QString::fromUtf8(e.what()));
      return out;
    }
    out.ok = true;
    out.message = QObject::tr("Saved the metrics of %1 epochs to %2")
                      .arg(run.epochCount())
                      .arg(QDir::toNativeSeparators(path));
    return out;
  }
};

class ClusterTableExport : public Export {
 public:
  QString id() const override { return QStringLiteral("clusters"); }
  QString title() const override { return QObject::tr("Cluster Table"); }
  bool draws() const override { return false; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    ExportOutcome out;
    TableFormat format;
    if (!formatFor(path, format, out)) return out;
    RunModel& run = *job.run;
    const int index = exportIndex(job);
    const EpochFramePtr frame = index >= 0 ? run.frameAt(index) : nullptr;
    const ViewSetPtr view = run.viewSet();
    if (!frame || !view) {
      out.message = index < 0
                        ? QObject::tr("No epoch on screen to export: train one or open a saved run first.")
                        : run.errorString();
      return out;
    }
    try {
      int classes = static_cast<int>(view->classNames.size());
      for (std::uint8_t l : view->labels) classes = std::max(classes, l + 1);
      int clusters = frame->clusters;
      for (std::int32_t a : frame->assignments) clusters = std::max(clusters, a + 1);
      const Contingency table = contingency(frame->assignments, view->labels, clusters, classes);
      writeTextFile(path.toStdString(), render(clusterTable(table, view->classNames), format));
    } catch (const std::exception& e) {  // a damaged run's assignments, or an unwritable file
      out.message = QObject::tr("Could not export the cluster table.\n%1").arg(QString::fromUtf8(e.what()));
      return out;
    }
    out.ok = true;
    out.message = QObject::tr("Saved the clusters of epoch %1 to %2")
                      .arg(frame->epoch)
                      .arg(QDir::toNativeSeparators(path));
    return out;
  }
};

}  // namespace

std::unique_ptr<Export> makeMetricsTableExport() { return std::make_unique<MetricsTableExport>(); }
std::unique_ptr<Export> makeClusterTableExport() { return std::make_unique<ClusterTableExport>(); }

}  // namespace centroid::ui
