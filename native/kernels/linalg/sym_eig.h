#pragma once
#include <cstddef>

namespace kiln::linalg {

// Eigen-decomposition of a symmetric n×n matrix (row-major f64; only its values are read,
// the lower triangle is assumed equal to the upper). Householder tridiagonalisation, then
// implicit symmetric QR steps with Wilkinson shifts (Golub & Van Loan §8.3): O(n³), backward
// stable, and faster than cyclic Jacobi beyond a few dozen columns.
// values: n, descending. vectors: n×n, row i the unit eigenvector of values[i].
// Returns false when the QR iteration did not converge (30·n sweeps; never seen in practice)
// or the input holds a NaN/Inf.
bool sym_eig(const double* a, std::size_t n, double* values, double* vectors);

}  // namespace kiln::linalg
