#pragma once
#include <cstddef>

namespace kiln::linalg {

// Thin QR of an m×n row-major f64 matrix (m >= n) by Householder reflections: A = Q R with
// Q m×n (orthonormal columns, row-major) and R n×n upper triangular, diag(R) >= 0 (the unique
// factorisation when A has full rank, so every backend returns the same one).
// Columns are updated in parallel on the thread pool when the matrix is large.
// Returns false when A holds a NaN/Inf.
bool thin_qr(const double* a, std::size_t m, std::size_t n, double* q, double* r);

}  // namespace kiln::linalg
