// k-means kernels: the assignment step (nearest centre per row, with the weighted per-cluster
// sums a centre update needs) and exact squared distances to a set of centres. Pure C++, no N-API.
//
// Assignment runs the SGEMM micro-kernel: for each panel of MR rows, the keys -2 x.c + ||c||^2
// (||x||^2 is common to a row and dropped) of every centre land in a small per-thread buffer, and
// vector min passes find each row's best and second-best keys. The chosen centre's squared distance is then computed exactly in
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

// One Lloyd assignment with bounds carried from call to call (Hamerly's, with Yinyang's centre
// groups): per row an upper bound on the distance to its centre and, per group of centres, a
// lower bound on the distance to the group's other centres. Each call first moves the bounds by
// how far the centres moved since prev_centers; a row whose upper bound stays below its smallest
// lower bound (or half the gap from its centre to the nearest other centre) keeps its label with
// no distance computed; the others are tightened, then rescanned as assign() scans. Labels are
// assign()'s on the same centres (an exact argmin); the per-cluster sums are kept running (only
// rows whose label changed touch them), so they differ from a fresh sum by f64 rounding; the
// weight sums are recounted, so an emptied cluster has exactly zero (and zero sums).
struct BoundedArgs {
  Rows x;
  const double* weights = nullptr;
  const double* centers = nullptr;       // k x d
  const double* prev_centers = nullptr;  // k x d the bounds refer to, or null: first call (state unset)
  std::size_t k = 0;
  std::size_t groups = 1;     // centre groups, 1 <= groups <= k
  int32_t* labels = nullptr;  // n, in/out
  // Bounds are stored as of an epoch (one per call: 0, 1, ...) and moved on read by the centres'
  // cumulative drift since then, so a row that keeps its label costs no writes.
  int32_t* epoch = nullptr;       // n, in/out: the epoch of each row's bounds
  double* upper = nullptr;        // n, in/out
  float* lower = nullptr;         // n x (groups + 1), in/out: per group, then their minimum
  std::size_t epochs = 0;         // calls so far (this call's epoch)
  const double* drift = nullptr;  // epochs x (k + groups + 1): cumulative centre shifts, group maxima, overall maximum
  double* drift_now = nullptr;    // k + groups + 1, out: this epoch's row (the caller appends it)
  double* sums = nullptr;         // k x d, in/out: running sum of w * x per cluster
  double* weight_sums = nullptr;  // k, out
  bool distances = false;         // always write dist2 and inertia (else only when a cluster is empty)
  double* dist2 = nullptr;        // n: squared distance to the label's centre, or null
  double* inertia = nullptr;      // 1 (with dist2)
  double* wrote_dist2 = nullptr;  // 1: set to 1 when dist2 and inertia were written, or null
  double* changed = nullptr;      // 1: rows whose label changed (n on a first call), or null
};

void assign_bounded(const BoundedArgs& args);

// out[i * k + j] = ||x_i - c_j||^2 in f64 (direct, exact up to f64 rounding).
void sq_distances(const Rows& x, const double* centers, std::size_t k, double* out);

}  // namespace kiln::kmeans
