// The process-wide worker pool. Idle workers park on a condition variable after polling ~50 us
// for the next job (KILN_SPIN_US): kiln shares its cores with the service that embeds it, but a
// wake-up costs more than the gaps between a tree's or a network's loops.
// parallel_for may be called from any thread, concurrently and re-entrantly:
// the calling thread always works on its own job too, so a job completes even
// when every worker is busy elsewhere.
#pragma once
#include <cstddef>
#include <functional>

namespace kiln::runtime {

// Body of a parallel loop: handles chunk indices [begin, end).
using RangeFn = std::function<void(std::size_t begin, std::size_t end)>;

// Runs fn over [0, n) split into chunks of at least `grain` items, on up to
// thread_count() threads (the caller included). Rethrows the first exception.
void parallel_for(std::size_t n, std::size_t grain, const RangeFn& fn);

// Threads a parallel_for may use: KILN_THREADS, else the number of cores.
std::size_t thread_count();
// Changes it at run time (1..hardware maximum of the pool); returns the value set.
std::size_t set_thread_count(std::size_t n);

}  // namespace kiln::runtime
