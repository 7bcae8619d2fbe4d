#include "large_alloc.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace kiln::runtime {

namespace {

constexpr std::size_t kMinBlock = std::size_t(64) << 10;
constexpr std::size_t kHugeFrom = std::size_t(4) << 20;
constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kCacheBytes = std::size_t(256) << 20;  // idle blocks kept for reuse

std::size_t block_size(std::size_t bytes) {
  std::size_t s = kMinBlock;
  while (s < bytes) s <<= 1;
  return s;
}

void* map_block(std::size_t size) {
#if defined(__linux__)
  // Map one huge page extra, then trim head and tail so large blocks are 2 MiB aligned.
  const std::size_t extra = size >= kHugeFrom ? kHugePage : 0;
  void* raw = mmap(nullptr, size + extra, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  if (extra == 0) return raw;
  const auto base = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (base + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > base) munmap(raw, aligned - base);
  const std::size_t tail = base + size + extra - (aligned + size);
  if (tail > 0) munmap(reinterpret_cast<void*>(aligned + size), tail);
  madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);  // advice only: failure is fine
  return reinterpret_cast<void*>(aligned);
#else
  return std::calloc(1, size);
#endif
}

void unmap_block(void* p, std::size_t size) {
#if defined(__linux__)
  munmap(p, size);
#else
  (void)size;
  std::free(p);
#endif
}

struct Cache {
  std::mutex mu;
  std::unordered_map<std::size_t, std::vector<void*>> idle;  // block size -> blocks
  std::size_t idle_bytes = 0;
};

Cache& cache() {
  static Cache* c = new Cache();  // leaked: blocks may be freed by finalizers during exit
  return *c;
}

}  // namespace

void* alloc_zeroed(std::size_t bytes, bool zero) {
  const std::size_t size = block_size(bytes);
  void* p = nullptr;
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.idle.find(size);
    if (it != c.idle.end() && !it->second.empty()) {
      p = it->second.back();
      it->second.pop_back();
      c.idle_bytes -= size;
    }
  }
  if (p != nullptr) {
    if (zero) std::memset(p, 0, bytes);  // a reused block: only the part handed out needs zeroing
    return p;
  }
  return map_block(size);  // fresh mappings are zero
}

void free_zeroed(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  const std::size_t size = block_size(bytes);
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mu);
    std::vector<void*>& list = c.idle[size];
    if (c.idle_bytes + size <= kCacheBytes) {
      list.push_back(p);
      c.idle_bytes += size;
      return;
    }
  }
  unmap_block(p, size);
}

}  // namespace kiln::runtime
