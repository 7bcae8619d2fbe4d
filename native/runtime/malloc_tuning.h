// Keeps freed heap memory for reuse instead of returning it to the OS at once.
// Kernel outputs are JS buffers that V8 frees in batches at GC; with glibc's
// defaults, medium buffers (128 KiB - 32 MiB) are mmapped or trimmed away and
// every new output faults its pages in again — on the dev VM ~7 us per page,
// 4.5x the cost of a 256^3 sgemm. Applied once per process; KILN_MALLOC_TUNING=0
// leaves malloc alone. Retains up to 128 MiB of free heap.
#pragma once

namespace kiln::runtime {

// Returns true when the settings were applied (glibc only).
bool tune_malloc_once();

}  // namespace kiln::runtime
