// Command-line options of centroid-train (see TrainCli.h).
#include "app/TrainCli.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "core/objectives/Objectives.h"
#include "core/training/Trainer.h"

namespace centroid::app {

namespace {

// The objective decides the defaults of every other option, so it is read before the rest.
std::string objectiveArgument(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--objective" && i + 1 < argc) return argv[i + 1];
    if (a.rfind("--objective=", 0) == 0) return a.substr(12);
  }
  return objectives().front().name;
}

}  // namespace

int parseTrainOptions(int argc, char** argv, TrainOptions& o) {
  try {
    o.config = defaultConfig(objectiveArgument(argc, argv));
  } catch (const ConfigError& e) {
    std::cerr << "centroid-train: " << e.what() << "\n";
    return 2;
  }
  TrainConfig& c = o.config;
  CLI::App cli{"centroid-train: train the encoder headless and write a run file"};
  std::string objectiveHelp = "Training objective; its defaults apply to every option not given:";
  for (const ObjectiveInfo& info : objectives())
    objectiveHelp += std::string("\n  ") + info.name + ": " + info.title + ". " + info.summary;
  cli.add_option("--objective", c.objective, objectiveHelp)->capture_default_str();
  std::vector<std::string> objectiveOptions;
  cli.add_option("--objective-option", objectiveOptions,
                 "NAME=VALUE for the objective (repeatable), e.g. balance=2; the run file records them all");
  cli.set_version_flag("--version",
                       "centroid-train " + centroidVersion() + " (libtorch " + torchVersion() + ")");

  cli.add_option("-o,--output", o.output,
                 "Run file to write (default: <runs-dir>/<time>-<dataset>-k<K>-lr<LR>.h5)");
  cli.add_flag("--force", o.force,
               "Replace the -o file if it exists (without it an existing file is refused); with --repair, "
               "repair a file written on another host");
  cli.add_option("--repair", o.repair,
                 "Close a run file whose writer died (killed, crashed) so every HDF5 tool opens it; "
                 "refused while its writer still runs. Trains nothing");
  cli.add_option("--runs-dir", o.runsDir, "Folder for generated run-file names")->capture_default_str();
  cli.add_option("-d,--dataset", c.dataset, "mnist, fashion-mnist, or a folder with the four IDX files")
      ->capture_default_str();
  cli.add_option("--data-dir", c.dataDir,
                 "Where mnist/ and fashion-mnist/ live (default: the set-up's data folder)");
  cli.add_option("--subset", c.subset, "Train on the first N training images (0 = all)")
      ->capture_default_str();
  cli.add_option("--view-train", c.viewTrain, "View set: the first N training images")->capture_default_str();
  cli.add_option("--view-test", c.viewTest, "View set: then the first N test images")->capture_default_str();
  cli.add_option("-k,--clusters", c.clusters, "Number of clusters K")->capture_default_str();
  cli.add_option("--dim", c.embedDim, "Embedding dimension")->capture_default_str();
  cli.add_option("-b,--batch-size", c.batchSize, "Images per step")->capture_default_str();
  cli.add_option("-e,--epochs", c.maxEpochs, "Maximum epochs")->capture_default_str();
  cli.add_option("-p,--patience", c.patience, "Stop after this many epochs without a lower loss")
      ->capture_default_str();
  cli.add_option("--lr", c.learningRate, "Adam learning rate")->capture_default_str();
  cli.add_option("--kmeans-iter", c.kmeansMaxIter, "Lloyd iterations per batch at most")
      ->capture_default_str();
  cli.add_option("--seed", c.seed, "Random seed")->capture_default_str();
  cli.add_option("--threads", c.threads, "Intra-op threads (0 = all cores)")->capture_default_str();
  cli.add_option("--device", c.device, "cpu, cuda or cuda:N")->capture_default_str();
  cli.add_option("--precision", c.precision,
                 "fp32, or bf16: the encoder's conv2 in bfloat16 (fast only with AVX512-BF16 or AMX)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
  cli.add_flag("--baselines", c.baselines,
               "Also evaluate k-means on pixels and PCA(3)+k-means on the view set");
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
  for (const std::string& kv : objectiveOptions) {
    const auto eq = kv.find('=');
    char* end = nullptr;
    const double value = eq == std::string::npos ? 0 : std::strtod(kv.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq == 0 || end == kv.c_str() + eq + 1 || *end != '\0') {
      std::cerr << "centroid-train: --objective-option: expected NAME=NUMBER, got \"" << kv << "\"\n";
      return 2;
    }
    c.objectiveOptions[kv.substr(0, eq)] = value;
  }
  if (const std::string fault = c.validate(); !fault.empty()) {
    std::cerr << "centroid-train: " << fault << "\n";
    return 2;
  }
  return -1;
}

}  // namespace centroid::app
