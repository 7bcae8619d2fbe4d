// The process-wide worker pool. Idle workers park on a condition variable after polling ~50 us
// for the next job (KILN_SPIN_US): kiln shares its cores with the service that embeds it, but a
// wake-up costs more than the gaps between a tree's or a network's loops.
// parallel_for may be called from any thread, concurrently and re-entrantly:
// the calling thread always works on its own job too, so a job completes even
// when every worker is busy elsewhere.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>

namespace kiln::runtime {

// Body of a parallel loop: handles chunk indices [begin, end).
using RangeFn = std::function<void(std::size_t begin, std::size_t end)>;

// Runs fn over [0, n) split into chunks of at least `grain` items, on up to
// thread_count() threads (the caller included). Rethrows the first exception.
void parallel_for(std::size_t n, std::size_t grain, const RangeFn& fn);

// Runs fn(index, begin, end) for each block [i * block, min(n, (i + 1) * block)) of [0, n), spread
// over the threads. The ranges fn sees depend on n and block alone, never on the thread count: for
// a kernel whose results depend on where a range starts and ends (a vectorised loop's remainder
// rounds differently from its body; partial sums merged in block order), the same bits on any
// machine.
template <typename Fn>
void parallel_blocks(std::size_t n, std::size_t block, Fn&& fn) {
  const std::size_t blocks = (n + block - 1) / block;
  parallel_for(blocks, 1, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) fn(b, b * block, n < (b + 1) * block ? n : (b + 1) * block);
  });
}

// How many blocks to cut n items into when each block keeps partial results that are merged in
// block order: ceil(n / min_block) (min_block >= 1), at most max_blocks, and at most 64 MB of
// partials of partial_bytes each. It depends on its arguments alone, never on the thread count, so the merged
// result is the same bits on any machine.
inline std::size_t fixed_block_count(std::size_t n, std::size_t min_block, std::size_t max_blocks,
                                     std::size_t partial_bytes) {
  constexpr std::size_t kPartialBudget = std::size_t{64} << 20;
  const std::size_t by_memory = std::max<std::size_t>(1, kPartialBudget / std::max<std::size_t>(1, partial_bytes));
  const std::size_t by_size = (n + min_block - 1) / min_block;
  return std::max<std::size_t>(1, std::min({max_blocks, by_memory, by_size}));
}

// Threads a parallel_for may use: KILN_THREADS, else the number of cores.
std::size_t thread_count();
// Changes it at run time (1..hardware maximum of the pool); returns the value set.
std::size_t set_thread_count(std::size_t n);

}  // namespace kiln::runtime
