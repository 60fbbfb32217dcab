// Helper process for test_runfile: writes a run file epoch by epoch and reports each one on stdout,
// so the test can follow it with a reader or kill it with SIGKILL mid-write.
//
// usage: runfile_writer_child PATH POINTS EPOCHS DELAY_MS [best]
//   EPOCHS 0 = write until killed. With "best", every epoch is also marked best (setBest with
//   testWeights(epoch)) right after its append. Prints "ready" once the file exists, "epoch N" after each
//   append returned, and "done" after setting the status, each line flushed at once.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "core/runfile/RunFile.h"
#include "core/runfile_fixture.h"

int main(int argc, char** argv) {
  using namespace centroid;
  if (argc != 5 && !(argc == 6 && std::string(argv[5]) == "best")) {
    std::fprintf(stderr, "usage: %s PATH POINTS EPOCHS DELAY_MS [best]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const int points = std::atoi(argv[2]), epochs = std::atoi(argv[3]), delayMs = std::atoi(argv[4]);
  const bool markBest = argc == 6;
  try {
    RunWriter writer(path, testing::testConfig(), testing::testView(points, false), testing::testLayout(),
                     testing::testBaselines(), "Fashion-MNIST", {{"torch_version", "test"}});
    std::printf("ready\n");
    std::fflush(stdout);
    for (int e = 1; epochs == 0 || e <= epochs; ++e) {
      writer.append(testing::testFrame(e, points));
      if (markBest) writer.setBest(e, testing::testWeights(e));
      std::printf("epoch %d\n", e);
      std::fflush(stdout);
      if (delayMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delayMs));
    }
    writer.setStatus("completed", "wrote " + std::to_string(epochs) + " epochs");
    std::printf("done\n");
    std::fflush(stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
  return 0;
}
