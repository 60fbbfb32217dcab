// Window-wide single-key shortcuts (the timeline's ← → Home End and Space) give way to the
// focused widget when that widget uses the key itself: a table's arrows move its current cell,
// a button's Space presses it, a slider's arrows move it.
#pragma once

#include <QObject>

class QWidget;

namespace centroid::ui {

// Before a shortcut fires, Qt sends the focus widget a ShortcutOverride event; a widget that
// accepts it gets the key as a normal key press instead. Text fields and spin boxes accept it
// themselves; item views, buttons, sliders, tab bars and combo boxes do not, so this filter
// (installed on the application, acting only for widgets inside `window`) accepts it for them.
class FocusKeys : public QObject {
  Q_OBJECT
 public:
  explicit FocusKeys(QWidget* window);
  ~FocusKeys() override;
  // Whether `widget` handles the unmodified `key` (a Qt::Key) itself.
  static bool widgetUsesKey(const QWidget* widget, int key);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QWidget* window_;
};

}  // namespace centroid::ui
