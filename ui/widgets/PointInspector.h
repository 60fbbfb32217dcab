// The hover popup of the 3-D view: the digit's image enlarged, its true class, its cluster,
// its distance to that cluster's centroid and where it comes from (split and index).
#pragma once

#include <QFrame>
#include <QImage>
#include <QString>

#include "core/metrics/Types.h"

class QLabel;

namespace centroid::ui {

// What is known about one view point in one epoch. Plain data, so the status bar (clicks) and
// the popup (hover) say the same thing.
struct PointInfo {
  int index = -1;     // in the view set
  QImage image;       // width x height grey pixels; null when the run stored no images
  QString className;  // true label's name
  int label = -1;
  int cluster = -1;      // assigned centroid, -1 if unknown
  double distance = -1;  // to that centroid in the embedding space (all D dimensions)
  QString origin;        // "train #1234" / "test #56"

  // index out of range for the frame or the view set: index stays -1. The image comes from
  // view.images; a replayed run reads its images on demand instead (setImage).
  static PointInfo describe(int index, const EpochFrame& frame, const ViewSet& view);
  // width x height grey pixels, row by row; a size that does not match leaves the image null.
  void setImage(const std::uint8_t* pixels, std::size_t size, int width, int height);
  QString summary() const;  // one line, for the status bar
};

// A frameless tool-tip window, so it shows an image next to text (QToolTip's rich text cannot
// show an in-memory image without a resource) and never takes focus.
class PointInspector : public QFrame {
  Q_OBJECT

 public:
  static constexpr int kZoom = 4;  // 28 x 28 pixels become 112 x 112: strokes stay readable

  explicit PointInspector(QWidget* parent = nullptr);

  // Shows `info` with its top-left corner near globalPos, kept on the screen.
  void showPoint(const PointInfo& info, const QPoint& globalPos);
  const PointInfo& shownPoint() const { return info_; }
  QString text() const;  // the text lines shown, for tests

 private:
  PointInfo info_;
  QLabel* image_;
  QLabel* title_;
  QLabel* details_;
};

}  // namespace centroid::ui
