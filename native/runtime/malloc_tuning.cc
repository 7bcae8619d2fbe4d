#include "malloc_tuning.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kiln::runtime {

bool tune_malloc_once() {
  static bool applied = [] {
    const char* env = std::getenv("KILN_MALLOC_TUNING");
    if (env != nullptr && std::strcmp(env, "0") == 0) return false;
#if defined(__GLIBC__)
    // 32 MiB is glibc's largest mmap threshold; trimming waits for 128 MiB free at the top.
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 128 << 20) == 1;
#else
    return false;
#endif
  }();
  return applied;
}

}  // namespace kiln::runtime
