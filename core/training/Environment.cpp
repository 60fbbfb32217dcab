// Versions for provenance and process-wide allocator tuning.
#include <malloc.h>

#include <climits>
#include <string>

#include <torch/version.h>

#include "core/training/Trainer.h"

#ifndef CENTROID_VERSION
#define CENTROID_VERSION "unknown"
#endif

namespace centroid {

std::string torchVersion() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

std::string centroidVersion() { return CENTROID_VERSION; }

void tuneAllocator() {
  // libtorch frees and re-allocates the same large activation buffers every batch. glibc maps
  // each buffer above its threshold afresh and unmaps it on free, so every batch pays the page
  // faults again; keeping them in the heap (no mmap, no trimming) halves the epoch time.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  // Threads other than main get their own arenas, whose heaps are capped at 64 MB: the large
  // buffers there are mmapped anyway and the two settings above do nothing (measured on a
  // worker thread at batch 5000: 496k page faults an epoch pair, against 73k with one arena).
  // The GUI and the session train on a worker thread, so all threads share the main arena.
  mallopt(M_ARENA_MAX, 1);
}

}  // namespace centroid
