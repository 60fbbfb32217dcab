// Text labels anchored at 3-D points (the centroids' numbers, the axis names of the
// orientation inset): every label's text in one texture and one quad per label, drawn as a
// single 2-D actor placed before each frame. One vtkBillboardTextActor3D per label cost about
// 0.12 ms each per frame under llvmpipe (docs/benchmarks.md); these give the same pixels.
// Private to ui/; VTK types stay in the .cpp.
#pragma once

#include <QString>
#include <memory>
#include <vector>

class vtkRenderer;

namespace centroid::ui {

class ScatterViewLabels {
 public:
  struct Style {
    int fontSize = 12;  // points; VTK scales by the window DPI
    bool bold = false;
    double backgroundOpacity = 0;  // a panel in the view's background colour behind each text
  };
  // Adds its actor to renderer, whose camera place() is given.
  ScatterViewLabels(vtkRenderer* renderer, const Style& style);
  ~ScatterViewLabels();
  ScatterViewLabels(const ScatterViewLabels&) = delete;
  ScatterViewLabels& operator=(const ScatterViewLabels&) = delete;

  // One label per anchor; the texture is rebuilt only when a text, the font size or the
  // window's DPI changes.
  void setTexts(const std::vector<QString>& texts);
  void setAnchors(const float* xyz, int count);  // world positions, count * 3 floats
  void setOffset(int dx, int dy);                // display pixels from the anchor to the text
  // Before each frame, with the final camera: worldToView is the camera's composite
  // projection (row-major), width x height the renderer's viewport in device pixels. A label
  // whose anchor lies behind the camera or outside the depth range is not drawn.
  void place(const double worldToView[16], int width, int height, int dpi);

 private:
  struct Impl;
  std::unique_ptr<Impl> d;
};

}  // namespace centroid::ui
