// Point details and the hover popup that shows them.
#include "ui/widgets/PointInspector.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QScreen>
#include <QVBoxLayout>
#include <cmath>
#include <cstring>

namespace centroid::ui {

PointInfo PointInfo::describe(int index, const EpochFrame& frame, const ViewSet& view) {
  PointInfo p;
  const auto n = static_cast<int>(view.labels.size());
  if (index < 0 || index >= n || index >= frame.points()) return p;
  const auto i = static_cast<std::size_t>(index);
  p.index = index;
  p.label = view.labels[i];
  p.className = p.label < static_cast<int>(view.classNames.size())
                    ? QString::fromStdString(view.classNames[static_cast<std::size_t>(p.label)])
                    : QString::number(p.label);
  const std::size_t pixels = static_cast<std::size_t>(view.width) * static_cast<std::size_t>(view.height);
  if (pixels > 0 && view.images.size() >= (i + 1) * pixels)
    p.setImage(view.images.data() + i * pixels, pixels, view.width, view.height);
  if (i < frame.assignments.size()) {
    p.cluster = frame.assignments[i];
    const int d = frame.dim;
    if (p.cluster >= 0 && static_cast<std::size_t>(p.cluster + 1) * d <= frame.centroids.size()) {
      double sum = 0;
      for (int k = 0; k < d; ++k) {
        const double diff =
            frame.embedding[i * d + k] - frame.centroids[static_cast<std::size_t>(p.cluster) * d + k];
        sum += diff * diff;
      }
      p.distance = std::sqrt(sum);
    }
  }
  const bool test = i < view.split.size() && view.split[i] == 1;
  const int within = i < view.indices.size() ? view.indices[i] : index;
  p.origin =
      QStringLiteral("%1 #%2").arg(test ? QStringLiteral("test") : QStringLiteral("train")).arg(within);
  return p;
}

void PointInfo::setImage(const std::uint8_t* pixels, std::size_t size, int width, int height) {
  image = QImage();
  if (!pixels || width <= 0 || height <= 0 ||
      size != static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    return;
  image = QImage(width, height, QImage::Format_Grayscale8);
  for (int y = 0; y < height; ++y)
    std::memcpy(image.scanLine(y), pixels + static_cast<std::size_t>(y) * static_cast<std::size_t>(width),
                static_cast<std::size_t>(width));
}

QString PointInfo::summary() const {
  if (index < 0) return {};
  QString s = QStringLiteral("Point %1 (%2): label %3").arg(index).arg(origin, className);
  if (cluster >= 0) s += QStringLiteral(", cluster %1").arg(cluster);
  if (distance >= 0) s += QStringLiteral(", %1 from its centroid").arg(distance, 0, 'g', 3);
  return s;
}

PointInspector::PointInspector(QWidget* parent)
    : QFrame(parent, Qt::ToolTip | Qt::FramelessWindowHint | Qt::WindowDoesNotAcceptFocus) {
  setObjectName("pointInspector");
  setAttribute(Qt::WA_ShowWithoutActivating);
  setAttribute(Qt::WA_TransparentForMouseEvents);  // never steals the hover from the view
  setFrameShape(QFrame::Box);
  setStyleSheet(
      "#pointInspector { background: #ffffff; border: 1px solid #9aa0a6; }"
      "#pointInspector QLabel { color: #202124; }");
  image_ = new QLabel;
  image_->setFixedSize(28 * kZoom, 28 * kZoom);
  image_->setStyleSheet("background: #000000;");
  title_ = new QLabel;
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  big.setBold(true);
  title_->setFont(big);
  details_ = new QLabel;
  auto* text = new QVBoxLayout;
  text->addWidget(title_);
  text->addWidget(details_);
  text->addStretch(1);
  auto* h = new QHBoxLayout(this);
  h->setContentsMargins(6, 6, 10, 6);
  h->addWidget(image_);
  h->addLayout(text);
}

void PointInspector::showPoint(const PointInfo& info, const QPoint& globalPos) {
  info_ = info;
  if (info.image.isNull()) {
    image_->setVisible(false);
  } else {
    // Nearest-neighbour zoom: smoothing would blur the pixels the network actually saw.
    image_->setPixmap(QPixmap::fromImage(
        info.image.scaled(info.image.size() * kZoom, Qt::IgnoreAspectRatio, Qt::FastTransformation)));
    image_->setFixedSize(info.image.size() * kZoom);
    image_->setVisible(true);
  }
  title_->setText(info.className);
  QStringList lines;
  lines << (info.cluster >= 0 ? tr("cluster %1").arg(info.cluster) : tr("cluster unknown"));
  // 'g': after a diverging run, distances of 1e34 would be 38 digits in fixed notation.
  if (info.distance >= 0) lines << tr("distance to its centroid %1").arg(info.distance, 0, 'g', 4);
  lines << info.origin << tr("view point %1").arg(QLocale().toString(info.index));
  details_->setText(lines.join('\n'));
  adjustSize();

  QPoint at = globalPos + QPoint(16, 16);
  if (const QScreen* screen = QGuiApplication::screenAt(globalPos)) {
    const QRect avail = screen->availableGeometry();
    if (at.x() + width() > avail.right()) at.setX(globalPos.x() - 16 - width());
    if (at.y() + height() > avail.bottom()) at.setY(globalPos.y() - 16 - height());
  }
  move(at);
  show();
  raise();
}

QString PointInspector::text() const { return title_->text() + '\n' + details_->text(); }

}  // namespace centroid::ui
