// A row-major matrix of f32 or f64 values, read in place from the caller's array: the kernels
// that take either element type (linear models, k-NN, tree binning and prediction) share it.
// Hot loops do not test the type per element: they branch once, outside the loop, into a function
// templated on the element type; visit() does that for a call made once per chunk of work. Where
// the branch is taken per row (hist's tree walk, knn's Manhattan scan and row norms) it is written
// out as `f32 != nullptr ? ... : ...`, as before this type existed: through visit()'s lambda GCC 12
// compiled those loops differently (hist predict on f32 rows measured ~3% slower in an interleaved
// A/B, close to this machine's noise). at() is for cold paths.
#pragma once
#include <cstddef>

namespace kiln::runtime {

struct Rows {
  const float* f32 = nullptr;  // exactly one of f32 / f64 is set
  const double* f64 = nullptr;
  std::size_t rows = 0, cols = 0;

  // Element (r, c) as f64.
  double at(std::size_t r, std::size_t c) const {
    return f32 != nullptr ? static_cast<double>(f32[r * cols + c]) : f64[r * cols + c];
  }
  // f(f32) or f(f64), whichever is set: one branch, f compiled for each element type (both
  // calls must return the same type).
  template <typename F>
  decltype(auto) visit(F&& f) const {
    if (f32 != nullptr) return f(f32);
    return f(f64);
  }
};

}  // namespace kiln::runtime
