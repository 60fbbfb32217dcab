// Command-line options of centroid-train (see TrainCli.h).
#include "app/TrainCli.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "core/Trainer.h"

namespace centroid::app {

int parseTrainOptions(int argc, char** argv, TrainOptions& o) {
  TrainConfig& c = o.config;
  CLI::App cli{"centroid-train: train the k-means-loss encoder headless and write a run file"};
  cli.set_version_flag("--version", "centroid-train " + centroidVersion() + " (libtorch " + torchVersion() + ")");

  cli.add_option("-o,--output", o.output, "Run file to write (default: <runs-dir>/<time>-<dataset>-k<K>-lr<LR>.h5)");
  cli.add_option("--runs-dir", o.runsDir, "Folder for generated run-file names")->capture_default_str();
  cli.add_option("-d,--dataset", c.dataset, "mnist, fashion-mnist, or a folder with the four IDX files")->capture_default_str();
  cli.add_option("--data-dir", c.dataDir, "Where mnist/ and fashion-mnist/ live (default: the set-up's data folder)");
  cli.add_option("--subset", c.subset, "Train on the first N training images (0 = all)")->capture_default_str();
  cli.add_option("--view-train", c.viewTrain, "View set: the first N training images")->capture_default_str();
  cli.add_option("--view-test", c.viewTest, "View set: then the first N test images")->capture_default_str();
  cli.add_option("-k,--clusters", c.clusters, "Number of clusters K")->capture_default_str();
  cli.add_option("--dim", c.embedDim, "Embedding dimension")->capture_default_str();
  cli.add_option("-b,--batch-size", c.batchSize, "Images per step")->capture_default_str();
  cli.add_option("-e,--epochs", c.maxEpochs, "Maximum epochs")->capture_default_str();
  cli.add_option("-p,--patience", c.patience, "Stop after this many epochs without a lower loss")->capture_default_str();
  cli.add_option("--lr", c.learningRate, "Adam learning rate")->capture_default_str();
  cli.add_option("--kmeans-iter", c.kmeansMaxIter, "Lloyd iterations per batch at most")->capture_default_str();
  cli.add_option("--seed", c.seed, "Random seed")->capture_default_str();
  cli.add_option("--threads", c.threads, "Intra-op threads (0 = all cores)")->capture_default_str();
  cli.add_option("--device", c.device, "cpu, cuda or cuda:N")->capture_default_str();
  cli.add_flag("--baselines", c.baselines, "Also evaluate k-means on pixels and PCA(3)+k-means on the view set");
  cli.add_flag("--json", o.json, "Print a machine-readable summary on stdout (progress goes to stderr)");
  cli.add_flag("-q,--quiet", o.quiet, "No progress output");
  cli.add_option("--inject-nan-epoch", o.injectNanEpoch)->group("");  // test hook
  cli.add_option("--inject-nan-batch", o.injectNanBatch)->group("");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "centroid-train: " << e.what() << " (see --help)\n";
    return 2;
  }
  if (const std::string fault = c.validate(); !fault.empty()) {
    std::cerr << "centroid-train: " << fault << "\n";
    return 2;
  }
  return -1;
}

}  // namespace centroid::app
