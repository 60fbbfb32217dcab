// Closing run files whose writer died (see RunRepair.h).
#include "core/runfile/RunRepair.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/metrics/Types.h"
#include "core/runfile/Hdf5.h"
#include "core/runfile/RunFile.h"

namespace centroid {

std::string writerHost() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

long long writerStartTicks(long long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return -1;
  // After the command name in parentheses (which may hold spaces): field 3 onwards.
  const std::size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && rest >> field; ++i) {
  }
  long long ticks = -1;
  return rest >> ticks ? ticks : -1;
}

bool writerClosed(const std::string& path) {
  h5::QuietErrors quiet;
  // A plain read-only open succeeds only once the writer has closed the file (or it was
  // repaired): the SWMR status flags are clear.
  const hid_t plain = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (plain < 0) return false;
  H5Fclose(plain);
  return true;
}

WriterInfo writerInfo(const std::string& path) {
  WriterInfo info;
  info.state = writerClosed(path) ? WriterState::Closed : WriterState::Elsewhere;
  RunReader reader(path, /*follow=*/true);
  info.status = reader.status();
  if (info.state == WriterState::Closed) return info;
  const auto& attrs = reader.attributes();
  const auto get = [&](const char* name) {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : it->second;
  };
  info.host = get("writer_host");
  const std::string pid = get("writer_pid"), start = get("writer_start");
  if (info.host.empty() || pid.empty() || info.host != writerHost()) return info;  // Elsewhere
  info.pid = std::stoll(pid);
  const long long ticks = writerStartTicks(info.pid);
  // The same pid with another start time is another process: the writer is gone.
  info.state = ticks >= 0 && std::to_string(ticks) == start ? WriterState::Running : WriterState::Gone;
  return info;
}

std::string repairRun(const std::string& path, bool force) {
  const WriterInfo info = writerInfo(path);
  switch (info.state) {
    case WriterState::Closed:
      return path + ": closed properly already (status \"" + info.status + "\"); nothing to repair";
    case WriterState::Running:
      throw RunFileError(path + ": still being written by process " + std::to_string(info.pid) +
                         " on this host; stop that run first (repairing it now would break it)");
    case WriterState::Elsewhere:
      if (!force)
        throw RunFileError(
            path + ": written " +
            (info.host.empty() ? std::string("by a writer that left no identity") : "on host " + info.host) +
            ", so Centroid cannot tell whether its writer still runs; pass --force "
            "once you know it does not");
      break;
    case WriterState::Gone: break;
  }
  h5::QuietErrors quiet;
  h5::PropList fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "creating file access properties"));
  // What h5clear -s does: the library's own property, set through the public generic API.
  hbool_t clear = 1;
  h5::check(H5Pset(fapl.get(), "clear_status_flags", &clear), "asking to clear the file's status flags");
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, fapl.get());
  if (f < 0) h5::fail("cannot open the file to repair it");
  {
    h5::File file(f);
    const std::string reason = "its writer (process " + std::to_string(info.pid) + " on " +
                               (info.host.empty() ? std::string("an unknown host") : info.host) +
                               ") stopped without closing the file; closed by centroid-train --repair; the " +
                               "epochs saved before are kept";
    if (info.status == "running") {
      h5::Dataset status(
          h5::check(H5Dopen2(file.get(), "/status/status", H5P_DEFAULT), "opening the status"));
      h5::Dataset why(h5::check(H5Dopen2(file.get(), "/status/reason", H5P_DEFAULT), "opening the reason"));
      h5::writeString(why.get(), reason);
      h5::writeString(status.get(), "writer stopped");
    }
    h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "writing the repair");
  }
  return path + ": repaired; status \"writer stopped\"" +
         (info.status == "running" ? std::string() : " (it was \"" + info.status + "\")") +
         "; it now opens in every HDF5 tool";
}

}  // namespace centroid
