// Zeroed memory for kernel outputs. Fresh memory is expensive where page faults
// are (measured on the dev VM: ~7 us per 4 KiB page, so a new 256 KiB output cost
// 0.4 ms, more than the 256^3 sgemm that fills it, and a 50 MB one 87 ms). So:
//  - blocks are power-of-two sized, and freed blocks wait in a bounded cache to be
//    reused (re-zeroed with memset, far cheaper than faulting pages in again);
//    the TS layer routes outputs of 4 MiB and more here;
//  - blocks of 4 MiB and more are 2 MiB aligned and advised into transparent huge pages.
#pragma once
#include <cstddef>
#include <new>

namespace kiln::runtime {

// Memory of at least `bytes`, 64-byte aligned, zero-filled unless `zero` is false
// (for outputs a kernel overwrites entirely); nullptr when out of memory.
void* alloc_zeroed(std::size_t bytes, bool zero = true);
// Returns a block from alloc_zeroed (same `bytes`) to the cache or the OS.
void free_zeroed(void* p, std::size_t bytes);

// Uninitialised scratch of `count` T from the block cache above: a kernel called over
// and over (one boosting round after another) reuses the same pages instead of
// faulting fresh ones in on every call. Throws std::bad_alloc when out of memory.
template <typename T>
class Scratch {
 public:
  Scratch() = default;
  explicit Scratch(std::size_t count) { resize(count); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { release(); }
  void resize(std::size_t count) {
    release();
    bytes_ = count * sizeof(T);
    if (bytes_ == 0) return;
    data_ = static_cast<T*>(alloc_zeroed(bytes_, false));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::size_t size() const { return bytes_ / sizeof(T); }

 private:
  void release() {
    if (data_ != nullptr) free_zeroed(data_, bytes_);
    data_ = nullptr;
  }
  T* data_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace kiln::runtime
