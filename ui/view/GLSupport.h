// OpenGL helpers of the 3-D view: VTK's render framebuffer read back into a QImage (for the
// pictures the view hands out, and for presenting frames where OpenGL is a CPU rasteriser),
// and which renderer the current context has. Private to ui/view; call with the view's
// context current.
#pragma once

#include <QImage>
#include <vector>

class vtkOpenGLRenderWindow;

namespace centroid::ui {

// What the last Render() drew, rows top-down, as opaque RGB32 (device pixels). scratch holds
// the raw rows between calls; into is reused when it has the right size. False when VTK has
// no frame yet.
bool readRenderFramebuffer(vtkOpenGLRenderWindow* window, std::vector<unsigned char>& scratch, QImage& into);

// True for Mesa's CPU rasterisers (llvmpipe, softpipe, swrast): the renderer of the current context.
bool softwareOpenGL();

}  // namespace centroid::ui
