// Exact k-nearest-neighbour search. Pure C++, no N-API.
//
// L2, cosine and inner product run through the SGEMM micro-kernel: for each base
// chunk (packed within a memory budget) and each block of queries, MR x NR tiles of
// keys (||x||^2 - 2 q.x, or -q.x) stay in registers/L1 and feed per-query candidate
// lists; the full distance matrix never exists. Candidates (k plus a margin) are then
// re-ranked with exact f64 distances from the original data, and a rigorous bound
// on the f32 key error proves no other point can enter the top k (a query that
// fails the proof is searched again by exact brute force). Manhattan is a direct
// f64 kernel. Ties break by the smaller base index.
#pragma once
#include <cstddef>
#include <cstdint>

#include "../../runtime/rows.h"

namespace kiln::knn {

enum class Metric : int { SqEuclidean = 0, Euclidean = 1, Cosine = 2, InnerProduct = 3, Manhattan = 4 };

using runtime::Rows;

struct SearchArgs {
  Rows base, queries;  // same column count
  std::size_t k = 0;   // 1 <= k <= eligible base points
  Metric metric = Metric::Euclidean;
  bool exclude_self = false;                         // queries are the base: query i never returns point i
  std::size_t budget_bytes = std::size_t(64) << 20;  // packed base chunk
  double* distances = nullptr;                       // queries.rows * k: ascending distance (descending inner product)
  int32_t* indices = nullptr;                        // queries.rows * k
};

// The base packed for the GEMM metrics once (at fit), when it fits the budget:
// NR-point panels [feature][point] (cosine: normalised rows), f32 squared norms,
// and f64 norms of the original rows.
struct Prepared {
  const float* packed = nullptr;  // packed_floats(n, d)
  const float* sqnorm = nullptr;  // padded_points(n)
  const double* norms = nullptr;  // n
};

std::size_t padded_points(std::size_t n);                 // n rounded up to the panel width
std::size_t packed_floats(std::size_t n, std::size_t d);  // padded_points(n) * d

void prepare(const Rows& base, Metric metric, float* packed, float* sqnorm, double* norms);

// prepared may be null (the base is then packed chunk by chunk within the budget).
void search(const SearchArgs& args, const Prepared* prepared = nullptr);

// Every base point within `radius` of each query (L2 metrics: SqEuclidean compares squared
// distances with radius, Euclidean distances), as CSR lists sorted by (distance, index): f32 GEMM
// tiles select candidates within the radius plus the tiles' rounding bound, and each candidate is
// decided by its exact f64 distance. Results go to caller arrays of `capacity` entries; when the
// lists do not fit, only offsets are written and *needed is the total to allocate (call again).
struct RadiusArgs {
  Rows base, queries;
  double radius = 0;
  Metric metric = Metric::Euclidean;  // SqEuclidean or Euclidean
  bool exclude_self = false;
  double* offsets = nullptr;    // queries.rows + 1 (f64: exact integers)
  int32_t* indices = nullptr;   // capacity
  double* distances = nullptr;  // capacity
  std::size_t capacity = 0;
  double* needed = nullptr;  // 1: total neighbours found
};

void radius_search(const RadiusArgs& args, const Prepared* prepared = nullptr);

}  // namespace kiln::knn
