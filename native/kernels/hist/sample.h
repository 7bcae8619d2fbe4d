// The rows a boosting round grows its trees from, drawn by a stateless hash of (seed, row) so
// that any thread count (and the TypeScript reference, src/backend/hist/sample.ts) draws the
// same rows:
//   bagging: each row kept when its hash < rate · 2^32 (LightGBM's and XGBoost's row bagging);
//   GOSS (LightGBM's gradient-based one-side sampling): the rows whose Σ_classes |g · h|, as a
//     float, is at least the top_k-th largest are all kept (ties included); each other row is
//     kept with probability q = other_k / (rows left), and its gradients and hessians (every
//     class block) are multiplied by 1 / q so that the sums the histograms see stay unbiased.
// At least one row is always kept (the row of smallest hash when the draw keeps none).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::hist {

struct SampleArgs {
  std::size_t n = 0, k = 1;     // rows; class blocks of grad_hess (each n × 2, interleaved g, h)
  double* grad_hess = nullptr;  // GOSS only: read, and the kept rows outside the top scaled
  bool goss = false;
  double rate = 1;  // bagging: the share of rows kept, in (0, 1]
  double top_rate = 0.2,
         other_rate = 0.1;  // GOSS: shares of n (top_k = max(1, ⌊n · top_rate⌋), other_k = ⌊n · other_rate⌋)
  uint32_t seed = 0;
  int32_t* out =
      nullptr;  // n entries: the kept rows in out[0 .. count), ascending (GOSS: its top rows ascending, then the drawn ones)
  // GOSS: the keys of grad_hess (goss_keys) when the gradients call wrote them, or null (computed here).
  const uint32_t* keys = nullptr;
};

// Returns the number of rows kept (>= 1).
std::size_t sample_rows(const SampleArgs& a);

// The GOSS keys of rows r0..r1 of k class blocks of n x 2 (g, h): Σ_c |g · h| rounded to a float,
// as its bits without the sign. The gradients kernel writes them while a chunk is still in cache.
void goss_keys(const double* gh, std::size_t n, std::size_t k, std::size_t r0, std::size_t r1, uint32_t* keys);

}  // namespace kiln::hist
