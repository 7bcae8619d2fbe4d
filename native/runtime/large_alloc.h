// Zeroed memory for kernel outputs. Fresh memory is expensive where page faults
// are (measured on the dev VM: ~7 us per 4 KiB page, so a new 256 KiB output cost
// 0.4 ms, more than the 256^3 sgemm that fills it, and a 50 MB one 87 ms). So:
//  - blocks are power-of-two sized, and freed blocks wait in a bounded cache to be
//    reused (re-zeroed with memset, far cheaper than faulting pages in again);
//    the TS layer routes outputs of 4 MiB and more here;
//  - blocks of 4 MiB and more are 2 MiB aligned and advised into transparent huge pages.
#pragma once
#include <cstddef>

namespace kiln::runtime {

// Memory of at least `bytes`, 64-byte aligned, zero-filled unless `zero` is false
// (for outputs a kernel overwrites entirely); nullptr when out of memory.
void* alloc_zeroed(std::size_t bytes, bool zero = true);
// Returns a block from alloc_zeroed (same `bytes`) to the cache or the OS.
void free_zeroed(void* p, std::size_t bytes);

}  // namespace kiln::runtime
