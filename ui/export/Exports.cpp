// The export registry: one line per export (see Export.h).
#include <QObject>
#include <algorithm>

#include "ui/export/Export.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {

std::unique_ptr<Export> makeViewImageExport();
std::unique_ptr<Export> makeWindowImageExport();
std::unique_ptr<Export> makeFramesExport();
std::unique_ptr<Export> makeMetricsTableExport();
std::unique_ptr<Export> makeClusterTableExport();
std::unique_ptr<Export> makeEmbeddingExport();
std::unique_ptr<Export> makeAnimationExport();

const std::vector<std::unique_ptr<Export>>& exports() {
  static const std::vector<std::unique_ptr<Export>> all = [] {
    std::vector<std::unique_ptr<Export>> v;
    v.push_back(makeViewImageExport());
    v.push_back(makeWindowImageExport());
    v.push_back(makeFramesExport());
    v.push_back(makeAnimationExport());
    v.push_back(makeMetricsTableExport());
    v.push_back(makeClusterTableExport());
    v.push_back(makeEmbeddingExport());
    return v;
  }();
  return all;
}

const Export* findExport(const QString& id) {
  for (const auto& e : exports())
    if (e->id() == id) return e.get();
  return nullptr;
}

ExportOutcome runExport(const QString& id, const ExportJob& job, const QString& path) {
  const Export* e = findExport(id);
  if (!e) return {false, QObject::tr("no export is called \"%1\"").arg(id)};
  if (e->needsRun() && (!job.run || !job.run->isReady()))
    return {false, QObject::tr("No run to export: train one or open a saved run first.")};
  if (e->needsView() && !job.view)
    return {false, QObject::tr("No 3-D view to export: OpenGL is unavailable.")};
  return e->write(job, path);
}

int exportIndex(const ExportJob& job) {
  const int count = job.run ? job.run->epochCount() : 0;
  if (count == 0) return -1;
  if (job.index >= 0) return std::min(job.index, count - 1);
  return job.run->currentIndex() >= 0 ? job.run->currentIndex() : count - 1;
}

}  // namespace centroid::ui
