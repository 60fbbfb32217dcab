// FFmpeg behind VideoEncoder (see VideoEncoder.h).
#include "ui/export/VideoEncoder.h"

#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include "ui/view/Palette.h"

namespace centroid::ui {
namespace {

QString averror(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return QString::fromLatin1(text);
}

// The GIF palette: the view's background, text and marker colours, the ten categorical colours
// (labels and clusters), then a 6x6x6 colour cube and grays for anti-aliased edges.
std::vector<std::uint32_t> gifPalette() {
  std::vector<std::uint32_t> p;
  auto add = [&p](const QColor& c) {
    p.push_back(0xff000000u | static_cast<std::uint32_t>(c.rgb() & 0xffffff));
  };
  add(palette::background());
  add(palette::foreground());
  add(palette::mutedForeground());
  add(palette::markerOutline());
  for (const QColor& c : palette::categorical()) add(c);
  for (int r = 0; r < 6; ++r)
    for (int g = 0; g < 6; ++g)
      for (int b = 0; b < 6; ++b) add(QColor(r * 51, g * 51, b * 51));
  while (p.size() < 256) {
    const int v = static_cast<int>(p.size() - 230) * 10;  // grays between the cube's steps
    add(QColor(std::min(v, 255), std::min(v, 255), std::min(v, 255)));
  }
  p.resize(256);
  return p;
}

}  // namespace

struct VideoEncoder::Impl {
  QString path, part;
  bool gif = false;
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* scale = nullptr;
  int width = 0, height = 0;
  std::int64_t next = 0;
  bool finished = false;
  std::vector<std::uint32_t> palette;
  std::vector<std::uint8_t> lut;  // 32x32x32 RGB (5 bits each) -> palette index

  ~Impl() {
    if (scale) sws_freeContext(scale);
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    if (format) {
      if (format->pb) avio_closep(&format->pb);
      avformat_free_context(format);
    }
    if (!finished && !part.isEmpty()) QFile::remove(part);
  }

  bool drain(QString* error) {
    for (;;) {
      const int r = avcodec_receive_packet(codec, packet);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return true;
      if (r < 0) return *error = QObject::tr("encoding failed: %1").arg(averror(r)), false;
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      const int w = av_interleaved_write_frame(format, packet);
      if (w < 0) return *error = QObject::tr("%1: could not write (%2)").arg(path, averror(w)), false;
    }
  }

  void buildLut() {
    palette = gifPalette();
    lut.resize(32 * 32 * 32);
    for (int r = 0; r < 32; ++r)
      for (int g = 0; g < 32; ++g)
        for (int b = 0; b < 32; ++b) {
          const int R = r * 255 / 31, G = g * 255 / 31, B = b * 255 / 31;
          int best = 0, bestD = 1 << 30;
          for (int i = 0; i < 256; ++i) {
            const int dr = R - static_cast<int>((palette[i] >> 16) & 0xff);
            const int dg = G - static_cast<int>((palette[i] >> 8) & 0xff);
            const int db = B - static_cast<int>(palette[i] & 0xff);
            const int d = dr * dr * 3 + dg * dg * 4 + db * db * 2;
            if (d < bestD) bestD = d, best = i;
          }
          lut[static_cast<std::size_t>((r << 10) | (g << 5) | b)] = static_cast<std::uint8_t>(best);
        }
  }
};

bool VideoEncoder::supportedPath(const QString& path) {
  const QString s = QFileInfo(path).suffix().toLower();
  return s == "mp4" || s == "webm" || s == "gif";
}

VideoEncoder::VideoEncoder(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VideoEncoder::~VideoEncoder() = default;
int VideoEncoder::framesWritten() const { return static_cast<int>(impl_->next); }

std::unique_ptr<VideoEncoder> VideoEncoder::open(const QString& path, int width, int height, int fps,
                                                 QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (!supportedPath(path)) {
    *error =
        QObject::tr("%1: the animation's format follows the extension; use .mp4, .webm or .gif").arg(path);
    return nullptr;
  }
  av_log_set_level(AV_LOG_ERROR);  // the encoders' own chatter is not the user's business
  auto m = std::make_unique<Impl>();
  m->path = path;
  m->part = path + ".part";
  m->gif = suffix == "gif";
  // yuv420p needs even sizes; a pixel is dropped rather than the picture stretched.
  m->width = m->gif ? width : width & ~1;
  m->height = m->gif ? height : height & ~1;
  const char* container = suffix == "mp4" ? "mp4" : suffix == "webm" ? "webm" : "gif";
  const AVCodecID id = suffix == "mp4"    ? AV_CODEC_ID_H264
                       : suffix == "webm" ? AV_CODEC_ID_VP9
                                          : AV_CODEC_ID_GIF;
  int r = avformat_alloc_output_context2(&m->format, nullptr, container, m->part.toLocal8Bit().constData());
  if (r < 0 || !m->format) return *error = QObject::tr("no %1 muxer in this FFmpeg").arg(container), nullptr;
  const AVCodec* codec = avcodec_find_encoder(id);
  if (!codec) return *error = QObject::tr("no %1 encoder in this FFmpeg").arg(avcodec_get_name(id)), nullptr;
  m->stream = avformat_new_stream(m->format, nullptr);
  m->codec = avcodec_alloc_context3(codec);
  m->frame = av_frame_alloc();
  m->packet = av_packet_alloc();
  if (!m->stream || !m->codec || !m->frame || !m->packet)
    return *error = QObject::tr("out of memory"), nullptr;
  AVCodecContext* c = m->codec;
  c->width = m->width;
  c->height = m->height;
  c->time_base = AVRational{1, fps};
  c->framerate = AVRational{fps, 1};
  c->pix_fmt = m->gif ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
  c->gop_size = fps * 2;
  if (id == AV_CODEC_ID_H264) {
    av_opt_set(c->priv_data, "preset", "medium", 0);
    av_opt_set(c->priv_data, "crf", "20", 0);
  } else if (id == AV_CODEC_ID_VP9) {
    c->bit_rate = 0;
    av_opt_set(c->priv_data, "crf", "32", 0);
    av_opt_set(c->priv_data, "deadline", "good", 0);
  }
  if (m->format->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if ((r = avcodec_open2(c, codec, nullptr)) < 0)
    return *error = QObject::tr("could not start the %1 encoder (%2)").arg(codec->name, averror(r)), nullptr;
  avcodec_parameters_from_context(m->stream->codecpar, c);
  m->stream->time_base = c->time_base;
  if ((r = avio_open(&m->format->pb, m->part.toLocal8Bit().constData(), AVIO_FLAG_WRITE)) < 0)
    return *error = QObject::tr("%1: cannot create the file (%2)").arg(m->part, averror(r)), nullptr;
  if ((r = avformat_write_header(m->format, nullptr)) < 0)
    return *error = QObject::tr("%1: could not write the header (%2)").arg(path, averror(r)), nullptr;
  m->frame->format = c->pix_fmt;
  m->frame->width = c->width;
  m->frame->height = c->height;
  if (av_frame_get_buffer(m->frame, 0) < 0) return *error = QObject::tr("out of memory"), nullptr;
  if (m->gif) {
    m->buildLut();
  } else {
    m->scale = sws_getContext(c->width, c->height, AV_PIX_FMT_RGB24, c->width, c->height, c->pix_fmt,
                              SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (!m->scale)
      return *error = QObject::tr("no colour conversion to %1").arg(av_get_pix_fmt_name(c->pix_fmt)), nullptr;
  }
  return std::unique_ptr<VideoEncoder>(new VideoEncoder(std::move(m)));
}

bool VideoEncoder::add(const QImage& image, QString* error) {
  Impl& m = *impl_;
  QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  if (rgb.width() != m.width || rgb.height() != m.height)
    rgb = rgb.copy(0, 0, m.width, m.height).convertToFormat(QImage::Format_RGB888);
  if (av_frame_make_writable(m.frame) < 0) return *error = QObject::tr("out of memory"), false;
  if (m.gif) {
    std::uint8_t* out = m.frame->data[0];
    for (int y = 0; y < m.height; ++y) {
      const std::uint8_t* in = rgb.constScanLine(y);
      std::uint8_t* row = out + static_cast<std::ptrdiff_t>(y) * m.frame->linesize[0];
      for (int x = 0; x < m.width; ++x, in += 3)
        row[x] = m.lut[static_cast<std::size_t>(((in[0] >> 3) << 10) | ((in[1] >> 3) << 5) | (in[2] >> 3))];
    }
    std::memcpy(m.frame->data[1], m.palette.data(), 256 * 4);
  } else {
    const std::uint8_t* src[1] = {rgb.constBits()};
    const int stride[1] = {static_cast<int>(rgb.bytesPerLine())};
    sws_scale(m.scale, src, stride, 0, m.height, m.frame->data, m.frame->linesize);
  }
  m.frame->pts = m.next++;
  const int r = avcodec_send_frame(m.codec, m.frame);
  if (r < 0) return *error = QObject::tr("encoding failed: %1").arg(averror(r)), false;
  return m.drain(error);
}

bool VideoEncoder::finish(QString* error) {
  Impl& m = *impl_;
  const int r = avcodec_send_frame(m.codec, nullptr);
  if (r < 0 && r != AVERROR_EOF) return *error = QObject::tr("encoding failed: %1").arg(averror(r)), false;
  if (!m.drain(error)) return false;
  const int t = av_write_trailer(m.format);
  if (t < 0) return *error = QObject::tr("%1: could not finish the file (%2)").arg(m.path, averror(t)), false;
  avio_closep(&m.format->pb);
  QFile::remove(m.path);
  if (!QFile::rename(m.part, m.path))
    return *error = QObject::tr("%1: could not rename from %2").arg(m.path, m.part), false;
  m.finished = true;
  return true;
}

}  // namespace centroid::ui
