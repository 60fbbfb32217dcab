// A row of toggle buttons, one per class, in the classes' colours: hides and shows digits in
// the 3-D view (ScatterView::setClassVisible).
#pragma once

#include <QWidget>
#include <string>
#include <vector>

class QHBoxLayout;
class QToolButton;

namespace centroid::ui {

class ClassFilter : public QWidget {
  Q_OBJECT

 public:
  explicit ClassFilter(QWidget* parent = nullptr);

  // One button per name, all on. A new view set resets the filter, as the view resets its own.
  void setClassNames(const std::vector<std::string>& names);
  int classCount() const { return static_cast<int>(buttons_.size()); }
  bool isClassVisible(int label) const;
  void setClassVisible(int label, bool visible);  // emits classVisibilityChanged
  QToolButton* button(int label) const;

 signals:
  void classVisibilityChanged(int label, bool visible);

 private:
  QHBoxLayout* layout_;
  std::vector<QToolButton*> buttons_;
};

}  // namespace centroid::ui
