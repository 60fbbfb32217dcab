// A tmpfs mounted for one test (a small disk to fill, a read-only folder) and always unmounted,
// also when an ASSERT ends the test early. Needs root (CAP_SYS_ADMIN); error() says why not.
#pragma once

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace centroid::reliability {

class TmpfsMount {
 public:
  // options: tmpfs's, e.g. "size=3m"; readOnly mounts it MS_RDONLY (root cannot write there).
  TmpfsMount(const std::filesystem::path& at, const std::string& options, bool readOnly = false) : at_(at) {
    std::error_code ignored;
    std::filesystem::create_directories(at_, ignored);
    if (geteuid() != 0) {
      error_ = "mounting a tmpfs needs root; this test runs as uid " + std::to_string(geteuid());
    } else if (mount("tmpfs", at_.c_str(), "tmpfs", readOnly ? MS_RDONLY : 0, options.c_str()) != 0) {
      error_ = "cannot mount a tmpfs at " + at_.string() + ": " + std::strerror(errno);
    } else {
      mounted_ = true;
    }
  }
  ~TmpfsMount() {
    // Lazy: a child still holding a file there (killed, not yet reaped) must not keep it mounted.
    if (mounted_) umount2(at_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

 private:
  std::filesystem::path at_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace centroid::reliability
