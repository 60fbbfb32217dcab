// The embedding itself, for Python, R or a spreadsheet: one row per view point with its index in
// its split, the split, the label, the assigned cluster and the coordinates; with all epochs, one
// block per epoch and the epoch first. CSV, or NumPy's .npy (a structured array: numpy.load gives
// named columns). Does not draw: runs without a display.
#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "ui/export/Export.h"
#include "ui/run/RunModel.h"

namespace centroid::ui {
namespace {

// Shortest text that reads back as the same float.
std::string floatText(float v) {
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, static_cast<double>(v));
    if (std::strtof(buf, nullptr) == v) break;
  }
  return buf;
}

QByteArray csv(const std::vector<EpochFramePtr>& frames, const ViewSet& view, bool withEpoch) {
  const int dim = frames.front()->dim;
  std::string out = withEpoch ? "epoch,index,split,label,cluster" : "index,split,label,cluster";
  for (int d = 0; d < dim; ++d) out += ",z" + std::to_string(d);
  out += '\n';
  for (const EpochFramePtr& f : frames) {
    const std::size_t n = view.labels.size();
    for (std::size_t i = 0; i < n; ++i) {
      if (withEpoch) out += std::to_string(f->epoch) + ',';
      out += std::to_string(view.indices[i]) + ',' + (view.split[i] ? "test" : "train") + ',' +
             std::to_string(view.labels[i]) + ',' + std::to_string(f->assignments[i]);
      for (int d = 0; d < dim; ++d)
        out += ',' + floatText(f->embedding[i * static_cast<std::size_t>(dim) + d]);
      out += '\n';
    }
  }
  return QByteArray::fromStdString(out);
}

template <typename T>
void put(QByteArray& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);  // little-endian (x86-64, aarch64)
}

// NPY format 1.0: magic, version, header length, a Python dict literal padded to 64 bytes, data.
QByteArray npy(const std::vector<EpochFramePtr>& frames, const ViewSet& view, bool withEpoch) {
  const int dim = frames.front()->dim;
  std::string descr = "[";
  if (withEpoch) descr += "('epoch', '<i4'), ";
  descr += "('index', '<i4'), ('split', '|u1'), ('label', '|u1'), ('cluster', '<i4')";
  for (int d = 0; d < dim; ++d) descr += ", ('z" + std::to_string(d) + "', '<f4')";
  descr += "]";
  const std::size_t n = view.labels.size();
  std::string header = "{'descr': " + descr + ", 'fortran_order': False, 'shape': (" +
                       std::to_string(n * frames.size()) + ",), }";
  const std::size_t unpadded = 10 + header.size() + 1;
  header += std::string((64 - unpadded % 64) % 64, ' ') + '\n';
  QByteArray out("\x93NUMPY\x01\x00", 8);
  put(out, static_cast<std::uint16_t>(header.size()));
  out.append(header.data(), static_cast<qsizetype>(header.size()));
  for (const EpochFramePtr& f : frames) {
    for (std::size_t i = 0; i < n; ++i) {
      if (withEpoch) put(out, static_cast<std::int32_t>(f->epoch));
      put(out, static_cast<std::int32_t>(view.indices[i]));
      put(out, static_cast<std::uint8_t>(view.split[i]));
      put(out, static_cast<std::uint8_t>(view.labels[i]));
      put(out, static_cast<std::int32_t>(f->assignments[i]));
      for (int d = 0; d < dim; ++d) put(out, f->embedding[i * static_cast<std::size_t>(dim) + d]);
    }
  }
  return out;
}

class EmbeddingExport : public Export {
 public:
  QString id() const override { return QStringLiteral("embedding"); }
  QString title() const override { return QObject::tr("Embedding"); }
  bool draws() const override { return false; }
  ExportOutcome write(const ExportJob& job, const QString& path) const override {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != "csv" && suffix != "npy")
      return {false, QObject::tr("%1: the embedding's format follows the extension; use .csv or .npy.")
                         .arg(QDir::toNativeSeparators(path))};
    RunModel& run = *job.run;
    std::vector<EpochFramePtr> frames;
    if (job.allEpochs) {
      for (int i = 0; i < run.epochCount(); ++i) {
        const EpochFramePtr f = run.frameAt(i);
        if (!f) return {false, run.errorString()};
        frames.push_back(f);
        if (job.progress && !job.progress(i + 1, run.epochCount()))
          return {false, QObject::tr("Cancelled; %1 was not written").arg(QDir::toNativeSeparators(path)),
                  true};
      }
    } else if (const int index = exportIndex(job); index >= 0) {
      const EpochFramePtr f = run.frameAt(index);
      if (!f) return {false, run.errorString()};
      frames.push_back(f);
    }
    if (frames.empty()) return {false, QObject::tr("The run has no saved epoch to export.")};
    const ViewSet& view = *run.viewSet();
    for (const EpochFramePtr& f : frames)
      if (f->assignments.size() != view.labels.size() || f->dim < 1 ||
          f->embedding.size() != view.labels.size() * static_cast<std::size_t>(f->dim))
        return {false, QObject::tr("Epoch %1 does not match the view set (damaged run)").arg(f->epoch)};
    const QByteArray bytes =
        suffix == "csv" ? csv(frames, view, job.allEpochs) : npy(frames, view, job.allEpochs);
    // Written whole or not at all: a failed write leaves no half file under the name.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
      return {false,
              QObject::tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString())};
    const QString what = job.allEpochs ? QObject::tr("%1 epochs").arg(frames.size())
                                       : QObject::tr("epoch %1").arg(frames.front()->epoch);
    return {true, QObject::tr("Saved the embedding of %1 (%2 points) to %3")
                      .arg(what)
                      .arg(view.labels.size())
                      .arg(QDir::toNativeSeparators(path))};
  }
};

}  // namespace

std::unique_ptr<Export> makeEmbeddingExport() { return std::make_unique<EmbeddingExport>(); }

}  // namespace centroid::ui
