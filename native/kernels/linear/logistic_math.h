// The elementwise part of the binary logistic loss, vectorised: compiled with
// -ffast-math where glibc's vector exp/log1p exist (see CMakeLists.txt).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kiln::linear {

// For m rows with scores z and labels y (0/1), optional weights w: writes the
// weighted residuals w·(sigmoid(z) − y) over z and returns Σ w·logloss.
double logistic_binary_block(double* z, const int32_t* y, const double* w, std::size_t m);

// The same, and the Hessian weights w·p·(1 − p) into d (the Newton solver's pass).
double logistic_binary_hess_block(double* z, double* d, const int32_t* y, const double* w, std::size_t m);

}  // namespace kiln::linear
