// Encodes the view's frames into a video or a GIF in-process with FFmpeg's libraries
// (libavformat, libavcodec, libswscale; Debian's VTK already depends on their -dev packages).
// No FFmpeg type in this header (pimpl).
#pragma once

#include <QImage>
#include <QString>
#include <memory>

namespace centroid::ui {

class VideoEncoder {
 public:
  // The container follows the extension: .mp4 (H.264, yuv420p: plays in browsers and slides),
  // .webm (VP9, yuv420p) or .gif (the view's own palette). Frames are written to PATH.part and
  // renamed to PATH by finish(), so a failed or abandoned encode leaves nothing under PATH.
  // Null with *error set when the format, the encoder or the file cannot be set up.
  static std::unique_ptr<VideoEncoder> open(const QString& path, int width, int height, int fps,
                                            QString* error);
  ~VideoEncoder();  // without finish(): the partial file is removed
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // One frame, scaled to the size given to open() if it differs. False with *error set.
  bool add(const QImage& frame, QString* error);
  bool finish(QString* error);  // flushes, writes the trailer, renames PATH.part to PATH
  int framesWritten() const;

  static bool supportedPath(const QString& path);  // .mp4, .webm or .gif

 private:
  struct Impl;
  explicit VideoEncoder(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace centroid::ui
