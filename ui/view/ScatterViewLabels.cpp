// The centroids' labels in one texture and one 2-D actor.
#include "ui/view/ScatterViewLabels.h"

#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>
#include <vtkTextRenderer.h>
#include <vtkTexture.h>
#include <vtkTexturedActor2D.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "ui/view/Palette.h"
#include "ui/view/ScatterViewGeometry.h"

namespace centroid::ui {

struct ScatterViewLabels::Impl {
  vtkNew<vtkTextProperty> text;
  vtkNew<vtkImageData> atlas;
  vtkNew<vtkTexture> texture;
  vtkNew<vtkPoints> corners;
  vtkNew<vtkFloatArray> tcoords;
  vtkNew<vtkCellArray> quads;
  vtkNew<vtkPolyData> shapes;
  vtkNew<vtkPolyDataMapper2D> mapper;
  vtkNew<vtkTexturedActor2D> actor;

  std::vector<QString> texts;
  std::vector<float> anchors;
  std::vector<std::array<int, 4>> boxes;  // per label: x, y offset of the image from the anchor; w, h
  int dx = 0, dy = 0, dpi = 0;
  bool stale = true;  // the atlas needs rebuilding

  void rebuild(int windowDpi);
};

ScatterViewLabels::ScatterViewLabels(vtkRenderer* renderer, const Style& style)
    : d(std::make_unique<Impl>()) {
  vtkTextProperty* p = d->text;
  p->SetFontFamilyToArial();
  p->SetFontSize(style.fontSize);
  p->SetBold(style.bold);
  p->ShadowOff();
  p->SetJustificationToLeft();
  p->SetVerticalJustificationToBottom();
  const QColor fg = palette::foreground(), bg = palette::background();
  p->SetColor(fg.redF(), fg.greenF(), fg.blueF());
  p->SetBackgroundColor(bg.redF(), bg.greenF(), bg.blueF());
  p->SetBackgroundOpacity(style.backgroundOpacity);

  d->texture->SetInputData(d->atlas);
  d->texture->InterpolateOff();  // texels land on pixels one to one
  d->texture->SetColorModeToDirectScalars();
  d->tcoords->SetNumberOfComponents(2);
  d->shapes->SetPoints(d->corners);
  d->shapes->SetPolys(d->quads);
  d->shapes->GetPointData()->SetTCoords(d->tcoords);
  d->mapper->SetInputData(d->shapes);
  d->mapper->ScalarVisibilityOff();
  d->actor->SetMapper(d->mapper);
  d->actor->SetTexture(d->texture);
  d->actor->SetVisibility(false);
  renderer->AddViewProp(d->actor);
}

ScatterViewLabels::~ScatterViewLabels() = default;

void ScatterViewLabels::setTexts(const std::vector<QString>& texts) {
  if (texts == d->texts) return;
  d->texts = texts;
  d->stale = true;
}

void ScatterViewLabels::setAnchors(const float* xyz, int count) {
  d->anchors.assign(xyz, xyz + static_cast<std::size_t>(std::max(0, count)) * 3);
}

void ScatterViewLabels::setOffset(int dx, int dy) {
  d->dx = dx;
  d->dy = dy;
}

// Renders each text with VTK's text renderer (as vtkBillboardTextActor3D does) and stacks
// the images in one RGBA texture, one label per band of rows.
void ScatterViewLabels::Impl::rebuild(int windowDpi) {
  stale = false;
  dpi = windowDpi;
  vtkTextRenderer* renderer = vtkTextRenderer::GetInstance();
  std::vector<vtkNew<vtkImageData>> images(texts.size());
  boxes.assign(texts.size(), {0, 0, 0, 0});
  int width = 1, height = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    int bbox[4] = {0, 0, 0, 0}, dims[2] = {0, 0};
    const std::string s = texts[i].toStdString();
    if (s.empty() || !renderer->GetBoundingBox(text, s, bbox, dpi) ||
        !renderer->RenderString(text, s, images[i], dims, dpi))
      continue;
    const int w = std::min(bbox[1] - bbox[0] + 1, dims[0]), h = std::min(bbox[3] - bbox[2] + 1, dims[1]);
    boxes[i] = {bbox[0], bbox[2], w, h};
    width = std::max(width, w);
    height += h;
  }
  atlas->SetDimensions(width, std::max(1, height), 1);
  atlas->AllocateScalars(VTK_UNSIGNED_CHAR, 4);
  auto* out = static_cast<unsigned char*>(atlas->GetScalarPointer());
  std::memset(out, 0, static_cast<std::size_t>(width) * std::max(1, height) * 4);
  int row = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const int w = boxes[i][2], h = boxes[i][3];
    if (w <= 0 || h <= 0) continue;
    int extent[6];
    images[i]->GetExtent(extent);
    const int srcWidth = extent[1] - extent[0] + 1;
    const auto* src = static_cast<const unsigned char*>(images[i]->GetScalarPointer());
    const int comps = images[i]->GetNumberOfScalarComponents();
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x)
        for (int c = 0; c < 4; ++c)
          out[(static_cast<std::size_t>(row + y) * width + x) * 4 + c] =
              c < comps ? src[(static_cast<std::size_t>(y) * srcWidth + x) * comps + c] : 255;
    row += h;
  }
  atlas->Modified();

  // Texture coordinates and cells stay until the next rebuild; place() moves the corners.
  const auto n = static_cast<vtkIdType>(texts.size());
  corners->SetNumberOfPoints(4 * n);
  tcoords->SetNumberOfTuples(4 * n);
  quads->Reset();
  row = 0;
  for (vtkIdType i = 0; i < n; ++i) {
    const auto& b = boxes[static_cast<std::size_t>(i)];
    const float u1 = static_cast<float>(b[2]) / static_cast<float>(width);
    const float v0 = static_cast<float>(row) / static_cast<float>(std::max(1, height));
    const float v1 = static_cast<float>(row + b[3]) / static_cast<float>(std::max(1, height));
    const float tc[4][2] = {{0, v0}, {u1, v0}, {u1, v1}, {0, v1}};
    for (int c = 0; c < 4; ++c) tcoords->SetTypedTuple(4 * i + c, tc[c]);
    const vtkIdType ids[4] = {4 * i, 4 * i + 1, 4 * i + 2, 4 * i + 3};
    quads->InsertNextCell(4, ids);
    row += b[3];
  }
  tcoords->Modified();
  shapes->Modified();
}

void ScatterViewLabels::place(const double m[16], int width, int height, int dpi) {
  if (d->stale || dpi != d->dpi) d->rebuild(dpi);
  const std::size_t n = d->texts.size(), anchored = std::min(n, d->anchors.size() / 3);
  d->actor->SetVisibility(anchored > 0 && width > 0 && height > 0);
  if (anchored == 0) return;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& b = d->boxes[i];
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0, sx = 0, sy = 0;  // a label not drawn collapses to a point
    if (i < anchored && b[2] > 0 && geometry::toScreen(m, &d->anchors[3 * i], width, height, sx, sy)) {
      // Whole pixels, so that the texels land on pixels one to one (rounded down, as
      // vtkBillboardTextActor3D does).
      x0 = std::floor(sx) + d->dx + b[0];
      y0 = std::floor(sy) + d->dy + b[1];
      x1 = x0 + b[2];
      y1 = y0 + b[3];
    }
    const auto base = 4 * static_cast<vtkIdType>(i);
    d->corners->SetPoint(base, x0, y0, 0);
    d->corners->SetPoint(base + 1, x1, y0, 0);
    d->corners->SetPoint(base + 2, x1, y1, 0);
    d->corners->SetPoint(base + 3, x0, y1, 0);
  }
  d->corners->Modified();
  d->shapes->Modified();
}

}  // namespace centroid::ui
