#include "quantize.h"

#include <vector>

#include "../../runtime/thread_pool.h"

namespace kiln::hist {

void quantize_packed16(const Quant16Args& a) {
  const QuantScales s = quant_scales(a.grad_hess, a.rows, a.m);
  const uint32_t seed = quant_seed(a.seed);
  constexpr std::size_t kChunk = 65536;
  const std::size_t chunks = (a.m + kChunk - 1) / kChunk;
  std::vector<int64_t> g_sum(chunks, 0), h_sum(chunks, 0);
  runtime::parallel_for(chunks, 1, [&](std::size_t c0, std::size_t c1) {
    for (std::size_t c = c0; c < c1; ++c) {
      int64_t gs = 0, hs = 0;
      for (std::size_t j = c * kChunk, e = std::min(a.m, j + kChunk); j < e; ++j) {
        const uint32_t r = static_cast<uint32_t>(a.rows != nullptr ? a.rows[j] : static_cast<int32_t>(j));
        int64_t g, h;
        quantize_row(a.grad_hess, seed, s, r, g, h);
        a.out[j] = static_cast<int32_t>((static_cast<uint32_t>(g) << 16) | static_cast<uint32_t>(h));
        gs += g;
        hs += h;
      }
      g_sum[c] = gs;
      h_sum[c] = hs;
    }
  });
  int64_t G = 0, H = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    G += g_sum[c];
    H += h_sum[c];
  }
  a.info[0] = static_cast<double>(G);
  a.info[1] = static_cast<double>(H);
  a.info[2] = s.g;
  a.info[3] = s.h;
}

}  // namespace kiln::hist
