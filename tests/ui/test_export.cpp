// QtTest for export: the metrics and cluster tables (CSV parses back to the stored numbers,
// Markdown reads as a table), screenshots at 1x-4x and animation frames from the window and
// from the command line (the built centroid program, run with QProcess on the test's
// display), and the command line's answer to bad files: exit code 2 and one line. Under Xvfb.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "core/metrics/Metrics.h"
#include "core/metrics/Tables.h"
#include "tests/ui/ReplayFixture.h"
#include "ui/view/VtkOpenGLWidget.h"
#include "ui/window/MainWindow.h"
#include "ui/export/Export.h"
#include "ui/run/RunModel.h"

using namespace centroid;
using namespace centroid::ui;
using namespace centroid::replaytest;

Q_DECLARE_METATYPE(centroid::replaytest::BadFile)

namespace {

constexpr int kPoints = 400;
constexpr int kEpochs = 4;

// A minimal RFC 4180 reader: enough for quoted fields with commas and doubled quotes.
QList<QStringList> parseCsv(const QString& text) {
  QList<QStringList> rows;
  QStringList row;
  QString field;
  bool quoted = false;
  for (int i = 0; i < text.size(); ++i) {
    const QChar c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row << field;
      field.clear();
    } else if (c == '\n') {
      row << field;
      rows << row;
      row.clear();
      field.clear();
    } else {
      field += c;
    }
  }
  return rows;
}

QString readText(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// Not blank: the image holds the cloud's colours, not only the background and text.
int distinctColours(const QImage& image) {
  QSet<QRgb> seen;
  for (int y = 0; y < image.height(); y += 2)
    for (int x = 0; x < image.width(); x += 2) seen.insert(image.pixel(x, y));
  return seen.size();
}

struct Result {
  int code = -1;
  QString out, err;
};

// display false: no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM, as over ssh or in CI.
Result runCentroid(const QStringList& args, bool display = true) {
  QProcess p;
  p.setProgram(QStringLiteral(CENTROID_GUI_EXE));
  // Qt warns on stderr when XDG_RUNTIME_DIR is unset (as under a bare xvfb-run); a desktop
  // session sets it. Set it here so stderr holds only what centroid itself says.
  static QTemporaryDir runtime;
  QFile::setPermissions(runtime.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  if (!env.contains("XDG_RUNTIME_DIR")) env.insert("XDG_RUNTIME_DIR", runtime.path());
  if (!display)
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
      env.remove(QLatin1String(name));
  p.setProcessEnvironment(env);
  p.setArguments(args);
  p.start();
  Result r;
  if (!p.waitForFinished(120000)) {
    p.kill();
    p.waitForFinished();
    r.err = "timed out";
    return r;
  }
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

// What a player sees in a video or GIF file: the frames it decodes and their size.
struct Decoded {
  int frames = 0, width = 0, height = 0;
  QString codec, pixelFormat;
  QImage middle;  // a frame from the middle, for a look (CENTROID_SNAPSHOT_DIR)
};

Decoded decode(const QString& path) {
  Decoded d;
  AVFormatContext* format = nullptr;
  if (avformat_open_input(&format, path.toLocal8Bit().constData(), nullptr, nullptr) < 0) return d;
  avformat_find_stream_info(format, nullptr);
  const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (stream >= 0) {
    const AVCodecParameters* par = format->streams[stream]->codecpar;
    const AVCodec* codec = avcodec_find_decoder(par->codec_id);
    AVCodecContext* c = avcodec_alloc_context3(codec);
    avcodec_parameters_to_context(c, par);
    avcodec_open2(c, codec, nullptr);
    d.codec = QString::fromLatin1(avcodec_get_name(par->codec_id));
    d.width = par->width;
    d.height = par->height;
    AVPacket* packet = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    auto take = [&] {
      while (avcodec_receive_frame(c, frame) == 0) {
        if (d.pixelFormat.isEmpty())
          d.pixelFormat = QString::fromLatin1(av_get_pix_fmt_name(AVPixelFormat(frame->format)));
        if (++d.frames == 5) {
          SwsContext* s =
              sws_getContext(frame->width, frame->height, AVPixelFormat(frame->format), frame->width,
                             frame->height, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
          d.middle = QImage(frame->width, frame->height, QImage::Format_RGB888);
          uint8_t* out[1] = {d.middle.bits()};
          const int stride[1] = {static_cast<int>(d.middle.bytesPerLine())};
          sws_scale(s, frame->data, frame->linesize, 0, frame->height, out, stride);
          sws_freeContext(s);
        }
      }
    };
    while (av_read_frame(format, packet) >= 0) {
      if (packet->stream_index == stream) avcodec_send_packet(c, packet);
      av_packet_unref(packet);
      take();
    }
    avcodec_send_packet(c, nullptr);
    take();
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&c);
  }
  avformat_close_input(&format);
  return d;
}

}  // namespace

class TestExport : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void metricsTableMatchesRun();
  void clusterTableMatchesContingency();
  void tableFormats();
  void csvQuoting();
  void windowExports();
  void screenshotsAtScale();
  void commandLineScreenshot();
  void commandLineFramesAndTables();
  void registryHoldsEveryExport();
  void tablesWithoutAWindow();
  void commandLineWithoutADisplay();
  void embeddingForPython();
  void animationExport();
  void commandLineBadFiles_data();
  void commandLineBadFiles();
  void commandLineBadSwitches_data();
  void commandLineBadSwitches();

 private:
  QString path(const QString& name) const { return tmp_.filePath(name); }
  QTemporaryDir tmp_;
  QString run_;
};

void TestExport::initTestCase() {
  QVERIFY(tmp_.isValid());
  QStandardPaths::setTestModeEnabled(true);
  run_ = path("run.h5");
  writeFixtureRun(run_.toStdString(), kPoints, kEpochs);
}

void TestExport::metricsTableMatchesRun() {
  RunReader reader(run_.toStdString());
  const auto summaries = reader.summaries();
  const auto baselines = reader.baselines();
  const auto rows = parseCsv(QString::fromStdString(toCsv(metricsTable(summaries, baselines))));
  QCOMPARE(rows.size(), 1 + kEpochs + 2);
  QCOMPARE(rows[0], QStringList({"method", "epoch", "loss", "seed_purity", "purity", "nmi", "ari", "accuracy",
                                 "non_empty_clusters"}));
  for (int e = 0; e < kEpochs; ++e) {
    const QStringList& r = rows[1 + e];
    const EpochSummary& s = summaries[static_cast<std::size_t>(e)];
    QCOMPARE(r[0], QStringLiteral("k-means loss"));
    QCOMPARE(r[1].toInt(), s.epoch);
    // Bit for bit: the CSV holds the shortest text that reads back as the stored double.
    QCOMPARE(r[2].toDouble(), s.loss);
    QCOMPARE(r[3].toDouble(), s.metrics.seedPurity);
    QCOMPARE(r[4].toDouble(), s.metrics.purity);
    QCOMPARE(r[5].toDouble(), s.metrics.nmi);
    QCOMPARE(r[6].toDouble(), s.metrics.ari);
    QCOMPARE(r[7].toDouble(), s.metrics.accuracy);
    QCOMPARE(r[8].toInt(), s.metrics.nonEmptyClusters);
  }
  for (int b = 0; b < 2; ++b) {
    const QStringList& r = rows[1 + kEpochs + b];
    QCOMPARE(r[0], QString::fromStdString(baselines[static_cast<std::size_t>(b)].name));
    QVERIFY(r[1].isEmpty() && r[2].isEmpty());  // baselines have no epoch and no loss
    QCOMPARE(r[5].toDouble(), baselines[static_cast<std::size_t>(b)].metrics.nmi);
  }
  const QString md = QString::fromStdString(toMarkdown(metricsTable(summaries, baselines)));
  const QStringList lines = md.split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 2 + kEpochs + 2);
  QVERIFY(lines[0].startsWith("| Method | Epoch | Loss | Seed purity |"));
  QVERIFY(lines[1].startsWith("| --- | ---: |"));
  QVERIFY(lines[2].contains(QStringLiteral("| %1 |").arg(QString::number(summaries[0].metrics.nmi, 'f', 3))));
  QVERIFY(lines.last().startsWith("| PCA(3) + k-means | – | – |"));
}

void TestExport::clusterTableMatchesContingency() {
  // Three clusters, two classes, one empty cluster; names with a comma to test quoting.
  const Contingency t = contingency({0, 0, 0, 1, 1, 0}, {0, 0, 1, 1, 1, 1}, 3, 2);
  const Table table = clusterTable(t, {"zero, really", "one"});
  const auto rows = parseCsv(QString::fromStdString(toCsv(table)));
  QCOMPARE(rows[0], QStringList({"cluster", "size", "n_zero__really", "n_one", "majority", "majority_count",
                                 "purity"}));
  QCOMPARE(rows.size(), 1 + 3 + 1);
  QCOMPARE(rows[1],
           QStringList({"0", "4", "2", "2", "zero, really", "2", "0.5"}));  // a tie goes to the lower label
  QCOMPARE(rows[2], QStringList({"1", "2", "0", "2", "one", "2", "1"}));
  QCOMPARE(rows[3], QStringList({"2", "0", "0", "0", "", "0", ""}));  // empty: no majority, no purity
  QCOMPARE(rows[4].mid(0, 6), QStringList({"all", "6", "2", "4", "", "4"}));
  QCOMPARE(rows[4][6].toDouble(), purity(t));  // the standard purity, exactly
  const QString md = QString::fromStdString(toMarkdown(table));
  QVERIFY(md.contains("| 2 | 0 | 0 | 0 | – | 0 | – |"));
  QVERIFY(md.contains("| Cluster | Size | zero, really | one | Majority | Majority count | Purity |"));
}

void TestExport::tableFormats() {
  TableFormat f;
  QVERIFY(tableFormatForPath("a/b.CSV", f) && f == TableFormat::Csv);
  QVERIFY(tableFormatForPath("b.md", f) && f == TableFormat::Markdown);
  QVERIFY(tableFormatForPath("b.markdown", f) && f == TableFormat::Markdown);
  QVERIFY(!tableFormatForPath("b.txt", f));
  QVERIFY(!tableFormatForPath("dir.csv/b", f));
  QVERIFY_THROWS_EXCEPTION(std::runtime_error, writeTextFile(path("no-such-dir/x.csv").toStdString(), "x"));
}

void TestExport::csvQuoting() {
  // RFC 4180, as Python's csv, pandas and spreadsheets read it: fields with a comma, a quote,
  // a line break or edge spaces are quoted, quotes doubled (moved here with the one table writer).
  Table t;
  t.columns = {{"name", "Name", false}, {"value, unit", "Value", true}, {"note", "Note", false}};
  const QStringList row0 = {"T-shirt/top", "say \"hi\"", "two\nlines"};
  const QStringList row1 = {" padded ", "", "plain"};
  for (const QStringList& r : {row0, row1}) {
    std::vector<Table::Cell> cells;
    for (const QString& v : r) cells.push_back({v.toStdString(), v.toStdString()});
    t.rows.push_back(cells);
  }
  const QString csv = QString::fromStdString(toCsv(t));
  QVERIFY(csv.contains(QStringLiteral("\"say \"\"hi\"\"\"")));
  QVERIFY(csv.startsWith(QStringLiteral("name,\"value, unit\",note\n")));
  const QList<QStringList> rows = parseCsv(csv);
  QCOMPARE(rows.size(), 3);
  QCOMPARE(rows[1], row0);
  QCOMPARE(rows[2], row1);
}

void TestExport::windowExports() {
  MainWindow::Options o;
  o.useSettings = false;
  MainWindow w(o);
  w.show();
  QVERIFY(!w.exportMetricsTable(path("none.csv")));  // nothing to export yet
  QVERIFY(w.bannerText().contains("No run to export"));
  QVERIFY(w.openRun(run_));
  QVERIFY(w.exportMetricsTable(path("metrics.csv")));
  QCOMPARE(readText(path("metrics.csv")),
           QString::fromStdString(
               toCsv(metricsTable(RunReader(run_.toStdString()).summaries(), fixtureBaselines()))));
  QVERIFY(w.exportMetricsTable(path("metrics.md")));
  QVERIFY(readText(path("metrics.md")).startsWith("| Method |"));
  QVERIFY(!w.exportMetricsTable(path("metrics.xlsx")));
  QVERIFY(w.bannerText().contains(".csv or .md"));

  // The clusters of the epoch on screen: epoch 2.
  w.run()->setCurrentIndex(1);
  QVERIFY(w.exportClusterTable(path("clusters.csv")));
  const auto rows = parseCsv(readText(path("clusters.csv")));
  QCOMPARE(rows.size(), 1 + 10 + 1);
  const EpochFrame f = fixtureFrame(2, kPoints);
  const Contingency t = contingency(f.assignments, fixtureView(kPoints, false).labels, 10, 10);
  for (int k = 0; k < 10; ++k) {
    QCOMPARE(rows[1 + k][1].toLongLong(), t.clusterSize(k));
    for (int c = 0; c < 10; ++c) QCOMPARE(rows[1 + k][2 + c].toLongLong(), t.at(k, c));
  }
  QCOMPARE(rows.last()[0], QStringLiteral("all"));
  QCOMPARE(rows.last()[1].toInt(), kPoints);
  QVERIFY(w.exportClusterTable(path("clusters.md")));
  QVERIFY(readText(path("clusters.md")).contains("| digit 0 |"));
}

void TestExport::screenshotsAtScale() {
  MainWindow::Options o;
  o.useSettings = false;
  MainWindow w(o);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  if (!w.view()) QSKIP("no OpenGL");
  QVERIFY(w.openRun(run_));
  QTest::qWait(200);
  const QSize device = w.view()->size() * w.view()->devicePixelRatio();
  for (int scale : {1, 3}) {
    const QString png = path(QStringLiteral("view-%1x.png").arg(scale));
    QVERIFY(w.exportViewImage(png, scale));
    const QImage image(png);
    QCOMPARE(image.size(), device * scale);
    QVERIFY(distinctColours(image) > 8);
  }
  // Frames: one per epoch, or several per step with the points moving in between.
  QVERIFY(w.exportFrames(path("frames"), 1, 1));
  QCOMPARE(QDir(path("frames")).entryList({"frame-*.png"}).size(), kEpochs);
  QVERIFY(w.exportFrames(path("frames3"), 1, 3));
  QCOMPARE(QDir(path("frames3")).entryList({"frame-*.png"}).size(), (kEpochs - 1) * 3 + 1);
  QVERIFY(QImage(path("frames3/frame-00002.png")) != QImage(path("frames3/frame-00001.png")));
  QCOMPARE(w.run()->currentEpoch(), kEpochs);  // back where the user was
}

void TestExport::commandLineScreenshot() {
  const QString one = path("cli-1x.png"), two = path("cli-2x.png");
  Result r = runCentroid({"--open", run_, "--epoch", "2", "--screenshot", one, "--quit"});
  QVERIFY2(r.code == 0, qPrintable(r.err));
  QVERIFY(r.out.contains("wrote " + one));
  r = runCentroid({"--open", run_, "--epoch", "2", "--screenshot", two, "--scale", "2", "--color-by",
                   "cluster", "--quit"});
  QVERIFY2(r.code == 0, qPrintable(r.err));
  const QImage a(one), b(two);
  QVERIFY(!a.isNull() && !b.isNull());
  QCOMPARE(b.size(), a.size() * 2);
  QVERIFY2(distinctColours(a) > 8, "the screenshot is blank");
  QVERIFY(distinctColours(b) > 8);
}

void TestExport::commandLineFramesAndTables() {
  const QString frames = path("cli-frames"), metrics = path("cli-metrics.csv"),
                clusters = path("cli-clusters.md");
  // The run file as the only argument opens it, like --open.
  const Result r = runCentroid({run_, "--frames-dir", frames, "--export-metrics", metrics,
                                "--export-clusters", clusters, "--epoch", "3", "--quit"});
  QVERIFY2(r.code == 0, qPrintable(r.err));
  QCOMPARE(QDir(frames).entryList({"frame-*.png"}).size(), kEpochs);
  QCOMPARE(readText(metrics), QString::fromStdString(toCsv(metricsTable(
                                  RunReader(run_.toStdString()).summaries(), fixtureBaselines()))));
  const EpochFrame f = fixtureFrame(3, kPoints);
  const Contingency t = contingency(f.assignments, fixtureView(kPoints, false).labels, 10, 10);
  QCOMPARE(readText(clusters),
           QString::fromStdString(toMarkdown(clusterTable(t, fixtureView(kPoints, false).classNames))));
}

void TestExport::registryHoldsEveryExport() {
  QStringList ids;
  for (const auto& e : exports()) {
    ids << e->id();
    QCOMPARE(findExport(e->id()), e.get());
    QVERIFY(!e->title().isEmpty());
  }
  QCOMPARE(ids, QStringList({"view", "window", "frames", "animation", "metrics", "clusters", "embedding"}));
  QVERIFY(findExport("view")->draws() && findExport("frames")->draws() && findExport("window")->draws() &&
          findExport("animation")->draws());
  QVERIFY(!findExport("metrics")->draws() && !findExport("clusters")->draws() &&
          !findExport("embedding")->draws());
  const ExportOutcome unknown = runExport("gif", {}, path("x.gif"));
  QVERIFY(!unknown.ok);
  QVERIFY(unknown.message.contains("\"gif\""));
  // A table needs a run; a drawing needs a view.
  RunModel none;
  ExportJob job;
  job.run = &none;
  QVERIFY(runExport("metrics", job, path("none.csv")).message.contains("No run to export"));
  QVERIFY(!QFileInfo::exists(path("none.csv")));
  QVERIFY(!runExport("frames", job, path("none-frames")).ok);
}

void TestExport::tablesWithoutAWindow() {
  // The registry on a bare run model: what --export-* does with no display.
  RunModel run;
  QVERIFY2(run.open(run_), qPrintable(run.errorString()));
  ExportJob job;
  job.run = &run;
  job.index = run.indexOfEpoch(2);
  const ExportOutcome metrics = runExport("metrics", job, path("bare-metrics.md"));
  QVERIFY2(metrics.ok, qPrintable(metrics.message));
  QVERIFY(metrics.message.contains("bare-metrics.md"));
  QCOMPARE(readText(path("bare-metrics.md")),
           QString::fromStdString(toMarkdown(
               metricsTable(RunReader(run_.toStdString()).summaries(), fixtureBaselines(), "k-means loss"))));
  const ExportOutcome clusters = runExport("clusters", job, path("bare-clusters.csv"));
  QVERIFY2(clusters.ok, qPrintable(clusters.message));
  const EpochFrame f = fixtureFrame(2, kPoints);
  const ViewSet v = fixtureView(kPoints, false);
  QCOMPARE(readText(path("bare-clusters.csv")),
           QString::fromStdString(
               toCsv(clusterTable(contingency(f.assignments, v.labels, 10, 10), v.classNames))));
  const ExportOutcome wrong = runExport("metrics", job, path("bare.txt"));
  QVERIFY(!wrong.ok);
  QVERIFY(wrong.message.contains("use .csv or .md"));
}

void TestExport::commandLineWithoutADisplay() {
  for (const char* info : {"--help", "--version"}) {
    const Result r = runCentroid({QString::fromLatin1(info)}, /*display=*/false);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(!r.out.isEmpty());
    QVERIFY2(r.err.isEmpty(), qPrintable(r.err));  // nothing about Qt platforms
  }
  QVERIFY(runCentroid({"--help"}, false).out.contains("Usage: centroid"));
  const QString metrics = path("nodisplay-metrics.csv"), clusters = path("nodisplay-clusters.md");
  const Result r = runCentroid(
      {"--open", run_, "--export-metrics", metrics, "--export-clusters", clusters, "--epoch", "3", "--quit"},
      false);
  QVERIFY2(r.code == 0, qPrintable(r.err));
  QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
  QCOMPARE(r.out, QStringLiteral("centroid: wrote %1\ncentroid: wrote %2\n").arg(metrics, clusters));
  QCOMPARE(readText(metrics), QString::fromStdString(toCsv(metricsTable(
                                  RunReader(run_.toStdString()).summaries(), fixtureBaselines()))));
  const EpochFrame f = fixtureFrame(3, kPoints);
  const Contingency t = contingency(f.assignments, fixtureView(kPoints, false).labels, 10, 10);
  QCOMPARE(readText(clusters),
           QString::fromStdString(toMarkdown(clusterTable(t, fixtureView(kPoints, false).classNames))));
  // Without a display the same errors as with one: one line, exit 2.
  const Result missing =
      runCentroid({"--open", run_, "--export-metrics", metrics, "--epoch", "99", "--quit"}, false);
  QCOMPARE(missing.code, 2);
  QCOMPARE(missing.err, QStringLiteral("centroid: --epoch 99: the run has epochs 1 to %1\n").arg(kEpochs));
  // What needs a screen says so in one line and exits 2; nothing aborts.
  for (const QStringList& args :
       {QStringList{"--open", run_, "--screenshot", path("s.png"), "--quit"},
        QStringList{"--open", run_, "--frames-dir", path("f"), "--quit"}, QStringList{}}) {
    const Result screen = runCentroid(args, false);
    QCOMPARE(screen.code, 2);
    QCOMPARE(screen.err.count('\n'), 1);
    QVERIFY2(screen.err.startsWith("centroid: the window needs a display"), qPrintable(screen.err));
  }
}

void TestExport::embeddingForPython() {
  // The embedding of epoch 4 and of every epoch, written without a display, read back with
  // numpy and compared with the run file by h5py; then docs/run-file.md's example on the run.
  const QString npy = path("emb.npy"), csv = path("emb.csv"), all = path("emb-all.npy");
  Result r = runCentroid({"--open", run_, "--epoch", "4", "--export-embedding", npy, "--quit"}, false);
  QVERIFY2(r.code == 0, qPrintable(r.err));
  r = runCentroid({"--open", run_, "--epoch", "4", "--export-embedding", csv, "--quit"}, false);
  QVERIFY2(r.code == 0, qPrintable(r.err));
  r = runCentroid({"--open", run_, "--epoch", "all", "--export-embedding", all, "--quit"}, false);
  QVERIFY2(r.code == 0, qPrintable(r.err));
  // The CSV's first rows, by hand: index, split, label, cluster, then the coordinates exactly.
  const QStringList lines = readText(csv).split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), kPoints + 1);
  QCOMPARE(lines[0], QStringLiteral("index,split,label,cluster,z0,z1,z2"));
  const EpochFrame f = fixtureFrame(4, kPoints);
  const QStringList first = lines[1].split(',');
  QCOMPARE(first.mid(0, 4), QStringList({"1000", "train", "0", QString::number(f.assignments[0])}));
  QCOMPARE(first[4].toFloat(), f.embedding[0]);
  QCOMPARE(lines.last().split(',')[1], QStringLiteral("test"));
  // Wrong extension, and --epoch all with a one-epoch output: one line, exit 2.
  r = runCentroid({"--open", run_, "--export-embedding", path("emb.txt"), "--quit"}, false);
  QCOMPARE(r.code, 2);
  QVERIFY(r.err.contains("use .csv or .npy"));
  r = runCentroid({"--open", run_, "--epoch", "all", "--export-clusters", path("c.csv"), "--quit"}, false);
  QCOMPARE(r.code, 2);
  for (const QStringList& args :
       {QStringList{QStringLiteral(CENTROID_SOURCE_DIR "/tests/app/check_python.py"), "embedding", run_, "3",
                    npy, csv, all},
        QStringList{QStringLiteral(CENTROID_SOURCE_DIR "/tests/app/check_python.py"), "docs", run_}}) {
    QProcess python;
    python.start(QStringLiteral("/usr/bin/python3"), args);
    QVERIFY(python.waitForFinished(60000));
    QVERIFY2(python.exitCode() == 0, qPrintable(QString::fromUtf8(python.readAllStandardError())));
  }
}

void TestExport::animationExport() {
  // Epochs 2 to 4 of the fixture, 4 frames per step: (4 - 2) * 4 + 1 = 9 frames, as MP4 and GIF,
  // read back by FFmpeg's decoders; H.264 in yuv420p so that browsers and slides play it.
  for (const QString& name : {QStringLiteral("anim.mp4"), QStringLiteral("anim.gif")}) {
    const QString out = path(name);
    const Result r = runCentroid({"--open", run_, "--export-animation", out, "--epochs", "2:4",
                                  "--frames-per-epoch", "4", "--fps", "12", "--quit"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("animation frame 9 of 9"));
    QVERIFY(!QFileInfo::exists(out + ".part"));
    const Decoded d = decode(out);
    QCOMPARE(d.frames, 9);
    QVERIFY(d.width > 100 && d.height > 100);
    if (name.endsWith("mp4")) {
      QCOMPARE(d.codec, QStringLiteral("h264"));
      QCOMPARE(d.pixelFormat, QStringLiteral("yuv420p"));
      QCOMPARE(d.width % 2, 0);
    } else {
      QCOMPARE(d.codec, QStringLiteral("gif"));
    }
    // The picture is the view's: mostly its background, with coloured points on it.
    QVERIFY(!d.middle.isNull());
    if (const QString dir = qEnvironmentVariable("CENTROID_SNAPSHOT_DIR"); !dir.isEmpty())
      d.middle.save(QDir(dir).filePath(name + "-frame5.png"));
  }
  // Cancelled in the window: no file under the name, no partial file beside it.
  MainWindow::Options o;
  o.useSettings = false;
  MainWindow w(o);
  w.show();
  QVERIFY(w.openRun(run_));
  const QString cancelled = path("cancelled.mp4");
  QVERIFY(!w.exportAnimation(cancelled, 30, 4, 1, 0, 0, [](int done, int) { return done < 3; }));
  QVERIFY(!QFileInfo::exists(cancelled));
  QVERIFY(!QFileInfo::exists(cancelled + ".part"));
  // A format it cannot write, and an epoch range outside the run: one line, exit 2.
  Result bad = runCentroid({"--open", run_, "--export-animation", path("anim.avi"), "--quit"});
  QCOMPARE(bad.code, 2);
  QVERIFY(bad.err.contains("use .mp4, .webm or .gif"));
  bad = runCentroid({"--open", run_, "--export-animation", path("anim2.mp4"), "--epochs", "3:99", "--quit"});
  QCOMPARE(bad.code, 2);
  QVERIFY2(bad.err.contains("99"), qPrintable(bad.err));
  QVERIFY(!QFileInfo::exists(path("anim2.mp4")));
}

void TestExport::commandLineBadFiles_data() {
  QTest::addColumn<BadFile>("kind");
  QTest::addRow("truncated") << BadFile::Truncated;
  QTest::addRow("foreign HDF5") << BadFile::Foreign;
  QTest::addRow("newer format") << BadFile::Newer;
  QTest::addRow("empty") << BadFile::Empty;
  QTest::addRow("not HDF5") << BadFile::NotHdf5;
}

void TestExport::commandLineBadFiles() {
  QFETCH(BadFile, kind);
  const QString bad = QString::fromStdString(writeBadFile(kind, tmp_.path().toStdString()));
  const QString png = path("never.png");
  const Result r = runCentroid({"--open", bad, "--screenshot", png, "--quit"});
  QCOMPARE(r.code, 2);
  const QStringList lines = r.err.split('\n', Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 1);
  QVERIFY2(lines[0].startsWith("centroid: " + bad + ": "), qPrintable(lines[0]));
  QVERIFY2(lines[0].contains(badFileMessage(kind)), qPrintable(lines[0]));
  QVERIFY(!QFile::exists(png));
}

void TestExport::commandLineBadSwitches_data() {
  QTest::addColumn<QStringList>("args");
  QTest::addColumn<QString>("message");
  QTest::addRow("epoch not stored") << QStringList{"--epoch", "9"} << "--epoch 9: the run has epochs 1 to 4";
  QTest::addRow("scale too large") << QStringList{"--scale", "5", "--screenshot", "x.png"} << "--scale";
  QTest::addRow("table format") << QStringList{"--export-metrics", "m.xlsx"} << "use .csv or .md";
  QTest::addRow("missing file") << QStringList{"--open", "/nonexistent/run.h5"} << "no such file";
}

void TestExport::commandLineBadSwitches() {
  QFETCH(QStringList, args);
  QFETCH(QString, message);
  QStringList all = args;
  if (!all.contains("--open")) all << "--open" << run_;
  const Result r = runCentroid(all << "--quit");
  QCOMPARE(r.code, 2);
  QCOMPARE(r.err.count('\n'), 1);
  QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

int main(int argc, char** argv) {
  centroid::ui::VtkOpenGLWidget::installDefaultSurfaceFormat();
  QApplication app(argc, argv);
  TestExport test;
  return QTest::qExec(&test, argc, argv);
}

#include "test_export.moc"
