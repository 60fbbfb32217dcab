// The message strip above the 3-D view.
#pragma once

#include <QFrame>
#include <QString>

class QLabel;
class QToolButton;

namespace centroid::ui {

// A non-modal message strip above the 3-D view: errors stay until dismissed or the next
// run starts; nothing blocks (scripts and tests never wait on a dialog).
class MessageBanner : public QFrame {
  Q_OBJECT

 public:
  enum class Kind { Info, Warning, Error };
  explicit MessageBanner(QWidget* parent = nullptr);

  void showMessage(Kind kind, const QString& text);
  void dismiss();
  QString text() const;  // empty while dismissed
  Kind kind() const { return kind_; }

 private:
  QLabel* icon_;
  QLabel* text_;
  QToolButton* close_;
  Kind kind_ = Kind::Info;
};

}  // namespace centroid::ui
