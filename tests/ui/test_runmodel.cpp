// The run model (ui/run): one run, whatever its source. A scripted source stands in for the
// file and the training, so every rule is tested without a trainer or a disk: epochs appended,
// following the newest, a seek back while the run grows, a failed run, a frame that cannot be
// read, the cache's bound. LiveRunSource and FileRunSource are tested through the same model.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "tests/ui/ReplayFixture.h"
#include "ui/run/FileRunSource.h"
#include "ui/run/LiveRunSource.h"
#include "ui/run/RunModel.h"

using namespace centroid;
using namespace centroid::replaytest;
using centroid::ui::EpochFramePtr;
using centroid::ui::FileRunSource;
using centroid::ui::LiveRunSource;
using centroid::ui::RunModel;
using centroid::ui::RunSource;
using centroid::ui::ViewSetPtr;

namespace {

constexpr int kPoints = 200;

// Epochs come when the test says; reads are counted and can be made to fail.
class ScriptedSource : public RunSource {
 public:
  QString path() const override { return QStringLiteral("scripted.h5"); }
  const TrainConfig& config() const override { return config_; }
  const std::map<std::string, std::string>& attributes() const override { return attributes_; }
  ViewSetPtr viewSet() const override { return view_; }
  const std::vector<BaselineRow>& baselines() const override { return baselines_; }
  const std::vector<EpochSummary>& summaries() const override { return summaries_; }
  EpochFramePtr readFrame(int index, QString* error) override {
    ++reads;
    if (index == unreadable) {
      *error = QStringLiteral("scripted.h5: epoch %1 is damaged").arg(index + 1);
      return nullptr;
    }
    return std::make_shared<const EpochFrame>(fixtureFrame(index + 1, kPoints));
  }
  std::vector<std::uint8_t> viewImage(int, QString*) override { return {}; }
  bool isGrowing() const override { return growing_; }
  QString status() const override {
    return growing_ ? QStringLiteral("running") : QStringLiteral("completed");
  }
  QString statusReason() const override { return {}; }
  int bestEpoch() const override { return static_cast<int>(summaries_.size()); }

  void makeReady() {
    view_ = std::make_shared<const ViewSet>(fixtureView(kPoints, false));
    baselines_ = fixtureBaselines();
    emit ready();
  }
  void append() {
    const int e = static_cast<int>(summaries_.size()) + 1;
    const EpochFrame f = fixtureFrame(e, kPoints);
    summaries_.push_back({f.epoch, f.loss, f.seconds, f.metrics});
    emit epochsAppended(e);
  }
  void end() {
    growing_ = false;
    emit growingChanged(false);
  }

  int reads = 0;
  int unreadable = -1;

 private:
  TrainConfig config_ = fixtureConfig(kPoints);
  std::map<std::string, std::string> attributes_;
  ViewSetPtr view_;
  std::vector<BaselineRow> baselines_;
  std::vector<EpochSummary> summaries_;
  bool growing_ = true;
};

}  // namespace

class TestRunModel : public QObject {
  Q_OBJECT

 private slots:
  void openedOnlyOnceTheSourceIsReady();
  void appendedEpochsAreFollowed();
  void seekBackWhileGrowingStaysThere();
  void unreadableEpochKeepsThePreviousOne();
  void cacheHoldsAtMostThreeFrames();
  void liveSourceTakesOnlyItsRun();
  void failedLiveRunKeepsItsEpochs();
  void growingFileIsFollowed();
};

void TestRunModel::openedOnlyOnceTheSourceIsReady() {
  RunModel model;
  QSignalSpy opened(&model, &RunModel::opened);
  QSignalSpy following(&model, &RunModel::followingChanged);
  auto owned = std::make_unique<ScriptedSource>();
  ScriptedSource* source = owned.get();
  model.setSource(std::move(owned));
  QVERIFY(model.isOpen());
  QVERIFY(!model.isReady());
  QCOMPARE(opened.count(), 0);  // a training loads its data first
  source->makeReady();
  QCOMPARE(opened.count(), 1);
  QVERIFY(model.isReady());
  QCOMPARE(model.viewSet()->labels.size(), std::size_t{kPoints});
  QCOMPARE(model.baselines().size(), std::size_t{2});
  QCOMPARE(model.currentIndex(), -1);  // nothing to show yet
  QVERIFY(model.isFollowing());
  QCOMPARE(following.count(), 1);
  QCOMPARE(following.first().first().toBool(), true);
}

void TestRunModel::appendedEpochsAreFollowed() {
  RunModel model;
  auto owned = std::make_unique<ScriptedSource>();
  ScriptedSource* source = owned.get();
  model.setSource(std::move(owned));
  source->makeReady();
  QSignalSpy changed(&model, &RunModel::currentChanged);
  QSignalSpy appended(&model, &RunModel::epochsAppended);
  for (int e = 1; e <= 3; ++e) {
    source->append();
    QCOMPARE(model.epochCount(), e);
    QCOMPARE(model.currentEpoch(), e);  // whoever watches the newest keeps watching it
    QCOMPARE(changed.last().at(0).toInt(), e - 1);
    QCOMPARE(changed.last().at(2).toBool(), true);  // the view glides to it
    QCOMPARE(model.currentFrame()->epoch, e);
  }
  QCOMPARE(appended.count(), 3);
  QCOMPARE(appended.last().first().toInt(), 3);
  QVERIFY(model.isAtNewest());
}

void TestRunModel::seekBackWhileGrowingStaysThere() {
  RunModel model;
  auto owned = std::make_unique<ScriptedSource>();
  ScriptedSource* source = owned.get();
  model.setSource(std::move(owned));
  source->makeReady();
  for (int e = 0; e < 4; ++e) source->append();
  QVERIFY(model.setCurrentIndex(1));
  QCOMPARE(model.currentEpoch(), 2);
  QSignalSpy changed(&model, &RunModel::currentChanged);
  source->append();
  source->append();
  QCOMPARE(model.epochCount(), 6);
  QCOMPARE(model.currentEpoch(), 2);  // left where the user went
  QCOMPARE(changed.count(), 0);
  QVERIFY(!model.isAtNewest());
  // Back to the newest (End): following resumes with the next epoch.
  QVERIFY(model.setCurrentIndex(model.epochCount() - 1));
  source->append();
  QCOMPARE(model.currentEpoch(), 7);
  // The run ends: nothing is reloaded, the epochs stay.
  QSignalSpy following(&model, &RunModel::followingChanged);
  const int readsBefore = source->reads;
  source->end();
  QCOMPARE(following.count(), 1);
  QVERIFY(!model.isFollowing());
  QCOMPARE(model.epochCount(), 7);
  QCOMPARE(model.currentEpoch(), 7);
  QCOMPARE(source->reads, readsBefore);
}

void TestRunModel::unreadableEpochKeepsThePreviousOne() {
  RunModel model;
  auto owned = std::make_unique<ScriptedSource>();
  ScriptedSource* source = owned.get();
  model.setSource(std::move(owned));
  source->makeReady();
  for (int e = 0; e < 5; ++e) source->append();
  source->unreadable = 1;
  QSignalSpy error(&model, &RunModel::error);
  QVERIFY(!model.setCurrentIndex(1));
  QCOMPARE(error.count(), 1);
  QVERIFY(error.first().first().toString().contains("epoch 2 is damaged"));
  QCOMPARE(model.currentEpoch(), 5);
  QVERIFY(model.setCurrentIndex(2));  // the rest of the run is fine
  QCOMPARE(model.currentEpoch(), 3);
}

void TestRunModel::cacheHoldsAtMostThreeFrames() {
  RunModel model;
  auto owned = std::make_unique<ScriptedSource>();
  ScriptedSource* source = owned.get();
  model.setSource(std::move(owned));
  source->makeReady();
  for (int e = 0; e < 10; ++e) source->append();
  for (int i = 9; i >= 0; --i) {
    QVERIFY(model.setCurrentIndex(i));
    QVERIFY(model.cachedIndices().size() <= 3);
    for (int held : model.cachedIndices()) QVERIFY(std::abs(held - i) <= 1);
  }
  // Stepping next to the current epoch reads nothing new: it is cached or prefetched.
  QTest::qWait(100);  // the prefetch runs when the GUI is idle
  const int reads = source->reads;
  QVERIFY(model.setCurrentIndex(1));
  QVERIFY(model.setCurrentIndex(0));
  QCOMPARE(source->reads, reads);
}

void TestRunModel::liveSourceTakesOnlyItsRun() {
  // The feeding calls of a LiveRunSource, as the worker's queued signals make them.
  RunModel model;
  auto owned = std::make_unique<LiveRunSource>(fixtureConfig(kPoints), QStringLiteral("live.h5"));
  LiveRunSource* live = owned.get();
  model.setSource(std::move(owned));
  QSignalSpy opened(&model, &RunModel::opened);
  live->appendFrame(std::make_shared<const EpochFrame>(fixtureFrame(1, kPoints)));  // before ready: dropped
  QCOMPARE(model.epochCount(), 0);
  auto view = std::make_shared<const ViewSet>(fixtureView(kPoints));
  live->setReady(view, fixtureBaselines(), QStringLiteral("runs/live.h5"));
  QCOMPARE(opened.count(), 1);
  QCOMPARE(model.path(), QStringLiteral("runs/live.h5"));
  for (int e = 1; e <= 3; ++e)
    live->appendFrame(std::make_shared<const EpochFrame>(fixtureFrame(e, kPoints)));
  QCOMPARE(model.epochCount(), 3);
  QCOMPARE(model.currentEpoch(), 3);
  QCOMPARE(model.status(), QStringLiteral("running"));
  QCOMPARE(model.bestEpoch(), 3);  // the lowest loss (1 / epoch) so far
  // A thumbnail comes from the view set the training holds.
  const std::vector<std::uint8_t> image = model.viewImage(7);
  QCOMPARE(image.size(), std::size_t{784});
  QCOMPARE(int(image[14 * 28 + 14]), 255);
  QVERIFY(model.setCurrentIndex(0));
  QCOMPARE(model.currentFrame()->embedding, fixtureFrame(1, kPoints).embedding);
  TrainResult done;
  done.status = TrainStatus::Completed;
  done.reason = "max epochs reached";
  done.bestEpoch = 3;
  live->finish(done);
  QVERIFY(!model.isFollowing());
  QCOMPARE(model.status(), QStringLiteral("completed"));
  QCOMPARE(model.statusReason(), QStringLiteral("max epochs reached"));
  live->appendFrame(std::make_shared<const EpochFrame>(fixtureFrame(4, kPoints)));  // after the end: dropped
  QCOMPARE(model.epochCount(), 3);
}

void TestRunModel::failedLiveRunKeepsItsEpochs() {
  RunModel model;
  auto owned = std::make_unique<LiveRunSource>(fixtureConfig(kPoints), QStringLiteral("live.h5"));
  LiveRunSource* live = owned.get();
  model.setSource(std::move(owned));
  live->setReady(std::make_shared<const ViewSet>(fixtureView(kPoints, false)), {}, {});
  live->appendFrame(std::make_shared<const EpochFrame>(fixtureFrame(1, kPoints)));
  live->appendFrame(std::make_shared<const EpochFrame>(fixtureFrame(2, kPoints)));
  QSignalSpy following(&model, &RunModel::followingChanged);
  TrainResult r;
  r.status = TrainStatus::Failed;
  r.reason = "loss became NaN at epoch 3 batch 4";
  r.epochsRun = 2;
  live->finish(r);
  QCOMPARE(following.count(), 1);
  QCOMPARE(model.status(), QStringLiteral("failed"));
  QVERIFY(model.statusReason().contains("NaN"));
  QCOMPARE(model.epochCount(), 2);
  QVERIFY(model.setCurrentIndex(0));  // what was trained stays viewable
  QCOMPARE(model.currentEpoch(), 1);
  // A run that could not start at all.
  RunModel other;
  auto never = std::make_unique<LiveRunSource>(fixtureConfig(kPoints), QStringLiteral("x.h5"));
  LiveRunSource* n = never.get();
  other.setSource(std::move(never));
  n->fail(QStringLiteral("data/mnist: no such folder"));
  QVERIFY(!other.isReady());
  QVERIFY(!other.isFollowing());
  QCOMPARE(other.status(), QStringLiteral("failed"));
}

void TestRunModel::growingFileIsFollowed() {
  QTemporaryDir dir;
  const QString file = dir.filePath("growing.h5");
  RunWriter writer(file.toStdString(), fixtureConfig(kPoints), fixtureView(kPoints), fixtureLayout(),
                   fixtureBaselines(), "MNIST");
  writer.append(fixtureFrame(1, kPoints));
  FileRunSource::setProbeProgram(QString());  // read here: the helper is tested elsewhere
  RunModel model;
  QVERIFY2(model.open(file), qPrintable(model.errorString()));
  QVERIFY(model.isFollowing());
  QCOMPARE(model.currentEpoch(), 1);
  writer.append(fixtureFrame(2, kPoints));
  QVERIFY(model.poll());
  QCOMPARE(model.currentEpoch(), 2);
  QVERIFY(model.setCurrentIndex(0));
  writer.append(fixtureFrame(3, kPoints));
  QVERIFY(model.poll());
  QCOMPARE(model.epochCount(), 3);
  QCOMPARE(model.currentEpoch(), 1);
  writer.setStatus("completed", "max epochs reached");
  model.poll();
  QVERIFY(!model.isFollowing());
  QCOMPARE(model.status(), QStringLiteral("completed"));
}

QTEST_GUILESS_MAIN(TestRunModel)
#include "test_runmodel.moc"
