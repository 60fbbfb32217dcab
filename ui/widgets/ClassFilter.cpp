// Class filter buttons.
#include "ui/widgets/ClassFilter.h"

#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

#include "ui/view/Palette.h"

namespace centroid::ui {

ClassFilter::ClassFilter(QWidget* parent) : QWidget(parent) {
  setObjectName("classFilter");
  layout_ = new QHBoxLayout(this);
  layout_->setContentsMargins(6, 2, 6, 2);
  layout_->setSpacing(2);
  auto* caption = new QLabel(tr("Show:"));
  caption->setToolTip(tr("Click a class to hide or show its points; Shift+click shows only that class"));
  layout_->addWidget(caption);
  layout_->addStretch(1);
  setVisible(false);
}

void ClassFilter::setClassNames(const std::vector<std::string>& names) {
  for (QToolButton* b : buttons_) delete b;
  buttons_.clear();
  for (std::size_t l = 0; l < names.size(); ++l) {
    auto* b = new QToolButton;
    const int label = static_cast<int>(l);
    b->setText(QString::fromStdString(names[l]));
    b->setCheckable(true);
    b->setChecked(true);
    b->setToolTip(tr("Hide or show %1 (Shift+click: only this class)").arg(b->text()));
    // The swatch colour is the view's label colour; unchecked buttons fade, like the legend.
    const QColor c = palette::labelColor(label);
    b->setStyleSheet(
        QStringLiteral("QToolButton { border: 1px solid %1; border-left: 8px solid %1; padding: 1px 5px;"
                       " background: rgba(%2, %3, %4, 70); color: #202124; }"
                       "QToolButton:!checked { background: transparent; color: #9aa0a6;"
                       " border: 1px dashed #bdc1c6; border-left: 8px solid #dadce0; }")
            .arg(c.name())
            .arg(c.red())
            .arg(c.green())
            .arg(c.blue()));
    connect(b, &QToolButton::clicked, this, [this, label](bool checked) {
      if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier) {
        // Solo: with ten classes, "only the 4s and 9s" is two Shift-free clicks after this one.
        for (int other = 0; other < classCount(); ++other)
          if (other != label) setClassVisible(other, false);
        button(label)->setChecked(true);
        emit classVisibilityChanged(label, true);  // the click may have just unchecked it
        return;
      }
      emit classVisibilityChanged(label, checked);
    });
    layout_->insertWidget(layout_->count() - 1, b);
    buttons_.push_back(b);
  }
  setVisible(!buttons_.empty());
}

bool ClassFilter::isClassVisible(int label) const {
  const QToolButton* b = button(label);
  return !b || b->isChecked();
}

void ClassFilter::setClassVisible(int label, bool visible) {
  QToolButton* b = button(label);
  if (!b || b->isChecked() == visible) return;
  b->setChecked(visible);
  emit classVisibilityChanged(label, visible);
}

QToolButton* ClassFilter::button(int label) const {
  return label >= 0 && label < classCount() ? buttons_[static_cast<std::size_t>(label)] : nullptr;
}

}  // namespace centroid::ui
