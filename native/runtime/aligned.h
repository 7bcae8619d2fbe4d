// 64-byte aligned buffers (one cache line, one ZMM register) for packed panels.
#pragma once
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace kiln::runtime {

constexpr std::size_t kAlignment = 64;

struct AlignedFree {
  void operator()(void* p) const noexcept { std::free(p); }
};

template <typename T>
using AlignedBuffer = std::unique_ptr<T[], AlignedFree>;

// Allocates `count` uninitialised elements; throws std::bad_alloc on failure.
template <typename T>
AlignedBuffer<T> aligned_alloc_array(std::size_t count) {
  std::size_t bytes = count * sizeof(T);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;
  if (bytes == 0) bytes = kAlignment;
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return AlignedBuffer<T>(static_cast<T*>(p));
}

}  // namespace kiln::runtime
