// Row sums that do not depend on the thread count: fixed chunks of rows (independent of the
// threads), each summed into its own partial buffer, then merged in chunk order.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::linear {

constexpr std::size_t kMaxChunks = 64;

// body(r0, r1, partial) adds rows [r0, r1) into `partial` (`width` doubles, zeroed); returns the total.
template <typename Body>
std::vector<double> chunked_sum(std::size_t n, std::size_t width, Body body) {
  const std::size_t chunks = runtime::fixed_block_count(n, 1024, kMaxChunks, std::max<std::size_t>(width, 1) * 8);
  const std::size_t per = (n + chunks - 1) / chunks;
  std::vector<double> parts(chunks * width, 0.0);
  runtime::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    for (std::size_t c = c0; c < c1; ++c) body(c * per, std::min(n, (c + 1) * per), parts.data() + c * width);
  });
  std::vector<double> total(width, 0.0);
  for (std::size_t c = 0; c < chunks; ++c)
    for (std::size_t i = 0; i < width; ++i) total[i] += parts[c * width + i];
  return total;
}

}  // namespace kiln::linear
