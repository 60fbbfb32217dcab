// What a run file left behind by a killed, failed or stopped centroid-train holds, read back
// through RunReader (every epoch, every value) and, for a partly appended epoch, through HDF5.
#pragma once

#include <string>
#include <vector>

namespace centroid::reliability {

struct RunCheck {
  bool exists = false;
  std::string openError;  // RunReader's refusal; empty when the file opened
  int epochs = 0;         // complete epochs RunReader counts
  // Rows some series holds beyond the complete epochs: an append cut short (readers ignore them).
  int partialRows = 0;
  std::string status, reason;
  int bestEpoch = 0;
  // Everything that failed to read back or was out of range ("epoch 3: embedding not finite").
  std::vector<std::string> faults;

  bool readable() const { return exists && openError.empty(); }
  std::string faultText() const;
};

// Epochs centroid-train reported as saved: its "epoch   3  loss ..." progress lines (printed
// after the epoch's append returned; the final table's rows do not count).
int reportedEpochs(const std::string& progressText);

// Opens `path` as a reader would and reads every stored epoch (frame(i) for all i), the
// summaries, the view set, the best weights and the status; checks values are finite and
// epochs are numbered 1..E.
RunCheck checkRun(const std::string& path);

}  // namespace centroid::reliability
