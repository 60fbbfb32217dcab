// Run files whose writer died (killed, crashed, power lost) stay marked "open for SWMR writing":
// h5py opens them only with swmr=True and HDFView, h5dump and h5ls refuse them. Centroid tells
// such a file from one whose writer still runs by the writer's identity, which every run file
// records (host, process id and the process's start time), and can close it properly.
#pragma once

#include <string>

namespace centroid {

enum class WriterState {
  Closed,     // the file is closed: nothing to repair
  Running,    // its writer is alive on this host
  Gone,       // its writer ran on this host and no longer exists
  Elsewhere,  // written on another host, or a file without the writer's identity: unknown
};

struct WriterInfo {
  WriterState state = WriterState::Closed;
  std::string host;  // recorded writer_host ("" when the file predates the identity)
  long long pid = 0;
  std::string status;  // the run's status ("running" for any file not closed by its writer)
};

// What is known about the file's writer. Throws RunFileError when the file cannot be read.
// Ask before this process opens the file itself: HDF5 shares an open file within a process, and
// a file this process holds reads as Closed.
WriterInfo writerInfo(const std::string& path);
// The first step of writerInfo alone, about a millisecond: true when a plain read-only open
// succeeds, so the writer has closed the file (or it was repaired). writerInfo reads the file's
// attributes as well, which costs as much as opening the run.
bool writerClosed(const std::string& path);

// Closes a run whose writer is gone: clears the file's SWMR status flags (as h5clear -s does)
// and sets its status to "writer stopped" with a reason naming the writer; every epoch saved
// before stays. Returns what was done, for a message. Refuses (RunFileError) a file whose writer
// still runs, and one written elsewhere unless `force`. A file already closed is left as it is.
std::string repairRun(const std::string& path, bool force = false);

// This process's identity as a writer records it: the three attributes of a run file.
std::string writerHost();
long long writerStartTicks(long long pid);  // /proc/<pid>/stat field 22; -1 when no such process

}  // namespace centroid
