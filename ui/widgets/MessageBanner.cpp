// The message banner (see MessageBanner.h).
#include "ui/widgets/MessageBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace centroid::ui {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent) {
  setObjectName("messageBanner");
  icon_ = new QLabel;
  text_ = new QLabel;
  text_->setWordWrap(true);
  text_->setTextInteractionFlags(Qt::TextSelectableByMouse);  // users copy error text into reports
  close_ = new QToolButton;
  close_->setAutoRaise(true);
  close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
  close_->setToolTip(tr("Dismiss"));
  auto* h = new QHBoxLayout(this);
  h->setContentsMargins(10, 6, 6, 6);
  h->addWidget(icon_, 0, Qt::AlignTop);
  h->addWidget(text_, 1);
  h->addWidget(close_, 0, Qt::AlignTop);
  connect(close_, &QToolButton::clicked, this, &MessageBanner::dismiss);
  setVisible(false);
}

void MessageBanner::showMessage(Kind kind, const QString& text) {
  kind_ = kind;
  const char* colours[] = {"#e8f0fe; border-bottom: 1px solid #aac4f0",
                           "#fef7e0; border-bottom: 1px solid #f0d58a",
                           "#fce8e6; border-bottom: 1px solid #eaa59e"};
  const QStyle::StandardPixmap icons[] = {QStyle::SP_MessageBoxInformation, QStyle::SP_MessageBoxWarning,
                                          QStyle::SP_MessageBoxCritical};
  const int i = static_cast<int>(kind);
  setStyleSheet(QStringLiteral("#messageBanner { background: %1; } #messageBanner QLabel { color: #202124; }")
                    .arg(colours[i]));
  icon_->setPixmap(style()->standardIcon(icons[i]).pixmap(20, 20));
  text_->setText(text);
  setVisible(true);
}

void MessageBanner::dismiss() {
  text_->clear();
  setVisible(false);
}

QString MessageBanner::text() const { return isHidden() ? QString() : text_->text(); }

}  // namespace centroid::ui
