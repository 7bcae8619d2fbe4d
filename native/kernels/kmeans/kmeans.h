// k-means kernels: the assignment step (nearest centre per row, with the weighted per-cluster
// sums a centre update needs) and exact squared distances to a set of centres. Pure C++, no N-API.
//
// Assignment runs the SGEMM micro-kernel: for each panel of MR rows, MR x NR tiles of keys
// -2 x.c + ||c||^2 (||x||^2 is common to a row and dropped) stay in registers and feed the row's
// best and second-best keys. The chosen centre's squared distance is then computed exactly in
// f64, and a row whose two best f32 keys lie within the rounding bound of each other is scanned
// again exactly, so labels equal an exact f64 argmin (ties to the smaller centre index). Threads
// work over blocks of rows, each with its own partial sums, added in block order at the end
// (same thread count, same result, bit for bit).
#pragma once
#include <cstddef>
#include <cstdint>

#include "../../runtime/rows.h"

namespace kiln::kmeans {

using runtime::Rows;

struct AssignArgs {
  Rows x;                           // n x d
  const double* weights = nullptr;  // n sample weights, or null (all 1)
  const double* centers = nullptr;  // k x d, row-major
  std::size_t k = 0;                // >= 1
  int32_t* labels = nullptr;        // n: nearest centre
  double* dist2 = nullptr;          // n: squared distance to it (exact f64), or null
  double* sums = nullptr;           // k x d: sum of w * x per cluster, or null (no accumulation)
  double* weight_sums = nullptr;    // k: sum of w per cluster (with sums)
  double* inertia = nullptr;        // 1: sum of w * dist2, or null
};

void assign(const AssignArgs& args);

// out[i * k + j] = ||x_i - c_j||^2 in f64 (direct, exact up to f64 rounding).
void sq_distances(const Rows& x, const double* centers, std::size_t k, double* out);

}  // namespace kiln::kmeans
