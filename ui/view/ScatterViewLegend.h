// The scatter view's legend: a title and colour swatches on a light panel, as VTK 2-D actors.
// Private to ui/; VTK types stay in the .cpp.
#pragma once

#include <QColor>
#include <QString>
#include <memory>
#include <vector>

class vtkRenderer;

namespace centroid::ui {

struct LegendEntry {
  QString text;
  QColor color;
  bool dimmed = false;  // a hidden class or an empty cluster: muted text, hollow swatch
};

class ScatterViewLegend {
 public:
  // Adds its actors to overlay (the scene's top layer), which must belong to a render window.
  explicit ScatterViewLegend(vtkRenderer* overlay);
  ~ScatterViewLegend();
  ScatterViewLegend(const ScatterViewLegend&) = delete;
  ScatterViewLegend& operator=(const ScatterViewLegend&) = delete;

  void set(const QString& title, const std::vector<LegendEntry>& entries);
  bool needsLayout() const;
  // Places the legend in the top-left corner of a width x height (device pixels) window;
  // scale is device pixels per logical pixel. Rows stop bottomReserve pixels above the
  // bottom edge, and the last row then says how many were left out.
  void layout(int width, int height, double scale, double bottomReserve);

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
